// A fake `window.creditTray` speaking the real CreditTrayApi contract, with scripted state.
// Component tests use createTestBridge() directly; the e2e tests bundle this file into an init
// script (tests/e2e/harness.ts) and drive it from Node through `window.__creditTrayTest`.
// Browser-safe: no Node imports.
import type { AccountsState, AccountSummary } from '../../src/shared/accounts'
import type { CreditTrayApi, ExternalPage, KeyCheckResult, View } from '../../src/shared/ipc'
import type { KeyInfo, Settings } from '../../src/shared/settings'
import type { Status, StatusError } from '../../src/shared/status'
import type { TeamServerInfo } from '../../src/shared/team'
import { ADMIN_KEY_INFO, makeSettings, makeStatus, withBalance, withBudget } from './fixtures'

export interface BridgeState {
  status: Status
  keyInfo: KeyInfo
  settings: Settings
  /** When set, refresh() fails with this error (kept in the status, last good data kept). */
  refreshError: StatusError | null
  /** Methods that reject with this message (as main's handlers do on bad input). */
  rejections: Partial<Record<keyof CreditTrayApi, string>>
  /** Milliseconds every call waits before answering, to make busy states observable. */
  latencyMs: number
  /** Where exportCsv "saves" (the path the user picks), or null when the user cancels. */
  exportPath: string | null
  /** The accounts the app watches; the active one is what `status` shows. */
  accounts: AccountsState
  /** The team server the active account reads from (team mode), or null. */
  team: TeamServerInfo | null
}

export interface BridgeCall {
  method: keyof CreditTrayApi
  /** Arguments as received, except the key (setKey) and the read token (setTeamServer), never recorded. */
  args: unknown[]
}

export interface TestBridge {
  api: CreditTrayApi
  state: BridgeState
  calls: BridgeCall[]
  /** Replace parts of the state (no event is sent). */
  set(patch: Partial<BridgeState>): void
  /** Push a status the way main does after a poll (defaults to the current state's status). */
  emitStatus(status?: Status): void
  /** Ask the window for a view, like the tray context menu does. */
  showView(view: View): void
  /** Push an accounts state the way main does when accounts change. */
  emitAccounts(accounts?: AccountsState): void
  /** Calls of one method, in order. */
  callsOf(method: keyof CreditTrayApi): unknown[][]
}

/** What a key check answers for a pasted string, by prefix, like the live check would. */
export function checkKey(key: string): KeyCheckResult {
  if (/^sk-admin-[\w-]{8,}$/.test(key)) {
    return { ok: true, info: { ...ADMIN_KEY_INFO, masked: `sk-admin-…${key.slice(-4)}` } }
  }
  if (key.startsWith('sk-proj-') || key.startsWith('sk-svcacct-')) {
    return {
      ok: false,
      error: {
        kind: 'permission',
        message:
          'This is a project key. Reading costs needs an organization Admin key (sk-admin-…).'
      }
    }
  }
  return { ok: false, error: { kind: 'auth', message: 'OpenAI did not accept this key.' } }
}

export function createTestBridge(
  initial: Partial<BridgeState> = {},
  now: () => number = Date.now
): TestBridge {
  const state: BridgeState = {
    status: initial.status ?? makeStatus({}, now()),
    keyInfo: initial.keyInfo ?? ADMIN_KEY_INFO,
    settings: initial.settings ?? makeSettings(),
    refreshError: initial.refreshError ?? null,
    rejections: initial.rejections ?? {},
    latencyMs: initial.latencyMs ?? 0,
    exportPath:
      initial.exportPath === undefined
        ? '/home/user/Downloads/openai-costs.csv'
        : initial.exportPath,
    accounts: initial.accounts ?? {
      active: 'default',
      accounts: [summaryOf('default', initial.status ?? makeStatus({}, now()))]
    },
    team: initial.team ?? null
  }
  const calls: BridgeCall[] = []
  const statusListeners = new Set<(status: Status) => void>()
  const viewListeners = new Set<(view: View) => void>()

  const accountListeners = new Set<(accounts: AccountsState) => void>()
  const emitAccounts = (accounts: AccountsState = state.accounts): void => {
    state.accounts = accounts
    for (const listener of [...accountListeners]) listener(accounts)
  }
  const emit = (status: Status = state.status): void => {
    state.status = status
    for (const listener of [...statusListeners]) listener(status)
  }

  /** Records the call, waits the scripted latency, rejects if scripted, then answers. */
  async function answer<T>(method: keyof CreditTrayApi, args: unknown[], run: () => T): Promise<T> {
    calls.push({ method, args })
    if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs))
    const rejection = state.rejections[method]
    if (rejection !== undefined) throw new Error(rejection)
    return run()
  }

  const api: CreditTrayApi = {
    getStatus: () => answer('getStatus', [], () => state.status),
    refresh: () =>
      answer('refresh', [], () => {
        const next: Status = state.refreshError
          ? { ...state.status, error: state.refreshError }
          : {
              ...state.status,
              error: null,
              stale: false,
              lastUpdated: new Date(now()).toISOString()
            }
        emit(next)
        return next
      }),
    getKeyInfo: () => answer('getKeyInfo', [], () => state.keyInfo),
    setKey: (key: string) =>
      answer('setKey', [`<key of ${key.length} characters>`], () => {
        const result = checkKey(key)
        if (result.ok) {
          state.keyInfo = result.info
          // Main refreshes right after a good key: the no-key / bad-key error goes away.
          emit({
            ...state.status,
            error: null,
            stale: false,
            lastUpdated: new Date(now()).toISOString()
          })
        }
        return result
      }),
    clearKey: () =>
      answer('clearKey', [], () => {
        state.keyInfo = { present: false, masked: null, type: null, storage: null, warning: null }
        emit({ ...state.status, error: { kind: 'no_key', message: 'No Admin key is saved.' } })
        return state.keyInfo
      }),
    recordBalance: (amount: number) =>
      answer('recordBalance', [amount], () => {
        if (!Number.isFinite(amount) || amount < 0 || amount >= 1e7)
          throw new Error('Invalid balance.')
        emit(withBalance(state.status, amount, now()))
        return state.status
      }),
    recordTopUp: (amount: number) =>
      answer('recordTopUp', [amount], () => {
        if (!Number.isFinite(amount) || amount <= 0 || amount >= 1e7)
          throw new Error('Invalid top-up amount.')
        if (state.status.balance === null)
          throw new Error('Record your balance before adding top-ups.')
        emit(withBalance(state.status, state.status.balance + amount, now()))
        return state.status
      }),
    getSettings: () => answer('getSettings', [], () => state.settings),
    setSettings: (patch: Partial<Settings>) =>
      answer('setSettings', [patch], () => {
        const next: Settings = {
          ...state.settings,
          ...patch,
          thresholds: { ...state.settings.thresholds, ...patch.thresholds }
        }
        const t = next.thresholds
        if (t.criticalBalance > t.lowBalance || t.criticalDays > t.lowDays) {
          throw new Error('Critical thresholds must not be above the low ones.')
        }
        if (next.pollIntervalMinutes < 5 || next.pollIntervalMinutes > 1440) {
          throw new Error('The poll interval must be 5 to 1440 minutes.')
        }
        const a = next.autoRecharge
        if (!(a.reloadTo > a.threshold)) {
          throw new Error('The reload-to amount must be more than the threshold.')
        }
        if (a.monthlyLimit !== null && a.monthlyLimit < a.reloadTo - a.threshold) {
          throw new Error('The monthly reload limit must allow at least one reload.')
        }
        if (next.monthlyBudget !== null && !(next.monthlyBudget > 0)) {
          throw new Error('The monthly budget must be more than $0.')
        }
        state.settings = next
        const rebalanced = withBalance(
          { ...state.status, thresholds: t },
          state.status.balance,
          now()
        )
        emit(withBudget(rebalanced, next.monthlyBudget, now()))
        return next
      }),
    openExternal: (page: ExternalPage) => answer('openExternal', [page], () => undefined),
    openTopUp: () => answer('openTopUp', [], () => undefined),
    hideWindow: () => answer('hideWindow', [], () => undefined),
    closeWindow: () => answer('closeWindow', [], () => undefined),
    exportCsv: () =>
      answer('exportCsv', [], () =>
        state.exportPath === null ? { saved: false } : { saved: true, path: state.exportPath }
      ),
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    onShowView(listener) {
      viewListeners.add(listener)
      return () => viewListeners.delete(listener)
    },
    getAccounts: () => answer('getAccounts', [], () => state.accounts),
    switchAccount: (name: string) =>
      answer('switchAccount', [name], () => {
        const found = state.accounts.accounts.find((a) => a.name === name)
        if (!found) throw new Error(`There is no account named "${name}".`)
        emitAccounts({ ...state.accounts, active: found.name })
        return state.accounts
      }),
    addAccount: (name: string, projectIds: string[]) =>
      answer('addAccount', [name, projectIds], () => {
        if (state.accounts.accounts.some((a) => a.name.toLowerCase() === name.toLowerCase()))
          throw new Error(`An account named "${name}" already exists.`)
        const added = { ...summaryOf(name, null), projectIds }
        emitAccounts({ active: name, accounts: [...state.accounts.accounts, added] })
        return state.accounts
      }),
    removeAccount: (name: string) =>
      answer('removeAccount', [name], () => {
        const rest = state.accounts.accounts.filter((a) => a.name !== name)
        if (rest.length === 0) throw new Error('The last account cannot be removed.')
        const active = state.accounts.active === name ? rest[0]!.name : state.accounts.active
        emitAccounts({ active, accounts: rest })
        return state.accounts
      }),
    getTeamServer: () => answer('getTeamServer', [], () => state.team),
    setTeamServer: (input) =>
      answer(
        'setTeamServer',
        [
          {
            url: input.url,
            account: input.account,
            token: `<token of ${input.token.length} characters>`
          }
        ],
        () => {
          if (!/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(input.url))
            return {
              ok: false as const,
              error: {
                kind: 'bad_response' as const,
                message:
                  'Use an https:// address (plain http only for this computer: localhost or 127.0.0.1), so the read token never crosses the network unencrypted.'
              }
            }
          if (input.token.length < 16)
            return {
              ok: false as const,
              error: {
                kind: 'auth' as const,
                message:
                  'The team server refused the read token (401). Ask whoever runs it for the current token and save it again in Settings.'
              }
            }
          state.team = {
            url: input.url.replace(/\/+$/, ''),
            account: input.account,
            tokenPresent: true
          }
          return { ok: true as const, info: state.team }
        }
      ),
    clearTeamServer: () =>
      answer('clearTeamServer', [], () => {
        state.team = null
        return null
      }),
    setSpendLimit: (amount: number) =>
      answer('setSpendLimit', [amount], () => {
        const l = state.status.limits
        const before = l.organization
        const spent = before?.monthToDate ?? state.status.spend.monthToDate
        const organization = {
          currency: 'USD',
          enforcement: 'enforcing',
          projectedMonthEnd: null,
          reachOn: null,
          ...before,
          amount,
          monthToDate: spent,
          reached: spent >= amount
        }
        emit({ ...state.status, limits: { ...l, organization } })
        return state.status
      }),
    addSpendAlert: (amount: number, recipients: string[]) =>
      answer('addSpendAlert', [amount, recipients], () => {
        const l = state.status.limits
        const alert = { scope: 'organization', amount, recipients: recipients.length }
        emit({ ...state.status, limits: { ...l, alerts: [...l.alerts, alert] } })
        return state.status
      }),
    onAccounts(listener) {
      accountListeners.add(listener)
      return () => accountListeners.delete(listener)
    }
  }

  return {
    api,
    state,
    calls,
    set: (patch) => Object.assign(state, patch),
    emitStatus: emit,
    emitAccounts,
    showView: (view) => {
      for (const listener of [...viewListeners]) listener(view)
    },
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args)
  }
}

declare global {
  interface Window {
    /** The e2e tests' handle on the fake bridge (only present in tests). */
    __creditTrayTest?: TestBridge
  }
}

/** Installs the fake as `window.creditTray` before the app starts (an init script calls this). */
export function installTestBridge(initial: Partial<BridgeState> = {}): TestBridge {
  const bridge = createTestBridge(initial)
  window.creditTray = bridge.api
  window.__creditTrayTest = bridge
  return bridge
}

/** A summary row for an account, from its status when known. */
export function summaryOf(name: string, status: Status | null): AccountSummary {
  return {
    name,
    projectIds: [],
    level: status?.level ?? 'unknown',
    balance: status?.balance ?? null,
    currency: status?.currency ?? 'usd',
    errorKind: status?.error?.kind ?? null,
    stale: status?.stale ?? false
  }
}

// The tray app watches every account at once: one engine per account (own folder, keychain
// entry, ledger, thresholds, project filter), all polling. The window shows one account at a
// time (the active one); the tray shows the worst state across all of them, and notifications
// say which account they are about.
import type { Status } from '../../shared/status'
import type { AccountSummary, AccountsState } from '../../shared/accounts'
import type { Account, AccountRegistry } from './accounts'
import type { CliEngine } from './engine'
import type { Alert } from './engine-api'

export interface AccountHub {
  /** The engine of the account the window shows. */
  active(): CliEngine
  state(): AccountsState
  /** One account's current status (the account is watched from now on if it was not yet). */
  statusOf(name: string): Status
  switchTo(name: string): Promise<AccountsState>
  add(name: string, projectIds?: string[]): Promise<AccountsState>
  remove(name: string): Promise<AccountsState>
  /** Build the account's engine again (its source changed: Admin key <-> team server). */
  reload(name: string): void
  /** The status the tray shows: the worst across accounts. */
  worstStatus(): Status
  /** Any account's status changed, or the active account / the list changed. */
  onChange(listener: () => void): () => void
  /** Alerts from every account, with the account name in the title when there are several. */
  onAlert(listener: (alert: Alert) => void): () => void
  start(): void
  stop(): void
  /** Resolves once no engine (removed ones included) has a poll or its writes running. */
  settled(): Promise<void>
  pause(): void
  resume(): void
}

/**
 * How bad a status is, for the tray: a key or storage problem (needs the user) beats low credit
 * beats stale data.
 */
export function severity(s: Status): number {
  const kind = s.error?.kind
  if (
    kind === 'auth' ||
    kind === 'permission' ||
    kind === 'no_key' ||
    kind === 'keychain' ||
    kind === 'storage'
  )
    return 6
  if (s.level === 'critical') return 5
  if (s.level === 'low') return 4
  if (s.error || s.stale) return 3
  if (s.level === 'ok') return 2
  return 1 // unknown: spend-only, nothing to worry about
}

export function createAccountHub(opts: {
  registry: AccountRegistry
  engineFor: (account: Account) => CliEngine
}): AccountHub {
  const engines = new Map<string, CliEngine>()
  const unsubscribe = new Map<string, () => void>()
  const changeListeners = new Set<() => void>()
  const alertListeners = new Set<(a: Alert) => void>()
  // Engines dropped (removed, reloaded) may still be finishing a poll: waited for in settled().
  const retired = new Set<CliEngine>()
  let running = false
  let paused = false

  const changed = (): void => {
    for (const l of changeListeners) l()
  }

  function attach(account: Account): CliEngine {
    const existing = engines.get(account.name)
    if (existing) return existing
    const engine = opts.engineFor(account)
    engines.set(account.name, engine)
    const offStatus = engine.onStatus(changed)
    const offAlert = engine.onAlert((alert) => {
      // Removed by another process meanwhile: no notification about an account that is gone.
      if (!sync().some((a) => a.name === account.name)) return
      const named =
        engines.size > 1 ? { ...alert, title: `${account.name}: ${alert.title}` } : alert
      for (const l of alertListeners) l(named)
    })
    unsubscribe.set(account.name, () => {
      offStatus()
      offAlert()
    })
    if (running) {
      engine.start()
      if (paused) engine.pause()
    }
    return engine
  }

  function detach(name: string): void {
    const engine = engines.get(name)
    if (!engine) return
    engine.stop()
    retired.add(engine)
    void engine.settled().then(() => retired.delete(engine))
    unsubscribe.get(name)?.()
    unsubscribe.delete(name)
    engines.delete(name)
  }

  /**
   * The registry as it is on disk now. Accounts another process removed (the CLI, while the app or
   * `serve` runs) are dropped here too, so their engines stop polling and nothing is shown or
   * raised for them.
   */
  function sync(): Account[] {
    const accounts = opts.registry.list()
    for (const name of [...engines.keys()]) if (!accounts.some((a) => a.name === name)) detach(name)
    return accounts
  }

  for (const account of opts.registry.list()) attach(account)

  const engineOf = (name: string): CliEngine => {
    const account = sync().find((a) => a.name === name)
    // Not (or no longer) an account: the registry's own "no such account" error.
    return attach(account ?? opts.registry.get(name))
  }

  function state(): AccountsState {
    const active = opts.registry.active().name
    const accounts: AccountSummary[] = sync().map((a) => {
      const s = attach(a).getStatus()
      return {
        name: a.name,
        projectIds: a.projectIds,
        level: s.level,
        balance: s.balance,
        currency: s.currency,
        errorKind: s.error?.kind ?? null,
        stale: s.stale
      }
    })
    return { active, accounts }
  }

  return {
    active: () => engineOf(opts.registry.active().name),
    state,
    statusOf: (name) => engineOf(name).getStatus(),
    async switchTo(name) {
      await opts.registry.setActive(name)
      changed()
      return state()
    },
    async add(name, projectIds = []) {
      const account = await opts.registry.add(name, projectIds)
      attach(account)
      await opts.registry.setActive(account.name)
      changed()
      return state()
    },
    async remove(name) {
      const account = await opts.registry.remove(name)
      detach(account.name)
      changed()
      return state()
    },
    reload(name) {
      const account = opts.registry.get(name)
      detach(account.name)
      attach(account)
      changed()
    },
    worstStatus() {
      let worst: Status | null = null
      for (const a of sync()) {
        const s = attach(a).getStatus()
        if (worst === null || severity(s) > severity(worst)) worst = s
      }
      return worst ?? engineOf(opts.registry.active().name).getStatus()
    },
    onChange(listener) {
      changeListeners.add(listener)
      return () => changeListeners.delete(listener)
    },
    onAlert(listener) {
      alertListeners.add(listener)
      return () => alertListeners.delete(listener)
    },
    start() {
      running = true
      for (const e of engines.values()) e.start()
    },
    stop() {
      running = false
      for (const e of engines.values()) e.stop()
    },
    async settled() {
      await Promise.all([...engines.values(), ...retired].map((e) => e.settled()))
    },
    pause() {
      paused = true
      for (const e of engines.values()) e.pause()
    },
    resume() {
      paused = false
      for (const e of engines.values()) e.resume()
    }
  }
}

/**
 * An engine-shaped view of whichever account is active right now: what the window and IPC talk
 * to. Listeners hear the active account's status whenever any account changes or the active
 * account switches; alerts come from every account.
 */
export function activeEngineView(hub: AccountHub): CliEngine {
  const a = (): CliEngine => hub.active()
  return {
    getStatus: () => a().getStatus(),
    refresh: (options) => a().refresh(options),
    recordBalance: (amount) => a().recordBalance(amount),
    currency: () => a().currency(),
    recordTopUp: (amount) => a().recordTopUp(amount),
    getSettings: () => a().getSettings(),
    updateSettings: (patch) => a().updateSettings(patch),
    getKeyInfo: () => a().getKeyInfo(),
    setKey: (key, opts) => a().setKey(key, opts),
    clearKey: () => a().clearKey(),
    checkKey: () => a().checkKey(),
    getLedger: () => a().getLedger(),
    problems: () => a().problems(),
    exportCsv: (range) => a().exportCsv(range),
    settled: () => hub.settled(),
    setOrgLimit: (amount) => a().setOrgLimit(amount),
    addOrgAlert: (amount, recipients) => a().addOrgAlert(amount, recipients),
    onStatus: (listener) => hub.onChange(() => listener(a().getStatus())),
    onAlert: (listener) => hub.onAlert(listener),
    start: () => hub.start(),
    stop: () => hub.stop(),
    pause: () => hub.pause(),
    resume: () => hub.resume()
  }
}

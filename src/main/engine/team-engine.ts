// The engine of an account in team mode: the same facade as engine.ts, but the status comes from
// the team server's /status.json (team-client.ts) instead of OpenAI, so this desktop holds no
// Admin key. Polling (scheduler.ts: backoff, Retry-After, halting on 401), staleness and the
// alert policy are the app's own; the level, balance and spend are the server's. Recording
// balances and top-ups, the key and the CSV export belong to the server and are refused here
// with a message that says so.
import type { KeyInfo } from '../../shared/settings'
import { DEFAULT_SETTINGS } from '../../shared/settings'
import type { ErrorKind, Level, Status, StatusError } from '../../shared/status'
import { alertStateSchema, INITIAL_ALERT_STATE } from './alert-policy'
import { createAlertRunner } from './alert-runner'
import { EMPTY_CACHE } from './cost-cache'
import { utcDay } from './dates'
import type { CliEngine } from './engine'
import { ALERTS_VERSION } from './engine'
import type { Alert } from './engine-api'
import { CreditTrayError, InputError } from './errors'
import { createInFlight } from './in-flight'
import { EMPTY_LEDGER } from './ledger'
import { creditLevel } from './levels'
import { createScheduler, isStale, REAL_TIMERS, type PollTimers, type Scheduler } from './scheduler'
import type { SecretStore } from './secrets'
import { SETTINGS_VERSION, applySettingsPatch, storedSettingsSchema } from './settings-store'
import { limitsLevel, worseLevel } from './spend-limits'
import { buildStatus } from './status'
import type { FileLockOptions } from './file-lock'
import { createJsonStore, type StoreProblem } from './store'
import { TEAM_MESSAGES, fetchTeamStatus, type FetchLike, type TeamServer } from './team-client'

/** Why a team desktop is not updating, by the kind of the team server's own failure. */
const TEAM_STALE_REASONS: Partial<Record<ErrorKind, string>> = {
  network: 'the team server could not be reached',
  server: 'the team server answered with errors',
  rate_limit: 'the team server is limiting requests',
  bad_response: 'the team server sent answers Credit Tray does not understand'
}

export const TEAM_RECORDING_NOTE =
  'This account reads from a team server: balances and top-ups are recorded on the server ' +
  '(credit-tray balance set / credit-tray topup there), and its key stays there.'

/** The keychain entry of an account's read token (beside its Admin key entry). */
export function teamTokenEntry(account: string): string {
  return `${account} (team server read token)`
}

export interface TeamEngineOptions {
  dataDir: string
  account: string
  server: TeamServer
  /** Where the read token is kept (the same store as Admin keys). */
  secretStore: SecretStore
  now: () => Date
  fetch: FetchLike
  timeoutMs?: number
  alerts?: boolean
  timers?: PollTimers
  log?: (line: string) => void
  /** Lock timing of the data files (tests shorten it; file-lock.ts has the defaults). */
  lock?: FileLockOptions
}

export function createTeamEngine(opts: TeamEngineOptions): CliEngine {
  const log = opts.log ?? (() => {})
  const timeoutMs = opts.timeoutMs ?? 15_000
  const problems: StoreProblem[] = []
  const teamHost = new URL(opts.server.url).host
  /** A file the store could not use (kept aside, or blocked): remember to tell the user. */
  function note(problem: StoreProblem): void {
    if (problems.some((p) => p.file === problem.file)) return
    problems.push(problem)
    log(problem.message)
  }
  const settingsStore = createJsonStore({
    dir: opts.dataDir,
    name: 'settings',
    schema: storedSettingsSchema,
    version: SETTINGS_VERSION,
    defaults: () => DEFAULT_SETTINGS,
    now: opts.now,
    onProblem: note,
    ...(opts.lock ? { lock: opts.lock } : {})
  })
  const alertsStore = createJsonStore({
    dir: opts.dataDir,
    name: 'alerts',
    schema: alertStateSchema,
    version: ALERTS_VERSION,
    defaults: () => INITIAL_ALERT_STATE,
    now: opts.now,
    onProblem: note,
    ...(opts.lock ? { lock: opts.lock } : {})
  })
  const alertRunner = createAlertRunner(alertsStore, log)

  let settings = settingsStore.load().value
  let remote: Status | null = null
  let lastError: StatusError | null = null
  let token: string | null = null
  let scheduler: Scheduler | null = null
  let inFlight: Promise<void> | null = null
  const work = createInFlight()
  const statusListeners = new Set<(s: Status) => void>()
  const alertListeners = new Set<(a: Alert) => void>()

  function statusNow(): Status {
    const now = opts.now()
    const paused = alertRunner.notice()
    const notices = [...problems.map((p) => p.message), ...(paused === null ? [] : [paused])]
    if (remote === null) {
      // Nothing from the server yet: no figures at all, only the error if there is one.
      return buildStatus({
        cache: EMPTY_CACHE,
        ledger: EMPTY_LEDGER,
        settings: { ...settings, monthlyBudget: null },
        now,
        error: lastError,
        notices
      })
    }
    const lastSuccess = remote.lastUpdated === null ? null : Date.parse(remote.lastUpdated)
    return {
      ...remote,
      // Stale by the server's rule when it answered, and by ours while it does not answer.
      stale:
        remote.stale || isStale(lastSuccess, now.getTime(), settings.pollIntervalMinutes * 60_000),
      error: lastError ?? remote.error,
      notices: [...remote.notices, ...notices]
    }
  }

  async function publish(): Promise<Status> {
    let status = statusNow()
    if (opts.alerts) {
      const before = alertRunner.notice()
      await runAlertPolicy(status)
      // The alert state's save decides a notice of this very status.
      if (alertRunner.notice() !== before) status = statusNow()
    }
    for (const l of statusListeners) l(status)
    return status
  }

  async function runAlertPolicy(status: Status): Promise<void> {
    const lastSuccessMs = status.lastUpdated ? Date.parse(status.lastUpdated) : null
    const alerts = await alertRunner.run({
      level: creditLevelOf(status),
      balance: status.balance,
      daysLeft: status.daysLeft,
      burnRatePerDay: status.burnRatePerDay,
      currency: status.currency,
      thresholds: status.thresholds,
      errorKind: status.error?.kind ?? null,
      stale: status.stale,
      staleForMs: lastSuccessMs === null ? null : opts.now().getTime() - lastSuccessMs,
      lastTopUpAt: null,
      now: opts.now(),
      autoRecharge: status.autoRecharge,
      runOutDate: status.runOutDate,
      budget: status.budget,
      limits: status.limits,
      // While the team server is what fails, the stale notification says so, not "OpenAI …".
      ...(lastError && TEAM_STALE_REASONS[lastError.kind]
        ? { staleReason: `${TEAM_STALE_REASONS[lastError.kind]} (${teamHost})` }
        : {})
    })
    for (const alert of alerts) {
      // A rejected token is not a rejected Admin key: say what to do in team mode.
      const shown: Alert =
        alert.kind === 'key_rejected' && lastError?.message === TEAM_MESSAGES.auth
          ? { ...alert, title: 'The team server refused the read token', body: TEAM_MESSAGES.auth }
          : alert
      for (const l of alertListeners) l(shown)
    }
  }

  /**
   * The server's level is the worse of its credit level and its limits' level. When the limits
   * do not explain it, it is the credit level as the server computed it; when they may, the credit
   * level is computed here from the same (cent-rounded) figures, so an enforcing limit is
   * notified as a limit and never as "credit critically low" beside a healthy balance.
   */
  function creditLevelOf(status: Status): Level {
    const fromLimits = limitsLevel(status.limits, utcDay(opts.now().getTime()))
    // Worse than the limits make it: that is the credit.
    if (worseLevel(fromLimits, status.level) !== fromLimits) return status.level
    // Else recomputed, and never worse than the server's own level.
    const own = creditLevel(status)
    return worseLevel(own, status.level) === own ? status.level : own
  }

  async function readToken(): Promise<string> {
    if (token) return token
    const stored = await opts.secretStore.get(teamTokenEntry(opts.account))
    if (!stored) throw new CreditTrayError('no_key', TEAM_MESSAGES.no_token)
    token = stored
    return stored
  }

  async function fetchOnce(): Promise<void> {
    try {
      remote = await fetchTeamStatus(opts.server, await readToken(), opts.fetch, timeoutMs)
      lastError = null
    } catch (e) {
      const err =
        e instanceof CreditTrayError
          ? e
          : new CreditTrayError('bad_response', TEAM_MESSAGES.unreadable)
      lastError = err.toStatusError()
      throw err
    } finally {
      await publish()
    }
  }

  async function runOnce(): Promise<void> {
    if (scheduler) return scheduler.runNow()
    inFlight ??= work
      .track(fetchOnce())
      .catch(() => {})
      .finally(() => {
        inFlight = null
      })
    return inFlight
  }

  const refused = (what: string) => async (): Promise<never> => {
    throw new InputError(`${what} ${TEAM_RECORDING_NOTE}`)
  }
  const noKey: KeyInfo = { present: false, masked: null, type: null, storage: null, warning: null }

  return {
    getStatus: statusNow,
    // The server's currency once it answered; "usd" until then, like an engine without costs.
    currency: () => remote?.currency ?? 'usd',
    async refresh() {
      await runOnce()
      return statusNow()
    },
    recordBalance: refused('Balances are not recorded here.'),
    recordTopUp: refused('Top-ups are not recorded here.'),
    // Changing OpenAI's limits needs the Admin key, which stays on the server.
    setOrgLimit: refused('Spend limits are changed with the Admin key on the server.'),
    addOrgAlert: refused('Spend alerts are changed with the Admin key on the server.'),
    getSettings: () => settings,
    async updateSettings(patch) {
      // Read, patched and saved under the data-file lock, like the engine's own settings.
      const next = await settingsStore.update((current) => applySettingsPatch(current, patch))
      settings = next
      const intervalMs = next.pollIntervalMinutes * 60_000
      scheduler?.setInterval(intervalMs) /* eng-disable DANGEROUS_FUNCTIONS_JS_CHECK */
      await publish()
      return next
    },
    getKeyInfo: async () => noKey,
    setKey: refused('No Admin key is needed on this computer.'),
    checkKey: async () => ({ ok: false, error: { kind: 'no_key', message: TEAM_RECORDING_NOTE } }),
    clearKey: async () => noKey,
    getLedger: () => [],
    problems: () => [...problems],
    exportCsv() {
      throw new InputError(
        `The costs are exported on the team server (credit-tray export). ${TEAM_RECORDING_NOTE}`
      )
    },
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    onAlert(listener) {
      alertListeners.add(listener)
      return () => alertListeners.delete(listener)
    },
    start() {
      if (scheduler) return
      const timers = opts.timers ?? REAL_TIMERS
      scheduler = createScheduler<unknown>({
        intervalMs: settings.pollIntervalMinutes * 60_000,
        task: () => work.track(fetchOnce()),
        now: () => opts.now().getTime(),
        setTimer: timers.setTimer,
        clearTimer: timers.clearTimer,
        random: timers.random,
        watchdogMs: timeoutMs * 2
      })
      scheduler.start()
    },
    stop() {
      scheduler?.stop()
      scheduler = null
    },
    settled: () => work.settled(),
    pause: () => scheduler?.pause(),
    resume: () => scheduler?.resume()
  }
}

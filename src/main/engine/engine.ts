// The engine: composes the costs client, cache, ledger, projections, alert policy, scheduler,
// stores and the secret store behind the CreditEngine facade. Used by the Electron shell and the
// CLI alike; it never imports electron. Everything from the outside world is passed in.
import type { z } from 'zod'
import type { KeyCheckResult } from '../../shared/ipc'
import type { KeyInfo, KeyStorage } from '../../shared/settings'
import { DEFAULT_SETTINGS } from '../../shared/settings'
import type { Status, StatusError } from '../../shared/status'
import { apiEndpoint, customHostNotice, type ApiEndpoint } from './api-endpoint'
import { alertStateSchema, INITIAL_ALERT_STATE } from './alert-policy'
import { createAlertRunner } from './alert-runner'
import {
  EMPTY_CACHE,
  MODEL_USAGE_DAYS,
  costCacheSchema,
  costOn,
  dayReadAt,
  keepFrom,
  mergeCostFetch,
  modelUsageDue,
  planCostFetch,
  withLiveDay,
  withModelUsage
} from './cost-cache'
import {
  createCostsClient,
  type CostsClient,
  type CostsClientOptions,
  type DailyCostsProgress
} from './costs-client'
import { costsToCsv, csvRangeProblem, type CsvRange } from './csv-export'
import { addDays, utcDay } from './dates'
import type { Alert, CreditEngine } from './engine-api'
import {
  CreditTrayError,
  DEFAULT_API_HOST,
  InputError,
  MESSAGES,
  networkMessage,
  redactSecrets,
  timeoutMessage
} from './errors'
import { describeKeyProblem, keyType, maskKey, normalizeKeyInput } from './key-type'
import {
  EMPTY_LEDGER,
  LEDGER_VERSION,
  lastTopUpAt,
  latestBalance,
  ledgerSchema,
  recordBalance,
  type Baseline,
  recordTopUp,
  validateAmount,
  type Ledger,
  type LedgerEntry
} from './ledger'
import { createInFlight } from './in-flight'
import { GaveUp, oneShotMessage, withRetries } from './one-shot-retry'
import { createScheduler, REAL_TIMERS, type PollTimers, type Scheduler } from './scheduler'
import { DEFAULT_ACCOUNT, type SecretStore } from './secrets'
import { SETTINGS_VERSION, applySettingsPatch, storedSettingsSchema } from './settings-store'
import { createLimitsClient, type LimitsClient, type LimitsClientOptions } from './limits-client'
import {
  EMPTY_LIMITS_SNAPSHOT,
  limitsDue,
  limitsReadFailed,
  limitsSnapshotSchema,
  projectsToCheck,
  readLimits,
  WRITE_DENIED,
  type LimitsSnapshot
} from './spend-limits'
import { buildStatusParts } from './status'
import type { FileLockOptions } from './file-lock'
import { createJsonStore, type JsonStore, type StoreProblem } from './store'

export const CACHE_VERSION = 1
export const ALERTS_VERSION = 1
/** One refresh (all its pages, and for one-shot work its retries) ends within this. */
export const RUN_DEADLINE_MS = 60_000
/** Reading today's cost live when a balance is recorded: one small request, a short wait. */
export const BASELINE_TIMEOUT_MS = 5_000
export const LIMITS_VERSION = 1

export interface EngineOptions {
  /** The app-data folder (paths.ts). */
  dataDir: string
  /** Where the Admin key is kept (keychain, safeStorage file, or memory). */
  secretStore: SecretStore
  /** OPENAI_ADMIN_KEY: used instead of the secret store, which is then not read. */
  envKey?: string | undefined
  /** Keychain account name (one entry per account). */
  account?: string
  /** Only count costs of these projects (an account's optional project filter). */
  projectIds?: string[]
  /**
   * OPENAI_BASE_URL, for tests and proxies: https, or plain http to loopback only (else every
   * call that would send the key fails with `insecure_url` and nothing is sent).
   */
  baseURL?: string | undefined
  /** Per-request deadline. */
  timeoutMs?: number
  /** Deadline of a whole refresh, retries of one-shot work included (RUN_DEADLINE_MS). */
  runDeadlineMs?: number
  /** Deadline of the live read of today's cost when a balance is recorded. */
  baselineTimeoutMs?: number
  /** Waits between retries of one-shot work (default: a real timer). */
  sleep?: (ms: number) => Promise<void>
  now: () => Date
  createClient?: (opts: CostsClientOptions) => CostsClient
  createLimitsClient?: (opts: LimitsClientOptions) => LimitsClient
  /** Run the alert policy (the tray app). The CLI leaves it off so it never "uses up" an alert. */
  alerts?: boolean
  /** Timers for the scheduler (defaults: the real ones). */
  timers?: PollTimers
  /** A warning about where the key is kept, shown with the key info (e.g. memory only). */
  keyStorageWarning?: string | null
  /** Diagnostic lines. Never receives the key. */
  log?: (line: string) => void
  /** Lock timing of the data files (tests shorten it; file-lock.ts has the defaults). */
  lock?: FileLockOptions
  /** Notices from outside this account's files (the account registry's), shown in the status. */
  notices?: () => string[]
  /** Called after every refresh with its error (null = success): the read server logs and counts them. */
  onRefresh?: (error: StatusError | null) => void
}

/** The facade plus what the CLI needs on top. */
export interface CliEngine extends CreditEngine {
  getLedger(): LedgerEntry[]
  /** The account's currency (lowercase ISO 4217) as the cached costs say; "usd" until known. */
  currency(): string
  setKey(raw: string, opts?: { check?: boolean }): Promise<KeyCheckResult>
  /** Checks the configured key live. */
  checkKey(): Promise<KeyCheckResult>
  /** Data files that could not be read (kept aside) since this engine started. */
  problems(): StoreProblem[]
  /** The cached daily costs as CSV (csv-export.ts). Throws InputError for a bad range. */
  exportCsv(range?: CsvRange): string
  /** Resolves once no poll (and none of its writes) is running: after stop(), the last write. */
  settled(): Promise<void>
}

export function createEngine(opts: EngineOptions): CliEngine {
  const account = opts.account ?? DEFAULT_ACCOUNT
  const log = opts.log ?? (() => {})
  const makeClient = opts.createClient ?? createCostsClient
  const timeoutMs = opts.timeoutMs ?? 30_000
  const envKey = opts.envKey?.trim() ? opts.envKey.trim() : undefined
  const problems: StoreProblem[] = []
  const runDeadlineMs = opts.runDeadlineMs ?? RUN_DEADLINE_MS
  const timers = opts.timers ?? REAL_TIMERS
  const sleep =
    opts.sleep ??
    ((ms: number): Promise<void> => new Promise((resolve) => void timers.setTimer(resolve, ms)))
  // Checked once, before any key is read: a refused address is an error in every status.
  let endpoint: ApiEndpoint | null = null
  let endpointRefusal: CreditTrayError | null = null
  try {
    endpoint = apiEndpoint(opts.baseURL)
  } catch (e) {
    endpointRefusal = new CreditTrayError('insecure_url', (e as Error).message)
  }
  const apiHost = endpoint?.host ?? DEFAULT_API_HOST
  const hostNotice = endpoint ? customHostNotice(endpoint) : null

  const store = <T>(name: string, schema: z.ZodType<T>, version: number, defaults: () => T) =>
    createJsonStore<T>({
      dir: opts.dataDir,
      name,
      schema,
      version,
      defaults,
      now: opts.now,
      onProblem: note,
      ...(opts.lock ? { lock: opts.lock } : {})
    })
  const stores = {
    settings: store('settings', storedSettingsSchema, SETTINGS_VERSION, () => DEFAULT_SETTINGS),
    ledger: store('ledger', ledgerSchema, LEDGER_VERSION, () => EMPTY_LEDGER),
    cache: store('costs-cache', costCacheSchema, CACHE_VERSION, () => EMPTY_CACHE),
    alerts: store('alerts', alertStateSchema, ALERTS_VERSION, () => INITIAL_ALERT_STATE),
    limits: store('limits', limitsSnapshotSchema, LIMITS_VERSION, () => EMPTY_LIMITS_SNAPSHOT)
  }

  /** A file the store could not use (kept aside, or blocked): remember to tell the user. */
  function note(problem: StoreProblem): void {
    if (problems.some((p) => p.file === problem.file && p.keptAs === problem.keptAs)) return
    problems.push(problem)
    log(problem.message)
  }

  function load<T>(store: JsonStore<T>): T {
    return store.load().value
  }

  // Every change goes through `update`: under the file's inter-process lock, the document is
  // re-read and the change applied to what is on disk now, so the CLI and the app never overwrite
  // each other's entries (the in-memory copies below are for showing, never saved back as such).
  let settings = load(stores.settings)
  let cache = load(stores.cache)
  let lastError: StatusError | null = endpointRefusal?.toStatusError() ?? null
  /** Set when the model-usage breakdown could not be refreshed; cleared by the next success. */
  let modelUsageNotice: string | null = null
  /**
   * Limits read but not saved (limits.json could not be written): shown and due-checked from here,
   * with a notice, until a save succeeds. Otherwise the status would show the older file as if
   * current, and every poll would read the limits again because the file still says they are due.
   */
  let unsavedLimits: { snapshot: LimitsSnapshot; notice: string } | null = null
  const alertRunner = createAlertRunner(stores.alerts, log)
  let cachedKey: string | null = null
  let keySource: KeyStorage | null = null

  const statusListeners = new Set<(s: Status) => void>()
  const alertListeners = new Set<(a: Alert) => void>()
  let scheduler: Scheduler | null = null
  let inFlight: Promise<void> | null = null
  const work = createInFlight()
  // Start and a manual refresh read the limits whatever their age; polls only every 6 hours.
  let limitsForced = false

  async function resolveKey(): Promise<string> {
    if (envKey) {
      keySource = 'env'
      return envKey
    }
    if (cachedKey) return cachedKey
    const stored = await opts.secretStore.get(account) // throws CreditTrayError('keychain')
    if (!stored) throw new CreditTrayError('no_key', MESSAGES.no_key)
    cachedKey = stored
    keySource = opts.secretStore.kind
    return stored
  }

  /** The API address, or the refusal (thrown before the key is even read). */
  function checkedEndpoint(): ApiEndpoint {
    if (!endpoint) throw endpointRefusal
    return endpoint
  }

  function clientFor(key: string): CostsClient {
    return makeClient({
      apiKey: key,
      ...(opts.baseURL ? { baseURL: checkedEndpoint().baseURL } : {}),
      timeoutMs,
      now: () => opts.now().getTime()
    })
  }

  function limitsClientFor(key: string): LimitsClient {
    return (opts.createLimitsClient ?? createLimitsClient)({
      apiKey: key,
      ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
      timeoutMs
    })
  }

  /**
   * Read the limits and alerts and keep them in limits.json. Never throws and never touches the
   * refresh error: the balance does not depend on them. A failed read keeps the last good one.
   */
  async function refreshLimits(key: string): Promise<void> {
    const now = opts.now()
    let read: (current: LimitsSnapshot) => LimitsSnapshot
    try {
      const projects = projectsToCheck(cache, utcDay(now.getTime()), opts.projectIds)
      const next = await readLimits(limitsClientFor(key), projects, now)
      read = () => next
    } catch (e) {
      const message = e instanceof CreditTrayError ? e.message : MESSAGES.network
      log(`spend limits not refreshed: ${message}`)
      // Against the file as it is now: another process may have read them meanwhile.
      read = (current) => limitsReadFailed(current, now, message)
    }
    try {
      await stores.limits.update(read)
      unsavedLimits = null
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      log(`spend limits not saved: ${reason}`)
      unsavedLimits = {
        snapshot: read(currentLimits()),
        notice: `The spend limits just read could not be saved: ${reason} They are shown from memory and saved at the next read.`
      }
    }
  }

  function currentLimits(): LimitsSnapshot {
    return unsavedLimits?.snapshot ?? load(stores.limits)
  }

  /** One confirmed write, then the limits read back; a 403 becomes "may not change". */
  async function writeLimits(write: (client: LimitsClient) => Promise<unknown>): Promise<Status> {
    const key = await resolveKey()
    try {
      await write(limitsClientFor(key))
    } catch (e) {
      if (e instanceof CreditTrayError && e.kind === 'permission')
        throw new CreditTrayError('permission', WRITE_DENIED, { cause: e })
      throw e
    }
    await refreshLimits(key)
    return publish()
  }

  /** A signal that aborts after `ms`, and its disposer. */
  function deadline(ms: number): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController()
    const handle = timers.setTimer(() => controller.abort(), ms)
    return { signal: controller.signal, done: () => timers.clearTimer(handle) }
  }

  function asCreditTrayError(e: unknown): CreditTrayError {
    return e instanceof CreditTrayError
      ? e
      : new CreditTrayError(
          'bad_response',
          redactSecrets(
            `Unexpected problem: ${String((e as Error)?.message ?? e)}`,
            cachedKey,
            envKey
          )
        )
  }

  /**
   * One refresh: fetch what the cache plan asks for, merge, save. Throws CreditTrayError.
   * `manual` (a command or the Refresh button) rides out brief faults (one-shot-retry.ts); polls
   * leave retrying to the scheduler. Either way the whole run has one deadline.
   */
  async function fetchOnce(manual: boolean): Promise<void> {
    const limit = deadline(runDeadlineMs)
    const startedAt = opts.now().getTime()
    try {
      checkedEndpoint()
      const key = await resolveKey()
      const client = clientFor(key)
      const attempt = () => fetchAndMerge(client, limit.signal)
      if (manual) {
        await withRetries(attempt, {
          deadlineAt: startedAt + runDeadlineMs,
          now: () => opts.now().getTime(),
          sleep,
          random: timers.random,
          signal: limit.signal,
          onRetry: (err, ms) => log(`retrying in ${ms} ms: ${err.message}`)
        })
      } else await attempt()
      lastError = null
      if (limitsForced || limitsDue(currentLimits(), opts.now())) {
        limitsForced = false
        await refreshLimits(key)
      }
    } catch (e) {
      const attempts = e instanceof GaveUp ? e.attempts : 1
      let err = asCreditTrayError(e instanceof GaveUp ? e.last : e)
      if (limit.signal.aborted) {
        err = new CreditTrayError(
          'network',
          `${apiHost} did not answer within ${Math.round(runDeadlineMs / 1000)} s. ` +
            'Credit Tray will retry.'
        )
      }
      // Without a scheduler (the CLI) nobody retries later: say what was tried instead. Only the
      // status shows this error (runOnce swallows the throw; no scheduler reads its retry hints),
      // so its kind and message are all it needs.
      if (manual && !scheduler && err.retryable)
        err = new CreditTrayError(err.kind, oneShotMessage(err, attempts))
      lastError = err.toStatusError()
      throw err
    } finally {
      limit.done()
      await publish()
      opts.onRefresh?.(lastError)
    }
  }

  /**
   * Fetch every range the plan asks for (most recent first) and merge each as it completes; what
   * arrived before a failure is merged and saved too, so progress is never thrown away.
   */
  async function fetchAndMerge(client: CostsClient, signal: AbortSignal): Promise<void> {
    const now = opts.now()
    const today = utcDay(now.getTime())
    const anchorDay = latestBalance(load(stores.ledger))?.day ?? null
    const keep = keepFrom(today, anchorDay)
    cache = load(stores.cache)
    for (const range of planCostFetch(cache, { today, now, anchorDay })) {
      let progress: DailyCostsProgress | null = null
      try {
        const result = await client.fetchDailyCosts({
          startDay: range.startDay,
          endDayExclusive: range.endDayExclusive,
          limit: range.limit,
          signal,
          onProgress: (p) => (progress = p),
          ...(opts.projectIds?.length ? { projectIds: opts.projectIds } : {})
        })
        // Merged into the cache as it is on disk now (under its lock): another process may have
        // refreshed it while these requests were in flight.
        const finishedAt = opts.now()
        cache = await stores.cache.update((current) =>
          mergeCostFetch(current, range, result.days, { finishedAt, keepFrom: keep })
        )
      } catch (e) {
        await keepProgress(range, progress, keep)
        throw e
      }
    }
    if (modelUsageDue(cache, opts.now())) await refreshModelUsage(client, today, signal)
  }

  async function keepProgress(
    range: Parameters<typeof mergeCostFetch>[1],
    progress: DailyCostsProgress | null,
    keep: string
  ): Promise<void> {
    if (!progress) return
    const { days, throughDay } = progress
    const finishedAt = opts.now()
    try {
      cache = await stores.cache.update((current) =>
        mergeCostFetch(current, range, days, { finishedAt, throughDay, keepFrom: keep })
      )
    } catch (e) {
      // What arrived cannot be used (e.g. another currency): the cache stays as it was.
      log(`partial costs not kept: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  /** The per-model breakdown is a nicety: a failure keeps the last good one and says so. */
  async function refreshModelUsage(
    client: CostsClient,
    today: string,
    signal: AbortSignal
  ): Promise<void> {
    const fromDay = addDays(today, -(MODEL_USAGE_DAYS - 1))
    try {
      const models = await client.fetchModelUsage({
        startDay: fromDay,
        signal,
        ...(opts.projectIds?.length ? { projectIds: opts.projectIds } : {})
      })
      const fetchedAt = opts.now()
      cache = await stores.cache.update((current) =>
        withModelUsage(current, fromDay, models, fetchedAt)
      )
      modelUsageNotice = null
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      log(`model usage not refreshed: ${reason}`)
      const kept = cache.modelUsage
        ? `The breakdown shown is the one fetched at ${cache.modelUsage.fetchedAt.slice(0, 16).replace('T', ' ')} UTC.`
        : 'No breakdown by model is shown.'
      modelUsageNotice = `The usage by model could not be refreshed: ${reason} ${kept}`
    }
  }

  /**
   * Today's cost, read live for a new balance's baseline (one small request, a short deadline);
   * on any failure the cached figure, with its age and the reason. The live figure also updates
   * the cache, so the estimate right after recording starts from the same number.
   */
  async function readBaseline(today: string): Promise<Baseline> {
    const limit = deadline(opts.baselineTimeoutMs ?? BASELINE_TIMEOUT_MS)
    try {
      const key = await resolveKey()
      const result = await clientFor(key).fetchDailyCosts({
        startDay: today,
        limit: 1,
        signal: limit.signal,
        ...(opts.projectIds?.length ? { projectIds: opts.projectIds } : {})
      })
      const day = result.days.find((d) => d.date === today) ?? null
      const readAt = opts.now()
      try {
        cache = await stores.cache.update((current) => withLiveDay(current, today, day, readAt))
      } catch (e) {
        // The baseline itself was read live; only saving it failed. The status is still built
        // from it, or the older cached figure would be measured against this baseline and add
        // the difference back to the balance. The next poll saves today again, or reports why.
        log(`today's live cost not cached: ${e instanceof Error ? e.message : String(e)}`)
        cache = withLiveDay(cache, today, day, readAt)
      }
      return { cost: day?.total ?? 0, source: 'live' }
    } catch (e) {
      cache = load(stores.cache)
      const problem = limit.signal.aborted
        ? `no answer within ${Math.round((opts.baselineTimeoutMs ?? BASELINE_TIMEOUT_MS) / 1000)} s`
        : (e instanceof Error ? e.message : String(e)).replace(
            /[;,]?\s*Credit Tray will[^.]*\./,
            ''
          )
      return {
        cost: costOn(cache, today),
        source: 'cache',
        asOf: dayReadAt(cache, today),
        problem: redactSecrets(problem, cachedKey, envKey)
      }
    } finally {
      limit.done()
    }
  }

  // The ledger is read from disk for every status: the CLI may have recorded an entry meanwhile.
  function statusFrom(ledger: Ledger) {
    return buildStatusParts({
      cache,
      ledger,
      settings,
      now: opts.now(),
      error: lastError,
      notices: [
        ...(hostNotice ? [hostNotice] : []),
        ...(opts.notices?.() ?? []),
        ...problems.map((p) => p.message),
        // Each set until the next success of what it is about.
        ...[modelUsageNotice, unsavedLimits?.notice ?? null, alertRunner.notice()].filter(
          (n): n is string => n !== null
        )
      ],
      limits: currentLimits(),
      projectFilter: opts.projectIds ?? []
    })
  }

  function statusNow(): Status {
    return statusFrom(load(stores.ledger)).status
  }

  async function publish(): Promise<Status> {
    const ledger = load(stores.ledger)
    let parts = statusFrom(ledger)
    if (opts.alerts) {
      const before = alertRunner.notice()
      await runAlertPolicy(parts, ledger)
      // The alert state's save decides a notice of this very status.
      if (alertRunner.notice() !== before) parts = statusFrom(ledger)
    }
    for (const l of statusListeners) l(parts.status)
    return parts.status
  }

  async function runAlertPolicy(
    { status, creditLevel, expiryWarnings }: ReturnType<typeof statusFrom>,
    ledger: Ledger
  ): Promise<void> {
    const lastSuccessMs = cache.lastSuccessAt ? Date.parse(cache.lastSuccessAt) : null
    const input = {
      level: creditLevel,
      balance: status.balance,
      daysLeft: status.daysLeft,
      burnRatePerDay: status.burnRatePerDay,
      currency: status.currency,
      thresholds: status.thresholds,
      errorKind: status.error?.kind ?? null,
      stale: status.stale,
      staleForMs: lastSuccessMs === null ? null : opts.now().getTime() - lastSuccessMs,
      lastTopUpAt: lastTopUpAt(ledger),
      now: opts.now(),
      autoRecharge: status.autoRecharge,
      runOutDate: status.runOutDate,
      budget: status.budget,
      apiHost,
      limits: status.limits,
      expiry: expiryWarnings
    }
    const raised = await alertRunner.run(input)
    for (const alert of raised) for (const l of alertListeners) l(alert)
  }

  /** Run a one-shot fetch, joining one already in flight. Errors end up in the status. */
  async function runOnce(): Promise<void> {
    if (scheduler) return scheduler.runNow()
    if (!inFlight) {
      inFlight = work
        .track(fetchOnce(true))
        .catch(() => {})
        .finally(() => {
          inFlight = null
        })
    }
    return inFlight
  }

  function keyInfo(key: string | null, storage: KeyStorage | null): KeyInfo {
    const warning =
      envKey && storage !== 'env'
        ? 'OPENAI_ADMIN_KEY is set and is used instead of the stored key.'
        : // The secret store's own kind (e.g. 'memory' when no keychain could be used).
          storage === opts.secretStore.kind
          ? (opts.keyStorageWarning ?? null)
          : null
    return {
      present: key !== null,
      masked: key === null ? null : maskKey(key),
      type: key === null ? null : keyType(key),
      storage: key === null ? null : storage,
      warning,
      ...(endpoint?.custom ? { sentTo: endpoint.host } : {})
    }
  }

  /** One-shot: rides out brief faults like a refresh does, within the run deadline. */
  async function checkWithApi(key: string): Promise<StatusError | null> {
    const limit = deadline(runDeadlineMs)
    const startedAt = opts.now().getTime()
    try {
      await withRetries(() => clientFor(key).checkKey(limit.signal), {
        deadlineAt: startedAt + runDeadlineMs,
        now: () => opts.now().getTime(),
        sleep,
        random: timers.random,
        signal: limit.signal
      })
      return null
    } catch (e) {
      const attempts = e instanceof GaveUp ? e.attempts : 1
      const last = e instanceof GaveUp ? e.last : e
      let err =
        last instanceof CreditTrayError
          ? last
          : new CreditTrayError('network', networkMessage(apiHost))
      if (err.retryable) err = new CreditTrayError(err.kind, oneShotMessage(err, attempts))
      const hint = describeKeyProblem(keyType(key))
      return { kind: err.kind, message: hint && err.kind === 'permission' ? hint : err.message }
    } finally {
      limit.done()
    }
  }

  const engine: CliEngine = {
    getStatus: statusNow,

    async refresh(options) {
      if (options?.manual) limitsForced = true
      await runOnce()
      return statusNow()
    },

    // Resolves once the entry is durably on disk (store.ts#update), never before.
    async recordBalance(amount) {
      const v = validateAmount(amount, 'balance')
      if (!v.ok) throw new InputError(v.error)
      const now = opts.now()
      // Today's cost as OpenAI shows it now was already deducted on the billing page: read it
      // live rather than trusting a cache that may be hours old or empty.
      const baseline = await readBaseline(utcDay(now.getTime()))
      await stores.ledger.update((ledger) => recordBalance(ledger, v.value, now, baseline))
      return publish()
    },

    async recordTopUp(amount) {
      const v = validateAmount(amount, 'topup')
      if (!v.ok) throw new InputError(v.error)
      const now = opts.now()
      await stores.ledger.update((ledger) => recordTopUp(ledger, v.value, now))
      return publish()
    },

    getSettings: () => settings,

    async updateSettings(patch) {
      // The patch applies to the settings on disk now; an invalid result throws inside the
      // update, so nothing is saved.
      const next = await stores.settings.update((current) => applySettingsPatch(current, patch))
      settings = next
      // Electronegativity mistakes this for the global setInterval(code): it is the scheduler's
      // own method and takes a number of milliseconds.
      const intervalMs = next.pollIntervalMinutes * 60_000
      scheduler?.setInterval(intervalMs) /* eng-disable DANGEROUS_FUNCTIONS_JS_CHECK */
      await publish()
      return next
    },

    async getKeyInfo() {
      if (envKey) return keyInfo(envKey, 'env')
      try {
        const key = cachedKey ?? (await opts.secretStore.get(account))
        return keyInfo(key, opts.secretStore.kind)
      } catch (e) {
        const info = keyInfo(null, null)
        return { ...info, warning: e instanceof Error ? e.message : MESSAGES.keychain }
      }
    },

    async setKey(raw, { check = true } = {}) {
      const input = normalizeKeyInput(raw)
      if (!input.ok) throw new InputError(input.message)
      const key = input.key
      const type = keyType(key)
      const problem = describeKeyProblem(type)
      if (problem) return { ok: false, error: { kind: 'permission', message: problem } }
      if (check) {
        const error = await checkWithApi(key)
        if (error) return { ok: false, error }
      }
      try {
        await opts.secretStore.set(account, key)
      } catch (e) {
        const message = e instanceof CreditTrayError ? e.message : MESSAGES.keychain
        return { ok: false, error: { kind: 'keychain', message } }
      }
      cachedKey = key
      keySource = opts.secretStore.kind
      if (lastError && ['auth', 'permission', 'no_key', 'keychain'].includes(lastError.kind))
        lastError = null
      if (scheduler) void scheduler.resumeAfterKeyChange()
      await publish()
      return { ok: true, info: keyInfo(key, opts.secretStore.kind) }
    },

    async checkKey() {
      let key: string
      try {
        key = await resolveKey()
      } catch (e) {
        const err =
          e instanceof CreditTrayError ? e : new CreditTrayError('keychain', MESSAGES.keychain)
        return { ok: false, error: err.toStatusError() }
      }
      const error = await checkWithApi(key)
      if (error) return { ok: false, error }
      return { ok: true, info: keyInfo(key, keySource) }
    },

    async clearKey() {
      try {
        await opts.secretStore.delete(account)
      } catch (e) {
        throw e instanceof CreditTrayError ? e : new CreditTrayError('keychain', MESSAGES.keychain)
      }
      cachedKey = null
      if (!envKey) lastError = { kind: 'no_key', message: MESSAGES.no_key }
      await publish()
      return engine.getKeyInfo()
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
      limitsForced = true
      scheduler = createScheduler<unknown>({
        intervalMs: settings.pollIntervalMinutes * 60_000,
        task: (manual) => work.track(fetchOnce(manual)),
        now: () => opts.now().getTime(),
        setTimer: timers.setTimer,
        clearTimer: timers.clearTimer,
        random: timers.random,
        // A run ends by its own deadline; the watchdog is only for a run that hangs regardless.
        watchdogMs: runDeadlineMs + timeoutMs,
        timeoutMessage: timeoutMessage(apiHost)
      })
      scheduler.start()
    },

    stop() {
      scheduler?.stop()
      scheduler = null
    },

    settled: () => work.settled(),

    pause() {
      scheduler?.pause()
    },

    resume() {
      scheduler?.resume()
    },

    getLedger: () => load(stores.ledger).entries,
    currency: () => load(stores.cache).currency ?? 'usd',
    problems: () => [...problems],

    exportCsv(range = {}) {
      const problem = csvRangeProblem(range)
      if (problem) throw new InputError(problem)
      // Another process (the CLI or the app) may have refreshed since: read the file again.
      cache = load(stores.cache)
      return costsToCsv(cache, range)
    },

    async setOrgLimit(amount) {
      const v = validateAmount(amount, 'limit')
      if (!v.ok) throw new InputError(v.error)
      return writeLimits((client) => client.setOrgLimit(v.value))
    },

    async addOrgAlert(amount, recipients) {
      const v = validateAmount(amount, 'limit')
      if (!v.ok) throw new InputError(v.error)
      if (recipients.length === 0) throw new InputError('An email alert needs a recipient.')
      return writeLimits((client) => client.addOrgAlert(v.value, recipients))
    }
  }
  return engine
}

// When to poll the Costs API. Clock, timers and randomness are injected, so every decision here
// is testable without waiting.
//
// Rules:
// - success: next run one interval after this run ended; backoff and failure count reset.
// - retryable failure (rate_limit / network / server): exponential backoff with jitter from
//   `baseBackoffMs`, capped at `maxBackoffMs`, and never sooner than the server's Retry-After.
// - 401 / 403 (auth / permission): polling halts — waiting will not fix a revoked key or a
//   project key. It resumes with `runNow()` (the user pressed refresh; a success un-halts) or
//   `resumeAfterKeyChange()` (a new key was saved).
// - other failures (bad_response / no_key / keychain): no fast retries, the normal interval.
// - paused (sleep, offline): no polls at all; `resume()` polls at once.
// - a run that neither resolves nor rejects within `watchdogMs` counts as a network timeout,
//   so one stuck request can never stop polling for good.
import type { ErrorKind } from '../../shared/status'
import { CreditTrayError, MESSAGES, redactSecrets } from './errors'

export const DEFAULT_BASE_BACKOFF_MS = 5_000
/** The backoff cap when none is given: the poll interval, but at most this. */
export const MAX_DEFAULT_BACKOFF_MS = 15 * 60_000
/** Default watchdog: twice a 60 s request timeout. */
export const DEFAULT_WATCHDOG_MS = 120_000
/** Data is stale when the last success is older than this many intervals. */
export const STALE_INTERVALS = 3
/** Failures that stop polling until the user does something (refresh or a new key). */
export const HALTING_KINDS: readonly ErrorKind[] = ['auth', 'permission']

/** The clock pieces a polling engine runs on; tests pass fakes, the app the real ones. */
export interface PollTimers {
  setTimer: (fn: () => void, ms: number) => unknown
  clearTimer: (handle: unknown) => void
  random: () => number
}

export const REAL_TIMERS: PollTimers = {
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  random: Math.random
}

export interface SchedulerState {
  /** Epoch ms of the last successful run; errors never clear it. */
  lastSuccessAt: number | null
  /** The last run's error; null after a success. */
  lastError: CreditTrayError | null
  consecutiveFailures: number
  /** Epoch ms of the next planned run; null when stopped, paused, halted or never started. */
  nextRunAt: number | null
  /** No success yet, or the last one is older than 3 intervals. */
  stale: boolean
  /** A run is in flight. */
  running: boolean
  paused: boolean
  /** Polling stopped after a 401/403; see `resumeAfterKeyChange`. */
  halted: boolean
}

export interface SchedulerOptions<H> {
  intervalMs: number
  /**
   * One refresh. Reject with a `CreditTrayError` to choose the retry behaviour. `manual` is true
   * for `runNow()` (someone is waiting for the answer: the task may ride out brief faults itself).
   */
  task: (manual: boolean) => Promise<void>
  now: () => number
  setTimer: (fn: () => void, ms: number) => H
  clearTimer: (handle: H) => void
  /** Uniform in [0, 1), like Math.random. */
  random: () => number
  baseBackoffMs?: number
  /** Default: min(interval, 15 min), following interval changes. */
  maxBackoffMs?: number
  /** Give up on a run after this long (e.g. 2 × the client's request timeout × requests). */
  watchdogMs?: number
  /** The watchdog's message; names the API host actually used (default: api.openai.com's). */
  timeoutMessage?: string
  /** Called after every change of state (run started/finished, paused, rescheduled…). */
  onState?: (state: SchedulerState) => void
}

export interface Scheduler {
  /** Begin polling: runs at once (unless paused or halted), then on schedule. */
  start(): void
  /** Stop polling. A run in flight finishes and is recorded but schedules nothing. */
  stop(): void
  /** No polls until `resume()` (system sleep, offline). */
  pause(): void
  /** Leave pause and poll at once. */
  resume(): void
  /**
   * Refresh now (manual refresh). Joins a run already in flight instead of starting a second
   * one. Never rejects: the outcome is in `state()`. Works while paused or halted; a success
   * un-halts polling.
   */
  runNow(): Promise<void>
  /**
   * The key was replaced: clear the halt and the failure count and poll at once. A run still in
   * flight used the old key, so a fresh run follows it rather than joining it.
   */
  resumeAfterKeyChange(): Promise<void>
  /** Change the poll interval; a pending interval wait is re-timed from the last run's end. */
  setInterval(ms: number): void
  state(): SchedulerState
}

export interface BackoffInput {
  /** Consecutive failures including the one just seen (1 for the first). */
  failures: number
  baseMs: number
  maxMs: number
  random: () => number
  /** The server's Retry-After, if any. */
  retryAfterMs?: number
}

/**
 * Delay before retry number `failures`: uniform between the base and an exponentially growing
 * ceiling (base · 2^(failures−1), capped at maxMs) — "full jitter" with a floor at the base so a
 * low random draw cannot turn into an immediate retry. Never below Retry-After.
 */
export function backoffDelay(input: BackoffInput): number {
  const max = Math.max(0, input.maxMs)
  const base = Math.min(Math.max(0, input.baseMs), max)
  const exponent = Math.min(Math.max(0, input.failures - 1), 30)
  const ceiling = Math.min(max, base * 2 ** exponent)
  const jittered = base + input.random() * (ceiling - base)
  return Math.round(Math.max(jittered, input.retryAfterMs ?? 0))
}

/** Whether data last fetched successfully at `lastSuccessAt` is too old to trust as current. */
export function isStale(lastSuccessAt: number | null, now: number, intervalMs: number): boolean {
  return lastSuccessAt === null || now - lastSuccessAt > STALE_INTERVALS * intervalMs
}

function checkPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`)
  }
}

/** Anything the task throws becomes a CreditTrayError; surprises are not retried quickly. */
function asCreditTrayError(err: unknown): CreditTrayError {
  if (err instanceof CreditTrayError) return err
  const reason = redactSecrets(err instanceof Error ? err.message : String(err))
  return new CreditTrayError(
    'bad_response',
    `Refreshing failed unexpectedly (${reason}). Credit Tray will try again at the next poll.`,
    { cause: err }
  )
}

export function createScheduler<H>(opts: SchedulerOptions<H>): Scheduler {
  checkPositive('intervalMs', opts.intervalMs)
  const baseBackoffMs = opts.baseBackoffMs ?? DEFAULT_BASE_BACKOFF_MS
  checkPositive('baseBackoffMs', baseBackoffMs)
  if (opts.maxBackoffMs !== undefined) checkPositive('maxBackoffMs', opts.maxBackoffMs)
  const watchdogMs = opts.watchdogMs ?? DEFAULT_WATCHDOG_MS
  checkPositive('watchdogMs', watchdogMs)

  let intervalMs = opts.intervalMs
  let started = false
  let paused = false
  let halted = false
  let lastSuccessAt: number | null = null
  let lastError: CreditTrayError | null = null
  let failures = 0
  let lastRunEndedAt: number | null = null
  let inflight: Promise<void> | null = null
  let timer: { handle: H | undefined; at: number; kind: 'interval' | 'backoff' } | null = null

  const maxBackoffMs = (): number =>
    opts.maxBackoffMs ?? Math.min(intervalMs, MAX_DEFAULT_BACKOFF_MS)

  function state(): SchedulerState {
    return {
      lastSuccessAt,
      lastError,
      consecutiveFailures: failures,
      nextRunAt: timer?.at ?? null,
      stale: isStale(lastSuccessAt, opts.now(), intervalMs),
      running: inflight !== null,
      paused,
      halted
    }
  }

  function emit(): void {
    if (!opts.onState) return
    try {
      opts.onState(state())
    } catch {
      // A broken listener must not stop polling; the listener is the caller's code to fix.
    }
  }

  function cancelTimer(): void {
    if (!timer) return
    if (timer.handle !== undefined) opts.clearTimer(timer.handle)
    timer = null
  }

  function scheduleIn(ms: number, kind: 'interval' | 'backoff'): void {
    cancelTimer()
    if (!started || paused || halted) return
    const entry: NonNullable<typeof timer> = { handle: undefined, at: opts.now() + ms, kind }
    timer = entry
    entry.handle = opts.setTimer(() => {
      // Ignore a timer that was replaced but still fired (a clearTimer that came too late).
      if (timer !== entry) return
      timer = null
      void run()
    }, ms)
  }

  /** The task raced against the watchdog; resolves to the error, or null on success. */
  function attempt(manual: boolean): Promise<CreditTrayError | null> {
    return new Promise((resolve) => {
      let settled = false
      const watchdog = opts.setTimer(() => {
        if (settled) return
        settled = true
        // The abandoned task may still settle later; its outcome is ignored.
        resolve(new CreditTrayError('network', opts.timeoutMessage ?? MESSAGES.timeout))
      }, watchdogMs)
      const finish = (error: CreditTrayError | null): void => {
        if (settled) return
        settled = true
        opts.clearTimer(watchdog)
        resolve(error)
      }
      // Called from a microtask so a task that throws synchronously is caught like a rejection.
      Promise.resolve()
        .then(() => opts.task(manual))
        .then(
          () => finish(null),
          (err: unknown) => finish(asCreditTrayError(err))
        )
    })
  }

  function settle(error: CreditTrayError | null): void {
    const t = opts.now()
    lastRunEndedAt = t
    if (error === null) {
      lastSuccessAt = t
      lastError = null
      failures = 0
      halted = false
      scheduleIn(intervalMs, 'interval')
    } else {
      lastError = error
      failures += 1
      if (HALTING_KINDS.includes(error.kind)) {
        halted = true
        cancelTimer()
      } else if (error.retryable) {
        const delay = backoffDelay({
          failures,
          baseMs: baseBackoffMs,
          maxMs: maxBackoffMs(),
          random: opts.random,
          retryAfterMs: error.retryAfterMs
        })
        scheduleIn(delay, 'backoff')
      } else {
        scheduleIn(intervalMs, 'interval')
      }
    }
    emit()
  }

  function run(manual = false): Promise<void> {
    if (inflight) return inflight
    cancelTimer()
    const p = attempt(manual).then((error) => {
      inflight = null
      settle(error)
    })
    inflight = p
    emit()
    return p
  }

  return {
    start() {
      if (started) return
      started = true
      if (!paused && !halted) void run()
      else emit()
    },
    stop() {
      started = false
      cancelTimer()
      emit()
    },
    pause() {
      if (paused) return
      paused = true
      cancelTimer()
      emit()
    },
    resume() {
      if (!paused) return
      paused = false
      if (started && !halted) void run()
      else emit()
    },
    runNow: () => run(true),
    resumeAfterKeyChange() {
      halted = false
      failures = 0
      if (inflight) return inflight.then(() => run())
      return run()
    },
    setInterval(ms) {
      checkPositive('intervalMs', ms)
      intervalMs = ms
      if (timer?.kind === 'interval') {
        const from = lastRunEndedAt ?? opts.now()
        scheduleIn(Math.max(0, from + ms - opts.now()), 'interval')
      }
      emit()
    },
    state
  }
}

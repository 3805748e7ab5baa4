// One-shot work (CLI `status`, `export`, `key check`, the window's Refresh) rides out brief
// faults instead of failing on the first one: nobody is going to poll again for it.
//
// - 429 rate limit: wait what Retry-After asks, if that is at most MAX_RETRY_AFTER_MS; a longer
//   wait is not worth blocking a command for, so it fails at once and says how long.
// - 5xx and network errors: up to RETRIES more attempts with exponential backoff and jitter.
// - never: 401/403 and other local or permanent problems, insufficient_quota and a reached spend
//   limit (`quickRetry` false): waiting seconds does not change those answers.
// - everything, waits included, within one deadline: a retry that would not start before the
//   deadline is not made.
// Pure policy plus an injected sleep, so tests need no real waiting.
import { CreditTrayError } from './errors'

export const RETRIES = 2
export const MAX_RETRY_AFTER_MS = 10_000
export const BASE_RETRY_DELAY_MS = 1_000

export interface RetryOptions {
  /** Epoch ms after which no new attempt starts. */
  deadlineAt: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  /** Uniform in [0, 1). */
  random: () => number
  /** The whole work's deadline signal: once it fired, no new attempt starts. */
  signal?: AbortSignal
  baseDelayMs?: number
  /** Told before each wait (diagnostics). */
  onRetry?: (err: CreditTrayError, waitMs: number, attempt: number) => void
}

/** How long to wait before attempt `attempt + 1` after `err`, or null: do not retry. */
export function retryDelay(
  err: unknown,
  attempt: number,
  random: () => number,
  baseMs = BASE_RETRY_DELAY_MS
): number | null {
  if (!(err instanceof CreditTrayError) || !err.quickRetry) return null
  if (attempt > RETRIES) return null
  const backoff = baseMs * 2 ** (attempt - 1)
  // Jitter between half and the whole backoff, so clients that failed together do not return
  // together.
  const jittered = Math.round(backoff / 2 + (random() * backoff) / 2)
  if (err.kind === 'rate_limit' && err.retryAfterMs !== undefined) {
    if (err.retryAfterMs > MAX_RETRY_AFTER_MS) return null
    return Math.max(err.retryAfterMs, 0)
  }
  return jittered
}

/** Runs `attempt` until it succeeds, a failure is not worth retrying, or time runs out. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  opts: RetryOptions
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(), attempts: n }
    } catch (err) {
      const wait = retryDelay(err, n, opts.random, opts.baseDelayMs)
      if (wait === null || opts.signal?.aborted || opts.now() + wait >= opts.deadlineAt) {
        throw new GaveUp(err, n)
      }
      opts.onRetry?.(err as CreditTrayError, wait, n)
      await opts.sleep(wait)
    }
  }
}

/** The last error, and how many attempts were made. */
export class GaveUp extends Error {
  constructor(
    readonly last: unknown,
    readonly attempts: number
  ) {
    super('gave up')
    this.name = 'GaveUp'
  }
}

/**
 * The message for a command that will not try again by itself: drop the promise of a retry
 * that the app's scheduler would keep, and say what was tried.
 */
export function oneShotMessage(err: CreditTrayError, attempts: number): string {
  const stripped = err.message
    .replace(
      /[;,]?\s*(This is usually brief; )?Credit Tray will (retry|try again shortly|check again on its normal schedule)\./,
      ''
    )
    .trim()
  const base = /[.!?)"]$/.test(stripped) ? stripped : stripped + '.'
  const tried = attempts > 1 ? ` Tried ${attempts} times.` : ''
  const wait =
    err.kind === 'rate_limit' &&
    err.retryAfterMs !== undefined &&
    err.retryAfterMs > MAX_RETRY_AFTER_MS
      ? ` OpenAI asked to wait ${Math.ceil(err.retryAfterMs / 1000)} s; try again then.`
      : ''
  return base + tried + wait
}

// Errors with a meaning. Every failure the engine reports is one of these kinds, with a message
// written for a person (and never containing the key). The scheduler decides on retries from
// `retryable`, not from message text.
import path from 'node:path'
import type { ErrorKind, StatusError } from '../../shared/status'

/** OpenAI's API host; messages name the host actually used (OPENAI_BASE_URL may differ). */
export const DEFAULT_API_HOST = 'api.openai.com'

export const ADMIN_KEYS_URL = 'https://platform.openai.com/settings/organization/admin-keys'

export class CreditTrayError extends Error {
  readonly kind: ErrorKind
  /** HTTP status when the error came from the API. */
  readonly status: number | undefined
  /** Server-requested wait (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined
  /**
   * False for answers that waiting seconds will not change (no credit left, a spend limit
   * reached): a one-shot command does not retry them, polling just checks again later.
   */
  readonly quickRetry: boolean

  constructor(
    kind: ErrorKind,
    message: string,
    opts: { status?: number; retryAfterMs?: number; cause?: unknown; quickRetry?: boolean } = {}
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'CreditTrayError'
    this.kind = kind
    this.status = opts.status
    this.retryAfterMs = opts.retryAfterMs
    this.quickRetry = opts.quickRetry ?? this.retryable
  }

  /** 401/403 and local problems will not fix themselves by waiting. */
  get retryable(): boolean {
    return this.kind === 'rate_limit' || this.kind === 'network' || this.kind === 'server'
  }

  toStatusError(): StatusError {
    return { kind: this.kind, message: this.message }
  }
}

/** The connection failed: names the host that was tried. */
export function networkMessage(host: string): string {
  return `Could not reach ${host}. Check the internet connection; Credit Tray will retry.`
}

/** No answer within the deadline: names the host that was asked. */
export function timeoutMessage(host: string): string {
  return `${host} did not answer in time. Credit Tray will retry.`
}

export const MESSAGES = {
  auth:
    'OpenAI rejected the Admin key (401). It may have been revoked or mistyped: create a new Admin key at ' +
    ADMIN_KEYS_URL +
    ' and save it again.',
  permission:
    'This key is not allowed to read costs (403). Credit Tray needs an Admin key (it starts with sk-admin-), ' +
    'created by an organization owner at ' +
    ADMIN_KEYS_URL +
    '. Project keys (sk-proj-) and service-account keys can call models but cannot read costs or usage.',
  rate_limit: 'OpenAI is rate-limiting requests right now. Credit Tray will try again shortly.',
  network: networkMessage(DEFAULT_API_HOST),
  timeout: timeoutMessage(DEFAULT_API_HOST),
  server: 'OpenAI returned a server error. This is usually brief; Credit Tray will retry.',
  bad_response:
    'OpenAI sent an answer Credit Tray does not understand, so it was not used. The last good data is kept.',
  no_key:
    'No Admin key is set up yet. Create one at ' + ADMIN_KEYS_URL + ' and add it in Credit Tray.',
  keychain: 'The system keychain did not answer, so the Admin key could not be read or stored.',
  storage: 'Credit Tray could not save its data in its folder; nothing was changed.'
} as const

/** What an OS error code means for the data folder, in words. */
const STORAGE_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the folder is on a read-only file system',
  EACCES: 'permission denied (the folder is read-only for this user)',
  EPERM: 'permission denied (the folder is read-only for this user)',
  ENOTDIR: 'a file stands where the data folder should be',
  EEXIST: 'a file stands where the data folder should be',
  EISDIR: 'a folder stands where a data file should be',
  EIO: 'the disk reported an input/output error',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open'
}

/** "could not write the output: the disk is full (ENOSPC)." and the like, for stdout failures. */
export function describeIoFailure(err: { code?: string } | null | undefined, what: string): string {
  const code = err?.code
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED')
    return `${what} was closed before everything was written (${code}).`
  const reason = (code && STORAGE_REASONS[code]) ?? 'the write failed'
  return `could not write ${what}: ${reason}${code ? ` (${code})` : ''}.`
}

/**
 * A local storage failure (disk full, read-only folder, a file where the folder should be, the
 * lock held too long) as an error of kind `storage`: one line a person can act on, naming the
 * file, and saying that nothing was changed (writes are atomic: the old file is intact).
 */
export function storageError(
  err: unknown,
  file: string,
  action: 'save' | 'lock' | 'read',
  extra: { timeoutMs?: number } = {}
): CreditTrayError {
  if (err instanceof CreditTrayError) return err
  const code =
    typeof err === 'object' && err !== null && 'code' in err
      ? String((err as { code: unknown }).code)
      : undefined
  const name = path.basename(file)
  const dir = path.dirname(file)
  let message: string
  if (code === 'ELOCKED') {
    const seconds = Number(((extra.timeoutMs ?? 10_000) / 1000).toFixed(1))
    message =
      `Another Credit Tray process kept ${name} locked for more than ${seconds} s, so nothing ` +
      `was changed. Try again; if this persists, check for a hung credit-tray process.`
  } else {
    const reason = (code && STORAGE_REASONS[code]) ?? `error ${code ?? 'unknown'}`
    const verb = action === 'read' ? 'read' : 'save'
    message = `Could not ${verb} ${name} in "${dir}": ${reason}. Nothing was changed.`
  }
  return new CreditTrayError('storage', message, { cause: err })
}

/** Remove anything that looks like an OpenAI key from text that may end up in a message or log. */
export function redactSecrets(text: string, ...secrets: (string | undefined | null)[]): string {
  let out = text
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join('[redacted]')
  return out.replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-…[redacted]')
}

/** Bad input from the user (amounts, thresholds, settings, pasted keys): nothing was changed. */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

/** The words for costs in two currencies: they are never added up. */
export function mixedCurrencies(a: string, b: string): string {
  return (
    `OpenAI reported costs in both ${a.toUpperCase()} and ${b.toUpperCase()}. Credit Tray ` +
    'never adds different currencies, so this answer was not used; the last good data is kept.'
  )
}

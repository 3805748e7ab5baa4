// Where secrets may be sent. The organization Admin key (and, for team mode, read tokens) goes
// only over https, or over plain http to this computer (a local test server or proxy), never in
// clear text across a network. OPENAI_BASE_URL is a common variable that other tools set too, so
// a host other than api.openai.com is allowed over https but always named to the user.
import { isIP } from 'node:net'
import { DEFAULT_API_HOST, InputError } from './errors'

export { DEFAULT_API_HOST }
export const DEFAULT_BASE_URL = `https://${DEFAULT_API_HOST}/v1`

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves this computer. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  // URL keeps IPv6 literals in brackets and in their shortest form: "[::1]" is the only
  // spelling it produces; "::1" is accepted for callers passing a bare address.
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true
  return isIP(host) === 4 && host.startsWith('127.')
}

/**
 * Parse `raw` as the address a secret will be sent to: https anywhere, http only to loopback,
 * nothing else (no other schemes, no user:password in the URL). `what` names the setting in the
 * message, e.g. "OPENAI_BASE_URL". Throws InputError with a message for a person.
 */
export function requireSecureUrl(raw: string, what: string): URL {
  let url: URL
  try {
    // The URL parser drops leading and trailing spaces itself.
    url = new URL(raw)
  } catch {
    throw new InputError(`${what} is not a valid URL. It must be an https:// address.`)
  }
  if (url.username || url.password) {
    throw new InputError(`${what} must not contain a user name or password.`)
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url
  if (url.protocol === 'http:') {
    throw new InputError(
      `${what} points to ${url.host} over plain http. https is required (plain http is allowed ` +
        `only to this computer: localhost, 127.0.0.1, ::1), so the key is never sent unencrypted.`
    )
  }
  throw new InputError(`${what} must be an https:// address (got ${url.protocol}).`)
}

/** The API the engine talks to, after the https-or-loopback check. */
export interface ApiEndpoint {
  baseURL: string
  /** host[:port], as named in messages. */
  host: string
  /** Not api.openai.com: the user is told where the key goes. */
  custom: boolean
}

/** OPENAI_BASE_URL (or the default when unset or blank); throws InputError when refused. */
export function apiEndpoint(baseURL: string | undefined): ApiEndpoint {
  if (baseURL === undefined || baseURL.trim() === '') {
    return { baseURL: DEFAULT_BASE_URL, host: DEFAULT_API_HOST, custom: false }
  }
  const url = requireSecureUrl(baseURL, 'OPENAI_BASE_URL')
  return {
    baseURL: url.href,
    host: url.host,
    // Plain http only ever reaches loopback here, so the host alone decides.
    custom: url.host !== DEFAULT_API_HOST
  }
}

/** The notice for a custom API host (status notices and the key settings). */
export function customHostNotice(endpoint: ApiEndpoint): string | null {
  if (!endpoint.custom) return null
  return `The Admin key is sent to ${endpoint.host} (OPENAI_BASE_URL), not to ${DEFAULT_API_HOST}.`
}

// Where a secret (a read token, an Admin key) may be sent: over https, or to this machine
// (loopback), where nobody on the network can read it. The rule itself lives in one place,
// `api-endpoint.ts#requireSecureUrl` (OPENAI_BASE_URL uses it too); this is its yes/no form for
// callers that word their own refusal (the team-server address, the read server's Host check).
import { isLoopbackHost, requireSecureUrl } from './api-endpoint'

export { isLoopbackHost }

/** An http(s) URL that is https, or http to loopback. Anything else (or garbage) is false. */
export function isHttpsOrLoopback(raw: string): boolean {
  try {
    requireSecureUrl(raw, 'The address')
    return true
  } catch {
    return false
  }
}

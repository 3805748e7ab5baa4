// Team mode, as the window sees it: the tray reads from a team server (`credit-tray serve`)
// instead of holding an Admin key. The read token itself never reaches the renderer.
import type { StatusError } from './status'

export interface TeamServerInfo {
  /** e.g. "https://credit.example.com" */
  url: string
  /** The server's account this tray account shows; null = the server's active account. */
  account: string | null
  /** The read token is in the keychain. */
  tokenPresent: boolean
}

export interface TeamServerInput {
  url: string
  token: string
  account: string | null
}

export type TeamCheckResult = { ok: true; info: TeamServerInfo } | { ok: false; error: StatusError }

/** What the window says instead of the balance and top-up forms in team mode. */
export const TEAM_MODE_NOTE =
  'Balances and top-ups are recorded on the team server, with credit-tray balance set and credit-tray topup there.'

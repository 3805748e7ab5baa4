// What the window knows about the accounts (OpenAI organizations) the app watches.
import type { ErrorKind, Level } from './status'

export interface AccountSummary {
  name: string
  /** Optional project filter: only these projects' costs count. Empty = the whole organization. */
  projectIds: string[]
  level: Level
  balance: number | null
  currency: string
  errorKind: ErrorKind | null
  stale: boolean
}

export interface AccountsState {
  /** The account the window shows. */
  active: string
  accounts: AccountSummary[]
}

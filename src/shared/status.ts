// The status snapshot: what the engine computes and everybody else shows.
// It is the `credit-tray status --json` object and the payload the tray window renders.
// Pure types and tiny helpers only: this file runs in main, preload, renderer and the CLI.

/** How worried the user should be. `unknown` = no balance recorded (spend-only tracking). */
export type Level = 'ok' | 'low' | 'critical' | 'unknown'

/**
 * Why the last refresh failed, in categories a person can act on.
 * `no_key` (no Admin key configured) and `keychain` (the OS keychain did not answer) are
 * local conditions; the others come from talking to the API.
 */
export type ErrorKind =
  | 'auth'
  | 'permission'
  | 'rate_limit'
  | 'network'
  | 'server'
  | 'bad_response'
  | 'no_key'
  | 'keychain'

export const ERROR_KINDS: readonly ErrorKind[] = [
  'auth',
  'permission',
  'rate_limit',
  'network',
  'server',
  'bad_response',
  'no_key',
  'keychain'
]

export interface StatusError {
  kind: ErrorKind
  /** Written for a person; never contains the key. */
  message: string
}

/** One UTC day of spend. `date` is "YYYY-MM-DD". */
export interface DailyPoint {
  date: string
  cost: number
}

export interface Thresholds {
  /** `low` when balance <= this many dollars. */
  lowBalance: number
  /** `low` when days left <= this. */
  lowDays: number
  /** `critical` when balance <= this many dollars. */
  criticalBalance: number
  /** `critical` when days left <= this. */
  criticalDays: number
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  lowBalance: 10,
  lowDays: 7,
  criticalBalance: 5,
  criticalDays: 2
}

export interface NamedCost {
  /** Line item name ("gpt-4o-mini, input") or project id ("proj_abc"); "(other)" when null. */
  name: string
  cost: number
}

export interface ModelUsage {
  model: string
  inputTokens: number
  outputTokens: number
  requests: number
}

export interface Status {
  /** Lowercase ISO 4217, as the API sends it ("usd"). */
  currency: string
  /** Estimated balance; null when no balance was ever recorded. Rounded to cents. */
  balance: number | null
  /** When the balance the estimate starts from was recorded (ISO), or null. */
  balanceRecordedAt: string | null
  spend: { today: number; last7Days: number; monthToDate: number }
  /** 30 zero-filled UTC days, oldest first; the last one is today (partial). */
  daily: DailyPoint[]
  /** Mean daily cost of the last 7 complete UTC days (fewer when less history exists). */
  burnRatePerDay: number
  /** balance / burn rate; null without balance or when the burn rate is zero. */
  daysLeft: number | null
  /** "YYYY-MM-DD" (UTC) or null. */
  runOutDate: string | null
  level: Level
  thresholds: Thresholds
  /** Last successful refresh (ISO), or null when no data was ever fetched. */
  lastUpdated: string | null
  /** True when the last success is older than 3 poll intervals (or there never was one). */
  stale: boolean
  error: StatusError | null
  /** Biggest line items / projects over the 30 days shown, by cost, descending (at most 5). */
  topLineItems: NamedCost[]
  topProjects: NamedCost[]
  /** Completions usage over the last 7 days by model, by total tokens descending (at most 5). */
  topModels: ModelUsage[]
  /**
   * Things the user should know that are not refresh errors, written for a person: e.g. a data
   * file that could not be read and was kept aside. Empty when all is well.
   */
  notices: string[]
}

/** Round a money value to cents for display and JSON (half away from zero). */
export function roundCents(value: number): number {
  return (Math.sign(value) * Math.round(Math.abs(value) * 100 + Number.EPSILON)) / 100
}

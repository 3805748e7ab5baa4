// The status snapshot: what the engine computes and everybody else shows.
// It is the `credit-tray status --json` object and the payload the tray window renders.
// Pure types and tiny helpers only: this file runs in main, preload, renderer and the CLI.

/** How worried the user should be. `unknown` = no balance recorded (spend-only tracking). */
export type Level = 'ok' | 'low' | 'critical' | 'unknown'

/**
 * Why the last refresh failed, in categories a person can act on.
 * `no_key` (no Admin key configured), `keychain` (the OS keychain did not answer), `storage`
 * (the data folder cannot be written: disk full, read-only, not a folder, another process holding
 * the lock too long) and `insecure_url` (OPENAI_BASE_URL would send the key over plain http to
 * another computer, so nothing is sent) are local conditions; the others come from talking to
 * the API.
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
  | 'storage'
  | 'insecure_url'

export const ERROR_KINDS: readonly ErrorKind[] = [
  'auth',
  'permission',
  'rate_limit',
  'network',
  'server',
  'bad_response',
  'no_key',
  'keychain',
  'storage',
  'insecure_url'
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
  /**
   * False when the costs of some days since the recorded balance are unknown (never fetched:
   * offline, a cache that was reset): the balance then leaves their spend out and `notices`
   * names the missing days. True otherwise (also without a balance).
   */
  balanceComplete: boolean
  spend: { today: number; last7Days: number; monthToDate: number }
  /** 30 zero-filled UTC days, oldest first; the last one is today (partial). */
  daily: DailyPoint[]
  /**
   * Mean daily cost of the last 7 complete UTC days. When the history is shorter (a new
   * organization), the mean of the complete days since the first day with spend.
   */
  burnRatePerDay: number
  /** How many complete days the burn rate averages (0–7). */
  burnRateDays: number
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
  /**
   * `assumed-reloads` when the balance includes auto-recharge reloads Credit Tray assumed since
   * the recorded balance (nobody confirmed them yet); `recorded` otherwise (also without a balance).
   */
  balanceBasis: BalanceBasis
  /** The auto-recharge model; null when auto-recharge is off or no balance was recorded. */
  autoRecharge: AutoRechargeStatus | null
  /** Month-to-date spend against the monthly budget; null when no budget is set. */
  budget: BudgetStatus | null
  /** OpenAI's own hard spend limits and email spend alerts (read from the Admin API). */
  limits: LimitsStatus
  /** Recorded top-ups with credit left under the oldest-first model, soonest expiry first. */
  expiringCredit: ExpiringCredit[]
}

/**
 * OpenAI's enforcement state exactly as sent: documented values are `enforcing` and `inactive`;
 * anything else is passed through unchanged rather than guessed at.
 */
export type LimitEnforcement = string

/** One hard spend limit (organization or project), in dollars, against this UTC month's costs. */
export interface SpendLimitStatus {
  amount: number
  currency: string
  enforcement: LimitEnforcement
  /** monthToDate >= amount; null when the month's spend for this scope is not known. */
  reached: boolean | null
  /** Costs of this scope from the 1st of this UTC month through today; null when not known. */
  monthToDate: number | null
  /** monthToDate + the scope's burn rate × the rest of the month; null when not known. */
  projectedMonthEnd: number | null
  /** UTC day this month the projection crosses the amount; null when it does not (or already did). */
  reachOn: string | null
}

export interface ProjectLimitStatus extends SpendLimitStatus {
  projectId: string
}

/** One email spend alert: `scope` is "organization" or the project id. */
export interface SpendAlertInfo {
  scope: string
  amount: number
  recipients: number
}

export interface LimitsStatus {
  /** null: no organization limit (404, or an amount of 0), or not read yet. */
  organization: SpendLimitStatus | null
  projects: ProjectLimitStatus[]
  alerts: SpendAlertInfo[]
  /** When the limits were last read successfully (ISO); null when never. */
  checkedAt: string | null
  /** `permission`: the key may not read them (see `hint`); null otherwise. */
  unavailable: null | 'permission'
  /** Words for a person when the limits could not be read; null otherwise. */
  hint: string | null
}

export interface ExpiringCredit {
  /** UTC day of the recorded top-up. */
  purchasedOn: string
  /** One year later (OpenAI's prepaid credit expiry). */
  expiresOn: string
  /** What is left of it now, oldest credit used first. */
  remaining: number
}

export const NO_LIMITS: LimitsStatus = {
  organization: null,
  projects: [],
  alerts: [],
  checkedAt: null,
  unavailable: null,
  hint: null
}

export type BalanceBasis = 'recorded' | 'assumed-reloads'

export interface AutoRechargeStatus {
  /** Reloads assumed since the recorded balance, and what they added. */
  reloadsAssumed: number
  assumedTotal: number
  /** Assumed reloads in the current UTC month (only those after the recorded balance are known). */
  monthReloaded: number
  /** The user's monthly reload limit; null = no limit. */
  monthlyLimit: number | null
  /** What the limit still allows this month (limit − monthReloaded); null = no limit. */
  headroom: number | null
  /** First UTC day (past or projected at the burn rate) a reload is refused by the limit, or null. */
  limitReachedOn: string | null
}

export interface BudgetStatus {
  /** The monthly budget in dollars. */
  amount: number
  /** Spend from the 1st of this UTC month through today. */
  spent: number
  /** spent / amount (1 = the budget is used up; can exceed 1). */
  fraction: number
  /** spent + burn rate × the rest of the month: where the month ends at this pace. */
  projectedMonthEnd: number
}

/** Round a money value to cents for display and JSON (half away from zero). */
export function roundCents(value: number): number {
  return (Math.sign(value) * Math.round(Math.abs(value) * 100 + Number.EPSILON)) / 100
}

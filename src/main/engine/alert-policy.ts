// When to raise a desktop notification. A pure state machine: the state is persisted (alerts.json
// through store.ts), so a restart never repeats an alert the user has already seen.
//
// One notification per episode:
// - credit: entering `low` alerts; entering `critical` alerts (also straight after a low alert);
//   going from critical back to low does not.
//   The episode ends, re-arming the alerts, only on recovery: level `ok` AND either
//     (a) hysteresis: balance > lowBalance × 1.2 and days left > lowDays + 1 (or nothing is being
//         spent), so an estimate wobbling around the threshold does not alert again and again, or
//     (b) a top-up recorded after the episode started: the user acted, a later dip is news.
//   A top-up that leaves the level low or critical restarts the episode at that level without an
//   alert (the user just acted), so getting worse afterwards alerts again.
//   Level `unknown` (no balance recorded) neither alerts nor ends an episode; without a balance
//   the level may come from the monthly budget, which has its own alerts (below), so credit
//   episodes only ever follow a balance.
//   With auto-recharge on, the level reflects the modelled balance plus the monthly reload
//   headroom (levels.ts), so the alerts speak of the monthly reload limit and of spend instead of
//   an empty balance; recovery compares that money (balance + headroom) with the thresholds.
// - budget: with a monthly budget set, month-to-date spend reaching 80% alerts once and reaching
//   100% alerts once (only the 100% one when both are crossed at once), per UTC calendar month.
//   The month is persisted, so a restart does not repeat them and the 1st of a month re-arms.
// - spend limit (OpenAI's hard limits, spend-limits.ts): per limit (organization or project) and
//   per UTC month, one notification for each stage it reaches — projected to be reached this
//   month, projected within 2 days (enforcing limits only), reached — never a second one for
//   the same or a milder stage. Only an `enforcing` limit is ever said to reject requests.
// - credit expiry: one notification per purchase at 30 and one at 7 days before it expires,
//   when credit of it would still be left then at the current burn rate.
// - key rejected: an auth or permission error alerts once; the episode ends on a successful
//   refresh (no error) or when the key was removed (`no_key`), so a new bad key alerts again.
//   Other errors (network...) say nothing about the key and leave the episode as it is.
// - stale: data not refreshed for more than 6 hours alerts once; it ends when data is fresh
//   again. Not raised while the key is rejected or missing: that alert, or the setup screen,
//   already says why nothing updates.
import { z } from 'zod'
import {
  roundCents,
  type AutoRechargeStatus,
  type BudgetStatus,
  type ErrorKind,
  type Level,
  type LimitsStatus,
  type SpendLimitStatus,
  type Thresholds
} from '../../shared/status'
import { expiryNotice, type ExpiryWarning } from './credit-expiry'
import { addDays, daysBetween } from './dates'
import { BUDGET_LOW_FRACTION } from './levels'
import { limitLevel } from '../../shared/limit-level'
import type { Alert } from './engine-api'
import { DEFAULT_API_HOST } from './errors'

export type { Alert, AlertKind } from './engine-api'

export const ALERT_STATE_VERSION = 1
/** Data older than this is worth a notification. */
export const STALE_ALERT_MS = 6 * 3_600_000
/** Hysteresis for ending a credit episode without a top-up. */
export const REARM_BALANCE_FACTOR = 1.2
export const REARM_EXTRA_DAYS = 1

const since = z.iso.datetime()
export const alertStateSchema = z.object({
  /** The credit episode in progress: the worst level alerted and when it (re)started. */
  credit: z.object({ level: z.enum(['low', 'critical']), since }).nullable(),
  keyRejected: z.object({ since }).nullable(),
  stale: z.object({ since }).nullable(),
  /** Budget alerts already raised this UTC month ("YYYY-MM"). Absent in older files. */
  budget: z
    .object({ month: z.string().regex(/^\d{4}-\d{2}$/), notified: z.enum(['near', 'over']) })
    .nullable()
    .default(null),
  /** Spend-limit stages already notified this UTC month, by scope. Absent in older files. */
  limits: z
    .object({
      month: z.string().regex(/^\d{4}-\d{2}$/),
      scopes: z.record(z.string(), z.enum(['projected', 'soon', 'reached']))
    })
    .nullable()
    .default(null),
  /** Expiry notifications shown: "<purchase day>:<30|7>". Absent in older files. */
  expiry: z.array(z.string()).default([])
})
export type AlertState = z.infer<typeof alertStateSchema>

export const INITIAL_ALERT_STATE: AlertState = {
  credit: null,
  keyRejected: null,
  stale: null,
  budget: null,
  limits: null,
  expiry: []
}

export interface AlertInput {
  level: Level
  balance: number | null
  daysLeft: number | null
  /** For the message ("about 3 days at $2.70/day"); optional. */
  burnRatePerDay?: number
  /** Lowercase ISO 4217; "usd" (the default) is written with "$". */
  currency?: string
  thresholds: Thresholds
  /** Kind of the last refresh error, or null when it succeeded. */
  errorKind: ErrorKind | null
  stale: boolean
  /** Time since the last successful refresh; null/absent when there never was one. */
  staleForMs?: number | null
  /** Newest top-up in the ledger (ISO), or null. */
  lastTopUpAt: string | null
  now: Date
  /** The auto-recharge model (Status.autoRecharge); null/absent when auto-recharge is off. */
  autoRecharge?: AutoRechargeStatus | null
  /** "YYYY-MM-DD" the credit runs out at the burn rate, for the message; optional. */
  runOutDate?: string | null
  /** Month-to-date spend against the monthly budget (Status.budget); null/absent without one. */
  budget?: BudgetStatus | null
  /** The API host polled (OPENAI_BASE_URL may point elsewhere), named in the stale alert. */
  apiHost?: string
  /**
   * Why the data is not updating, in words, when it is not OpenAI's doing (team mode: the team
   * server); replaces the reason derived from `errorKind` in the stale alert.
   */
  staleReason?: string
  /** OpenAI's hard spend limits against this month's spend (Status.limits); absent = none. */
  limits?: LimitsStatus | null
  /** Purchases expiring within 30 / 7 days with credit left then (credit-expiry.ts). */
  expiry?: ExpiryWarning[]
}

export function evaluateAlerts(
  state: AlertState,
  input: AlertInput
): { state: AlertState; alerts: Alert[] } {
  const alerts: Alert[] = []
  const nowIso = input.now.toISOString()
  const keyProblem =
    input.errorKind === 'auth' || input.errorKind === 'permission' ? input.errorKind : null

  // Key rejected.
  let keyRejected = state.keyRejected
  if (keyProblem) {
    if (!keyRejected) {
      keyRejected = { since: nowIso }
      alerts.push(keyRejectedAlert(keyProblem))
    }
  } else if (input.errorKind === null || input.errorKind === 'no_key') {
    keyRejected = null
  }

  // Credit low / critical.
  let credit = state.credit
  const level: Level = input.balance === null ? 'unknown' : input.level
  const toppedUpSince = (start: string): boolean =>
    input.lastTopUpAt !== null && Date.parse(input.lastTopUpAt) > Date.parse(start)
  if (level === 'low' || level === 'critical') {
    if (credit && toppedUpSince(credit.since) && input.lastTopUpAt) {
      credit = { level, since: input.lastTopUpAt }
    } else if (!credit) {
      credit = { level, since: nowIso }
      alerts.push(creditAlert(level, input))
    } else if (level === 'critical' && credit.level === 'low') {
      credit = { level, since: credit.since }
      alerts.push(creditAlert(level, input))
    }
  } else if (level === 'ok' && credit) {
    if (recovered(input) || toppedUpSince(credit.since)) credit = null
  }

  // Stale data.
  let stale = state.stale
  if (!input.stale) {
    stale = null
  } else if (
    !stale &&
    !keyProblem &&
    input.errorKind !== 'no_key' &&
    typeof input.staleForMs === 'number' &&
    input.staleForMs > STALE_ALERT_MS
  ) {
    stale = { since: nowIso }
    alerts.push(
      staleAlert(
        input.staleForMs,
        input.staleReason ?? staleReason(input.errorKind, input.apiHost ?? DEFAULT_API_HOST)
      )
    )
  }

  // Budget.
  const month = input.now.toISOString().slice(0, 7)
  let budget = state.budget?.month === month ? state.budget : null
  if (input.budget) {
    const f = input.budget.fraction
    if (f >= 1 && budget?.notified !== 'over') {
      budget = { month, notified: 'over' }
      alerts.push(budgetAlert('over', input.budget, input.currency))
    } else if (f >= BUDGET_LOW_FRACTION && f < 1 && budget === null) {
      budget = { month, notified: 'near' }
      alerts.push(budgetAlert('near', input.budget, input.currency))
    }
  }

  // Spend limits.
  const limitScopes: Record<string, LimitStage> = {
    ...(state.limits?.month === month ? state.limits.scopes : {})
  }
  const today = nowIso.slice(0, 10)
  const scoped: [string, SpendLimitStatus][] = [
    ...(input.limits?.organization
      ? [['organization', input.limits.organization] as [string, SpendLimitStatus]]
      : []),
    ...(input.limits?.projects ?? []).map((p) => [p.projectId, p] as [string, SpendLimitStatus])
  ]
  for (const [scope, limit] of scoped) {
    const stage = limitStage(limit, today)
    const before = limitScopes[scope]
    if (stage && (!before || STAGE_RANK[stage] > STAGE_RANK[before])) {
      limitScopes[scope] = stage
      alerts.push(limitAlert(scope, stage, limit))
    }
  }
  const limits = Object.keys(limitScopes).length > 0 ? { month, scopes: limitScopes } : null

  // Credit expiry. Keys of purchases more than a year and a bit old are dropped.
  const expiry = state.expiry.filter((k) => k.slice(0, 10) >= addDays(today, -400))
  for (const w of input.expiry ?? []) {
    const key = `${w.credit.purchasedOn}:${w.stage}`
    if (expiry.includes(key)) continue
    expiry.push(key)
    alerts.push({
      kind: 'expiry',
      title: `OpenAI credit expires in ${daysBetween(today, w.credit.expiresOn)} days`,
      body: expiryNotice(w) + ' Use it or plan smaller top-ups.'
    })
  }

  return { state: { credit, keyRejected, stale, budget, limits, expiry }, alerts }
}

type LimitStage = 'projected' | 'soon' | 'reached'
const STAGE_RANK: Record<LimitStage, number> = { projected: 1, soon: 2, reached: 3 }

/** The notification stage, from the one level rule (limitLevel). */
function limitStage(limit: SpendLimitStatus, today: string): LimitStage | null {
  const level = limitLevel(limit, today)
  if (level === null || level === 'ok') return null
  if (limit.reached) return 'reached'
  return level === 'critical' ? 'soon' : 'projected'
}

function limitAlert(scope: string, stage: LimitStage, l: SpendLimitStatus): Alert {
  const what = scope === 'organization' ? 'the spend limit' : `the spend limit of project ${scope}`
  const amount = money(l.amount)
  const spent = money(l.monthToDate ?? 0)
  const enforcing = l.enforcement === 'enforcing'
  if (stage === 'reached') {
    return enforcing
      ? {
          kind: 'limit',
          title: 'OpenAI spend limit reached',
          body:
            `OpenAI is likely rejecting API requests: this month's spend ≈ ${spent} has reached ` +
            `${what} of ${amount}. Open the limits page to raise it, or wait for the 1st (UTC).`
        }
      : {
          kind: 'limit',
          title: 'Monthly spend limit passed',
          body:
            `This month's spend ≈ ${spent} has passed ${what} of ${amount}. OpenAI reports the ` +
            `limit as ${l.enforcement}, not enforcing: requests are not rejected for it.`
        }
  }
  const then = enforcing
    ? ' OpenAI then rejects API requests until the limit is raised or the month ends.'
    : ` OpenAI reports the limit as ${l.enforcement}, not enforcing.`
  return {
    kind: 'limit',
    title: `Spend limit likely reached around ${shortDay(l.reachOn ?? '')}`,
    body: `At this pace this month's spend (≈ ${spent} so far) reaches ${what} of ${amount} around ${shortDay(l.reachOn ?? '')}.${then}`
  }
}

/** Far enough above the low thresholds that a small wobble does not count as a new dip. */
function recovered({ balance, daysLeft, thresholds: t, autoRecharge }: AlertInput): boolean {
  // With auto-recharge, the money available is the balance plus what the limit still reloads.
  const headroom = autoRecharge ? (autoRecharge.headroom ?? Number.POSITIVE_INFINITY) : 0
  return (
    balance !== null &&
    balance + headroom > t.lowBalance * REARM_BALANCE_FACTOR &&
    (daysLeft === null || daysLeft > t.lowDays + REARM_EXTRA_DAYS)
  )
}

function money(value: number, currency = 'usd'): string {
  const abs = Math.abs(roundCents(value)).toFixed(2)
  const sign = roundCents(value) < 0 ? '-' : ''
  return currency.toLowerCase() === 'usd'
    ? `${sign}$${abs}`
    : `${sign}${abs} ${currency.toUpperCase()}`
}

function creditAlert(level: 'low' | 'critical', input: AlertInput): Alert {
  const { balance, daysLeft, burnRatePerDay, currency } = input
  if (balance !== null && balance <= 0) {
    return {
      kind: level,
      title: 'OpenAI credit has probably run out',
      body:
        `Estimated balance: ${money(balance, currency)}. API requests fail once the credit is ` +
        'used up. Add credit on the billing page.'
    }
  }
  const recharge = input.autoRecharge
  if (recharge && recharge.monthlyLimit !== null)
    return reloadLimitAlert(level, { ...recharge, monthlyLimit: recharge.monthlyLimit }, input)
  const left = balance === null ? 'Credit is running out' : `≈ ${money(balance, currency)} left`
  let runway = ''
  if (daysLeft !== null) {
    const days = Math.floor(daysLeft)
    runway = days < 1 ? ', less than a day' : `, about ${days} day${days === 1 ? '' : 's'}`
    if (burnRatePerDay !== undefined && burnRatePerDay > 0) {
      runway += ` at ${money(burnRatePerDay, currency)}/day`
    }
  }
  return {
    kind: level,
    title: level === 'critical' ? 'OpenAI credit is critically low' : 'OpenAI credit is low',
    body: `${left}${runway}. Top up to keep API requests working.`
  }
}

/**
 * With auto-recharge the balance refills itself; what runs out is the monthly reload limit, and
 * then the credit. E.g. "Auto-recharge limit nearly used: $80.00 of $100.00 reloaded this month;
 * at $12.00/day credit runs out around Dec 3."
 */
function reloadLimitAlert(
  level: 'low' | 'critical',
  r: AutoRechargeStatus & { monthlyLimit: number },
  input: AlertInput
): Alert {
  const { currency, burnRatePerDay, runOutDate, balance } = input
  const reloaded = `${money(r.monthReloaded, currency)} of ${money(r.monthlyLimit, currency)} reloaded this month`
  let runway = ''
  if (runOutDate && burnRatePerDay !== undefined && burnRatePerDay > 0) {
    runway = `; at ${money(burnRatePerDay, currency)}/day credit runs out around ${shortDay(runOutDate)}`
  } else if (runOutDate) {
    runway = `; credit runs out around ${shortDay(runOutDate)}`
  }
  const left = balance === null ? '' : ` About ${money(balance, currency)} of credit is left.`
  const used = (r.headroom ?? 0) <= 0
  return {
    kind: level,
    title: used
      ? 'Auto-recharge monthly limit reached'
      : level === 'critical'
        ? 'Auto-recharge limit almost used up'
        : 'Auto-recharge limit nearly used',
    body:
      `${reloaded}${runway}.${left} Raise the monthly limit or add credit on the billing page ` +
      'to keep API requests working.'
  }
}

/** "Dec 3" for a UTC day. */
function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return day
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC'
  }).format(date)
}

/** Whole percent, rounded down, without float dust (0.29 × 100 = 28.999…). */
function percentOf(b: BudgetStatus): number {
  return Math.floor(b.fraction * 100 + 1e-9)
}

function budgetAlert(stage: 'near' | 'over', b: BudgetStatus, currency?: string): Alert {
  const spent = `${money(b.spent, currency)} of the ${money(b.amount, currency)} monthly budget`
  const pace = `At this pace the month ends around ${money(b.projectedMonthEnd, currency)}.`
  return stage === 'over'
    ? {
        kind: 'budget',
        title: 'Monthly OpenAI budget used up',
        body: `${spent} spent this month (${percentOf(b)}%). ${pace}`
      }
    : {
        kind: 'budget',
        title: 'Monthly OpenAI budget 80% used',
        body: `${spent} spent this month (${percentOf(b)}%). ${pace}`
      }
}

function keyRejectedAlert(kind: 'auth' | 'permission'): Alert {
  return kind === 'auth'
    ? {
        kind: 'key_rejected',
        title: 'OpenAI rejected the Admin key',
        body:
          'Credit Tray cannot update spend or the balance estimate. The key may have been ' +
          'revoked: create a new Admin key and save it in Credit Tray.'
      }
    : {
        kind: 'key_rejected',
        title: 'This key cannot read costs',
        body:
          'Credit Tray needs an Admin key (sk-admin-…) from an organization owner to read ' +
          'costs. Add one in Credit Tray.'
      }
}

const STALE_REASONS: Partial<Record<ErrorKind, string>> = {
  rate_limit: 'OpenAI is rate-limiting requests',
  server: 'OpenAI answered with server errors',
  bad_response: 'OpenAI sent answers Credit Tray does not understand',
  keychain: 'the system keychain did not answer',
  storage: 'its data folder could not be written'
}

function staleReason(errorKind: ErrorKind | null, apiHost: string): string | undefined {
  if (errorKind === 'network') return `${apiHost} could not be reached`
  return errorKind ? STALE_REASONS[errorKind] : undefined
}

function staleAlert(staleForMs: number, reason: string | undefined): Alert {
  const hours = Math.floor(staleForMs / 3_600_000)
  return {
    kind: 'stale',
    title: `Credit Tray has not updated for ${hours} hours`,
    body:
      'The spend and balance shown may be out of date' +
      (reason ? ` (${reason})` : '') +
      '. Credit Tray keeps retrying.'
  }
}

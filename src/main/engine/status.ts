// Builds the Status snapshot from cached costs, the ledger and settings. Pure: the clock and the
// last refresh outcome come in as arguments. `npm run bench` times this (goal < 5 ms for a year).
import type { Settings } from '../../shared/settings'
import type { Level, Status, StatusError } from '../../shared/status'
import { costOn, firstDayWithSpend, missingRanges, type CostCache } from './cost-cache'
import { describeAge, formatMoney } from '../../shared/format'
import {
  creditLots,
  expiredCredit,
  expiredNotice,
  expiringCredit,
  expiryNotice,
  expiryWarnings,
  type ExpiryWarning
} from './credit-expiry'
import { addDays } from './dates'
import { autoRechargeActive, modelAutoRecharge } from './auto-recharge'
import { budgetStatus } from './budget'
import { estimateBalance, type BalanceEntry, type Ledger } from './ledger'
import { creditLevel } from './levels'
import { computeProjections, topCosts } from './projections'
import { isStale } from './scheduler'
import {
  EMPTY_LIMITS_SNAPSHOT,
  limitsStatus,
  worseLevel,
  type LimitsSnapshot
} from './spend-limits'

export const TOP_N = 5

export interface StatusInput {
  cache: CostCache
  ledger: Ledger
  settings: Settings
  now: Date
  /** The error of the last refresh, or null when it succeeded (or none ran yet). */
  error: StatusError | null
  /** Things to tell the user that are not refresh errors (e.g. a data file kept aside). */
  notices?: string[]
  /** The spend limits last read (spend-limits.ts); none when absent. */
  limits?: LimitsSnapshot
  /** The account's project filter: with one, the organization's own month is not known. */
  projectFilter?: readonly string[]
}

/** The line shown whenever the balance is below zero. */
export const OVERAGE_NOTICE =
  'The balance is below zero: spend passed the credit (auto-recharge off, or a reload that ' +
  'failed). OpenAI takes the difference from the next purchase.'

/** The status plus what the alert policy needs and the snapshot does not carry. */
export interface StatusParts {
  status: Status
  /** The level from the balance (or budget) alone, before the spend limits are folded in. */
  creditLevel: Level
  /** The level the spend limits imply on their own ('unknown' = none to judge). */
  limitsLevel: Level
  expiryWarnings: ExpiryWarning[]
}

export function buildStatus(input: StatusInput): Status {
  return buildStatusParts(input).status
}

export function buildStatusParts({
  cache,
  ledger,
  settings,
  now,
  error,
  notices = [],
  limits: snapshot = EMPTY_LIMITS_SNAPSHOT,
  projectFilter = []
}: StatusInput): StatusParts {
  const costs = (day: string): number => costOn(cache, day)
  const estimate = estimateBalance(ledger, costs, now)
  const p = computeProjections({
    costsByDay: costs,
    now,
    balance: estimate?.balance ?? null,
    historyStart: firstDayWithSpend(cache)
  })
  // Auto-recharge (auto-recharge.ts) replaces the plain estimate: balance with assumed reloads,
  // days left counting the reloads the monthly limit still allows.
  const recharge =
    estimate && autoRechargeActive(settings.autoRecharge)
      ? modelAutoRecharge({
          settings: settings.autoRecharge,
          anchor: estimate.anchor,
          topUps: estimate.topUps,
          costs,
          today: p.today,
          burnRatePerDay: p.burnRatePerDay
        })
      : null
  const balance = recharge ? recharge.balance : (estimate?.balance ?? null)
  const daysLeft = recharge ? recharge.daysLeft : p.daysLeft
  const budget = budgetStatus(settings.monthlyBudget, p.spend.monthToDate, p.burnRatePerDay, now)
  const credit = creditLevel({
    balance,
    daysLeft,
    thresholds: settings.thresholds,
    autoRecharge: recharge && { headroom: recharge.headroom },
    budget
  })
  const { limits, level: limitsLevel } = limitsStatus({
    snapshot,
    cache,
    now,
    orgSpend:
      projectFilter.length > 0
        ? null
        : { monthToDate: p.spend.monthToDate, burnRatePerDay: p.burnRatePerDay }
  })
  const level = worseLevel(credit, limitsLevel)
  const lots = estimate ? creditLots(ledger, estimate) : []
  const warnings = expiryWarnings(lots, p.burnRatePerDay, p.today)
  const allNotices = [
    ...notices,
    ...(balance !== null && balance < 0 ? [OVERAGE_NOTICE] : []),
    ...warnings.map(expiryNotice),
    // The limits' own problems are said beside them (Limits card, the CLI's limit line), not
    // here: they never concern the balance.
    ...expiredCredit(lots, p.today).map(expiredNotice)
  ]
  const from = p.daily[0]?.date ?? p.today
  const shown = []
  for (let d = from; d <= p.today; d = addDays(d, 1)) {
    const day = cache.days[d]
    if (day) shown.push(day)
  }
  const lastSuccessMs = cache.lastSuccessAt === null ? null : Date.parse(cache.lastSuccessAt)
  const currency = cache.currency ?? 'usd'
  const missing = estimate ? missingRanges(cache, estimate.anchor.day, p.today) : []
  const ownNotices = [
    ...(estimate ? baselineNotice(estimate.anchor, currency, now) : []),
    ...(missing.length > 0 ? [missingNotice(missing)] : [])
  ]
  const status: Status = {
    currency,
    balance,
    balanceRecordedAt: estimate?.anchor.at ?? null,
    balanceComplete: missing.length === 0,
    spend: p.spend,
    daily: p.daily,
    burnRatePerDay: p.burnRatePerDay,
    burnRateDays: p.burnRateDays,
    daysLeft,
    runOutDate: recharge ? recharge.runOutDate : p.runOutDate,
    level,
    thresholds: settings.thresholds,
    lastUpdated: cache.lastSuccessAt,
    stale: isStale(lastSuccessMs, now.getTime(), settings.pollIntervalMinutes * 60_000),
    error,
    topLineItems: topCosts(
      shown.map((d) => d.lineItems),
      TOP_N
    ),
    topProjects: topCosts(
      shown.map((d) => d.projects),
      TOP_N
    ),
    topModels: (cache.modelUsage?.models ?? []).slice(0, TOP_N),
    notices: [...allNotices, ...ownNotices],
    balanceBasis: recharge && recharge.reloadsAssumed > 0 ? 'assumed-reloads' : 'recorded',
    autoRecharge: recharge && {
      reloadsAssumed: recharge.reloadsAssumed,
      assumedTotal: recharge.assumedTotal,
      monthReloaded: recharge.monthReloaded,
      monthlyLimit: recharge.monthlyLimit,
      headroom: recharge.headroom,
      limitReachedOn: recharge.limitReachedOn
    },
    budget,
    limits,
    expiringCredit: expiringCredit(lots, p.today)
  }
  return { status, creditLevel: credit, limitsLevel, expiryWarnings: warnings }
}

/**
 * The latest balance took today's cost from the cache because the live read failed: spend that
 * OpenAI had already deducted may be counted again (or not at all). Said until a later balance
 * replaces this one.
 */
function baselineNotice(anchor: BalanceEntry, currency: string, now: Date): string[] {
  if (anchor.baselineSource !== 'cache') return []
  const figure = formatMoney(anchor.baselineDayCost, currency, 'en-US')
  const recorded = new Date(anchor.at)
  const age =
    anchor.baselineAsOf == null
      ? `no cached costs for that day, so ${formatMoney(0, currency, 'en-US')} was assumed`
      : `cached costs from ${describeAge(anchor.baselineAsOf, recorded)} (${figure})`
  const why = anchor.baselineProblem ? ` (${anchor.baselineProblem.replace(/[.\s]+$/, '')})` : ''
  return [
    `The balance recorded ${describeAge(anchor.at, now)} could not read today's costs live` +
      `${why}; it used ${age}. Spend the billing page had already counted may be counted again, ` +
      'so the estimate may be too low. Record the balance again when online to fix it.'
  ]
}

function missingNotice(missing: { from: string; to: string }[]): string {
  const days = missing.reduce(
    (n, r) => n + Math.round((Date.parse(r.to) - Date.parse(r.from)) / 86_400_000) + 1,
    0
  )
  const ranges = missing.map((r) => (r.from === r.to ? r.from : `${r.from} to ${r.to}`))
  const shown = ranges.length > 3 ? [...ranges.slice(0, 3), `${ranges.length - 3} more`] : ranges
  return (
    `The costs of ${days} day${days === 1 ? '' : 's'} since the recorded balance are not known ` +
    `yet (${shown.join(', ')}, UTC), so their spend is not subtracted: the balance is incomplete ` +
    'and probably too high. Credit Tray fetches them on the next successful refresh.'
  )
}

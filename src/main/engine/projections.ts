// Spend figures and projections from daily cost buckets. Pure: the clock and the costs are passed
// in. Every "day" is a UTC calendar day, like the Costs API buckets. Nothing is rounded here;
// money is rounded for display (roundCents in src/shared/status.ts).
import type { DailyPoint, NamedCost } from '../../shared/status'
import { addDays, daysBetween, monthStart, utcDay } from './dates'
import { costOf, type CostLookup } from './ledger'

/** Number of daily points in the sparkline (the last one is today). */
export const DAILY_POINTS = 30
/** How many complete days the burn rate averages at most. */
export const BURN_WINDOW_DAYS = 7
/** Run-out dates further away than this are not shown (null): they would mean nothing. */
export const MAX_RUN_OUT_DAYS = 36_500

export interface ProjectionInput {
  costsByDay: CostLookup
  now: Date
  /** Estimated balance, or null when none was ever recorded. */
  balance: number | null
  /**
   * The first UTC day whose costs are known (the start of the fetched history), or null when
   * nothing was fetched yet. Days before it are unknown rather than free, so the burn rate
   * averages only the complete days from here on.
   */
  historyStart: string | null
}

export interface Projections {
  /** Today's (partial) UTC day, "YYYY-MM-DD". */
  today: string
  spend: {
    /** Today's UTC day so far. */
    today: number
    /** The 7 UTC days ending today, inclusive (today and the 6 days before it). */
    last7Days: number
    /** From the 1st of today's UTC month through today. */
    monthToDate: number
  }
  /** 30 zero-filled UTC days, oldest first, ending today. */
  daily: DailyPoint[]
  /** Mean daily cost of the last (up to) 7 complete UTC days: yesterday and before. */
  burnRatePerDay: number
  /** How many complete days the burn rate averages (0..7). */
  burnRateDays: number
  /** balance / burn rate. 0 when the balance is <= 0; null without a balance or burn. */
  daysLeft: number | null
  /** today + floor(daysLeft), "YYYY-MM-DD" UTC; null when daysLeft is null or absurdly far. */
  runOutDate: string | null
}

export function computeProjections(input: ProjectionInput): Projections {
  const { costsByDay: costs, now, balance, historyStart } = input
  const today = utcDay(now.getTime())
  const sumDays = (from: string, to: string): number => {
    let sum = 0
    for (let day = from; day <= to; day = addDays(day, 1)) sum += costOf(costs, day)
    return sum
  }

  const daily: DailyPoint[] = []
  for (let i = DAILY_POINTS - 1; i >= 0; i--) {
    const date = addDays(today, -i)
    daily.push({ date, cost: costOf(costs, date) })
  }

  const { rate: burnRatePerDay, days: burnRateDays } = burnRate(costs, today, historyStart)
  const daysLeft = computeDaysLeft(balance, burnRatePerDay)

  return {
    today,
    spend: {
      today: costOf(costs, today),
      last7Days: sumDays(addDays(today, -6), today),
      monthToDate: sumDays(monthStart(today), today)
    },
    daily,
    burnRatePerDay,
    burnRateDays,
    daysLeft,
    runOutDate:
      daysLeft === null || daysLeft > MAX_RUN_OUT_DAYS ? null : addDays(today, Math.floor(daysLeft))
  }
}

/**
 * Today is partial, so it would drag the average down every morning: only complete days count,
 * newest first, at most 7, and none before the known history starts.
 */
function burnRate(
  costs: CostLookup,
  today: string,
  historyStart: string | null
): { rate: number; days: number } {
  if (historyStart === null) return { rate: 0, days: 0 }
  const yesterday = addDays(today, -1)
  const days = Math.min(BURN_WINDOW_DAYS, Math.max(0, daysBetween(historyStart, yesterday) + 1))
  if (days === 0) return { rate: 0, days: 0 }
  let sum = 0
  for (let i = 0; i < days; i++) sum += costOf(costs, addDays(yesterday, -i))
  return { rate: sum / days, days }
}

function computeDaysLeft(balance: number | null, burn: number): number | null {
  if (balance === null) return null
  // Out of credit is "0 days left" whatever the burn rate says.
  if (balance <= 0) return 0
  if (!(burn > 0)) return null
  const days = balance / burn
  return Number.isFinite(days) ? days : null
}

/**
 * The biggest names over the given breakdowns (e.g. each day's `lineItems` or `projects`),
 * summed, by cost descending (ties by name), at most `n`. Names whose total is not positive
 * (credits, refunds, nothing spent) are left out.
 */
export function topCosts(
  breakdowns: Iterable<Readonly<Record<string, number>>>,
  n: number
): NamedCost[] {
  const totals = new Map<string, number>()
  for (const breakdown of breakdowns) {
    for (const [name, cost] of Object.entries(breakdown)) {
      if (Number.isFinite(cost)) totals.set(name, (totals.get(name) ?? 0) + cost)
    }
  }
  return [...totals]
    .filter(([, cost]) => cost > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, Math.max(0, n))
    .map(([name, cost]) => ({ name, cost }))
}

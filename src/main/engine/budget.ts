// Spend against a monthly budget: for invoiced accounts (no balance to record) the budget is what
// the tray watches. Pure: the clock and the month-to-date spend are passed in.
import type { BudgetStatus } from '../../shared/status'

const DAY_MS = 86_400_000

/**
 * `projectedMonthEnd` = month-to-date + burn rate × the time left in the UTC month (the rest of
 * today included: today's cost so far is already in the month-to-date).
 */
export function budgetStatus(
  amount: number | null,
  monthToDate: number,
  burnRatePerDay: number,
  now: Date
): BudgetStatus | null {
  if (amount === null || !(amount > 0)) return null
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
  const daysRemaining = Math.max(0, (monthEnd - now.getTime()) / DAY_MS)
  const burn = Number.isFinite(burnRatePerDay) && burnRatePerDay > 0 ? burnRatePerDay : 0
  return {
    amount,
    spent: monthToDate,
    fraction: monthToDate / amount,
    projectedMonthEnd: monthToDate + burn * daysRemaining
  }
}

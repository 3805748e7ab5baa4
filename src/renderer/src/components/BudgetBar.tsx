// Month-to-date spend against the monthly budget: a bar plus the same facts in words, so nothing
// depends on colour (or on seeing the bar at all).
import type { ReactNode } from 'react'
import type { BudgetStatus } from '../../../shared/status'
import { formatMoney } from '../format'

export function budgetState(fraction: number): string | null {
  if (fraction >= 1) return 'Over budget'
  if (fraction >= 0.8) return 'Nearly used'
  return null
}

export function BudgetBar({
  budget,
  currency,
  locale
}: {
  budget: BudgetStatus
  currency: string
  locale: string
}): ReactNode {
  const money = (v: number): string => formatMoney(v, currency, locale)
  const percent = Math.floor(budget.fraction * 100 + 1e-9) // 0.29 × 100 = 28.999…
  const state = budgetState(budget.fraction)
  const level = budget.fraction >= 1 ? 'critical' : budget.fraction >= 0.8 ? 'low' : 'ok'
  return (
    <div className={`budget level-${level}`} data-testid="budget">
      <p className="budget-text">
        Budget this month:{' '}
        <strong>
          {money(budget.spent)} of {money(budget.amount)}
        </strong>{' '}
        ({percent}%){state ? <strong className="budget-state"> · {state}</strong> : null}
      </p>
      <progress
        className="budget-bar"
        max={100}
        value={Math.min(100, Math.max(0, budget.fraction * 100))}
        aria-label={`Budget used: ${percent}%`}
      >
        {percent}%
      </progress>
      <p className="muted budget-pace">
        At this pace ≈ {money(budget.projectedMonthEnd)} by the end of the month
      </p>
    </div>
  )
}

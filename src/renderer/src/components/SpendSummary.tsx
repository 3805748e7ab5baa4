import type { ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import { formatMoney } from '../format'

export function SpendSummary({ status, locale }: { status: Status; locale: string }): ReactNode {
  const money = (v: number): string => formatMoney(v, status.currency, locale)
  const items: Array<[string, number]> = [
    ['Today', status.spend.today],
    ['7 days', status.spend.last7Days],
    ['This month', status.spend.monthToDate]
  ]
  return (
    <dl className="spend-summary">
      {items.map(([label, value]) => (
        <div key={label} className="stat">
          <dt>{label}</dt>
          <dd>{money(value)}</dd>
        </div>
      ))}
    </dl>
  )
}

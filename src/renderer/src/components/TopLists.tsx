// Where the money goes: models by tokens (last 7 days) and projects or line items by cost.
import type { ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import { formatCompact, formatMoney } from '../format'

export function TopLists({ status, locale }: { status: Status; locale: string }): ReactNode {
  const byCost = status.topProjects.length > 0 ? status.topProjects : status.topLineItems
  const costTitle = status.topProjects.length > 0 ? 'Top projects' : 'Top line items'
  if (status.topModels.length === 0 && byCost.length === 0) return null
  return (
    <div className="top-lists">
      {status.topModels.length > 0 ? (
        <section className="top-list" aria-label="Top models, last 7 days">
          <h2 className="section-title">
            Top models <span className="muted">7 days</span>
          </h2>
          <ul>
            {status.topModels.map((m) => {
              const tokens = m.inputTokens + m.outputTokens
              return (
                <li key={m.model}>
                  <span className="item-name" title={m.model}>
                    {m.model}
                  </span>
                  <span className="item-value">
                    {formatCompact(tokens, locale)} tokens
                    <span className="muted"> · {formatCompact(m.requests, locale)} req</span>
                  </span>
                </li>
              )
            })}
          </ul>
        </section>
      ) : null}
      {byCost.length > 0 ? (
        <section className="top-list" aria-label={`${costTitle}, last 30 days`}>
          <h2 className="section-title">
            {costTitle} <span className="muted">30 days</span>
          </h2>
          <ul>
            {byCost.map((item) => (
              <li key={item.name}>
                <span className="item-name" title={item.name}>
                  {item.name}
                </span>
                <span className="item-value">
                  {formatMoney(item.cost, status.currency, locale)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

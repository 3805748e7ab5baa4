// After recording: what Credit Tray estimates now, so the user sees the top-up landed.
import type { ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import { useNow } from '../api'
import { formatDaysLeft, formatMoney, formatRelative } from '../format'
import { Notices } from '../components/Notices'

export function DoneCard({ status, locale }: { status: Status; locale: string }): ReactNode {
  const money = (v: number): string => formatMoney(v, status.currency, locale)
  const now = useNow(15_000)
  return (
    <section className="card done-card" aria-labelledby="done-title">
      <h2 id="done-title" className="step-title" tabIndex={-1}>
        Credit recorded
      </h2>
      {status.balance !== null ? (
        <>
          <p className="done-balance">
            <span className="approx">≈ </span>
            <span data-testid="new-balance">{money(status.balance)}</span>
          </p>
          <p>
            {status.daysLeft !== null ? (
              <>
                About <strong>{formatDaysLeft(status.daysLeft)}</strong> at{' '}
                {money(status.burnRatePerDay)}/day.
              </>
            ) : (
              <>No spend in the last 7 days, so no run-out date.</>
            )}
          </p>
          <p className="muted" data-testid="costs-age">
            {status.lastUpdated
              ? `From costs fetched ${formatRelative(status.lastUpdated, now, locale)}.`
              : 'No costs fetched yet: the tray refreshes them shortly.'}
          </p>
        </>
      ) : null}
      <Notices notices={status.notices} />
      <p className="muted">
        The tray shows the new estimate now. If the billing page shows a different balance later,
        record that balance from the tray window.
      </p>
    </section>
  )
}

// The headline: estimated balance, level, days left and run-out date; or, without a recorded
// balance, the spend-only explanation with a way to record one.
import { useId, useState, type ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import { useApi } from '../api'
import { formatDay, formatDaysLeft, formatMoney, formatShortDate } from '../format'
import { AmountForm } from './AmountForm'
import { LEVEL_LABELS, LevelBadge } from './LevelBadge'

export const ESTIMATE_EXPLANATION =
  'estimate: last balance you recorded, plus top-ups, minus costs since'

interface BalanceCardProps {
  status: Status
  locale: string
  onStatus: (status: Status) => void
}

/** One sentence for the live region, so a balance or level change is announced once. */
export function balanceAnnouncement(status: Status, locale: string): string {
  if (status.balance === null) return 'Tracking spend only. No balance recorded.'
  const parts = [
    `Estimated balance ${formatMoney(status.balance, status.currency, locale)}.`,
    `Level ${LEVEL_LABELS[status.level]}.`
  ]
  if (status.daysLeft !== null) parts.push(`About ${formatDaysLeft(status.daysLeft)} left.`)
  return parts.join(' ')
}

export function BalanceCard({ status, locale, onStatus }: BalanceCardProps): ReactNode {
  const api = useApi()
  const id = useId()
  const [recording, setRecording] = useState(false)
  const money = (v: number): string => formatMoney(v, status.currency, locale)

  const live = (
    <p className="sr-only" aria-live="polite" aria-atomic="true">
      {balanceAnnouncement(status, locale)}
    </p>
  )

  if (status.balance === null) {
    return (
      <section className="card balance-card spend-only" aria-labelledby={`${id}-title`}>
        <div className="balance-top">
          <h2 id={`${id}-title`} className="card-title">
            Balance
          </h2>
          <LevelBadge level={status.level} />
        </div>
        <p className="spend-only-text">
          Tracking spend only — record your balance to see days left
        </p>
        {recording ? (
          <AmountForm
            label="Current balance (from the billing page)"
            submitLabel="Save"
            allowZero
            autoFocus
            onSubmit={async (amount) => {
              onStatus(await api.recordBalance(amount))
              setRecording(false)
            }}
          />
        ) : (
          <div className="button-row">
            <button type="button" className="btn btn-primary" onClick={() => setRecording(true)}>
              Record balance
            </button>
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => void api.openExternal('billing')}
            >
              Where do I find it?
            </button>
          </div>
        )}
        {live}
      </section>
    )
  }

  return (
    <section className={`card balance-card level-${status.level}`} aria-labelledby={`${id}-title`}>
      <div className="balance-top">
        <h2 id={`${id}-title`} className="card-title">
          Estimated balance
        </h2>
        <LevelBadge level={status.level} />
      </div>
      <p className="balance" aria-describedby={`${id}-explain`} title={ESTIMATE_EXPLANATION}>
        <span className="approx" aria-hidden="true">
          ≈{' '}
        </span>
        <span className="balance-amount" data-testid="balance">
          {money(status.balance)}
        </span>
      </p>
      <p className="sr-only" id={`${id}-explain`}>
        {ESTIMATE_EXPLANATION}
      </p>
      <p className="runway">
        {status.daysLeft !== null ? (
          <>
            ≈ <strong>{formatDaysLeft(status.daysLeft)} left</strong> at{' '}
            {money(status.burnRatePerDay)}/day
          </>
        ) : (
          <>No spend in the last 7 days: no run-out date.</>
        )}
      </p>
      {status.runOutDate ? (
        <p className="runout muted">
          Runs out around{' '}
          <time dateTime={status.runOutDate}>{formatDay(status.runOutDate, locale, true)}</time>
        </p>
      ) : null}
      {status.balanceRecordedAt ? (
        <p className="recorded muted">
          From the balance you recorded {formatShortDate(status.balanceRecordedAt, locale)}
        </p>
      ) : null}
      {live}
    </section>
  )
}

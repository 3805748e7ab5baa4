// The headline: estimated balance, level, days left and run-out date; or, without a recorded
// balance, the spend-only explanation with a way to record one.
import { useId, useState, type ReactNode } from 'react'
import { burnRateRule } from '../../../shared/format'
import type { Status } from '../../../shared/status'
import type { TeamServerInfo } from '../../../shared/team'
import { useApi } from '../api'
import { formatDay, formatDaysLeft, formatMoney, formatShortDate } from '../format'
import { BalanceForm } from './AmountForm'
import { BudgetBar } from './BudgetBar'
import { LevelBadge } from './LevelBadge'
import { TeamNote } from './TeamServer'

export const ESTIMATE_EXPLANATION =
  'estimate: last balance you recorded, plus top-ups, minus costs since'

interface BalanceCardProps {
  status: Status
  locale: string
  /** Team mode: balances are recorded on the server, so no form here. */
  team?: TeamServerInfo | null
  onStatus: (status: Status) => void
}

/** "assumes 2 auto-reloads" */
export function assumedReloadsText(count: number): string {
  return `assumes ${count} auto-reload${count === 1 ? '' : 's'}`
}

/** "Auto-recharge: $80.00 of $100.00 reloaded this month, $20.00 left" (or no limit). */
export function reloadHeadroomText(status: Status, locale: string): string | null {
  const r = status.autoRecharge
  if (!r) return null
  const money = (v: number): string => formatMoney(v, status.currency, locale)
  if (r.monthlyLimit === null) {
    return r.monthReloaded > 0
      ? `Auto-recharge: ${money(r.monthReloaded)} reloaded this month, no monthly limit`
      : 'Auto-recharge on, no monthly limit'
  }
  return (
    `Auto-recharge: ${money(r.monthReloaded)} of ${money(r.monthlyLimit)} reloaded this month, ` +
    `${money(r.headroom ?? 0)} left`
  )
}

export function BalanceCard({
  status,
  locale,
  team = null,
  onStatus
}: BalanceCardProps): ReactNode {
  const api = useApi()
  const id = useId()
  const [recording, setRecording] = useState(false)
  const money = (v: number): string => formatMoney(v, status.currency, locale)

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
        {status.budget ? (
          <BudgetBar budget={status.budget} currency={status.currency} locale={locale} />
        ) : null}
        {team ? (
          <TeamNote team={team} />
        ) : recording ? (
          <BalanceForm
            label="Current balance (from the billing page)"
            submitLabel="Save"
            autoFocus
            onRecorded={(next) => {
              onStatus(next)
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
        {status.balanceBasis === 'assumed-reloads' && status.autoRecharge ? (
          <span className="assumed" data-testid="assumed">
            {' '}
            ({assumedReloadsText(status.autoRecharge.reloadsAssumed)})
          </span>
        ) : null}
        {status.balanceComplete ? null : (
          <span className="assumed" data-testid="incomplete">
            {' '}
            (incomplete: the costs of some days are unknown, see below)
          </span>
        )}
      </p>
      <p className="sr-only" id={`${id}-explain`}>
        {ESTIMATE_EXPLANATION}
      </p>
      <p className="runway" title={`Burn rate: ${burnRateRule(status.burnRateDays)}`}>
        {status.balance < 0 ? (
          // Overage: spend passed the credit. Never clamped to zero, and no run-out date.
          <>
            <strong>Overage:</strong> spend passed the credit; OpenAI takes {money(-status.balance)}{' '}
            from the next purchase.
          </>
        ) : status.daysLeft !== null ? (
          <>
            ≈ <strong>{formatDaysLeft(status.daysLeft)} left</strong> at{' '}
            {money(status.burnRatePerDay)}/day
          </>
        ) : status.autoRecharge && status.burnRatePerDay > 0 ? (
          <>Auto-recharge keeps up with {money(status.burnRatePerDay)}/day: no run-out date.</>
        ) : (
          <>No spend in the last 7 days: no run-out date.</>
        )}
      </p>
      {status.autoRecharge ? (
        <p className="reload-headroom muted" data-testid="reload-headroom">
          {reloadHeadroomText(status, locale)}
        </p>
      ) : null}
      {status.runOutDate && status.balance >= 0 ? (
        <p className="runout muted">
          Runs out around{' '}
          <time dateTime={status.runOutDate}>{formatDay(status.runOutDate, locale, true)}</time>
        </p>
      ) : null}
      {status.balanceRecordedAt ? (
        <p className="recorded muted">
          {team ? 'From the balance recorded on the team server' : 'From the balance you recorded'}{' '}
          {formatShortDate(status.balanceRecordedAt, locale)}
          {status.balanceBasis === 'assumed-reloads' ? ', plus the reloads assumed since' : ''}
        </p>
      ) : null}
      {status.budget ? (
        <BudgetBar budget={status.budget} currency={status.currency} locale={locale} />
      ) : null}
      {team ? <TeamNote team={team} /> : null}
    </section>
  )
}

// OpenAI's own guardrails: the organization's monthly hard spend limit as a bar (spent so far,
// where the month ends at this pace, the amount), OpenAI's enforcement state in words, project
// limits and email alerts. Shown for every account, with or without a recorded balance.
// Every fact is also in words, so nothing depends on colour or on seeing the bar.
import { useId, type ReactNode } from 'react'
import {
  enforcementWords,
  limitOutlook,
  limitsAbsence,
  shortUtcDay
} from '../../../shared/limit-words'
import type { Level, LimitsStatus, SpendLimitStatus, Status } from '../../../shared/status'
import { limitLevel } from '../../../shared/limit-level'
import { formatMoney } from '../format'
import { ExternalButton } from './ExternalButton'
import { LimitChange } from './LimitChange'

/** The colour a limit gets: the engine's level rule; `unknown` when it has no opinion. */
export function limitTone(l: SpendLimitStatus, today: string): Level {
  return limitLevel(l, today) ?? 'unknown'
}

/** The bar: spent so far, a marker where the month ends at this pace, a tick at the amount. */
export function LimitBar({ limit, label }: { limit: SpendLimitStatus; label: string }): ReactNode {
  const spent = limit.monthToDate ?? 0
  const projected = limit.projectedMonthEnd ?? spent
  // The scale leaves room past the amount when the month goes beyond it.
  const scale = Math.max(limit.amount, spent, projected) * 1.05 || 1
  const x = (v: number): number => Math.min(100, (Math.max(0, v) / scale) * 100)
  return (
    <svg
      className="limit-bar"
      viewBox="0 0 100 12"
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid="limit-bar"
    >
      <rect className="limit-track" x="0" y="2" width="100" height="8" rx="2" />
      {limit.monthToDate === null ? null : (
        <rect className="limit-spent" x="0" y="2" width={x(spent)} height="8" rx="2" />
      )}
      {limit.projectedMonthEnd === null ? null : (
        <rect
          className="limit-projection"
          x={Math.max(0, x(projected) - 0.6)}
          y="0"
          width="1.2"
          height="12"
          data-testid="limit-projection"
        />
      )}
      <rect
        className="limit-amount"
        x={Math.max(0, x(limit.amount) - 0.4)}
        y="0"
        width="0.8"
        height="12"
      />
    </svg>
  )
}

function limitSentence(l: SpendLimitStatus, money: (v: number) => string): string {
  const figures =
    l.monthToDate === null
      ? `${money(l.amount)} a month`
      : `${money(l.monthToDate)} of ${money(l.amount)} this month`
  return `${figures} · ${enforcementWords(l.enforcement)} · ${limitOutlook(l)}`
}

export function LimitsCard({
  limits,
  locale,
  today,
  onChanged
}: {
  limits: LimitsStatus
  locale: string
  /** Today's UTC day, for "within 2 days". */
  today: string
  /** Given: the card offers to change the limit / add an alert (with a confirm step). */
  onChanged?: (status: Status) => void
}): ReactNode {
  const id = useId()
  // The limits are in US dollars whatever the costs' currency (OpenAI sends "USD").
  const money = (v: number): string => formatMoney(v, 'usd', locale)
  const absent = limitsAbsence(limits)
  const org = limits.organization
  return (
    <section className="card limits-card" aria-labelledby={`${id}-title`} data-testid="limits-card">
      <h2 id={`${id}-title`} className="section-title">
        Spend limits <span className="muted">OpenAI</span>
      </h2>
      {absent ? (
        <p className="muted">
          {absent === 'not read yet'
            ? 'Not read yet: they are read at start, on refresh and every 6 hours.'
            : limits.hint}
        </p>
      ) : org ? (
        <div className={`limit level-${limitTone(org, today)}`}>
          <p className="limit-text">
            Organization: <strong>{limitSentence(org, money)}</strong>
          </p>
          <LimitBar
            limit={org}
            label={
              org.monthToDate === null
                ? `Limit ${money(org.amount)}; this month's spend is not known here`
                : `Spent ${money(org.monthToDate)} of the ${money(org.amount)} limit` +
                  (org.projectedMonthEnd === null
                    ? ''
                    : `; at this pace ${money(org.projectedMonthEnd)} by month end`)
            }
          />
          <p className="limit-legend muted" aria-hidden="true">
            <span className="key key-spent" /> spent <span className="key key-amount" /> limit
            {org.projectedMonthEnd === null ? null : (
              <>
                {' '}
                <span className="key key-projection" /> month end at this pace
              </>
            )}
          </p>
          {org.projectedMonthEnd !== null && !org.reached ? (
            <p className="muted limit-pace">
              At this pace ≈ {money(org.projectedMonthEnd)} by the end of the month
              {org.reachOn ? `; the limit is reached around ${shortUtcDay(org.reachOn)}` : ''}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="muted">No hard spend limit set for the organization.</p>
      )}
      {!absent && limits.projects.length > 0 ? (
        <ul className="limit-list" aria-label="Project limits">
          {limits.projects.map((p) => (
            <li key={p.projectId} className={`level-${limitTone(p, today)}`}>
              <strong>{p.projectId}</strong>: {limitSentence(p, money)}
            </li>
          ))}
        </ul>
      ) : null}
      {!absent ? (
        limits.alerts.length > 0 ? (
          <ul className="limit-list" aria-label="Email alerts">
            {limits.alerts.map((a, i) => (
              <li key={`${a.scope}-${a.amount}-${i}`}>
                Email alert at <strong>{money(a.amount)}</strong>
                {a.scope === 'organization' ? '' : ` (${a.scope})`} · {a.recipients} recipient
                {a.recipients === 1 ? '' : 's'}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No email spend alerts.</p>
        )
      ) : null}
      {!absent && limits.hint ? <p className="muted">{limits.hint}</p> : null}
      <div className="limit-actions">
        <ExternalButton page="limits">Limits page</ExternalButton>
        {!absent && onChanged ? (
          <LimitChange limits={limits} locale={locale} onChanged={onChanged} />
        ) : null}
      </div>
    </section>
  )
}

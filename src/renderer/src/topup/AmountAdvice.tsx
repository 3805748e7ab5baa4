// The amount step's help: a suggestion from the burn rate (with presets for a week, a month, a
// quarter), OpenAI's minimum, the one-year expiry, and why real usage may differ.
import type { ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import {
  CREDIT_EXPIRY_MONTHS,
  DEFAULT_PRESET_DAYS,
  OPENAI_MINIMUM_TOP_UP,
  suggestTopUp,
  topUpPresets,
  type TopUpSuggestion
} from '../../../shared/topup'
import { useApi } from '../api'
import { formatDay, formatMoney } from '../format'

interface AmountAdviceProps {
  status: Status | null
  locale: string
  /** The amount currently picked (a preset or the default suggestion). */
  chosenAmount: number
  onChoose: (amount: number) => void
}

/** Whole dollars without cents ("$102"); rates keep their cents ("$3.40/day"). */
function wholeMoney(amount: number, currency: string, locale: string): string {
  return formatMoney(amount, currency, locale).replace(/[.,]00(?=\D*$)/, '')
}

/** The sentence under the suggested amount, in plain words. */
export function suggestionText(
  s: TopUpSuggestion,
  burnRatePerDay: number,
  currency: string,
  locale: string
): string {
  const money = (v: number): string => wholeMoney(v, currency, locale)
  const rate = `${formatMoney(burnRatePerDay, currency, locale)}/day`
  if (s.basis === 'noSpend') {
    return (
      `Nothing was spent in the last 7 days, so there is no burn rate to go by. ` +
      `${money(s.amount)} is a modest start; you can add more any time.`
    )
  }
  if (s.basis === 'minimum') {
    const lasts = Math.floor(s.lastsDays ?? 0)
    return `${money(s.amount)} is OpenAI’s minimum; it lasts about ${lasts} days at ${rate}.`
  }
  return `≈ ${money(s.amount)} lasts ${s.days} days at ${rate}.`
}

export function AmountAdvice({
  status,
  locale,
  chosenAmount,
  onChoose
}: AmountAdviceProps): ReactNode {
  const api = useApi()
  if (!status) {
    return (
      <section className="card" aria-busy="true">
        <p className="muted">Working out a suggestion…</p>
      </section>
    )
  }
  const currency = status.currency
  const rate = status.burnRatePerDay
  const suggestion = suggestTopUp(rate, DEFAULT_PRESET_DAYS)
  const presets = topUpPresets(rate)
  const money = (v: number): string => wholeMoney(v, currency, locale)

  return (
    <section className="card amount-advice" aria-labelledby="amount-advice-title">
      <h3 id="amount-advice-title" className="card-title">
        How much to add
      </h3>
      <p className="suggestion" data-testid="suggestion">
        {suggestionText(suggestion, rate, currency, locale)}
      </p>
      {presets.length > 0 ? (
        <div className="presets" role="group" aria-label="Suggested amounts">
          {presets.map((p) => (
            <button
              key={p.days}
              type="button"
              className="preset"
              aria-pressed={chosenAmount === p.amount}
              onClick={() => onChoose(p.amount)}
            >
              {/* The name is one phrase ("$24 for 7 days") that starts with the visible amount,
                  so a speech user can say what they see (WCAG 2.5.3) without aria-label. */}
              <span className="preset-amount" aria-hidden="true">
                {money(p.amount)}
              </span>
              <span className="preset-days" aria-hidden="true">
                {p.days} days{p.basis === 'minimum' ? ' · min.' : ''}
              </span>
              <span className="sr-only">
                {`${money(p.amount)} for ${p.days} days${p.basis === 'minimum' ? ' (OpenAI’s minimum)' : ''}`}
              </span>
            </button>
          ))}
        </div>
      ) : null}
      <ul className="advice-notes">
        <li>
          OpenAI’s minimum purchase is {money(OPENAI_MINIMUM_TOP_UP)}. Credit expires{' '}
          {CREDIT_EXPIRY_MONTHS === 12 ? 'one year' : `${CREDIT_EXPIRY_MONTHS} months`} after
          purchase: buy for months, not years.
        </li>
        {status.expiringCredit.length > 0 ? (
          <li data-testid="expiring-credit">
            Credit you already bought, by expiry (oldest used first):
            <ul className="expiring-list">
              {status.expiringCredit.map((c) => (
                <li key={c.purchasedOn}>
                  ≈ {formatMoney(c.remaining, currency, locale)} bought{' '}
                  {formatDay(c.purchasedOn, locale, true)} expires{' '}
                  <time dateTime={c.expiresOn}>{formatDay(c.expiresOn, locale, true)}</time>
                </li>
              ))}
            </ul>
          </li>
        ) : null}
        <li>
          Token usage varies per response — it depends on the input, the output length and the model
          — so real spend can differ. Track it on the{' '}
          <button
            type="button"
            className="link-btn inline-link"
            onClick={() => void api.openExternal('usage')}
          >
            Usage page
          </button>
          .
        </li>
      </ul>
    </section>
  )
}

// 30 days of spend as hand-drawn SVG bars. Every day is a focusable column (one tab stop, arrow
// keys move between days) with a tooltip giving its date and cost; today is drawn as partial.
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { DailyPoint } from '../../../shared/status'
import { formatDay, formatMoney } from '../format'

interface SparklineProps {
  daily: DailyPoint[]
  currency: string
  locale: string
}

const WIDTH = 300
const HEIGHT = 60
const MIN_BAR = 1.5

/** The sentence a screen reader gets instead of the picture. */
export function sparklineSummary(daily: DailyPoint[], currency: string, locale: string): string {
  if (daily.length === 0) return 'No spend data yet.'
  const money = (v: number): string => formatMoney(v, currency, locale)
  const total = daily.reduce((sum, d) => sum + d.cost, 0)
  const complete = daily.slice(0, -1)
  const peak = complete.reduce<DailyPoint | null>(
    (best, d) => (!best || d.cost > best.cost ? d : best),
    null
  )
  const today = daily[daily.length - 1]
  const parts = [`Spend over the last ${daily.length} days: ${money(total)} in total.`]
  if (peak && peak.cost > 0)
    parts.push(`Highest day ${formatDay(peak.date, locale)}, ${money(peak.cost)}.`)
  if (today) parts.push(`Today so far ${money(today.cost)}.`)
  return parts.join(' ')
}

export function Sparkline({ daily, currency, locale }: SparklineProps): ReactNode {
  const id = useId()
  const [hovered, setHovered] = useState<number | null>(null)
  const [focused, setFocused] = useState<number | null>(null)
  // The roving tab stop: the day Tab lands on (today until the user moves).
  const [cursor, setCursor] = useState<number | null>(null)
  const columns = useRef<Array<HTMLDivElement | null>>([])

  const last = daily.length - 1
  const tabStop = Math.min(cursor ?? last, last)
  const active = hovered ?? focused
  const max = Math.max(...daily.map((d) => d.cost), 0)
  const slot = WIDTH / Math.max(daily.length, 1)
  const barWidth = slot * 0.72

  function describe(index: number): { date: string; cost: string; partial: boolean } | null {
    const point = daily[index]
    if (!point) return null
    return {
      date: formatDay(point.date, locale),
      cost: formatMoney(point.cost, currency, locale),
      partial: index === last
    }
  }

  function move(event: KeyboardEvent<HTMLDivElement>): void {
    const from = focused ?? tabStop
    const to =
      event.key === 'ArrowLeft' || event.key === 'ArrowDown'
        ? Math.max(0, from - 1)
        : event.key === 'ArrowRight' || event.key === 'ArrowUp'
          ? Math.min(last, from + 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null
    if (to === null) return
    event.preventDefault()
    setCursor(to)
    columns.current[to]?.focus()
  }

  if (daily.length === 0) return <p className="muted">No spend data yet.</p>
  const tip = active === null ? null : describe(active)
  const firstDay = daily[0]

  return (
    <figure className="spark">
      <div
        className="spark-plot"
        role="group"
        aria-label="Daily spend, last 30 days. Arrow keys move between days."
        aria-describedby={`${id}-summary`}
        onKeyDown={move}
        onMouseLeave={() => setHovered(null)}
      >
        <svg
          className="spark-svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          aria-hidden="true"
          focusable="false"
        >
          <line
            className="spark-base"
            x1="0"
            x2={WIDTH}
            y1={HEIGHT - 0.5}
            y2={HEIGHT - 0.5}
            vectorEffect="non-scaling-stroke"
          />
          {daily.map((point, index) => {
            const h =
              max > 0
                ? Math.max((point.cost / max) * (HEIGHT - 4), point.cost > 0 ? MIN_BAR : 0)
                : 0
            const classes = ['spark-bar']
            if (index === last) classes.push('is-today')
            if (index === active) classes.push('is-active')
            return (
              <rect
                key={point.date}
                className={classes.join(' ')}
                x={index * slot + (slot - barWidth) / 2}
                y={HEIGHT - h}
                width={barWidth}
                height={h}
                vectorEffect="non-scaling-stroke"
              />
            )
          })}
        </svg>
        <div className="spark-cols">
          {daily.map((point, index) => {
            const d = describe(index)
            return (
              <div
                key={point.date}
                ref={(el) => {
                  columns.current[index] = el
                }}
                className="spark-col"
                role="img"
                tabIndex={index === tabStop ? 0 : -1}
                aria-label={
                  d ? `${d.date}: ${d.cost}${d.partial ? ' so far today' : ''}` : undefined
                }
                data-date={point.date}
                onMouseEnter={() => setHovered(index)}
                onFocus={() => {
                  setFocused(index)
                  setCursor(index)
                }}
                onBlur={() => setFocused((f) => (f === index ? null : f))}
              />
            )
          })}
        </div>
        {tip && active !== null ? (
          <div
            className={`spark-tip${active < daily.length / 2 ? ' from-left' : ' from-right'}`}
            role="tooltip"
            id={`${id}-tip`}
            // A CSSOM property (not a style attribute), which the strict CSP allows.
            style={{ left: `${((active + 0.5) / daily.length) * 100}%` }}
          >
            <span className="spark-tip-date">
              {tip.date}
              {tip.partial ? ' · today so far' : ''}
            </span>
            <span className="spark-tip-cost">{tip.cost}</span>
          </div>
        ) : null}
      </div>
      <figcaption className="spark-axis" aria-hidden="true">
        <span>{firstDay ? formatDay(firstDay.date, locale) : ''}</span>
        <span>Today (partial)</span>
      </figcaption>
      <p className="sr-only" id={`${id}-summary`}>
        {sparklineSummary(daily, currency, locale)}
      </p>
    </figure>
  )
}

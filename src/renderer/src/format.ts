// Number, date and time formatting for the tray window. Pure functions: the locale and the clock
// are passed in, so tests pin exact strings and nothing depends on the machine running them.

const moneyFormats = new Map<string, Intl.NumberFormat>()
const otherFormats = new Map<
  string,
  Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat
>()

/** Intl formatters are costly to build (the chart alone formats 60 dates): build each once. */
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T
): T {
  let format = otherFormats.get(key) as T | undefined
  if (!format) {
    format = make()
    otherFormats.set(key, format)
  }
  return format
}

/** "$41.20" in the user's locale; the API sends lowercase ISO codes ("usd"). */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const code = currency.toUpperCase()
  const cacheKey = `${locale}|${code}`
  let format = moneyFormats.get(cacheKey)
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency: code })
    } catch {
      // An unknown currency code must not blank the window: fall back to a plain number + code.
      format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    }
    moneyFormats.set(cacheKey, format)
  }
  return format.format(amount)
}

/** Token and request counts compactly: 1234567 → "1.2M", 950 → "950". */
export function formatCompact(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(
    value
  )
}

/** A UTC calendar day ("YYYY-MM-DD") for people: "Tue, Nov 3". The day is UTC, so format in UTC. */
export function formatDay(day: string, locale: string, withYear = false): string {
  const date = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return day
  const format = cached(
    `day|${locale}|${withYear}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        ...(withYear ? { year: 'numeric' } : {}),
        timeZone: 'UTC'
      })
  )
  return format.format(date)
}

/** A local calendar date for an ISO timestamp: "Nov 3". */
export function formatShortDate(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return cached(
    `short|${locale}`,
    () => new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' })
  ).format(date)
}

const RELATIVE_STEPS: Array<{ unit: Intl.RelativeTimeFormatUnit; seconds: number }> = [
  { unit: 'day', seconds: 86_400 },
  { unit: 'hour', seconds: 3_600 },
  { unit: 'minute', seconds: 60 }
]

/** "3 min. ago", "2 hr. ago", "now": how long ago `iso` was, relative to `nowMs`. */
export function formatRelative(iso: string, nowMs: number, locale: string): string {
  const then = Date.parse(iso)
  if (Number.isNaN(then)) return ''
  // A clock slightly behind main's must not say "in 1 min.": clamp the future to "now".
  const elapsed = Math.max(0, (nowMs - then) / 1000)
  const format = cached(
    `relative|${locale}`,
    () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' })
  )
  for (const { unit, seconds } of RELATIVE_STEPS) {
    if (elapsed >= seconds) return format.format(-Math.floor(elapsed / seconds), unit)
  }
  return format.format(0, 'second')
}

/** Days left in words: whole days rounded down, because "2 days" when 1.6 remain over-promises. */
export function formatDaysLeft(days: number): string {
  if (days < 1) return 'less than a day'
  const whole = Math.floor(days)
  return whole === 1 ? '1 day' : `${whole} days`
}

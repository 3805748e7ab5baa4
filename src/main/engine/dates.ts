// UTC day arithmetic. The Costs API buckets by UTC day, so every "day" in the engine is a UTC
// calendar date "YYYY-MM-DD". Plain epoch maths: no time zones are involved, so no library.

export const DAY_SECONDS = 86_400
const DAY_MS = DAY_SECONDS * 1000

/** "YYYY-MM-DD" of the UTC day containing `ms` (epoch milliseconds). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Epoch seconds of 00:00 UTC of a "YYYY-MM-DD" day. */
export function dayStartSeconds(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a UTC day: ${day}`)
  const ms = Date.parse(day + 'T00:00:00Z')
  if (Number.isNaN(ms) || utcDay(ms) !== day) throw new RangeError(`not a UTC day: ${day}`)
  return ms / 1000
}

/** "YYYY-MM-DD" of the UTC day starting at (or containing) `seconds`. */
export function dayFromSeconds(seconds: number): string {
  return utcDay(seconds * 1000)
}

/** The day `n` days after `day` (negative n goes back). */
export function addDays(day: string, n: number): string {
  return utcDay(dayStartSeconds(day) * 1000 + n * DAY_MS)
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayStartSeconds(b) - dayStartSeconds(a)) / DAY_SECONDS)
}

/** Inclusive list of days from `from` to `to`, oldest first. */
export function dayRange(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d)
  return out
}

/** "YYYY-MM-01" of the month containing `day`. */
export function monthStart(day: string): string {
  return day.slice(0, 8) + '01'
}

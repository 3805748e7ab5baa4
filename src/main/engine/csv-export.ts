// The cached daily costs as CSV, for a spreadsheet or an expense report. Pure.
//
// Format (one file, RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
// comma, a quote or a line break, quotes doubled):
//
//   date,kind,name,cost,currency
//   2024-11-03,total,,12.5,usd
//   2024-11-03,line_item,"gpt-4o, output",9.25,usd
//   2024-11-03,project,proj_abc,12.5,usd
//
// The Costs API gives each day's costs by line item and by project separately, not crossed, so
// a row is one (day, breakdown, name): per day the total first, then the line items, then the
// projects, each by name. Summing the `line_item` rows of a day, or its `project` rows, gives its
// `total`. Filter on `kind` to get either breakdown. Days are oldest first; days without data in
// the cache are left out (unknown, not zero).
//
// Names come from the API (project names, line items) and could be written by anyone in the
// organization, so text cells starting with = + - @ (or a tab / carriage return) get a leading
// apostrophe: spreadsheets would otherwise run them as formulas (CSV injection). Cost cells are
// numbers written by us and left as they are, so a refund stays a negative number.
import type { CostCache } from './cost-cache'
import { dayStartSeconds } from './dates'

export const CSV_HEADER = ['date', 'kind', 'name', 'cost', 'currency'] as const

export type CsvRowKind = 'total' | 'line_item' | 'project'

export interface CsvRange {
  /** First day included, "YYYY-MM-DD". */
  from?: string | undefined
  /** Last day included, "YYYY-MM-DD". */
  to?: string | undefined
}

/** A real calendar day "YYYY-MM-DD" (not "2024-11-31", which Date.parse quietly rolls over). */
function isUtcDay(day: string): boolean {
  try {
    dayStartSeconds(day)
    return true
  } catch {
    return false
  }
}

/** Checks a CSV range; returns a message for a person, or null when it is fine. */
export function csvRangeProblem(range: CsvRange): string | null {
  for (const [label, day] of [
    ['--from', range.from],
    ['--to', range.to]
  ] as const) {
    if (day !== undefined && !isUtcDay(day)) {
      return `${label} must be a day like 2024-11-03 (got "${day.slice(0, 20)}").`
    }
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    return `--from (${range.from}) is after --to (${range.to}).`
  }
  return null
}

export function costsToCsv(cache: CostCache, range: CsvRange = {}): string {
  const lines = [CSV_HEADER.join(',')]
  const days = Object.keys(cache.days)
    .filter(
      (d) =>
        (range.from === undefined || d >= range.from) && (range.to === undefined || d <= range.to)
    )
    .sort()
  for (const date of days) {
    const day = cache.days[date]
    if (!day) continue
    const currency = day.currency || cache.currency || 'usd'
    const row = (kind: CsvRowKind, name: string, cost: number): void => {
      lines.push([date, kind, textCell(name), formatCost(cost), textCell(currency)].join(','))
    }
    row('total', '', day.total)
    for (const [name, cost] of sortedEntries(day.lineItems)) row('line_item', name, cost)
    for (const [name, cost] of sortedEntries(day.projects)) row('project', name, cost)
  }
  return lines.join('\r\n') + '\r\n'
}

function sortedEntries(map: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Formula-injection guard, then RFC 4180 quoting. */
export function textCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * Plain decimal, never exponent notation ("1e-7" would confuse a spreadsheet): at most 6
 * decimals (the API reports fractions of a cent), trailing zeros dropped, no "-0".
 */
export function formatCost(cost: number): string {
  if (!Number.isFinite(cost)) return '0'
  const text = cost.toFixed(6).replace(/\.?0+$/, '')
  return text === '-0' || text === '' ? '0' : text
}

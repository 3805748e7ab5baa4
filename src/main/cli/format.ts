// Human-readable output for the CLI. Pure: takes a Status, returns text.
import { describeAge, formatMoney } from '../../shared/format'
import type { Status } from '../../shared/status'

const BARS = '▁▂▃▄▅▆▇█'

/** Money in the CLI's fixed en-US style ("$41.20"), whatever the terminal's locale. */
export function money(value: number, currency: string): string {
  return formatMoney(value, currency, 'en-US')
}

/** A one-line sparkline of daily costs; today (the last point) is partial. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values)
  if (max <= 0) return BARS[0]!.repeat(values.length)
  return values
    .map((v) => BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))]!)
    .join('')
}

const LEVEL_WORDS: Record<Status['level'], string> = {
  ok: 'OK',
  low: 'LOW',
  critical: 'CRITICAL',
  unknown: 'no balance recorded'
}

export function formatStatus(s: Status, now: Date): string {
  const m = (v: number): string => money(v, s.currency)
  const lines: string[] = ['Credit Tray: OpenAI API credit (estimate)']
  if (s.balance === null) {
    lines.push('  Balance     unknown: record it with `credit-tray balance set <amount>`')
  } else {
    const r = s.autoRecharge
    const assumed =
      s.balanceBasis === 'assumed-reloads' && r
        ? ` (assumes ${r.reloadsAssumed} auto-reload${r.reloadsAssumed === 1 ? '' : 's'})`
        : ''
    lines.push(`  Balance     ≈ ${m(s.balance)}${assumed}   [${LEVEL_WORDS[s.level]}]`)
    if (r) {
      lines.push(
        r.monthlyLimit === null
          ? `  Reloads     ${m(r.monthReloaded)} this month, no monthly limit`
          : `  Reloads     ${m(r.monthReloaded)} of ${m(r.monthlyLimit)} this month, ${m(r.headroom ?? 0)} left`
      )
    }
  }
  if (s.budget) {
    const b = s.budget
    lines.push(
      `  Budget      ${m(b.spent)} of ${m(b.amount)} this month (${Math.floor(b.fraction * 100 + 1e-9)}%)` +
        (s.balance === null ? `   [${LEVEL_WORDS[s.level]}]` : '') +
        `, ≈ ${m(b.projectedMonthEnd)} by month end`
    )
  }
  if (s.daysLeft !== null && s.runOutDate !== null) {
    lines.push(
      `  Days left   ≈ ${s.daysLeft.toFixed(1)} at ${m(s.burnRatePerDay)}/day, runs out around ${s.runOutDate} (UTC)`
    )
  } else {
    lines.push(`  Burn rate   ${m(s.burnRatePerDay)}/day (mean of the last complete days)`)
  }
  lines.push(
    `  Spend       today ${m(s.spend.today)} · 7 days ${m(s.spend.last7Days)} · month ${m(s.spend.monthToDate)}`
  )
  const first = s.daily[0]?.date ?? ''
  const last = s.daily[s.daily.length - 1]?.date ?? ''
  lines.push(`  30 days     ${sparkline(s.daily.map((d) => d.cost))}  ${first} → ${last}`)
  if (s.topLineItems.length > 0) {
    lines.push(
      '  Top items   ' +
        s.topLineItems
          .slice(0, 3)
          .map((i) => `${i.name} ${m(i.cost)}`)
          .join(' · ')
    )
  }
  const updated = s.lastUpdated ? `updated ${describeAge(s.lastUpdated, now)}` : 'never updated'
  lines.push(`  Data        ${updated}${s.stale ? ' (STALE)' : ''}`)
  if (s.error) lines.push(`  Problem     [${s.error.kind}] ${s.error.message}`)
  for (const notice of s.notices) lines.push(`  Notice      ${notice}`)
  return lines.join('\n') + '\n'
}

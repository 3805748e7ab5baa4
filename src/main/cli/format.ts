// Human-readable output for the CLI. Pure: takes a Status, returns text.
import { burnRateRule, describeAge, formatMoney } from '../../shared/format'
import { enforcementWords, limitOutlook, limitsAbsence } from '../../shared/limit-words'
import type { LimitsStatus, SpendLimitStatus, Status } from '../../shared/status'

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
  if (s.balance !== null && !s.balanceComplete) {
    lines.push('  Incomplete  the costs of some days since the balance are unknown (see Notes)')
  }
  if (s.daysLeft !== null && s.runOutDate !== null) {
    lines.push(
      `  Days left   ≈ ${s.daysLeft.toFixed(1)} at ${m(s.burnRatePerDay)}/day, runs out around ${s.runOutDate} (UTC)`
    )
  }
  lines.push(`  Burn rate   ${m(s.burnRatePerDay)}/day: ${burnRateRule(s.burnRateDays)}`)
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
  lines.push(`  Spend limit ${limitLine(s.limits, m)}`)
  const updated = s.lastUpdated ? `updated ${describeAge(s.lastUpdated, now)}` : 'never updated'
  lines.push(`  Data        ${updated}${s.stale ? ' (STALE)' : ''}`)
  if (s.error) lines.push(`  Problem     [${s.error.kind}] ${s.error.message}`)
  for (const [i, notice] of s.notices.entries())
    lines.push(`  ${i === 0 ? 'Notes      ' : '           '} ${notice}`)
  return lines.join('\n') + '\n'
}

/** "$95.00 of $200.00 this month (enforcing), projected to be reached around Dec 21". */
function limitFigures(l: SpendLimitStatus, m: (v: number) => string): string {
  const spent =
    l.monthToDate === null
      ? `${m(l.amount)} a month`
      : `${m(l.monthToDate)} of ${m(l.amount)} this month`
  const pace =
    l.projectedMonthEnd !== null && !l.reached ? `, ≈ ${m(l.projectedMonthEnd)} by month end` : ''
  return `${spent} (${enforcementWords(l.enforcement)})${pace}, ${limitOutlook(l)}`
}

/** The one `status` line: the organization's limit, or why there is none to show. */
export function limitLine(limits: LimitsStatus, m: (v: number) => string): string {
  const absent = limitsAbsence(limits)
  if (absent) return limits.hint ? `${absent}: ${limits.hint}` : absent
  const projects = limits.projects.length
  const more = projects ? ` · ${projects} project limit${projects === 1 ? '' : 's'}` : ''
  const note = limits.hint ? ` (${limits.hint})` : ''
  if (!limits.organization) return `none set for the organization${more}${note}`
  return limitFigures(limits.organization, m) + more + note
}

/** `credit-tray limits`: every limit and email alert. */
export function formatLimits(s: Status, now: Date): string {
  const m = (v: number): string => money(v, 'usd')
  const { limits } = s
  const lines = ['OpenAI spend limits and email alerts']
  const absent = limitsAbsence(limits)
  if (absent) lines.push(`  ${absent}${limits.hint ? `: ${limits.hint}` : ''}`)
  else {
    lines.push(
      `  Organization  ${limits.organization ? limitFigures(limits.organization, m) : 'no hard limit set'}`
    )
    for (const p of limits.projects) lines.push(`  ${p.projectId.padEnd(13)} ${limitFigures(p, m)}`)
    if (limits.alerts.length === 0) lines.push('  Email alerts  none')
    for (const a of limits.alerts)
      lines.push(
        `  Email alert   ${a.scope === 'organization' ? 'organization' : a.scope} at ${m(a.amount)}, ${a.recipients} recipient${a.recipients === 1 ? '' : 's'}`
      )
    if (limits.checkedAt) lines.push(`  Read          ${describeAge(limits.checkedAt, now)}`)
    if (limits.hint) lines.push(`  Note          ${limits.hint}`)
  }
  return lines.join('\n') + '\n'
}

/**
 * The estimate after recording something, with the age of the costs it rests on: the last
 * refresh, or a later live read of today's costs (`liveAt`, when a balance was just recorded
 * and every day since it is known).
 */
export function describeEstimate(s: Status, now: Date, liveAt: string | null = null): string {
  if (s.balance === null) return ''
  const live = liveAt !== null && s.balanceComplete ? liveAt : null
  const asOf =
    live !== null && (s.lastUpdated === null || live > s.lastUpdated) ? live : s.lastUpdated
  const age = asOf
    ? `costs as of ${describeAge(asOf, now)}`
    : 'no costs fetched yet: run `credit-tray status`'
  const incomplete = s.balanceComplete
    ? ''
    : '; incomplete: some days since the balance are unknown'
  return `Estimated balance now ≈ ${money(s.balance, s.currency)} (${age}${incomplete}).\n`
}

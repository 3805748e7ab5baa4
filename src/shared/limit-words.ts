// OpenAI's hard spend limits in words, for the CLI, the tray and the window alike. The
// enforcement status is shown as OpenAI sent it; only `enforcing` is ever said to stop requests,
// because OpenAI does not document what the other states do.
import type { LimitsStatus, SpendLimitStatus } from './status'

/** "enforcing", "inactive (not enforcing)", or OpenAI's own word in quotes. */
export function enforcementWords(enforcement: string): string {
  if (enforcement === 'enforcing') return 'enforcing'
  if (enforcement === 'inactive') return 'inactive (OpenAI reports it is not enforcing)'
  return `OpenAI reports "${enforcement}"`
}

/** Where the month stands against a limit, without the amounts: "reached", "reached around Dec 21". */
export function limitOutlook(l: SpendLimitStatus): string {
  if (l.reached === null) return "this month's spend for it is not known here"
  if (l.reached)
    return l.enforcement === 'enforcing'
      ? 'reached: OpenAI is likely rejecting requests'
      : 'reached'
  if (l.reachOn) return `projected to be reached around ${shortUtcDay(l.reachOn)}`
  return 'not projected to be reached this month'
}

/** "Dec 21" for a UTC day. */
export function shortUtcDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) return day
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC'
  }).format(d)
}

/** Why there is nothing to show, or null when there is. */
export function limitsAbsence(limits: LimitsStatus): string | null {
  if (limits.unavailable === 'permission') return 'not readable with this key'
  if (limits.checkedAt === null) return 'not read yet'
  return null
}

/**
 * A few words for the tray about the most pressing limit (reached first, then the soonest
 * projected crossing), or null when none is reached or projected this month.
 */
export function limitTrayNote(limits: LimitsStatus): string | null {
  const all = [
    ...(limits.organization ? [{ scope: '', l: limits.organization }] : []),
    ...limits.projects.map((p) => ({ scope: ` (${p.projectId})`, l: p }))
  ]
  const reached = all.find((x) => x.l.reached === true && x.l.enforcement === 'enforcing')
  if (reached) return `spend limit reached${reached.scope}`
  const passed = all.find((x) => x.l.reached === true)
  if (passed) return `spend limit passed, not enforced${passed.scope}`
  const next = all
    .filter((x) => x.l.reachOn !== null)
    .sort((a, b) => ((a.l.reachOn ?? '') < (b.l.reachOn ?? '') ? -1 : 1))[0]
  return next ? `spend limit ≈ ${shortUtcDay(next.l.reachOn ?? '')}${next.scope}` : null
}

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

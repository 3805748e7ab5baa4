// What the tray window says to screen readers when something changes without the user looking:
// a refresh result, a level change. Pure, so the rules are pinned without rendering. The window
// speaks through one persistent live region pair (components/LiveRegion.tsx); only a change
// INTO critical interrupts (assertive), everything else waits its turn (polite).
import type { ErrorKind, Status } from '../../shared/status'
import { LEVEL_LABELS } from './components/LevelBadge'
import { adviceFor } from './error-advice'
import { formatDaysLeft, formatMoney } from './format'

export type Urgency = 'polite' | 'assertive'

export interface Announcement {
  text: string
  urgency: Urgency
}

/**
 * Errors the scheduler retries by itself: a banner for them is shown without interrupting (the
 * announcement is polite). The others (a bad key, no key, the keychain, a data folder that
 * cannot be written) stop the app until the user acts, so their banner is an alert.
 */
export const TRANSIENT_ERRORS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'rate_limit',
  'network',
  'server',
  'bad_response'
])

/** The headline numbers in one sentence: "Balance about $41.20, 12 days left." */
export function headlineText(status: Status, locale: string): string {
  if (status.balance === null) {
    const b = status.budget
    return b
      ? `Tracking spend only, ${Math.floor(b.fraction * 100 + 1e-9)}% of the monthly budget used.`
      : 'Tracking spend only.'
  }
  const money = formatMoney(status.balance, status.currency, locale)
  const runway =
    status.daysLeft !== null ? `${formatDaysLeft(status.daysLeft)} left` : 'no run-out date'
  return `Balance about ${money}, ${runway}.`
}

function levelChange(previous: Status, next: Status): Announcement | null {
  if (previous.level === next.level) return null
  return {
    text: `Level now ${LEVEL_LABELS[next.level]}.`,
    urgency: next.level === 'critical' ? 'assertive' : 'polite'
  }
}

function failureText(next: Status): string {
  const error = next.error
  if (!error) return ''
  const advice = adviceFor(error)
  return `Refresh failed: ${advice.title}. ${error.message || advice.hint}`
}

function joined(urgency: Urgency, ...parts: string[]): Announcement {
  return { text: parts.filter((p) => p !== '').join(' '), urgency }
}

/**
 * What to say when main pushes a new status (a scheduled refresh, another window recording a
 * balance). Nothing when the user would see nothing new: the same headline, level and error.
 * An error that needs the user (a bad key) is announced by its banner (role="alert"), so it is
 * not repeated here.
 */
export function statusChangeAnnouncement(
  previous: Status,
  next: Status,
  locale: string
): Announcement | null {
  const level = levelChange(previous, next)
  const headlineChanged = headlineText(previous, locale) !== headlineText(next, locale)
  const recovered = next.error === null && previous.error !== null
  const urgency = level?.urgency ?? 'polite'
  if (next.error !== null && next.error.kind !== previous.error?.kind) {
    if (!TRANSIENT_ERRORS.has(next.error.kind)) return level
    return joined(urgency, level?.text ?? '', failureText(next))
  }
  if (level || headlineChanged || recovered) {
    return joined(
      urgency,
      recovered ? 'Refreshed.' : '',
      level?.text ?? '',
      headlineText(next, locale)
    )
  }
  return null
}

/** After the user pressed Refresh (or Retry): always an answer, even when nothing changed. */
export function refreshAnnouncement(
  previous: Status | null,
  next: Status,
  locale: string
): Announcement {
  const level = previous ? levelChange(previous, next) : null
  const urgency = level?.urgency ?? 'polite'
  if (next.error) return joined(urgency, level?.text ?? '', failureText(next))
  return joined(urgency, 'Refreshed.', level?.text ?? '', headlineText(next, locale))
}

/** A refresh that main refused outright (the IPC call itself failed). */
export function refreshFailedAnnouncement(message: string): Announcement {
  return { text: `Refresh failed: ${message}`, urgency: 'polite' }
}

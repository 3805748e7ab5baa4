// When to raise a desktop notification. A pure state machine: the state is persisted (alerts.json
// through store.ts), so a restart never repeats an alert the user has already seen.
//
// One notification per episode:
// - credit: entering `low` alerts; entering `critical` alerts (also straight after a low alert);
//   going from critical back to low does not.
//   The episode ends, re-arming the alerts, only on recovery: level `ok` AND either
//     (a) hysteresis: balance > lowBalance × 1.2 and days left > lowDays + 1 (or nothing is being
//         spent), so an estimate wobbling around the threshold does not alert again and again, or
//     (b) a top-up recorded after the episode started: the user acted, a later dip is news.
//   A top-up that leaves the level low or critical restarts the episode at that level without an
//   alert (the user just acted), so getting worse afterwards alerts again.
//   Level `unknown` (no balance recorded) neither alerts nor ends an episode.
// - key rejected: an auth or permission error alerts once; the episode ends on a successful
//   refresh (no error) or when the key was removed (`no_key`), so a new bad key alerts again.
//   Other errors (network...) say nothing about the key and leave the episode as it is.
// - stale: data not refreshed for more than 6 hours alerts once; it ends when data is fresh
//   again. Not raised while the key is rejected or missing: that alert, or the setup screen,
//   already says why nothing updates.
import { z } from 'zod'
import { roundCents, type ErrorKind, type Level, type Thresholds } from '../../shared/status'
import type { Alert } from './engine-api'

export type { Alert, AlertKind } from './engine-api'

export const ALERT_STATE_VERSION = 1
/** Data older than this is worth a notification. */
export const STALE_ALERT_MS = 6 * 3_600_000
/** Hysteresis for ending a credit episode without a top-up. */
export const REARM_BALANCE_FACTOR = 1.2
export const REARM_EXTRA_DAYS = 1

const since = z.iso.datetime()
export const alertStateSchema = z.object({
  /** The credit episode in progress: the worst level alerted and when it (re)started. */
  credit: z.object({ level: z.enum(['low', 'critical']), since }).nullable(),
  keyRejected: z.object({ since }).nullable(),
  stale: z.object({ since }).nullable()
})
export type AlertState = z.infer<typeof alertStateSchema>

export const INITIAL_ALERT_STATE: AlertState = { credit: null, keyRejected: null, stale: null }

export interface AlertInput {
  level: Level
  balance: number | null
  daysLeft: number | null
  /** For the message ("about 3 days at $2.70/day"); optional. */
  burnRatePerDay?: number
  /** Lowercase ISO 4217; "usd" (the default) is written with "$". */
  currency?: string
  thresholds: Thresholds
  /** Kind of the last refresh error, or null when it succeeded. */
  errorKind: ErrorKind | null
  stale: boolean
  /** Time since the last successful refresh; null/absent when there never was one. */
  staleForMs?: number | null
  /** Newest top-up in the ledger (ISO), or null. */
  lastTopUpAt: string | null
  now: Date
}

export function evaluateAlerts(
  state: AlertState,
  input: AlertInput
): { state: AlertState; alerts: Alert[] } {
  const alerts: Alert[] = []
  const nowIso = input.now.toISOString()
  const keyProblem =
    input.errorKind === 'auth' || input.errorKind === 'permission' ? input.errorKind : null

  // Key rejected.
  let keyRejected = state.keyRejected
  if (keyProblem) {
    if (!keyRejected) {
      keyRejected = { since: nowIso }
      alerts.push(keyRejectedAlert(keyProblem))
    }
  } else if (input.errorKind === null || input.errorKind === 'no_key') {
    keyRejected = null
  }

  // Credit low / critical.
  let credit = state.credit
  const level = input.level
  const toppedUpSince = (start: string): boolean =>
    input.lastTopUpAt !== null && Date.parse(input.lastTopUpAt) > Date.parse(start)
  if (level === 'low' || level === 'critical') {
    if (credit && toppedUpSince(credit.since) && input.lastTopUpAt) {
      credit = { level, since: input.lastTopUpAt }
    } else if (!credit) {
      credit = { level, since: nowIso }
      alerts.push(creditAlert(level, input))
    } else if (level === 'critical' && credit.level === 'low') {
      credit = { level, since: credit.since }
      alerts.push(creditAlert(level, input))
    }
  } else if (level === 'ok' && credit) {
    if (recovered(input) || toppedUpSince(credit.since)) credit = null
  }

  // Stale data.
  let stale = state.stale
  if (!input.stale) {
    stale = null
  } else if (
    !stale &&
    !keyProblem &&
    input.errorKind !== 'no_key' &&
    typeof input.staleForMs === 'number' &&
    input.staleForMs > STALE_ALERT_MS
  ) {
    stale = { since: nowIso }
    alerts.push(staleAlert(input.staleForMs, input.errorKind))
  }

  return { state: { credit, keyRejected, stale }, alerts }
}

/** Far enough above the low thresholds that a small wobble does not count as a new dip. */
function recovered({ balance, daysLeft, thresholds: t }: AlertInput): boolean {
  return (
    balance !== null &&
    balance > t.lowBalance * REARM_BALANCE_FACTOR &&
    (daysLeft === null || daysLeft > t.lowDays + REARM_EXTRA_DAYS)
  )
}

function money(value: number, currency = 'usd'): string {
  const abs = Math.abs(roundCents(value)).toFixed(2)
  const sign = roundCents(value) < 0 ? '-' : ''
  return currency.toLowerCase() === 'usd'
    ? `${sign}$${abs}`
    : `${sign}${abs} ${currency.toUpperCase()}`
}

function creditAlert(level: 'low' | 'critical', input: AlertInput): Alert {
  const { balance, daysLeft, burnRatePerDay, currency } = input
  if (balance !== null && balance <= 0) {
    return {
      kind: level,
      title: 'OpenAI credit has probably run out',
      body:
        `Estimated balance: ${money(balance, currency)}. API requests fail once the credit is ` +
        'used up. Add credit on the billing page.'
    }
  }
  const left = balance === null ? 'Credit is running out' : `≈ ${money(balance, currency)} left`
  let runway = ''
  if (daysLeft !== null) {
    const days = Math.floor(daysLeft)
    runway = days < 1 ? ', less than a day' : `, about ${days} day${days === 1 ? '' : 's'}`
    if (burnRatePerDay !== undefined && burnRatePerDay > 0) {
      runway += ` at ${money(burnRatePerDay, currency)}/day`
    }
  }
  return {
    kind: level,
    title: level === 'critical' ? 'OpenAI credit is critically low' : 'OpenAI credit is low',
    body: `${left}${runway}. Top up to keep API requests working.`
  }
}

function keyRejectedAlert(kind: 'auth' | 'permission'): Alert {
  return kind === 'auth'
    ? {
        kind: 'key_rejected',
        title: 'OpenAI rejected the Admin key',
        body:
          'Credit Tray cannot update spend or the balance estimate. The key may have been ' +
          'revoked: create a new Admin key and save it in Credit Tray.'
      }
    : {
        kind: 'key_rejected',
        title: 'This key cannot read costs',
        body:
          'Credit Tray needs an Admin key (sk-admin-…) from an organization owner to read ' +
          'costs. Add one in Credit Tray.'
      }
}

const STALE_REASONS: Partial<Record<ErrorKind, string>> = {
  network: 'api.openai.com could not be reached',
  rate_limit: 'OpenAI is rate-limiting requests',
  server: 'OpenAI answered with server errors',
  bad_response: 'OpenAI sent answers Credit Tray does not understand',
  keychain: 'the system keychain did not answer'
}

function staleAlert(staleForMs: number, errorKind: ErrorKind | null): Alert {
  const hours = Math.floor(staleForMs / 3_600_000)
  const reason = errorKind ? STALE_REASONS[errorKind] : undefined
  return {
    kind: 'stale',
    title: `Credit Tray has not updated for ${hours} hours`,
    body:
      'The spend and balance shown may be out of date' +
      (reason ? ` (${reason})` : '') +
      '. Credit Tray keeps retrying.'
  }
}

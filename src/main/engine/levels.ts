// How worried the user should be, from the balance estimate, the days it lasts and the user's
// thresholds. Either signal is enough: a big balance that runs out in a day is critical, and so is
// a tiny balance nobody is spending.
import type { Level, Status, Thresholds } from '../../shared/status'

/**
 * - unknown: no balance recorded (spend-only tracking);
 * - critical: balance <= criticalBalance, or days left <= criticalDays;
 * - low: balance <= lowBalance, or days left <= lowDays;
 * - ok otherwise. `daysLeft` null (nothing being spent) never makes it worse.
 */
export function levelFor(balance: number | null, daysLeft: number | null, t: Thresholds): Level {
  if (balance === null) return 'unknown'
  const within = (money: number, days: number) =>
    balance <= money || (daysLeft !== null && daysLeft <= days)
  if (within(t.criticalBalance, t.criticalDays)) return 'critical'
  if (within(t.lowBalance, t.lowDays)) return 'low'
  return 'ok'
}

/**
 * A balance below zero (overage: spend passed the credit, OpenAI takes it from the next
 * purchase) is critical whatever the thresholds or the auto-recharge headroom say; null otherwise.
 */
export function overageLevel(balance: number): Level | null {
  return balance < 0 ? 'critical' : null
}

/** Share of the monthly budget at which the level turns `low` (and the first budget alert). */
export const BUDGET_LOW_FRACTION = 0.8

/**
 * Without a balance (invoiced accounts) the monthly budget is what there is to worry about:
 * critical once month-to-date spend reaches the budget, low from 80% of it, ok below. No budget:
 * unknown, as before.
 */
export function budgetLevel(fraction: number | null): Level {
  if (fraction === null || !Number.isFinite(fraction)) return 'unknown'
  if (fraction >= 1) return 'critical'
  if (fraction >= BUDGET_LOW_FRACTION) return 'low'
  return 'ok'
}

/**
 * With auto-recharge on, the balance hovers between the reload threshold and the reload-to
 * amount on purpose, so it says little by itself. What matters is the money still available this
 * month — the modelled balance plus the reload headroom the monthly limit leaves (no limit:
 * unlimited) — and the days left counting reloads and monthly resets. Same thresholds as
 * levelFor, applied to those.
 */
export function autoRechargeLevel(
  balance: number,
  headroom: number | null,
  daysLeft: number | null,
  t: Thresholds
): Level {
  return levelFor(balance + (headroom ?? Number.POSITIVE_INFINITY), daysLeft, t)
}

export interface ThresholdProblem {
  field: keyof Thresholds
  message: string
}

export type ThresholdsResult =
  { ok: true; value: Thresholds } | { ok: false; problems: ThresholdProblem[] }

const LABELS: Record<keyof Thresholds, string> = {
  lowBalance: 'The low balance',
  lowDays: 'The low days left',
  criticalBalance: 'The critical balance',
  criticalDays: 'The critical days left'
}
const FIELDS = Object.keys(LABELS) as (keyof Thresholds)[]

/** Largest sensible threshold: above this it is surely a typo. */
const MAX_MONEY = 1_000_000
const MAX_DAYS = 3_650

/**
 * Checks thresholds from the settings view or the CLI: each a finite number >= 0 (money up to
 * $1,000,000, days up to 10 years), and critical not above low (it would never show as low).
 * Every problem is listed, each with the field it belongs to and a message for a person.
 */
export function validateThresholds(raw: unknown): ThresholdsResult {
  if (typeof raw !== 'object' || raw === null) {
    return { ok: false, problems: FIELDS.map((field) => missing(field)) }
  }
  const input = raw as Record<string, unknown>
  const problems: ThresholdProblem[] = []
  const value: Partial<Thresholds> = {}

  for (const field of FIELDS) {
    const v = input[field]
    const isDays = field.endsWith('Days')
    const max = isDays ? MAX_DAYS : MAX_MONEY
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(missing(field))
    else if (v < 0) problems.push({ field, message: `${LABELS[field]} cannot be negative.` })
    else if (v > max) {
      const limit = isDays ? `${MAX_DAYS} days` : '$1,000,000'
      problems.push({ field, message: `${LABELS[field]} must be at most ${limit}.` })
    } else value[field] = v
  }

  const { lowBalance, criticalBalance, lowDays, criticalDays } = value
  if (lowBalance !== undefined && criticalBalance !== undefined && criticalBalance > lowBalance) {
    problems.push({
      field: 'criticalBalance',
      message: `The critical balance ($${criticalBalance}) must not be more than the low balance ($${lowBalance}).`
    })
  }
  if (lowDays !== undefined && criticalDays !== undefined && criticalDays > lowDays) {
    problems.push({
      field: 'criticalDays',
      message: `The critical days left (${criticalDays}) must not be more than the low days left (${lowDays}).`
    })
  }

  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, value: value as Thresholds }
}

function missing(field: keyof Thresholds): ThresholdProblem {
  return { field, message: `${LABELS[field]} must be a number.` }
}

/**
 * The level of the credit alone (not OpenAI's spend limits), from a status's own figures: the
 * auto-recharge rule when it is on, the balance and days left otherwise, overage always critical;
 * without a balance, the monthly budget. The engine's status and the team engine (which gets only
 * the server's status) both use it, so a level from the limits is never worded as low credit.
 */
export function creditLevel(
  s: Pick<Status, 'balance' | 'daysLeft' | 'thresholds'> & {
    autoRecharge: { headroom: number | null } | null
    budget: { fraction: number } | null
  }
): Level {
  if (s.balance === null) return budgetLevel(s.budget?.fraction ?? null)
  const level = s.autoRecharge
    ? autoRechargeLevel(s.balance, s.autoRecharge.headroom, s.daysLeft, s.thresholds)
    : levelFor(s.balance, s.daysLeft, s.thresholds)
  return overageLevel(s.balance) ?? level
}

// Client-side checks for what the user types. Main validates again; these exist so mistakes get a
// clear message next to the field instead of a round trip and a generic failure.
import { POLL_INTERVAL_MAX, POLL_INTERVAL_MIN, type Settings } from '../../shared/settings'
import type { Thresholds } from '../../shared/status'

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

/** Matches main's upper bound on recorded amounts. */
export const MAX_AMOUNT = 1e7

/**
 * Reads a dollar amount as people type it: "41.20", "$41.20", "1,234.50", "41,20".
 * Anything else (letters, two decimal points, negative numbers) is refused rather than guessed.
 */
export function parseAmount(text: string, options: { allowZero: boolean }): Parsed<number> {
  let s = text
    .trim()
    .replace(/^\$\s*/, '')
    .replace(/\s+/g, '')
  if (s === '') return { ok: false, message: 'Enter an amount.' }
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '')
  else if (/^\d+,\d{1,2}$/.test(s)) s = s.replace(',', '.')
  if (s.startsWith('-')) return { ok: false, message: 'The amount cannot be negative.' }
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) {
    return { ok: false, message: 'Enter a number of dollars, like 25 or 41.20.' }
  }
  const value = Number(s)
  if (!Number.isFinite(value))
    return { ok: false, message: 'Enter a number of dollars, like 25 or 41.20.' }
  if (value === 0 && !options.allowZero)
    return { ok: false, message: 'The amount must be more than 0.' }
  if (value >= MAX_AMOUNT)
    return { ok: false, message: 'That amount is too large. Check the number.' }
  return { ok: true, value }
}

/** The editable numbers of the settings view, as typed. */
export interface SettingsForm {
  lowBalance: string
  criticalBalance: string
  lowDays: string
  criticalDays: string
  pollIntervalMinutes: string
}

export type SettingsFormErrors = Partial<Record<keyof SettingsForm, string>>

export function settingsToForm(settings: Settings): SettingsForm {
  const t = settings.thresholds
  return {
    lowBalance: String(t.lowBalance),
    criticalBalance: String(t.criticalBalance),
    lowDays: String(t.lowDays),
    criticalDays: String(t.criticalDays),
    pollIntervalMinutes: String(settings.pollIntervalMinutes)
  }
}

function parseNonNegative(text: string, unit: string): Parsed<number> {
  const s = text.trim()
  if (s === '') return { ok: false, message: `Enter a number of ${unit}.` }
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s.replace(/^\$/, ''))) {
    return { ok: false, message: `Enter a number of ${unit} (0 or more).` }
  }
  const value = Number(s.replace(/^\$/, ''))
  if (value >= MAX_AMOUNT) return { ok: false, message: 'That number is too large.' }
  return { ok: true, value }
}

/** Validates the whole form; either every field is good (a settings patch) or per-field errors. */
export function validateSettingsForm(
  form: SettingsForm
):
  | { ok: true; patch: { thresholds: Thresholds; pollIntervalMinutes: number } }
  | { ok: false; errors: SettingsFormErrors } {
  const errors: SettingsFormErrors = {}
  const read = (field: keyof SettingsForm, unit: string): number | null => {
    const parsed = parseNonNegative(form[field], unit)
    if (parsed.ok) return parsed.value
    errors[field] = parsed.message
    return null
  }
  const lowBalance = read('lowBalance', 'dollars')
  const criticalBalance = read('criticalBalance', 'dollars')
  const lowDays = read('lowDays', 'days')
  const criticalDays = read('criticalDays', 'days')

  // "Critical" must be the more urgent state: a critical threshold above the low one would make
  // the low warning unreachable.
  if (lowBalance !== null && criticalBalance !== null && criticalBalance > lowBalance) {
    errors.criticalBalance = 'Critical must be at or below the low amount.'
  }
  if (lowDays !== null && criticalDays !== null && criticalDays > lowDays) {
    errors.criticalDays = 'Critical must be at or below the low number of days.'
  }

  const pollText = form.pollIntervalMinutes.trim()
  const poll = Number(pollText)
  if (!/^\d+$/.test(pollText) || poll < POLL_INTERVAL_MIN || poll > POLL_INTERVAL_MAX) {
    errors.pollIntervalMinutes = `Enter whole minutes from ${POLL_INTERVAL_MIN} to ${POLL_INTERVAL_MAX}.`
  }

  if (
    Object.keys(errors).length > 0 ||
    lowBalance === null ||
    criticalBalance === null ||
    lowDays === null ||
    criticalDays === null
  ) {
    return { ok: false, errors }
  }
  return {
    ok: true,
    patch: {
      thresholds: { lowBalance, criticalBalance, lowDays, criticalDays },
      pollIntervalMinutes: poll
    }
  }
}

/** The auto-recharge and budget fields of the settings view, as typed. */
export interface RechargeBudgetForm {
  enabled: boolean
  threshold: string
  reloadTo: string
  /** Empty = no monthly limit. */
  monthlyLimit: string
  /** Empty = no budget. */
  monthlyBudget: string
}

export type RechargeBudgetErrors = Partial<
  Record<Exclude<keyof RechargeBudgetForm, 'enabled'>, string>
>

export function rechargeBudgetToForm(settings: Settings): RechargeBudgetForm {
  const a = settings.autoRecharge
  return {
    enabled: a.enabled,
    threshold: String(a.threshold),
    reloadTo: String(a.reloadTo),
    monthlyLimit: a.monthlyLimit === null ? '' : String(a.monthlyLimit),
    monthlyBudget: settings.monthlyBudget === null ? '' : String(settings.monthlyBudget)
  }
}

const dollars = (value: number): string => `$${value.toFixed(2)}`

/**
 * Same rules as main (settings-store.ts): threshold ≥ 0, reload-to above the threshold, a
 * monthly limit (optional) that allows at least one reload, a budget (optional) above $0.
 */
export function validateRechargeBudgetForm(
  form: RechargeBudgetForm
):
  | { ok: true; patch: Pick<Settings, 'autoRecharge' | 'monthlyBudget'> }
  | { ok: false; errors: RechargeBudgetErrors } {
  const errors: RechargeBudgetErrors = {}
  const read = (
    field: keyof RechargeBudgetErrors,
    allowZero: boolean,
    optional: boolean
  ): number | null | undefined => {
    if (optional && form[field].trim() === '') return null
    const parsed = parseAmount(form[field], { allowZero })
    if (parsed.ok) return parsed.value
    errors[field] = parsed.message
    return undefined
  }
  const threshold = read('threshold', true, false)
  const reloadTo = read('reloadTo', false, false)
  const monthlyLimit = read('monthlyLimit', false, true)
  const monthlyBudget = read('monthlyBudget', false, true)

  if (typeof threshold === 'number' && typeof reloadTo === 'number') {
    if (!(reloadTo > threshold)) {
      errors.reloadTo = `Reload to must be more than the threshold (${dollars(threshold)}).`
    } else if (typeof monthlyLimit === 'number' && monthlyLimit < reloadTo - threshold) {
      errors.monthlyLimit =
        `The limit must allow at least one reload of ${dollars(reloadTo - threshold)} ` +
        '(reload to minus threshold), or be left empty.'
    }
  }

  if (
    Object.keys(errors).length > 0 ||
    typeof threshold !== 'number' ||
    typeof reloadTo !== 'number' ||
    monthlyLimit === undefined ||
    monthlyBudget === undefined
  ) {
    return { ok: false, errors }
  }
  return {
    ok: true,
    patch: {
      autoRecharge: { enabled: form.enabled, threshold, reloadTo, monthlyLimit },
      monthlyBudget
    }
  }
}

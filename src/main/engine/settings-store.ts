// Settings as stored on disk, and the validation every change goes through (CLI, IPC, file).
import { z } from 'zod'
import {
  DEFAULT_AUTO_RECHARGE,
  DEFAULT_SETTINGS,
  POLL_INTERVAL_MAX,
  POLL_INTERVAL_MIN,
  type AutoRecharge,
  type Settings
} from '../../shared/settings'
import { InputError } from './errors'

export const SETTINGS_VERSION = 1

const money = z.number().finite().nonnegative().max(1_000_000)
const days = z.number().finite().nonnegative().max(3650)

export const thresholdsSchema = z.object({
  lowBalance: money,
  lowDays: days,
  criticalBalance: money,
  criticalDays: days
})

export const autoRechargeSchema = z.object({
  enabled: z.boolean(),
  threshold: money,
  reloadTo: money,
  monthlyLimit: money.nullable()
})

export const settingsSchema = z.object({
  thresholds: thresholdsSchema,
  pollIntervalMinutes: z.number().int().min(POLL_INTERVAL_MIN).max(POLL_INTERVAL_MAX),
  notificationsEnabled: z.boolean(),
  launchAtLogin: z.boolean(),
  showAmountInMenuBar: z.boolean(),
  autoRecharge: autoRechargeSchema,
  monthlyBudget: money.positive().nullable()
})

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Older or partial files are filled from the defaults, so adding a setting never breaks a file.
 * Only what is absent is filled: a field that is there with the wrong type (`"thresholds":
 * "high"`, `null`, a number) is left as it is, so validation fails and the store keeps the file
 * aside with a notice, instead of quietly putting the defaults in its place.
 */
export const storedSettingsSchema = z.preprocess((raw) => {
  if (!isPlainObject(raw)) return raw
  const fill = (value: unknown, defaults: object): unknown =>
    value === undefined ? defaults : isPlainObject(value) ? { ...defaults, ...value } : value
  return {
    ...DEFAULT_SETTINGS,
    ...raw,
    thresholds: fill(raw.thresholds, DEFAULT_SETTINGS.thresholds),
    autoRecharge: fill(raw.autoRecharge, DEFAULT_AUTO_RECHARGE)
  }
}, settingsSchema) as unknown as z.ZodType<Settings>

/**
 * Apply a patch and check the result as a whole. Throws InputError (written for a person) and
 * changes nothing when the result would not make sense.
 */
export function applySettingsPatch(current: Settings, patch: Partial<Settings>): Settings {
  const next: Settings = {
    ...current,
    ...patch,
    thresholds: { ...current.thresholds, ...(patch.thresholds ?? {}) },
    autoRecharge: { ...current.autoRecharge, ...(patch.autoRecharge ?? {}) }
  }
  const parsed = settingsSchema.safeParse(next)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.join('.') ?? 'settings'
    if (field === 'pollIntervalMinutes') {
      throw new InputError(
        `The poll interval must be a whole number of minutes from ${POLL_INTERVAL_MIN} to ${POLL_INTERVAL_MAX}.`
      )
    }
    if (field.startsWith('thresholds.')) {
      throw new InputError(
        `${FIELD_NAMES[field] ?? field} must be a number of ${field.endsWith('Days') ? 'days' : 'dollars'} of 0 or more.`
      )
    }
    if (field.startsWith('autoRecharge.')) {
      throw new InputError(
        field === 'autoRecharge.enabled'
          ? 'Auto-recharge must be switched on or off.'
          : `${FIELD_NAMES[field] ?? field} must be a number of dollars from 0 to 1,000,000` +
              (field === 'autoRecharge.monthlyLimit' ? ', or empty for no limit.' : '.')
      )
    }
    if (field === 'monthlyBudget') {
      throw new InputError(
        'The monthly budget must be more than $0 and at most $1,000,000 (leave it empty for no budget).'
      )
    }
    throw new InputError(`That setting is not valid (${field}).`)
  }
  const t = parsed.data.thresholds
  if (t.criticalBalance > t.lowBalance) {
    throw new InputError('The critical balance must not be above the low balance.')
  }
  if (t.criticalDays > t.lowDays) {
    throw new InputError('The critical number of days must not be above the low number of days.')
  }
  checkAutoRecharge(parsed.data.autoRecharge)
  return parsed.data
}

/**
 * Auto-recharge only makes sense when it reloads to more than the threshold, and a monthly limit
 * smaller than one reload would refuse every reload. Checked whether it is on or off, so stored
 * settings are always coherent and switching it on needs no second look.
 */
function checkAutoRecharge(a: AutoRecharge): void {
  if (!(a.reloadTo > a.threshold)) {
    throw new InputError(
      `The reload-to amount (${dollars(a.reloadTo)}) must be more than the threshold ` +
        `(${dollars(a.threshold)}): auto-recharge brings the balance back up to it.`
    )
  }
  const step = a.reloadTo - a.threshold
  if (a.monthlyLimit !== null && a.monthlyLimit < step - 1e-9) {
    throw new InputError(
      `The monthly reload limit (${dollars(a.monthlyLimit)}) must allow at least one reload of ` +
        `${dollars(step)} (reload-to minus threshold). Leave it empty for no limit.`
    )
  }
}

function dollars(value: number): string {
  return `$${value.toFixed(2)}`
}

const FIELD_NAMES: Record<string, string> = {
  'thresholds.lowBalance': 'The low-balance threshold',
  'thresholds.lowDays': 'The low days-left threshold',
  'thresholds.criticalBalance': 'The critical-balance threshold',
  'thresholds.criticalDays': 'The critical days-left threshold',
  'autoRecharge.threshold': 'The auto-recharge threshold',
  'autoRecharge.reloadTo': 'The reload-to amount',
  'autoRecharge.monthlyLimit': 'The monthly reload limit'
}

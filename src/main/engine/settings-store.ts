// Settings as stored on disk, and the validation every change goes through (CLI, IPC, file).
import { z } from 'zod'
import {
  DEFAULT_SETTINGS,
  POLL_INTERVAL_MAX,
  POLL_INTERVAL_MIN,
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

export const settingsSchema = z.object({
  thresholds: thresholdsSchema,
  pollIntervalMinutes: z.number().int().min(POLL_INTERVAL_MIN).max(POLL_INTERVAL_MAX),
  notificationsEnabled: z.boolean(),
  launchAtLogin: z.boolean(),
  showAmountInMenuBar: z.boolean()
})

/** Older or partial files are filled from the defaults, so adding a setting never breaks a file. */
export const storedSettingsSchema = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null) return raw
  const r = raw as Partial<Settings>
  return {
    ...DEFAULT_SETTINGS,
    ...r,
    thresholds: { ...DEFAULT_SETTINGS.thresholds, ...(r.thresholds ?? {}) }
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
    thresholds: { ...current.thresholds, ...(patch.thresholds ?? {}) }
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
    throw new InputError(`That setting is not valid (${field}).`)
  }
  const t = parsed.data.thresholds
  if (t.criticalBalance > t.lowBalance) {
    throw new InputError('The critical balance must not be above the low balance.')
  }
  if (t.criticalDays > t.lowDays) {
    throw new InputError('The critical number of days must not be above the low number of days.')
  }
  return parsed.data
}

const FIELD_NAMES: Record<string, string> = {
  'thresholds.lowBalance': 'The low-balance threshold',
  'thresholds.lowDays': 'The low days-left threshold',
  'thresholds.criticalBalance': 'The critical-balance threshold',
  'thresholds.criticalDays': 'The critical days-left threshold'
}

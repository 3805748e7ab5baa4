// Runtime validation of every payload the renderer sends. The renderer is treated as untrusted
// (a compromised page can call ipcRenderer.invoke with anything), so each invoke channel has a
// strict schema: the right shape, sane bounds, and no extra fields. The engine validates again
// with its own rules; this layer keeps junk (NaN, 1e308, prototype tricks, huge strings) out.
import { z } from 'zod'
import {
  EXTERNAL_PAGES,
  type ExternalPage,
  type InvokeChannel,
  type InvokeChannels
} from '../../shared/ipc'
import { POLL_INTERVAL_MAX, POLL_INTERVAL_MIN } from '../../shared/settings'

/** Amounts are dollars a person typed: anything at or above this is a typo, not a balance. */
export const AMOUNT_LIMIT = 1e7
/** Admin keys are ~170 characters; 512 leaves room without accepting megabytes. */
export const KEY_MAX_LENGTH = 512
/** Days thresholds beyond ten years mean nothing for a run-out warning. */
export const DAYS_THRESHOLD_MAX = 3650

// z.number() already rejects NaN and ±Infinity in zod 4.
const money = z.number().nonnegative().lt(AMOUNT_LIMIT)
const days = z.number().nonnegative().lte(DAYS_THRESHOLD_MAX)

const thresholdsSchema = z.strictObject({
  lowBalance: money,
  lowDays: days,
  criticalBalance: money,
  criticalDays: days
})

const externalPageIds = Object.keys(EXTERNAL_PAGES) as [ExternalPage, ...ExternalPage[]]

const noPayload = z.undefined()

/** One schema per invoke channel; `z.undefined()` for channels that take no payload. */
/** Account names as the registry accepts them (accounts.ts validates again). */
const accountName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$/)

export const PAYLOAD_SCHEMAS = {
  'status:get': noPayload,
  'status:refresh': noPayload,
  'key:info': noPayload,
  'key:set': z.strictObject({ key: z.string().min(1).max(KEY_MAX_LENGTH) }),
  'key:clear': noPayload,
  'ledger:balance': z.strictObject({ amount: z.number().nonnegative().lt(AMOUNT_LIMIT) }),
  'ledger:topup': z.strictObject({ amount: z.number().positive().lt(AMOUNT_LIMIT) }),
  'settings:get': noPayload,
  // exactOptional: a field may be absent, but `{ launchAtLogin: undefined }` is rejected rather
  // than spread over the stored settings.
  'settings:set': z.strictObject({
    thresholds: thresholdsSchema.exactOptional(),
    pollIntervalMinutes: z
      .number()
      .int()
      .min(POLL_INTERVAL_MIN)
      .max(POLL_INTERVAL_MAX)
      .exactOptional(),
    notificationsEnabled: z.boolean().exactOptional(),
    launchAtLogin: z.boolean().exactOptional(),
    showAmountInMenuBar: z.boolean().exactOptional(),
    // Whole object: the engine checks reloadTo > threshold and the limit against one reload.
    autoRecharge: z
      .strictObject({
        enabled: z.boolean(),
        threshold: money,
        reloadTo: money,
        monthlyLimit: money.nullable()
      })
      .exactOptional(),
    monthlyBudget: z.number().positive().lt(AMOUNT_LIMIT).nullable().exactOptional()
  }),
  'external:open': z.strictObject({ page: z.enum(externalPageIds) }),
  'window:topup': noPayload,
  'window:hide': noPayload,
  'window:close': noPayload,
  'export:csv': noPayload,
  'accounts:get': noPayload,
  'accounts:switch': z.strictObject({ name: accountName }),
  'limits:set': z.strictObject({ amount: z.number().positive().lt(AMOUNT_LIMIT) }),
  'limits:alert-add': z.strictObject({
    amount: z.number().positive().lt(AMOUNT_LIMIT),
    recipients: z.array(z.email().max(254)).min(1).max(10)
  }),
  'accounts:add': z.strictObject({
    name: accountName,
    projectIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/)).max(50)
  }),
  'accounts:remove': z.strictObject({ name: accountName }),
  'team:get': noPayload,
  // The engine checks the URL rule (https or loopback) and the token again.
  'team:set': z.strictObject({
    url: z.string().min(1).max(2048),
    token: z.string().min(1).max(KEY_MAX_LENGTH),
    account: z.string().min(1).max(100).nullable()
  }),
  'team:clear': noPayload
} satisfies { [C in InvokeChannel]: z.ZodType }

export type ValidationResult<C extends InvokeChannel> =
  | { ok: true; payload: InvokeChannels[C]['request'] }
  /** `problems` names fields and rules only — never the values (a payload may hold the key). */
  | { ok: false; problems: string[] }

/**
 * Validate the arguments of one `ipcRenderer.invoke(channel, ...args)` call. At most one
 * argument is allowed; channels without a payload accept none (or an explicit `undefined`).
 */
export function validatePayload<C extends InvokeChannel>(
  channel: C,
  args: readonly unknown[]
): ValidationResult<C> {
  if (args.length > 1)
    return { ok: false, problems: [`expected at most 1 argument, got ${args.length}`] }
  const schema: z.ZodType = PAYLOAD_SCHEMAS[channel]
  const parsed = schema.safeParse(args[0])
  if (parsed.success) return { ok: true, payload: parsed.data as InvokeChannels[C]['request'] }
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.code}`
    )
  }
}

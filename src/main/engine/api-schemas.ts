// Runtime shapes of the two Admin API answers Credit Tray reads. The SDK's TypeScript types are
// promises, not checks: whatever arrives over the wire is parsed here before a single number from
// it is added up, so a surprise in the payload becomes a `bad_response` instead of a NaN balance.
//
// Lenient where the API is known to wobble (money as "12.50", `amount` absent, extra fields),
// strict where a wrong value would silently corrupt totals (types of times, counts, money).
import { z } from 'zod'

/** A decimal written as a string, as the Costs API sometimes sends `amount.value` ("12.50"). */
const NUMERIC_STRING = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/

/**
 * A finite number that may arrive as a JSON number or a numeric string. Zod 4's `z.number()`
 * already refuses NaN and ±Infinity, so the pipe also rejects "1e999".
 */
export const numberLike = z
  .union([z.number(), z.string().regex(NUMERIC_STRING).transform(Number)])
  .pipe(z.number())

/** Token and request counts: non-negative, finite. */
const count = numberLike.pipe(z.number().nonnegative())

/** Unix seconds. Never a string: a string time means we misunderstand the payload. */
const unixSeconds = z.number().int()

/** Grouped-by fields are null (or absent) unless the request grouped by them. */
const groupKey = z.string().nullish()

export const costAmountSchema = z.object({
  value: numberLike,
  // Lowercase ISO 4217 in practice; normalised so "USD" and "usd" never split a day's total.
  currency: z
    .string()
    .min(1)
    .transform((c) => c.toLowerCase())
})

export const costResultSchema = z.object({
  // Optional in the published schema and seen missing in the wild: counts as zero.
  amount: costAmountSchema.nullish(),
  line_item: groupKey,
  project_id: groupKey
})

export const completionsResultSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  num_model_requests: count,
  model: groupKey
})

function bucketOf<R extends z.ZodType>(result: R) {
  return z
    .object({
      start_time: unixSeconds,
      end_time: unixSeconds,
      results: z.array(result)
    })
    .refine((b) => b.end_time > b.start_time, { message: 'bucket ends before it starts' })
}

function pageOf<R extends z.ZodType>(result: R) {
  return z
    .object({
      data: z.array(bucketOf(result)),
      has_more: z.boolean(),
      next_page: z.string().min(1).nullish()
    })
    .refine((p) => !p.has_more || typeof p.next_page === 'string', {
      message: 'has_more without a next_page cursor',
      path: ['next_page']
    })
}

export const costsPageSchema = pageOf(costResultSchema)
export const completionsPageSchema = pageOf(completionsResultSchema)

export type CostsPage = z.infer<typeof costsPageSchema>
export type CostResult = z.infer<typeof costResultSchema>
export type CompletionsPage = z.infer<typeof completionsPageSchema>
export type CompletionsResult = z.infer<typeof completionsResultSchema>

/** Where in the payload parsing failed, e.g. "data[0].results[2].amount.value": no values. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'unexpected shape'
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : (i === 0 ? '' : '.') + String(p)))
    .join('')
  return path ? `${path}: ${issue.message}` : issue.message
}

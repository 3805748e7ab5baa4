// The on-disk cache of daily cost buckets and the plan for what to fetch next.
//
// Why incremental: a cold start needs up to 180 days, which the Costs API returns in one page
// (limit up to 180). After that only the last few days can still change (OpenAI revises costs for
// a while after a day ends), so a steady-state poll asks for those days only: one small request.
// Older days are never re-requested unless there is a gap (the machine was off for a week).
import { z } from 'zod'
import { addDays, daysBetween } from './dates'
import type { DayCosts, ModelUsageTotals } from './types'

/** How far back a cold start looks, in days including today. The API's maximum page size. */
export const COLD_START_DAYS = 180
/** Days at the end of the cached range that are re-fetched because they may still be revised. */
export const REVISION_DAYS = 3
/** Days kept on disk. A year is enough for any projection we show and bounds the file size. */
export const KEEP_DAYS = 400

const moneyMap = z.record(z.string(), z.number().finite())

export const dayCostsSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  total: z.number().finite(),
  currency: z.string().min(1),
  lineItems: moneyMap,
  projects: moneyMap
})

export const modelUsageSchema = z.object({
  model: z.string(),
  inputTokens: z.number().finite().nonnegative(),
  outputTokens: z.number().finite().nonnegative(),
  requests: z.number().finite().nonnegative()
})

export const costCacheSchema = z.object({
  /** Lowercase ISO 4217 of the cached amounts, once known. */
  currency: z.string().nullable(),
  /** Day buckets by "YYYY-MM-DD". */
  days: z.record(z.string(), dayCostsSchema),
  /** First day the cache covers (the cold start's first day): earlier days are unknown, not zero. */
  coveredFrom: z.string().nullable(),
  /** Last day covered by a successful fetch. */
  coveredThrough: z.string().nullable(),
  /** When the last successful costs fetch finished (ISO). */
  lastSuccessAt: z.string().nullable(),
  /** Completions usage by model over the last 7 days, refreshed on its own slower cadence. */
  modelUsage: z
    .object({ fetchedAt: z.string(), fromDay: z.string(), models: z.array(modelUsageSchema) })
    .nullable()
})

export type CostCache = z.infer<typeof costCacheSchema>

export const EMPTY_CACHE: CostCache = {
  currency: null,
  days: {},
  coveredFrom: null,
  coveredThrough: null,
  lastSuccessAt: null,
  modelUsage: null
}

export interface FetchPlan {
  startDay: string
  /** Exclusive end: the day after today. */
  endDayExclusive: string
  /** Buckets requested: the number of days in the range, so one page holds them all. */
  limit: number
  cold: boolean
}

/**
 * What to request now. Cold (nothing cached, or a gap longer than the cold window): the last
 * 180 days. Otherwise: from REVISION_DAYS before the last covered day through today — so a
 * normal poll asks for 3–4 days and a machine that slept for a week catches up in one request.
 */
export function planCostFetch(cache: CostCache, today: string): FetchPlan {
  const coldStart = addDays(today, -(COLD_START_DAYS - 1))
  const end = addDays(today, 1)
  const through = cache.coveredThrough
  if (through === null || cache.coveredFrom === null || through < coldStart || through > today) {
    return { startDay: coldStart, endDayExclusive: end, limit: COLD_START_DAYS, cold: true }
  }
  let start = addDays(through, -(REVISION_DAYS - 1))
  if (start < cache.coveredFrom) start = cache.coveredFrom
  if (start < coldStart) start = coldStart
  return { startDay: start, endDayExclusive: end, limit: daysBetween(start, end), cold: false }
}

/**
 * Merge fetched buckets for `plan`'s range into the cache. Days in the range the API did not
 * return are stored as zero (the range was asked for, so absence means no spend). Days outside
 * the range are untouched; days older than KEEP_DAYS are dropped.
 */
export function mergeCostFetch(
  cache: CostCache,
  plan: FetchPlan,
  fetched: DayCosts[],
  finishedAt: Date
): CostCache {
  const lastDay = addDays(plan.endDayExclusive, -1)
  const days: Record<string, DayCosts> = { ...cache.days }
  let currency = cache.currency
  for (let d = plan.startDay; d <= lastDay; d = addDays(d, 1)) {
    days[d] = { date: d, total: 0, currency: currency ?? 'usd', lineItems: {}, projects: {} }
  }
  for (const day of fetched) {
    if (day.date < plan.startDay || day.date > lastDay) continue
    days[day.date] = day
    currency = day.currency
  }
  const keepFrom = addDays(lastDay, -(KEEP_DAYS - 1))
  for (const d of Object.keys(days)) if (d < keepFrom) delete days[d]
  const coveredFrom =
    plan.cold || cache.coveredFrom === null ? plan.startDay : min(cache.coveredFrom, plan.startDay)
  return {
    ...cache,
    currency,
    days,
    coveredFrom: coveredFrom < keepFrom ? keepFrom : coveredFrom,
    coveredThrough: lastDay,
    lastSuccessAt: finishedAt.toISOString()
  }
}

/** Model usage is worth one request an hour, not one per poll. */
export const MODEL_USAGE_MAX_AGE_MS = 60 * 60 * 1000
/** Days of completions usage summarized by model (limit for 1d buckets is 31). */
export const MODEL_USAGE_DAYS = 7

export function modelUsageDue(cache: CostCache, now: Date): boolean {
  if (!cache.modelUsage) return true
  const age = now.getTime() - Date.parse(cache.modelUsage.fetchedAt)
  return !(age >= 0 && age < MODEL_USAGE_MAX_AGE_MS)
}

export function withModelUsage(
  cache: CostCache,
  fromDay: string,
  models: ModelUsageTotals[],
  now: Date
): CostCache {
  return { ...cache, modelUsage: { fetchedAt: now.toISOString(), fromDay, models } }
}

/** Cost of a cached day, 0 when unknown. */
export function costOn(cache: CostCache, day: string): number {
  return cache.days[day]?.total ?? 0
}

/** First day with any spend: burn-rate maths uses fewer days when the history is shorter. */
export function firstDayWithSpend(cache: CostCache): string | null {
  let first: string | null = null
  for (const [d, c] of Object.entries(cache.days))
    if (c.total > 0 && (first === null || d < first)) first = d
  return first
}

function min(a: string, b: string): string {
  return a < b ? a : b
}

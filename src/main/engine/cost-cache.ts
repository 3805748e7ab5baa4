// The on-disk cache of daily cost buckets and the plan for what to fetch next.
//
// Coverage: a day is known when it is a key of `days` (a day fetched without spend is stored as
// zero); a day that is not there is unknown, never free. The cache must know every day from the
// anchor of the estimate (the latest recorded balance) to today, and at least the last 180 days
// for charts and the burn rate; the plan fetches whatever of that is missing, however far back.
//
// Why incremental: a cold start needs 180 days (or back to the anchor), which the Costs API
// returns in one page of up to 180 buckets. After that only the last few days can still change
// (OpenAI revises costs for a while after a day ends), so a steady-state poll asks for those days
// only: one small request. Once a day the last 35 days are read again, for later restatements.
import { z } from 'zod'
import { addDays, daysBetween } from './dates'
import { CreditTrayError, mixedCurrencies } from './errors'
import type { DayCosts, ModelUsageTotals } from './types'

/** How far back the cache always reaches, in days including today (charts, burn rate). */
export const COLD_START_DAYS = 180
/** Buckets per page asked for (the Costs API's maximum). */
export const COSTS_PAGE_LIMIT = 180
/** Days at the end of the cached range that are re-fetched because they may still be revised. */
export const REVISION_DAYS = 3
/** Days re-read once a day, for restatements that come later than REVISION_DAYS. */
export const DEEP_REVISION_DAYS = 35
export const DEEP_REVISION_EVERY_MS = 24 * 60 * 60 * 1000
/** Days kept on disk beyond the anchor: bounds the file size. Days since the anchor are kept. */
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
  /** Day buckets by "YYYY-MM-DD": the known days (see the file comment). */
  days: z.record(z.string(), dayCostsSchema),
  /** The oldest day ever fetched (informational; coverage is the keys of `days`). */
  coveredFrom: z.string().nullable(),
  /** Last day covered by a successful fetch up to now: revisions start from here. */
  coveredThrough: z.string().nullable(),
  /** When the last successful costs fetch finished (ISO). */
  lastSuccessAt: z.string().nullable(),
  /** When the last 35 days were last read again (ISO); absent in older files. */
  lastDeepRevisionAt: z.string().nullable().default(null),
  /** The day last read live on its own (for a balance's baseline) and when; absent in older files. */
  liveDay: z.object({ date: z.string(), at: z.string() }).nullable().default(null),
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
  lastDeepRevisionAt: null,
  liveDay: null,
  modelUsage: null
}

/** One request's worth of days. */
export interface FetchRange {
  startDay: string
  /** Exclusive end: the day after today (the client asks up to now) or the day after a gap. */
  endDayExclusive: string
  /** Buckets per page (1–180). */
  limit: number
  /** Runs up to today: merging it moves `coveredThrough`. */
  forward: boolean
  /** Re-reads the last DEEP_REVISION_DAYS days: merging it in full stamps `lastDeepRevisionAt`. */
  deep: boolean
}

export interface PlanInput {
  today: string
  now: Date
  /** Day of the latest recorded balance: every day from it on must be known. */
  anchorDay: string | null
}

/** The first day the cache must know: 180 days back, or the anchor if that is older. */
export function neededFrom(today: string, anchorDay: string | null): string {
  const history = addDays(today, -(COLD_START_DAYS - 1))
  return anchorDay !== null && anchorDay < history ? anchorDay : history
}

/** Oldest day worth keeping on disk. */
export function keepFrom(today: string, anchorDay: string | null): string {
  const keep = addDays(today, -(KEEP_DAYS - 1))
  const needed = neededFrom(today, anchorDay)
  return needed < keep ? needed : keep
}

export function deepRevisionDue(cache: CostCache, now: Date): boolean {
  if (!cache.lastDeepRevisionAt) return true
  const age = now.getTime() - Date.parse(cache.lastDeepRevisionAt)
  return !(age >= 0 && age < DEEP_REVISION_EVERY_MS)
}

/**
 * What to request now, most important first:
 * - forward: from REVISION_DAYS before the last covered day through today (3–4 days on a normal
 *   poll; a machine that slept for a week catches up in one request); from 35 days back once a
 *   day; from the needed start on a cold cache (nothing covered, a clock that went backwards).
 * - backfill: each run of unknown days between the needed start and the forward range (an older
 *   anchor, a cache that was reset or trimmed, a fetch that stopped half-way).
 */
export function planCostFetch(cache: CostCache, input: PlanInput): FetchRange[] {
  const { today } = input
  const needed = neededFrom(today, input.anchorDay)
  const end = addDays(today, 1)
  const through = cache.coveredThrough
  const cold = through === null || through > today || through < needed
  let forwardStart = cold ? needed : addDays(through, -(REVISION_DAYS - 1))
  if (!cold && deepRevisionDue(cache, input.now)) {
    const deepStart = addDays(today, -(DEEP_REVISION_DAYS - 1))
    if (deepStart < forwardStart) forwardStart = deepStart
  }
  if (forwardStart < needed) forwardStart = needed
  const ranges: FetchRange[] = [
    {
      startDay: forwardStart,
      endDayExclusive: end,
      limit: pageLimit(forwardStart, end),
      forward: true,
      deep: forwardStart <= addDays(today, -(DEEP_REVISION_DAYS - 1))
    }
  ]
  for (const gap of missingRanges(cache, needed, addDays(forwardStart, -1))) {
    const gapEnd = addDays(gap.to, 1)
    ranges.push({
      startDay: gap.from,
      endDayExclusive: gapEnd,
      limit: pageLimit(gap.from, gapEnd),
      forward: false,
      deep: false
    })
  }
  return ranges
}

function pageLimit(from: string, endExclusive: string): number {
  return Math.min(COSTS_PAGE_LIMIT, Math.max(1, daysBetween(from, endExclusive)))
}

/** Runs of days in [from, to] that the cache does not know, oldest first. */
export function missingRanges(
  cache: CostCache,
  from: string,
  to: string
): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = []
  if (from > to) return out
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (cache.days[d]) continue
    const last = out.at(-1)
    if (last && addDays(last.to, 1) === d) last.to = d
    else out.push({ from: d, to: d })
  }
  return out
}

export interface MergeOptions {
  finishedAt: Date
  /**
   * The last day the fetch got through (a fetch that failed half-way); default: the range's last
   * day. Days after it are left as they were.
   */
  throughDay?: string
  /** Days before this are dropped (keepFrom()); default KEEP_DAYS before the range's end. */
  keepFrom?: string
}

/**
 * Merge fetched buckets for `range` into the cache. Days in the range (up to `throughDay`) the
 * API did not return are stored as zero (they were asked for, so absence means no spend). Days
 * outside are untouched. Refuses (CreditTrayError bad_response, cache unchanged) days whose
 * currency differs from the currency of days kept: different currencies are never added up.
 */
export function mergeCostFetch(
  cache: CostCache,
  range: FetchRange,
  fetched: DayCosts[],
  opts: MergeOptions
): CostCache {
  const rangeLast = addDays(range.endDayExclusive, -1)
  const lastDay =
    opts.throughDay !== undefined && opts.throughDay < rangeLast ? opts.throughDay : rangeLast
  const complete = lastDay === rangeLast
  const inRange = (d: string): boolean => d >= range.startDay && d <= lastDay
  const incoming = fetched.filter((d) => inRange(d.date))
  const currency = checkCurrency(cache, incoming, inRange)
  const days: Record<string, DayCosts> = { ...cache.days }
  for (let d = range.startDay; d <= lastDay; d = addDays(d, 1)) {
    days[d] = { date: d, total: 0, currency: currency ?? 'usd', lineItems: {}, projects: {} }
  }
  for (const day of incoming) days[day.date] = day
  const keep = opts.keepFrom ?? addDays(rangeLast, -(KEEP_DAYS - 1))
  for (const d of Object.keys(days)) if (d < keep) delete days[d]
  const oldest = cache.coveredFrom === null || range.startDay < cache.coveredFrom
  const coveredFrom = oldest ? range.startDay : cache.coveredFrom
  let coveredThrough = cache.coveredThrough
  if (range.forward) {
    const keepOld =
      coveredThrough !== null && coveredThrough > lastDay && coveredThrough <= rangeLast
    if (!keepOld) coveredThrough = lastDay
  }
  return {
    ...cache,
    currency,
    days,
    coveredFrom: coveredFrom !== null && coveredFrom < keep ? keep : coveredFrom,
    coveredThrough,
    // Data is "up to date" only when a fetch reached today; a partial one or a backfill is not.
    lastSuccessAt: range.forward && complete ? opts.finishedAt.toISOString() : cache.lastSuccessAt,
    lastDeepRevisionAt:
      range.deep && complete ? opts.finishedAt.toISOString() : cache.lastDeepRevisionAt
  }
}

/** Today's bucket read live (when a balance is recorded): it replaces the cached one. */
export function withLiveDay(
  cache: CostCache,
  day: string,
  fetched: DayCosts | null,
  readAt: Date
): CostCache {
  const incoming = fetched ? [fetched] : []
  const currency = checkCurrency(cache, incoming, (d) => d === day)
  return {
    ...cache,
    currency,
    liveDay: { date: day, at: readAt.toISOString() },
    days: {
      ...cache.days,
      [day]: fetched ?? {
        date: day,
        total: 0,
        currency: currency ?? 'usd',
        lineItems: {},
        projects: {}
      }
    }
  }
}

/** A day with at least one priced result; empty days have no currency of their own. */
function hasSpend(day: DayCosts): boolean {
  return Object.keys(day.lineItems).length > 0 || day.total !== 0
}

/**
 * The currency of the cache after merging `incoming` (which replaces the days `replaced` says).
 * Throws when an incoming day with spend is in another currency than a day with spend that stays.
 */
function checkCurrency(
  cache: CostCache,
  incoming: DayCosts[],
  replaced: (day: string) => boolean
): string | null {
  const fresh = incoming.find(hasSpend)?.currency
  if (fresh === undefined) return cache.currency
  for (const kept of Object.values(cache.days)) {
    if (replaced(kept.date) || !hasSpend(kept)) continue
    if (kept.currency !== fresh) {
      throw new CreditTrayError('bad_response', mixedCurrencies(kept.currency, fresh))
    }
  }
  return fresh
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

/**
 * When the cached cost of `day` was read (ISO): by the last refresh that reached it, or by a
 * later live read of that day alone. Null when the cache does not know the day.
 */
export function dayReadAt(cache: CostCache, day: string): string | null {
  if (!cache.days[day]) return null
  const refreshed =
    cache.coveredThrough !== null && cache.coveredThrough >= day ? cache.lastSuccessAt : null
  const live = cache.liveDay?.date === day ? cache.liveDay.at : null
  if (refreshed === null) return live
  if (live === null) return refreshed
  return live > refreshed ? live : refreshed
}

import {
  COLD_START_DAYS,
  EMPTY_CACHE,
  KEEP_DAYS,
  firstDayWithSpend,
  mergeCostFetch,
  modelUsageDue,
  planCostFetch,
  withModelUsage,
  type CostCache
} from '../src/main/engine/cost-cache'
import { addDays } from '../src/main/engine/dates'
import type { DayCosts } from '../src/main/engine/types'

const day = (date: string, total: number): DayCosts => ({
  date,
  total,
  currency: 'usd',
  lineItems: { 'gpt-4o, input': total },
  projects: { proj_a: total }
})

function coldCache(today: string): CostCache {
  const plan = planCostFetch(EMPTY_CACHE, today)
  return mergeCostFetch(
    EMPTY_CACHE,
    plan,
    [day(today, 2), day(addDays(today, -1), 3)],
    new Date(today + 'T10:00:00Z')
  )
}

describe('planning what to fetch', () => {
  it('asks for the last 180 days in one page on a cold start', () => {
    const plan = planCostFetch(EMPTY_CACHE, '2026-11-27')
    expect(plan).toEqual({
      startDay: addDays('2026-11-27', -(COLD_START_DAYS - 1)),
      endDayExclusive: '2026-11-28',
      limit: 180,
      cold: true
    })
  })

  it('re-fetches only the last three days once the cache is warm', () => {
    const cache = coldCache('2026-11-27')
    const plan = planCostFetch(cache, '2026-11-27')
    expect(plan).toEqual({
      startDay: '2026-11-25',
      endDayExclusive: '2026-11-28',
      limit: 3,
      cold: false
    })
  })

  it('the next UTC day still includes the days that may be revised', () => {
    const cache = coldCache('2026-11-27')
    const plan = planCostFetch(cache, '2026-11-28')
    expect(plan.startDay).toBe('2026-11-25')
    expect(plan.limit).toBe(4)
  })

  it('catches up a gap of a week in one request instead of starting over', () => {
    const cache = coldCache('2026-11-20')
    const plan = planCostFetch(cache, '2026-11-27')
    expect(plan.cold).toBe(false)
    expect(plan.startDay).toBe('2026-11-18')
    expect(plan.limit).toBe(10)
  })

  it('starts cold again when the gap is longer than the cold window', () => {
    const cache = coldCache('2026-01-01')
    expect(planCostFetch(cache, '2026-11-27').cold).toBe(true)
  })

  it('treats a cache from the future (clock went backwards) as cold rather than trusting it', () => {
    const cache = coldCache('2026-12-05')
    expect(planCostFetch(cache, '2026-11-27').cold).toBe(true)
  })
})

describe('merging fetched days', () => {
  it('stores returned days, fills missing days in the range with zero, and leaves older days alone', () => {
    const warm = coldCache('2026-11-27')
    const older = { ...warm, days: { ...warm.days, '2026-11-01': day('2026-11-01', 9) } }
    const plan = planCostFetch(older, '2026-11-28')
    const merged = mergeCostFetch(
      older,
      plan,
      [day('2026-11-28', 1.5)],
      new Date('2026-11-28T01:00:00Z')
    )
    expect(merged.days['2026-11-28']?.total).toBe(1.5)
    expect(merged.days['2026-11-27']?.total).toBe(0) // revised to zero: it was in range and absent
    expect(merged.days['2026-11-01']?.total).toBe(9) // outside the range: untouched
    expect(merged.coveredThrough).toBe('2026-11-28')
    expect(merged.lastSuccessAt).toBe('2026-11-28T01:00:00.000Z')
  })

  it('ignores buckets outside the requested range', () => {
    const plan = planCostFetch(EMPTY_CACHE, '2026-11-27')
    const merged = mergeCostFetch(
      EMPTY_CACHE,
      plan,
      [day('2027-01-01', 5)],
      new Date('2026-11-27T00:00:00Z')
    )
    expect(merged.days['2027-01-01']).toBeUndefined()
  })

  it('keeps at most KEEP_DAYS days on disk', () => {
    let cache = EMPTY_CACHE
    let today = '2026-01-01'
    for (let i = 0; i < 4; i++) {
      const plan = planCostFetch(cache, today)
      cache = mergeCostFetch(cache, plan, [], new Date(today + 'T00:00:00Z'))
      today = addDays(today, 150)
    }
    expect(Object.keys(cache.days).length).toBeLessThanOrEqual(KEEP_DAYS)
    expect(cache.coveredFrom! >= addDays(cache.coveredThrough!, -(KEEP_DAYS - 1))).toBe(true)
  })

  it('knows where spend history begins', () => {
    const plan = planCostFetch(EMPTY_CACHE, '2026-11-27')
    const merged = mergeCostFetch(
      EMPTY_CACHE,
      plan,
      [day('2026-11-20', 0), day('2026-11-22', 1), day('2026-11-25', 2)],
      new Date()
    )
    expect(firstDayWithSpend(merged)).toBe('2026-11-22')
    expect(firstDayWithSpend(EMPTY_CACHE)).toBeNull()
  })
})

describe('model usage cadence', () => {
  it('is due when never fetched, then not again for an hour', () => {
    const now = new Date('2026-11-27T10:00:00Z')
    expect(modelUsageDue(EMPTY_CACHE, now)).toBe(true)
    const cache = withModelUsage(EMPTY_CACHE, '2026-11-21', [], now)
    expect(modelUsageDue(cache, new Date('2026-11-27T10:59:00Z'))).toBe(false)
    expect(modelUsageDue(cache, new Date('2026-11-27T11:00:00Z'))).toBe(true)
    // A clock that went backwards does not freeze the cadence forever.
    expect(modelUsageDue(cache, new Date('2026-11-27T09:00:00Z'))).toBe(true)
  })
})

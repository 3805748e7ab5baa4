import {
  COLD_START_DAYS,
  DEEP_REVISION_DAYS,
  EMPTY_CACHE,
  KEEP_DAYS,
  costCacheSchema,
  costOn,
  dayReadAt,
  deepRevisionDue,
  firstDayWithSpend,
  neededFrom,
  keepFrom,
  mergeCostFetch,
  missingRanges,
  modelUsageDue,
  planCostFetch,
  withLiveDay,
  withModelUsage,
  type CostCache
} from '../src/main/engine/cost-cache'
import { addDays } from '../src/main/engine/dates'
import type { DayCosts } from '../src/main/engine/types'

const day = (date: string, total: number, currency = 'usd'): DayCosts => ({
  date,
  total,
  currency,
  lineItems: { 'gpt-4o, input': total },
  projects: { proj_a: total }
})

const at = (today: string, time = '10:00:00'): Date => new Date(`${today}T${time}Z`)
const plan = (cache: CostCache, today: string, anchorDay: string | null = null, now = at(today)) =>
  planCostFetch(cache, { today, now, anchorDay })

/** Merge each planned range as if the server answered it in full with `fetched`. */
function fetchAll(
  cache: CostCache,
  today: string,
  fetched: DayCosts[] = [],
  anchorDay: string | null = null
): CostCache {
  for (const range of plan(cache, today, anchorDay))
    cache = mergeCostFetch(cache, range, fetched, {
      finishedAt: at(today),
      keepFrom: keepFrom(today, anchorDay)
    })
  return cache
}

function coldCache(today: string): CostCache {
  return fetchAll(EMPTY_CACHE, today, [day(today, 2), day(addDays(today, -1), 3)])
}

describe('planning what to fetch', () => {
  it('asks for the last 180 days in one page on a cold start', () => {
    expect(plan(EMPTY_CACHE, '2026-11-27')).toEqual([
      {
        startDay: addDays('2026-11-27', -(COLD_START_DAYS - 1)),
        endDayExclusive: '2026-11-28',
        limit: 180,
        forward: true,
        deep: true
      }
    ])
  })

  it('reaches back to a balance recorded 200 days ago (issue 7 §4)', () => {
    const [range] = plan(EMPTY_CACHE, '2026-11-27', addDays('2026-11-27', -200))
    expect(range?.startDay).toBe(addDays('2026-11-27', -200))
    expect(range?.limit).toBe(180) // the client pages through the rest
  })

  it('re-fetches only the last three days once the cache is warm', () => {
    const cache = coldCache('2026-11-27')
    expect(plan(cache, '2026-11-27', null, at('2026-11-27', '10:15:00'))).toEqual([
      {
        startDay: '2026-11-25',
        endDayExclusive: '2026-11-28',
        limit: 3,
        forward: true,
        deep: false
      }
    ])
  })

  it('re-reads the last 35 days once a day, for late restatements', () => {
    const cache = coldCache('2026-11-27')
    const [range] = plan(cache, '2026-11-28', null, at('2026-11-28', '10:00:01'))
    expect(range?.startDay).toBe(addDays('2026-11-28', -(DEEP_REVISION_DAYS - 1)))
    expect(range?.deep).toBe(true)
    const after = mergeCostFetch(cache, range!, [], { finishedAt: at('2026-11-28', '10:00:01') })
    expect(plan(after, '2026-11-28', null, at('2026-11-28', '11:00:00'))[0]?.startDay).toBe(
      '2026-11-26'
    )
  })

  it('the next UTC day still includes the days that may be revised', () => {
    const cache = coldCache('2026-11-27')
    const [range] = plan(cache, '2026-11-28', null, at('2026-11-28', '01:00:00'))
    expect(range?.startDay).toBe('2026-11-25')
    expect(range?.limit).toBe(4)
  })

  it('catches up a gap of a week in one request instead of starting over', () => {
    const cache = coldCache('2026-11-20')
    const ranges = plan(cache, '2026-11-27', null, at('2026-11-20', '12:00:00'))
    expect(ranges).toHaveLength(1)
    expect(ranges[0]?.startDay).toBe('2026-11-18')
    expect(ranges[0]?.limit).toBe(10)
  })

  it('fills the days an older balance needs, once, in a request of their own', () => {
    const cache = coldCache('2026-11-27')
    const anchor = addDays('2026-11-27', -200)
    const ranges = plan(cache, '2026-11-27', anchor, at('2026-11-27', '10:15:00'))
    expect(ranges.map((r) => [r.startDay, r.endDayExclusive, r.forward])).toEqual([
      ['2026-11-25', '2026-11-28', true],
      [anchor, addDays('2026-11-27', -(COLD_START_DAYS - 1)), false]
    ])
    const filled = fetchAll(cache, '2026-11-27', [], anchor)
    expect(missingRanges(filled, anchor, '2026-11-27')).toEqual([])
  })

  it('asks again for days that a failed fetch left unknown', () => {
    const cache = coldCache('2026-11-27')
    const days = { ...cache.days }
    delete days['2026-10-01']
    delete days['2026-10-02']
    const ranges = plan({ ...cache, days }, '2026-11-27', null, at('2026-11-27', '10:15:00'))
    expect(ranges[1]).toMatchObject({ startDay: '2026-10-01', endDayExclusive: '2026-10-03' })
  })

  it('starts cold again when the gap is longer than the history window', () => {
    const cache = coldCache('2026-01-01')
    expect(plan(cache, '2026-11-27')[0]?.startDay).toBe(addDays('2026-11-27', -179))
  })

  it('treats a cache from the future (clock went backwards) as cold rather than trusting it', () => {
    const cache = coldCache('2026-12-05')
    expect(plan(cache, '2026-11-27')[0]?.startDay).toBe(addDays('2026-11-27', -179))
  })
})

describe('merging fetched days', () => {
  it('stores returned days, fills missing days in the range with zero, and leaves older days alone', () => {
    const warm = coldCache('2026-11-27')
    const older = { ...warm, days: { ...warm.days, '2026-11-01': day('2026-11-01', 9) } }
    const [range] = plan(older, '2026-11-28', null, at('2026-11-28', '01:00:00'))
    const merged = mergeCostFetch(older, range!, [day('2026-11-28', 1.5)], {
      finishedAt: new Date('2026-11-28T01:00:00Z')
    })
    expect(merged.days['2026-11-28']?.total).toBe(1.5)
    expect(merged.days['2026-11-27']?.total).toBe(0) // revised to zero: it was in range and absent
    expect(merged.days['2026-11-01']?.total).toBe(9) // outside the range: untouched
    expect(merged.coveredThrough).toBe('2026-11-28')
    expect(merged.lastSuccessAt).toBe('2026-11-28T01:00:00.000Z')
  })

  it('keeps what a fetch that stopped half-way brought, and no more', () => {
    const [range] = plan(EMPTY_CACHE, '2026-11-27')
    const merged = mergeCostFetch(EMPTY_CACHE, range!, [day(range!.startDay, 4)], {
      finishedAt: at('2026-11-27'),
      throughDay: addDays(range!.startDay, 2)
    })
    expect(Object.keys(merged.days).sort()).toEqual([
      range!.startDay,
      addDays(range!.startDay, 1),
      addDays(range!.startDay, 2)
    ])
    expect(merged.lastDeepRevisionAt).toBeNull() // not the full range
    expect(plan(merged, '2026-11-27')[0]?.startDay).toBe(range!.startDay) // asks again
  })

  it('ignores buckets outside the requested range', () => {
    const [range] = plan(EMPTY_CACHE, '2026-11-27')
    const merged = mergeCostFetch(EMPTY_CACHE, range!, [day('2027-01-01', 5)], {
      finishedAt: at('2026-11-27')
    })
    expect(merged.days['2027-01-01']).toBeUndefined()
  })

  it('never mixes currencies: EUR days next to kept USD days are refused, the cache unchanged', () => {
    const warm = coldCache('2026-11-27')
    const cache = { ...warm, days: { ...warm.days, '2026-11-01': day('2026-11-01', 9) } }
    const [range] = plan(cache, '2026-11-28', null, at('2026-11-28', '01:00:00'))
    expect(() =>
      mergeCostFetch(cache, range!, [day('2026-11-28', 4, 'eur')], { finishedAt: at('2026-11-28') })
    ).toThrow(/USD and EUR/)
    expect(() =>
      withLiveDay(cache, '2026-11-27', day('2026-11-27', 4, 'eur'), at('2026-11-27'))
    ).toThrow(/EUR/)
  })

  it('keeps at most KEEP_DAYS days on disk, but always every day since the balance', () => {
    let cache = EMPTY_CACHE
    let today = '2026-01-01'
    for (let i = 0; i < 4; i++) {
      cache = fetchAll(cache, today)
      today = addDays(today, 150)
    }
    expect(Object.keys(cache.days).length).toBeLessThanOrEqual(KEEP_DAYS)
    const anchor = addDays(today, -500)
    expect(keepFrom(today, anchor)).toBe(anchor)
    const kept = fetchAll(EMPTY_CACHE, today, [], anchor)
    expect(missingRanges(kept, anchor, today)).toEqual([])
  })

  it('knows where spend history begins', () => {
    const [range] = plan(EMPTY_CACHE, '2026-11-27')
    const merged = mergeCostFetch(
      EMPTY_CACHE,
      range!,
      [day('2026-11-20', 0), day('2026-11-22', 1), day('2026-11-25', 2)],
      { finishedAt: new Date() }
    )
    expect(firstDayWithSpend(merged)).toBe('2026-11-22')
    expect(firstDayWithSpend(EMPTY_CACHE)).toBeNull()
  })

  it('reads cache files from before the daily re-read (no lastDeepRevisionAt)', () => {
    const { lastDeepRevisionAt: _, ...old } = coldCache('2026-11-27')
    const parsed = costCacheSchema.parse(old)
    expect(parsed.lastDeepRevisionAt).toBeNull()
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

describe('the day read live for a balance', () => {
  const empty = (date: string, currency = 'usd'): DayCosts => ({
    date,
    total: 0,
    currency,
    lineItems: {},
    projects: {}
  })

  it("replaces today's cached bucket and remembers when it was read", () => {
    const warm = coldCache('2026-11-27')
    const live = withLiveDay(warm, '2026-11-27', day('2026-11-27', 7), at('2026-11-27', '15:00:00'))
    expect(live.days['2026-11-27']).toEqual(day('2026-11-27', 7))
    expect(live.days['2026-11-26']).toEqual(warm.days['2026-11-26'])
    expect(live.liveDay).toEqual({ date: '2026-11-27', at: '2026-11-27T15:00:00.000Z' })
    expect(costOn(live, '2026-11-27')).toBe(7)
    expect(costOn(live, '2020-01-01')).toBe(0)
  })

  it('no bucket for today is zero spend, in the currency of the cache', () => {
    const eur = { ...EMPTY_CACHE, currency: 'eur' }
    const live = withLiveDay(eur, '2026-11-27', null, at('2026-11-27'))
    expect(live.days['2026-11-27']).toEqual(empty('2026-11-27', 'eur'))
    expect(live.currency).toBe('eur')
    expect(
      withLiveDay(EMPTY_CACHE, '2026-11-27', null, at('2026-11-27')).days['2026-11-27']
    ).toEqual(empty('2026-11-27'))
  })

  it('an empty day in another currency is no conflict: it has no spend to add up', () => {
    const warm = coldCache('2026-11-27')
    const live = withLiveDay(warm, '2026-11-27', empty('2026-11-27', 'eur'), at('2026-11-27'))
    expect(live.currency).toBe('usd')
    // Replacing the very day that was in another currency is no conflict either.
    const eurToday = withLiveDay(
      EMPTY_CACHE,
      '2026-11-27',
      day('2026-11-27', 1, 'eur'),
      at('2026-11-27')
    )
    expect(
      withLiveDay(eurToday, '2026-11-27', day('2026-11-27', 2), at('2026-11-27')).currency
    ).toBe('usd')
    // A day with a cost but no line item still has spend.
    const refund = { ...empty('2026-11-26'), total: -1 }
    const cache = { ...EMPTY_CACHE, currency: 'usd', days: { '2026-11-26': refund } }
    expect(() =>
      withLiveDay(cache, '2026-11-27', day('2026-11-27', 2, 'eur'), at('2026-11-27'))
    ).toThrow(/EUR/)
  })

  it('says when a cached day was read: by the refresh that reached it or a later live read', () => {
    const warm = coldCache('2026-11-27') // refreshed at 10:00, through the 27th
    expect(dayReadAt(warm, '2026-11-26')).toBe('2026-11-27T10:00:00.000Z')
    expect(dayReadAt(warm, '2030-01-01')).toBeNull()
    const live = withLiveDay(warm, '2026-11-27', day('2026-11-27', 7), at('2026-11-27', '15:00:00'))
    expect(dayReadAt(live, '2026-11-27')).toBe('2026-11-27T15:00:00.000Z')
    // An earlier live read than the refresh: the refresh is the newer figure.
    const early = { ...live, liveDay: { date: '2026-11-27', at: '2026-11-27T09:00:00.000Z' } }
    expect(dayReadAt(early, '2026-11-27')).toBe('2026-11-27T10:00:00.000Z')
    // A day after what the refreshes covered, read live only.
    const next = withLiveDay(warm, '2026-11-28', day('2026-11-28', 1), at('2026-11-28', '08:00:00'))
    expect(dayReadAt(next, '2026-11-28')).toBe('2026-11-28T08:00:00.000Z')
    expect(dayReadAt({ ...next, liveDay: null }, '2026-11-28')).toBeNull()
  })
})

describe('how far back, and when to re-read', () => {
  it('needs 180 days including today, or back to an older anchor', () => {
    expect(neededFrom('2026-11-27', null)).toBe(addDays('2026-11-27', -(COLD_START_DAYS - 1)))
    expect(neededFrom('2026-11-27', '2026-11-20')).toBe(addDays('2026-11-27', -179))
    expect(neededFrom('2026-11-27', '2025-01-01')).toBe('2025-01-01')
    expect(keepFrom('2026-11-27', null)).toBe(addDays('2026-11-27', -(KEEP_DAYS - 1)))
  })

  it('re-reads the last 35 days when never done, a day after the last time, or when the clock went back', () => {
    const now = new Date('2026-11-27T10:00:00Z')
    expect(deepRevisionDue(EMPTY_CACHE, now)).toBe(true)
    const done = { ...EMPTY_CACHE, lastDeepRevisionAt: '2026-11-27T10:00:00.000Z' }
    expect(deepRevisionDue(done, now)).toBe(false)
    expect(deepRevisionDue(done, new Date('2026-11-28T09:59:59Z'))).toBe(false)
    expect(deepRevisionDue(done, new Date('2026-11-28T10:00:00Z'))).toBe(true)
    expect(deepRevisionDue(done, new Date('2026-11-27T09:59:59Z'))).toBe(true)
  })

  it('finds the runs of unknown days, oldest first, and none in an empty span', () => {
    const cache = {
      ...EMPTY_CACHE,
      days: {
        '2026-11-02': day('2026-11-02', 1),
        '2026-11-05': day('2026-11-05', 1)
      }
    }
    expect(missingRanges(cache, '2026-11-01', '2026-11-06')).toEqual([
      { from: '2026-11-01', to: '2026-11-01' },
      { from: '2026-11-03', to: '2026-11-04' },
      { from: '2026-11-06', to: '2026-11-06' }
    ])
    expect(missingRanges(cache, '2026-11-06', '2026-11-05')).toEqual([])
    expect(missingRanges(cache, '2026-11-05', '2026-11-05')).toEqual([])
  })
})

describe('merging: what moves and what stays', () => {
  const range = (startDay: string, endDayExclusive: string, forward: boolean, deep = false) => ({
    startDay,
    endDayExclusive,
    limit: 180,
    forward,
    deep
  })

  it('a backfill fills its days but moves neither the covered end nor the last success', () => {
    const warm = coldCache('2026-11-27')
    const merged = mergeCostFetch(warm, range('2025-01-01', '2025-01-03', false), [], {
      finishedAt: at('2026-11-27', '12:00:00'),
      keepFrom: '2024-01-01'
    })
    expect(merged.coveredThrough).toBe(warm.coveredThrough)
    expect(merged.lastSuccessAt).toBe(warm.lastSuccessAt)
    expect(merged.lastDeepRevisionAt).toBe(warm.lastDeepRevisionAt)
    expect(merged.coveredFrom).toBe('2025-01-01')
    expect(merged.days['2025-01-02']?.total).toBe(0)
  })

  it('a newer start does not move the oldest covered day', () => {
    const warm = coldCache('2026-11-27')
    const merged = mergeCostFetch(warm, range('2026-11-25', '2026-11-28', true), [], {
      finishedAt: at('2026-11-27', '12:00:00')
    })
    expect(merged.coveredFrom).toBe(warm.coveredFrom)
    expect(merged.lastSuccessAt).toBe('2026-11-27T12:00:00.000Z')
  })

  it('a deep re-read stamps its time only when it went all the way', () => {
    const warm = coldCache('2026-11-27')
    const r = range('2026-10-24', '2026-11-28', true, true)
    const full = mergeCostFetch(warm, r, [], { finishedAt: at('2026-11-27', '12:00:00') })
    expect(full.lastDeepRevisionAt).toBe('2026-11-27T12:00:00.000Z')
    const part = mergeCostFetch(warm, r, [], {
      finishedAt: at('2026-11-27', '12:00:00'),
      throughDay: '2026-11-01'
    })
    expect(part.lastDeepRevisionAt).toBe(warm.lastDeepRevisionAt)
    expect(part.lastSuccessAt).toBe(warm.lastSuccessAt)
    // Stopped before the covered end: that end stays where it was.
    expect(part.coveredThrough).toBe('2026-11-27')
  })

  it('the oldest covered day is never before what is kept', () => {
    const merged = mergeCostFetch(EMPTY_CACHE, range('2026-01-01', '2026-01-11', true), [], {
      finishedAt: at('2026-01-10'),
      keepFrom: '2026-01-05'
    })
    expect(merged.coveredFrom).toBe('2026-01-05')
    expect(Object.keys(merged.days).sort()[0]).toBe('2026-01-05')
    expect(merged.coveredThrough).toBe('2026-01-10')
  })

  it('without a keepFrom, keeps KEEP_DAYS back from the end of the range', () => {
    const old = { ...EMPTY_CACHE, days: { '2020-01-01': day('2020-01-01', 1) } }
    const merged = mergeCostFetch(old, range('2026-01-01', '2026-01-03', true), [], {
      finishedAt: at('2026-01-02')
    })
    expect(merged.days['2020-01-01']).toBeUndefined()
    const edge = addDays('2026-01-02', -(KEEP_DAYS - 1))
    const kept = mergeCostFetch(
      { ...EMPTY_CACHE, days: { [edge]: day(edge, 1) } },
      range('2026-01-01', '2026-01-03', true),
      [],
      { finishedAt: at('2026-01-02') }
    )
    expect(kept.days[edge]?.total).toBe(1)
  })
})

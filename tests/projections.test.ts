import { describe, expect, it } from 'vitest'
import { computeProjections, topCosts } from '../src/main/engine/projections'

const at = (iso: string) => new Date(iso)
const costs = (days: Record<string, number>) => new Map(Object.entries(days))
const NOW = at('2024-03-03T15:00:00Z')

/** Costs for `n` days ending on `last`, where day i (0 = oldest) costs f(i). */
function series(last: string, n: number, f: (i: number) => number): Map<string, number> {
  const map = new Map<string, number>()
  const end = Date.parse(last + 'T00:00:00Z')
  for (let i = 0; i < n; i++) {
    const day = new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10)
    map.set(day, f(i))
  }
  return map
}

const base = { balance: null, historyStart: '2023-06-01' }

describe('spend figures', () => {
  it("today's spend is today's UTC bucket", () => {
    const p = computeProjections({
      ...base,
      costsByDay: costs({ '2024-03-02': 9, '2024-03-03': 1.5 }),
      now: NOW
    })
    expect(p.today).toBe('2024-03-03')
    expect(p.spend.today).toBe(1.5)
  })

  it('last 7 days are today and the 6 UTC days before it', () => {
    const byDay = costs({
      '2024-02-25': 100, // 8 days back: outside
      '2024-02-26': 1,
      '2024-02-29': 2,
      '2024-03-03': 4,
      '2024-03-04': 100 // tomorrow: outside
    })
    expect(computeProjections({ ...base, costsByDay: byDay, now: NOW }).spend.last7Days).toBe(7)
  })

  it('month to date covers the UTC month of today only', () => {
    const byDay = costs({ '2024-02-29': 50, '2024-03-01': 1, '2024-03-02': 2, '2024-03-03': 3 })
    expect(computeProjections({ ...base, costsByDay: byDay, now: NOW }).spend.monthToDate).toBe(6)
  })

  it('on the 1st of a month, month to date is just today', () => {
    const byDay = costs({ '2023-12-31': 40, '2024-01-01': 2 })
    const p = computeProjections({
      ...base,
      costsByDay: byDay,
      now: at('2024-01-01T00:05:00Z')
    })
    expect(p.spend.monthToDate).toBe(2)
    expect(p.spend.last7Days).toBe(42)
  })

  it('uses the UTC day, whatever the local time', () => {
    const byDay = costs({ '2024-03-03': 1, '2024-03-04': 5 })
    const p = computeProjections({ ...base, costsByDay: byDay, now: at('2024-03-03T23:59:59Z') })
    expect(p.spend.today).toBe(1)
  })
})

describe('the 30-day series', () => {
  it('has 30 zero-filled points, oldest first, ending today', () => {
    const byDay = costs({ '2024-02-03': 3, '2024-03-01': 7, '2024-02-02': 99 })
    const p = computeProjections({ ...base, costsByDay: byDay, now: NOW })
    expect(p.daily).toHaveLength(30)
    expect(p.daily[0]).toEqual({ date: '2024-02-03', cost: 3 })
    expect(p.daily.at(-1)).toEqual({ date: '2024-03-03', cost: 0 })
    expect(p.daily.find((d) => d.date === '2024-03-01')?.cost).toBe(7)
    expect(p.daily.filter((d) => d.cost === 0)).toHaveLength(28)
    const dates = p.daily.map((d) => d.date)
    expect(dates).toEqual([...dates].sort())
    expect(new Set(dates).size).toBe(30)
  })
})

describe('burn rate', () => {
  it('averages the 7 complete days before today, ignoring partial today', () => {
    // 2024-02-25 .. 2024-03-02 cost 1..7; today costs a lot but is partial.
    const byDay = series('2024-03-02', 7, (i) => i + 1)
    byDay.set('2024-02-24', 1000)
    byDay.set('2024-03-03', 500)
    const p = computeProjections({ ...base, costsByDay: byDay, now: NOW })
    expect(p.burnRatePerDay).toBeCloseTo(4)
    expect(p.burnRateDays).toBe(7)
  })

  it('averages fewer days when history is shorter, counting unspent days as 0', () => {
    const byDay = costs({ '2024-03-01': 6, '2024-03-03': 50 })
    const p = computeProjections({
      ...base,
      costsByDay: byDay,
      now: NOW,
      historyStart: '2024-02-29'
    })
    expect(p.burnRateDays).toBe(3) // Feb 29, Mar 1, Mar 2
    expect(p.burnRatePerDay).toBeCloseTo(2)
  })

  it('is 0 with no complete day yet, or no history at all', () => {
    const byDay = costs({ '2024-03-03': 5 })
    for (const historyStart of ['2024-03-03', null]) {
      const p = computeProjections({ ...base, costsByDay: byDay, now: NOW, historyStart })
      expect(p.burnRatePerDay).toBe(0)
      expect(p.burnRateDays).toBe(0)
    }
  })

  it('crosses a year boundary', () => {
    const byDay = series('2023-12-31', 7, () => 2)
    const p = computeProjections({ ...base, costsByDay: byDay, now: at('2024-01-01T06:00:00Z') })
    expect(p.burnRatePerDay).toBeCloseTo(2)
  })
})

describe('days left and run-out date', () => {
  const steady = series('2024-03-02', 7, () => 2.5) // burn 2.5/day

  it('divides the balance by the burn rate', () => {
    const p = computeProjections({ ...base, costsByDay: steady, now: NOW, balance: 10 })
    expect(p.daysLeft).toBeCloseTo(4)
    expect(p.runOutDate).toBe('2024-03-07')
  })

  it('puts the run-out date on the day the credit is used up (whole days from today)', () => {
    const p = computeProjections({ ...base, costsByDay: steady, now: NOW, balance: 8 })
    expect(p.daysLeft).toBeCloseTo(3.2)
    expect(p.runOutDate).toBe('2024-03-06')
  })

  it('runs out across a month end', () => {
    const p = computeProjections({
      ...base,
      costsByDay: series('2024-01-30', 7, () => 1),
      now: at('2024-01-31T12:00:00Z'),
      balance: 1.5
    })
    expect(p.runOutDate).toBe('2024-02-01')
  })

  it('is 0 days and today when the balance is used up', () => {
    for (const balance of [0, -4]) {
      const p = computeProjections({ ...base, costsByDay: steady, now: NOW, balance })
      expect(p.daysLeft).toBe(0)
      expect(p.runOutDate).toBe('2024-03-03')
    }
  })

  it('is unknown without a balance', () => {
    const p = computeProjections({ ...base, costsByDay: steady, now: NOW, balance: null })
    expect(p.daysLeft).toBeNull()
    expect(p.runOutDate).toBeNull()
  })

  it('is unknown when nothing is being spent', () => {
    const p = computeProjections({ ...base, costsByDay: costs({}), now: NOW, balance: 50 })
    expect(p.daysLeft).toBeNull()
    expect(p.runOutDate).toBeNull()
  })

  it('has no run-out date when it is centuries away', () => {
    const tiny = series('2024-03-02', 7, () => 0.0001)
    const p = computeProjections({ ...base, costsByDay: tiny, now: NOW, balance: 999_999 })
    expect(p.daysLeft).toBeGreaterThan(1e9)
    expect(p.runOutDate).toBeNull()
  })
})

describe('top costs', () => {
  it('sums names across days and lists the biggest first, at most n', () => {
    const days: Record<string, number>[] = [
      { 'gpt-4o, input': 2, 'gpt-4o, output': 5, '(other)': 0.5 },
      { 'gpt-4o, input': 4, 'o3, output': 1 },
      { 'gpt-4o, output': 0.5 }
    ]
    expect(topCosts(days, 2)).toEqual([
      { name: 'gpt-4o, input', cost: 6 },
      { name: 'gpt-4o, output', cost: 5.5 }
    ])
    expect(topCosts(days, 10).map((c) => c.name)).toEqual([
      'gpt-4o, input',
      'gpt-4o, output',
      'o3, output',
      '(other)'
    ])
  })

  it('leaves out names that cost nothing or were credited, and orders ties by name', () => {
    const days = [{ b: 1, a: 1, free: 0, refund: -3 }]
    expect(topCosts(days, 5)).toEqual([
      { name: 'a', cost: 1 },
      { name: 'b', cost: 1 }
    ])
  })

  it('is empty for no data or n = 0', () => {
    expect(topCosts([], 5)).toEqual([])
    expect(topCosts([{ a: 1 }], 0)).toEqual([])
  })
})

describe('projection edges', () => {
  it('averages just yesterday when the history starts yesterday, and none from later', () => {
    const byDay = costs({ '2024-03-01': 100, '2024-03-02': 4, '2024-03-03': 9 })
    const one = computeProjections({
      ...base,
      costsByDay: byDay,
      now: NOW,
      historyStart: '2024-03-02'
    })
    expect([one.burnRateDays, one.burnRatePerDay]).toEqual([1, 4])
    const none = computeProjections({
      ...base,
      costsByDay: byDay,
      now: NOW,
      historyStart: '2024-03-05'
    })
    expect([none.burnRateDays, none.burnRatePerDay]).toEqual([0, 0])
  })

  it('averages at most 7 days however long the history', () => {
    const byDay = series('2024-03-02', 30, (i) => (i >= 23 ? 7 : 1000))
    const p = computeProjections({ ...base, costsByDay: byDay, now: NOW })
    expect([p.burnRateDays, p.burnRatePerDay]).toEqual([7, 7])
  })

  it('shows a run-out date up to 36 500 days away, not beyond', () => {
    const steady = series('2024-03-02', 7, () => 1)
    const edge = computeProjections({ ...base, costsByDay: steady, now: NOW, balance: 36_500 })
    expect(edge.daysLeft).toBe(36_500)
    expect(edge.runOutDate).toBe('2124-02-08')
    const beyond = computeProjections({ ...base, costsByDay: steady, now: NOW, balance: 36_500.5 })
    expect(beyond.runOutDate).toBeNull()
  })

  it('a burn too small to divide by gives no days left', () => {
    const crumbs = series('2024-03-02', 7, () => Number.MIN_VALUE)
    const p = computeProjections({ ...base, costsByDay: crumbs, now: NOW, balance: 1e300 })
    expect(p.daysLeft).toBeNull()
    expect(p.runOutDate).toBeNull()
  })

  it('top costs ignore amounts that are not numbers and a negative count', () => {
    const days: Record<string, number>[] = [
      { a: Number.NaN, b: 2, c: Number.POSITIVE_INFINITY },
      { a: 1, c: 3 }
    ]
    expect(topCosts(days, 5)).toEqual([
      { name: 'c', cost: 3 },
      { name: 'b', cost: 2 },
      { name: 'a', cost: 1 }
    ])
    expect(topCosts(days, -1)).toEqual([])
    expect(topCosts([{ z: 1, y: 1, x: 2 }], 3).map((c) => c.name)).toEqual(['x', 'y', 'z'])
  })
})

// Auto-recharge at its edges: when the settings describe reloads at all, a reload the monthly
// limit can take only in part (or not at all), refunds, credit already gone, and days left that
// end part-way through a day. auto-recharge.test.ts has the main walk.
import { autoRechargeActive, modelAutoRecharge } from '../src/main/engine/auto-recharge'
import type { BalanceEntry } from '../src/main/engine/ledger'
import type { AutoRecharge } from '../src/shared/settings'

const RECHARGE: AutoRecharge = { enabled: true, threshold: 20, reloadTo: 50, monthlyLimit: null }

function anchor(day: string, amount: number): BalanceEntry {
  return {
    id: `balance-${day}`,
    type: 'balance',
    amount,
    at: `${day}T00:00:00.000Z`,
    day,
    baselineDayCost: 0
  }
}

describe('when auto-recharge can reload at all', () => {
  it('needs it on, a finite threshold and a reload-to above it', () => {
    expect(autoRechargeActive(RECHARGE)).toBe(true)
    expect(autoRechargeActive({ ...RECHARGE, enabled: false })).toBe(false)
    expect(autoRechargeActive({ ...RECHARGE, reloadTo: 20 })).toBe(false)
    expect(autoRechargeActive({ ...RECHARGE, reloadTo: 10 })).toBe(false)
    expect(autoRechargeActive({ ...RECHARGE, reloadTo: 20.01 })).toBe(true)
    expect(autoRechargeActive({ ...RECHARGE, threshold: Number.NaN })).toBe(false)
    expect(autoRechargeActive({ ...RECHARGE, threshold: Number.NEGATIVE_INFINITY })).toBe(false)
  })
})

describe('a balance recorded below the threshold, against the monthly limit', () => {
  const at = (monthlyLimit: number | null) =>
    modelAutoRecharge({
      settings: { ...RECHARGE, monthlyLimit },
      anchor: anchor('2024-11-01', 5),
      topUps: [],
      costs: new Map(),
      today: '2024-11-01',
      burnRatePerDay: 0
    })

  it('reloads all the way when the limit takes exactly that', () => {
    const m = at(45)
    expect(m.reloads).toEqual([{ day: '2024-11-01', count: 1, amount: 45 }])
    expect(m.balance).toBe(50)
    expect(m.headroom).toBe(0)
    expect(m.limitReachedOn).toBeNull()
  })

  it('reloads what the limit still allows when it cannot take all of it, and says so', () => {
    const m = at(40)
    expect(m.reloads).toEqual([{ day: '2024-11-01', count: 1, amount: 40 }])
    expect(m.balance).toBe(45)
    expect(m.headroom).toBe(0)
    expect(m.limitReachedOn).toBe('2024-11-01')
  })

  it('reloads nothing when the limit leaves nothing', () => {
    const m = at(0)
    expect(m.reloads).toEqual([])
    expect(m.reloadsAssumed).toBe(0)
    expect(m.balance).toBe(5)
    expect(m.limitReachedOn).toBe('2024-11-01')
  })
})

describe('the walk and the projection at their edges', () => {
  it('a refund adds to the balance and triggers nothing', () => {
    const m = modelAutoRecharge({
      settings: RECHARGE,
      anchor: anchor('2024-11-01', 22),
      topUps: [],
      costs: new Map([['2024-11-02', -5]]),
      today: '2024-11-02',
      burnRatePerDay: 0
    })
    expect(m.balance).toBe(27)
    expect(m.reloads).toEqual([])
  })

  it('credit already gone has no days left, and runs out today', () => {
    const m = modelAutoRecharge({
      settings: { ...RECHARGE, monthlyLimit: 0 },
      anchor: anchor('2024-11-01', 5),
      topUps: [],
      costs: new Map([['2024-11-01', 10]]),
      today: '2024-11-01',
      burnRatePerDay: 10
    })
    expect(m.balance).toBe(-5)
    expect(m.daysLeft).toBe(0)
    expect(m.runOutDate).toBe('2024-11-01')
  })

  it('nothing spent: no run-out, even with a limit', () => {
    const m = modelAutoRecharge({
      settings: { ...RECHARGE, monthlyLimit: 30 },
      anchor: anchor('2024-11-01', 50),
      topUps: [],
      costs: new Map(),
      today: '2024-11-01',
      burnRatePerDay: 0
    })
    expect(m.daysLeft).toBeNull()
    expect(m.runOutDate).toBeNull()
    expect(m.headroom).toBe(30)
  })

  it('days left end part-way through the last day, with the refused reload named', () => {
    // $52 at $8/day, one $30 reload allowed: 44, 36, 28, 20 (at the threshold), 12 → 42, 34,
    // 26, 18 (refused on Nov 9), 10, 2, then $2 of the 11th day's $8.
    const m = modelAutoRecharge({
      settings: { ...RECHARGE, monthlyLimit: 30 },
      anchor: anchor('2024-11-01', 52),
      topUps: [],
      costs: new Map(),
      today: '2024-11-01',
      burnRatePerDay: 8
    })
    expect(m.daysLeft).toBeCloseTo(10.25, 9)
    expect(m.runOutDate).toBe('2024-11-11')
    expect(m.limitReachedOn).toBe('2024-11-09')
    expect(m.headroom).toBe(30)
    expect(m.reloads).toEqual([])
  })

  it('top-ups on one day add up before the day is spent', () => {
    const m = modelAutoRecharge({
      settings: RECHARGE,
      anchor: anchor('2024-11-01', 21),
      topUps: [
        { day: '2024-11-02', amount: 5 },
        { day: '2024-11-02', amount: 4 }
      ],
      costs: new Map([['2024-11-02', 10]]),
      today: '2024-11-02',
      burnRatePerDay: 0
    })
    expect(m.balance).toBe(20)
    expect(m.reloads).toEqual([])
  })
})

describe('the walk, to the cent', () => {
  const walk = (
    anchorEntry: BalanceEntry,
    costs: Map<string, number>,
    today: string,
    over: Partial<AutoRecharge> = {},
    burnRatePerDay = 0
  ) =>
    modelAutoRecharge({
      settings: { ...RECHARGE, ...over },
      anchor: anchorEntry,
      topUps: [],
      costs,
      today,
      burnRatePerDay
    })

  it('subtracts the baseline of the balance from its own day only', () => {
    const m = walk(
      { ...anchor('2024-11-01', 50), baselineDayCost: 5 },
      new Map([
        ['2024-11-01', 5],
        ['2024-11-02', 10]
      ]),
      '2024-11-02'
    )
    expect(m.balance).toBe(40)
  })

  it('a balance exactly at the threshold is not reloaded', () => {
    const m = walk(anchor('2024-11-01', 20), new Map(), '2024-11-01')
    expect(m.reloads).toEqual([])
    expect(m.balance).toBe(20)
  })

  it('a dip of exactly one reload below the threshold takes one reload', () => {
    // 50 − 60 = −10: one reload of $30 brings it to the threshold, not a second.
    const m = walk(anchor('2024-11-01', 50), new Map([['2024-11-01', 60]]), '2024-11-01')
    expect(m.reloads).toEqual([{ day: '2024-11-01', count: 1, amount: 30 }])
    expect(m.balance).toBe(20)
  })

  it('counts a reload the limit still allowed on the day the credit runs out', () => {
    // $25 at $80/day, one $30 reload allowed: $55 lasts 55/80 of the first day.
    const m = walk(anchor('2024-11-01', 25), new Map(), '2024-11-01', { monthlyLimit: 30 }, 80)
    expect(m.daysLeft).toBeCloseTo(0.6875, 9)
    expect(m.runOutDate).toBe('2024-11-01')
    expect(m.limitReachedOn).toBe('2024-11-02')
  })
})

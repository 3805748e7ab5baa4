// Auto-recharge modelling: reloads assumed since the recorded balance, the monthly limit and its
// reset on the 1st (UTC), the "assumed" marking and how recording a balance clears it, and days
// left counting the headroom the limit leaves.
import { modelAutoRecharge, type AutoRechargeInput } from '../src/main/engine/auto-recharge'
import { EMPTY_CACHE, type CostCache } from '../src/main/engine/cost-cache'
import { addDays } from '../src/main/engine/dates'
import {
  EMPTY_LEDGER,
  estimateBalance,
  recordBalance,
  recordTopUp,
  type BalanceEntry,
  type Ledger
} from '../src/main/engine/ledger'
import { buildStatus } from '../src/main/engine/status'
import { DEFAULT_SETTINGS, type AutoRecharge, type Settings } from '../src/shared/settings'

const RECHARGE: AutoRecharge = { enabled: true, threshold: 20, reloadTo: 50, monthlyLimit: null }

function anchor(day: string, amount: number, baselineDayCost = 0): BalanceEntry {
  return {
    id: `balance-${day}`,
    type: 'balance',
    amount,
    at: `${day}T00:00:00.000Z`,
    day,
    baselineDayCost
  }
}

/** $`perDay` on every day from `from` through `to`. */
function steady(from: string, to: string, perDay: number): Map<string, number> {
  const costs = new Map<string, number>()
  for (let d = from; d <= to; d = addDays(d, 1)) costs.set(d, perDay)
  return costs
}

function model(over: Partial<AutoRechargeInput> & Pick<AutoRechargeInput, 'anchor' | 'today'>) {
  return modelAutoRecharge({
    settings: RECHARGE,
    topUps: [],
    costs: new Map(),
    burnRatePerDay: 0,
    ...over
  })
}

describe('reloads assumed since the recorded balance', () => {
  it('assumes none while the balance stays at or above the threshold, matching the plain estimate', () => {
    const costs = steady('2024-11-01', '2024-11-03', 10) // 50 → 20: at the threshold, not below
    const m = model({ anchor: anchor('2024-11-01', 50), today: '2024-11-03', costs })
    expect(m.reloadsAssumed).toBe(0)
    expect(m.assumedTotal).toBe(0)
    const ledger: Ledger = { entries: [anchor('2024-11-01', 50)] }
    const plain = estimateBalance(ledger, costs, new Date('2024-11-03T12:00:00Z'))
    expect(m.balance).toBeCloseTo(plain!.balance, 9)
    expect(m.balance).toBeCloseTo(20, 9)
  })

  it('reloads by reload-to minus threshold each time the balance dips below the threshold', () => {
    const costs = steady('2024-11-01', '2024-11-05', 10)
    const m = model({ anchor: anchor('2024-11-01', 50), today: '2024-11-05', costs })
    // 50 → 40 → 30 → 20 → 10 (reload +30 → 40) → 30
    expect(m.reloads).toEqual([{ day: '2024-11-04', count: 1, amount: 30 }])
    expect(m.balance).toBeCloseTo(30, 9)
    expect(m.monthReloaded).toBe(30)
    expect(m.headroom).toBeNull()
  })

  it('a big day is several reloads, as the spend crosses the threshold again and again', () => {
    const costs = new Map([['2024-11-01', 100]])
    const m = model({ anchor: anchor('2024-11-01', 50), today: '2024-11-01', costs })
    // 50 − 100 = −50; three reloads of $30 bring it back to 40 (between threshold and reload-to)
    expect(m.reloadsAssumed).toBe(3)
    expect(m.assumedTotal).toBe(90)
    expect(m.balance).toBeCloseTo(40, 9)
  })

  it('a balance recorded below the threshold is reloaded up to reload-to at once', () => {
    const m = model({ anchor: anchor('2024-11-01', 5), today: '2024-11-02' })
    expect(m.reloads).toEqual([{ day: '2024-11-01', count: 1, amount: 45 }])
    expect(m.balance).toBe(50)
  })

  it('counts top-ups recorded after the balance before assuming a reload', () => {
    const costs = steady('2024-11-01', '2024-11-04', 10)
    const m = model({
      anchor: anchor('2024-11-01', 50),
      today: '2024-11-04',
      costs,
      topUps: [{ day: '2024-11-03', amount: 25 }]
    })
    // 40, 30, 30+25−10 = 45, 35: never below 20
    expect(m.reloadsAssumed).toBe(0)
    expect(m.balance).toBeCloseTo(35, 9)
  })

  it('only counts the growth of the anchor day bucket beyond what the recorded balance already had', () => {
    const costs = new Map([['2024-11-01', 34]])
    const m = model({ anchor: anchor('2024-11-01', 25, 30), today: '2024-11-01', costs })
    // 25 − (34 − 30) = 21: still above the threshold
    expect(m.reloadsAssumed).toBe(0)
    expect(m.balance).toBeCloseTo(21, 9)
  })
})

describe('the monthly reload limit', () => {
  const limited: AutoRecharge = { ...RECHARGE, monthlyLimit: 90 }

  it('stops the reloads once the month has reloaded as much as the limit allows', () => {
    const costs = steady('2024-11-01', '2024-11-13', 10)
    const m = model({
      settings: limited,
      anchor: anchor('2024-11-01', 50),
      today: '2024-11-13',
      costs
    })
    // Reloads on the 4th, 7th and 10th use the $90; the 13th needs a fourth one: refused.
    expect(m.reloads.map((r) => r.day)).toEqual(['2024-11-04', '2024-11-07', '2024-11-10'])
    expect(m.monthReloaded).toBe(90)
    expect(m.headroom).toBe(0)
    expect(m.limitReachedOn).toBe('2024-11-13')
    expect(m.balance).toBeCloseTo(10, 9)
  })

  it('resets on the 1st of the next UTC month, when the next reload goes through again', () => {
    const settings: AutoRecharge = { ...RECHARGE, monthlyLimit: 60 }
    const costs = steady('2024-11-20', '2024-12-02', 10)
    const m = model({
      settings,
      anchor: anchor('2024-11-20', 50),
      today: '2024-12-02',
      costs,
      burnRatePerDay: 10
    })
    // November: reloads on the 23rd and 26th ($60), refused on the 29th; the balance reaches 0
    // on the 30th. December 1st: a fresh limit, one reload from 0 up to 50.
    expect(m.reloads).toEqual([
      { day: '2024-11-23', count: 1, amount: 30 },
      { day: '2024-11-26', count: 1, amount: 30 },
      { day: '2024-12-01', count: 1, amount: 50 }
    ])
    expect(m.monthReloaded).toBe(50)
    expect(m.headroom).toBe(10)
    expect(m.balance).toBeCloseTo(30, 9)
    // November's refusal is history; this month's limit is reached on the 4th at $10/day.
    expect(m.limitReachedOn).toBe('2024-12-04')
  })

  it('after a late cut-off left the balance below zero, the new month reloads what the limit allows', () => {
    const settings: AutoRecharge = { ...RECHARGE, monthlyLimit: 50 }
    const m = model({
      settings,
      anchor: anchor('2024-11-29', 20),
      today: '2024-12-01',
      costs: new Map([
        ['2024-11-29', 15],
        ['2024-11-30', 35.4]
      ])
    })
    // Nov 29: $5 → one $30 reload ($30 of $50 used). Nov 30: the next $30 does not fit, and a
    // late cut-off leaves −$0.40. Dec 1: reaching $50 would take $50.40, more than the $50 limit;
    // the model reloads the $50 the limit allows rather than staying below zero all month.
    expect(m.reloads).toEqual([
      { day: '2024-11-29', count: 1, amount: 30 },
      { day: '2024-12-01', count: 1, amount: 50 }
    ])
    expect(m.balance).toBeCloseTo(49.6, 9)
    expect(m.headroom).toBe(0)
    expect(m.limitReachedOn).toBe('2024-12-01')
  })

  it('days left count the reloads the limit still allows this month', () => {
    const costs = steady('2024-11-01', '2024-11-05', 10)
    const m = model({
      settings: limited,
      anchor: anchor('2024-11-01', 50),
      today: '2024-11-05',
      costs,
      burnRatePerDay: 10
    })
    // $30 now, $60 of headroom: two more reloads, then it runs dry: 9 days, not 30 / 10 = 3.
    expect(m.balance).toBeCloseTo(30, 9)
    expect(m.headroom).toBe(60)
    expect(m.daysLeft).toBeCloseTo(9, 9)
    expect(m.runOutDate).toBe('2024-11-14')
    expect(m.limitReachedOn).toBe('2024-11-13')
  })

  it('the projection resets the limit each month too, so the credit lasts longer', () => {
    const costs = steady('2024-11-25', '2024-11-26', 10)
    const m = model({
      settings: limited,
      anchor: anchor('2024-11-25', 50),
      today: '2024-11-26',
      costs,
      burnRatePerDay: 10
    })
    // $30 now + $90 headroom would last 12 days if the limit never reset. November only needs
    // one reload (the 28th); December 1st starts a fresh $90, used by the 7th, refused on the
    // 10th; the credit is gone after the 11th: 15 days.
    expect(m.daysLeft).toBeCloseTo(15, 9)
    expect(m.runOutDate).toBe('2024-12-11')
    expect(m.limitReachedOn).toBe('2024-12-10')

    const slow = model({
      settings: limited,
      anchor: anchor('2024-11-25', 50),
      today: '2024-11-26',
      costs: steady('2024-11-25', '2024-11-26', 1),
      burnRatePerDay: 1
    })
    // $1/day: about one $30 reload a month, far inside a $90 limit: it never runs out.
    expect(slow.daysLeft).toBeNull()
    expect(slow.runOutDate).toBeNull()
    expect(slow.limitReachedOn).toBeNull()
  })

  it('without a limit the credit never runs out and there is no headroom to count', () => {
    const m = model({
      anchor: anchor('2024-11-01', 50),
      today: '2024-11-05',
      costs: steady('2024-11-01', '2024-11-05', 10),
      burnRatePerDay: 10
    })
    expect(m.daysLeft).toBeNull()
    expect(m.headroom).toBeNull()
    expect(m.limitReachedOn).toBeNull()
  })
})

describe('the status: assumed balance, level and clearing the assumption', () => {
  function cacheWith(costs: Map<string, number>): CostCache {
    const days: CostCache['days'] = {}
    for (const [date, total] of costs) {
      days[date] = { date, total, currency: 'usd', lineItems: {}, projects: {} }
    }
    const dates = [...costs.keys()].sort()
    return {
      ...EMPTY_CACHE,
      currency: 'usd',
      days,
      coveredFrom: dates[0] ?? null,
      coveredThrough: dates.at(-1) ?? null,
      lastSuccessAt: null
    }
  }
  const settings = (autoRecharge: AutoRecharge): Settings => ({ ...DEFAULT_SETTINGS, autoRecharge })

  it('marks the balance as assumed while it includes reloads nobody confirmed', () => {
    const now = new Date('2024-11-05T12:00:00Z')
    const cache = cacheWith(steady('2024-11-01', '2024-11-05', 10))
    const ledger = recordBalance(EMPTY_LEDGER, 50, new Date('2024-11-01T00:00:00Z'), 0)
    const off = buildStatus({ cache, ledger, settings: DEFAULT_SETTINGS, now, error: null })
    expect(off.balanceBasis).toBe('recorded')
    expect(off.autoRecharge).toBeNull()
    expect(off.balance).toBeCloseTo(0, 9)

    const on = buildStatus({
      cache,
      ledger,
      settings: settings({ ...RECHARGE, monthlyLimit: 90 }),
      now,
      error: null
    })
    expect(on.balanceBasis).toBe('assumed-reloads')
    expect(on.balance).toBeCloseTo(30, 9)
    expect(on.autoRecharge).toEqual({
      reloadsAssumed: 1,
      assumedTotal: 30,
      monthReloaded: 30,
      monthlyLimit: 90,
      headroom: 60,
      limitReachedOn: '2024-11-13'
    })
  })

  it('recording a balance after the reloads clears the assumption', () => {
    const cache = cacheWith(steady('2024-11-01', '2024-11-05', 10))
    let ledger = recordBalance(EMPTY_LEDGER, 50, new Date('2024-11-01T00:00:00Z'), 0)
    const s = settings({ ...RECHARGE, monthlyLimit: 90 })
    const now = new Date('2024-11-05T12:00:00Z')
    expect(buildStatus({ cache, ledger, settings: s, now, error: null }).balanceBasis).toBe(
      'assumed-reloads'
    )
    // The billing page shows $31 at noon on the 5th (today's $10 already taken out).
    ledger = recordBalance(ledger, 31, now, 10)
    const confirmed = buildStatus({ cache, ledger, settings: s, now, error: null })
    expect(confirmed.balanceBasis).toBe('recorded')
    expect(confirmed.balance).toBeCloseTo(31, 9)
    expect(confirmed.autoRecharge?.reloadsAssumed).toBe(0)
  })

  it('judges the level by balance plus headroom, so a balance hovering near the threshold is fine', () => {
    const cache = cacheWith(steady('2024-11-01', '2024-11-05', 10))
    const ledger = recordBalance(EMPTY_LEDGER, 12, new Date('2024-11-05T00:00:00Z'), 0)
    const now = new Date('2024-11-05T12:00:00Z')
    // Without auto-recharge: $12 − today's $10 = $2, critical.
    const plain = buildStatus({ cache, ledger, settings: DEFAULT_SETTINGS, now, error: null })
    expect(plain.balance).toBeCloseTo(2, 9)
    expect(plain.level).toBe('critical')
    // With auto-recharge and no limit: reloaded to $50, minus $10; it refills, nothing runs out.
    const free = buildStatus({ cache, ledger, settings: settings(RECHARGE), now, error: null })
    expect(free.balance).toBeCloseTo(40, 9)
    expect(free.daysLeft).toBeNull()
    expect(free.level).toBe('ok')
    // A $40 limit: the $38 reload fits, $2 of headroom stays. $40 + $2 at $10/day: the 8th's
    // $30 reload is refused, the last $2 goes in on the 9th, gone during the 10th: 4.2 days left,
    // low (≤ 7 days).
    const tight = buildStatus({
      cache,
      ledger,
      settings: settings({ ...RECHARGE, monthlyLimit: 40 }),
      now,
      error: null
    })
    expect(tight.balance).toBeCloseTo(40, 9)
    expect(tight.autoRecharge?.headroom).toBeCloseTo(2, 9)
    expect(tight.daysLeft).toBeCloseTo(4.2, 9)
    expect(tight.runOutDate).toBe('2024-11-09')
    expect(tight.level).toBe('low')
  })

  it('a top-up recorded after the balance adds to the modelled balance too', () => {
    const cache = cacheWith(steady('2024-11-01', '2024-11-02', 10))
    let ledger = recordBalance(EMPTY_LEDGER, 50, new Date('2024-11-01T00:00:00Z'), 0)
    ledger = recordTopUp(ledger, 25, new Date('2024-11-02T00:00:00Z'))
    const now = new Date('2024-11-02T12:00:00Z')
    const s = buildStatus({ cache, ledger, settings: settings(RECHARGE), now, error: null })
    expect(s.balance).toBeCloseTo(55, 9)
    expect(s.balanceBasis).toBe('recorded')
  })
})

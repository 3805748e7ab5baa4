// The notices the status writes about the balance itself, word for word: a balance whose
// baseline came from the cache (the live read failed), days since the balance whose costs are not
// known, and credit below zero. The status is built from a ledger and a cache directly.
import { EMPTY_CACHE, type CostCache } from '../src/main/engine/cost-cache'
import { EMPTY_LEDGER, recordBalance, type Ledger } from '../src/main/engine/ledger'
import { buildStatus, buildStatusParts, OVERAGE_NOTICE } from '../src/main/engine/status'
import { DEFAULT_SETTINGS } from '../src/shared/settings'

const NOW = new Date('2026-03-20T12:00:00Z')

/** A cache that knows every day from `from` through `to` except `gaps`, each costing `cost`. */
function cacheKnowing(from: string, to: string, gaps: string[] = [], cost = 1): CostCache {
  const days: CostCache['days'] = {}
  for (let ms = Date.parse(from); ms <= Date.parse(to); ms += 86_400_000) {
    const date = new Date(ms).toISOString().slice(0, 10)
    if (!gaps.includes(date))
      days[date] = { date, total: cost, currency: 'usd', lineItems: {}, projects: {} }
  }
  return {
    ...EMPTY_CACHE,
    currency: 'usd',
    days,
    coveredFrom: from,
    coveredThrough: to,
    lastSuccessAt: NOW.toISOString()
  }
}

const status = (ledger: Ledger, cache: CostCache) =>
  buildStatus({ cache, ledger, settings: DEFAULT_SETTINGS, now: NOW, error: null })

describe('a balance recorded without a live read of the day', () => {
  it('names the age, the cached figure and the reason, and asks to record it again', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 100, new Date('2026-03-20T09:00:00Z'), {
      cost: 5,
      source: 'cache',
      asOf: '2026-03-20T08:00:00Z',
      problem: 'OpenAI could not be reached. '
    })
    expect(status(ledger, cacheKnowing('2026-03-01', '2026-03-20')).notices).toEqual([
      "The balance recorded 3 h ago could not read today's costs live (OpenAI could not be " +
        'reached); it used cached costs from 1 h ago ($5.00). Spend the billing page had already ' +
        'counted may be counted again, so the estimate may be too low. Record the balance again ' +
        'when online to fix it.'
    ])
  })

  it('says $0 was assumed when nothing was cached for the day, and leaves out an empty reason', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 100, new Date('2026-03-20T09:00:00Z'), {
      cost: 0,
      source: 'cache',
      asOf: null,
      problem: ''
    })
    expect(status(ledger, cacheKnowing('2026-03-01', '2026-03-20')).notices).toEqual([
      "The balance recorded 3 h ago could not read today's costs live; it used no cached costs " +
        'for that day, so $0.00 was assumed. Spend the billing page had already counted may be ' +
        'counted again, so the estimate may be too low. Record the balance again when online to ' +
        'fix it.'
    ])
  })

  it('says nothing for a live baseline', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 100, new Date('2026-03-20T09:00:00Z'), {
      cost: 5,
      source: 'live'
    })
    const s = status(ledger, cacheKnowing('2026-03-01', '2026-03-20'))
    expect(s.notices).toEqual([])
    expect(s.balanceComplete).toBe(true)
  })
})

describe('days since the balance whose costs are not known', () => {
  const balanceOn = (iso: string) => recordBalance(EMPTY_LEDGER, 100, new Date(iso), 0)

  it('counts the days, writes one-day gaps as one day, and says the balance is incomplete', () => {
    const s = status(
      balanceOn('2026-03-10T10:00:00Z'),
      cacheKnowing('2026-03-01', '2026-03-20', ['2026-03-12', '2026-03-15', '2026-03-16'])
    )
    expect(s.balanceComplete).toBe(false)
    expect(s.notices).toEqual([
      'The costs of 3 days since the recorded balance are not known yet (2026-03-12, ' +
        '2026-03-15 to 2026-03-16, UTC), so their spend is not subtracted: the balance is ' +
        'incomplete and probably too high. Credit Tray fetches them on the next successful refresh.'
    ])
  })

  it('says "1 day" for one, and lists three ranges and how many more', () => {
    const one = status(
      balanceOn('2026-03-10T10:00:00Z'),
      cacheKnowing('2026-03-01', '2026-03-20', ['2026-03-20'])
    )
    expect(one.notices[0]).toMatch(
      /^The costs of 1 day since the recorded balance .*\(2026-03-20, UTC\)/
    )
    const many = status(
      balanceOn('2026-03-10T10:00:00Z'),
      cacheKnowing('2026-03-01', '2026-03-20', [
        '2026-03-11',
        '2026-03-13',
        '2026-03-15',
        '2026-03-17',
        '2026-03-19'
      ])
    )
    expect(many.notices[0]).toContain(
      'The costs of 5 days since the recorded balance are not known yet (2026-03-11, ' +
        '2026-03-13, 2026-03-15, 2 more, UTC)'
    )
  })

  it('does not look at days before the balance', () => {
    const s = status(
      balanceOn('2026-03-10T10:00:00Z'),
      cacheKnowing('2026-03-01', '2026-03-20', ['2026-03-05', '2026-03-09'])
    )
    expect(s.notices).toEqual([])
    expect(s.balanceComplete).toBe(true)
  })
})

describe('a balance below zero', () => {
  it('adds the overage notice and makes the level critical', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 5, new Date('2026-03-15T10:00:00Z'), 0)
    const parts = buildStatusParts({
      cache: cacheKnowing('2026-03-01', '2026-03-20', [], 2),
      ledger,
      settings: DEFAULT_SETTINGS,
      now: NOW,
      error: null,
      notices: ['a notice from outside']
    })
    expect(parts.status.balance).toBeLessThan(0)
    expect(parts.status.notices).toEqual(['a notice from outside', OVERAGE_NOTICE])
    expect(parts.status.level).toBe('critical')
    expect(parts.creditLevel).toBe('critical')
    expect(parts.limitsLevel).toBe('unknown')
  })

  it('a balance of exactly zero has no overage notice', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 12, new Date('2026-03-15T10:00:00Z'), 0)
    // Five more days at $2 (16th to 20th) and the rest of the 15th: $12 gone exactly.
    const cache = cacheKnowing('2026-03-01', '2026-03-20', [], 2)
    cache.days['2026-03-15']!.total = 2
    const s = status(ledger, cache)
    expect(s.balance).toBe(0)
    expect(s.notices).toEqual([])
  })
})

describe('what else the status is built from', () => {
  it('lists the top models, line items and projects of the shown 30 days, at most five each', () => {
    const cache = cacheKnowing('2026-01-01', '2026-03-20', [], 1)
    // A big spender before the 30 shown days does not count.
    cache.days['2026-02-01']!.lineItems = { 'old, input': 1_000 }
    for (const [i, d] of ['2026-03-10', '2026-03-11', '2026-03-12'].entries()) {
      cache.days[d]!.lineItems = Object.fromEntries(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((n, j) => [n, (j + 1) * (i + 1)])
      )
      cache.days[d]!.projects = { proj_x: 2, proj_y: 1 }
    }
    cache.modelUsage = {
      fetchedAt: NOW.toISOString(),
      fromDay: '2026-03-13',
      models: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].map((model) => ({
        model,
        inputTokens: 1,
        outputTokens: 1,
        requests: 1
      }))
    }
    const s = status(EMPTY_LEDGER, cache)
    expect(s.topLineItems.map((c) => c.name)).toEqual(['f', 'e', 'd', 'c', 'b'])
    expect(s.topLineItems[0]!.cost).toBe(36)
    expect(s.topProjects).toEqual([
      { name: 'proj_x', cost: 6 },
      { name: 'proj_y', cost: 3 }
    ])
    expect(s.topModels.map((m) => m.model)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5'])
    expect(s.currency).toBe('usd')
    expect(s.lastUpdated).toBe(NOW.toISOString())
    expect(s.balance).toBeNull()
    expect(s.balanceRecordedAt).toBeNull()
  })

  it('without a balance the level follows the monthly budget', () => {
    const s = buildStatus({
      cache: cacheKnowing('2026-03-01', '2026-03-20', [], 5),
      ledger: EMPTY_LEDGER,
      settings: { ...DEFAULT_SETTINGS, monthlyBudget: 110 },
      now: NOW,
      error: null
    })
    // $100 of $110 spent: past 80 %.
    expect(s.budget).toMatchObject({ amount: 110, spent: 100 })
    expect(s.level).toBe('low')
  })

  it('with auto-recharge, reports the model and marks the balance assumed only after reloads', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      autoRecharge: { enabled: true, threshold: 20, reloadTo: 50, monthlyLimit: 100 }
    }
    const ledger = recordBalance(EMPTY_LEDGER, 50, new Date('2026-03-15T00:00:00Z'), 0)
    const quiet = buildStatus({
      cache: cacheKnowing('2026-03-01', '2026-03-20', [], 1),
      ledger,
      settings,
      now: NOW,
      error: null
    })
    expect(quiet.balanceBasis).toBe('recorded')
    expect(quiet.autoRecharge).toEqual({
      reloadsAssumed: 0,
      assumedTotal: 0,
      monthReloaded: 0,
      monthlyLimit: 100,
      headroom: 100,
      limitReachedOn: null
    })
    const busy = buildStatus({
      cache: cacheKnowing('2026-03-01', '2026-03-20', [], 10),
      ledger,
      settings,
      now: NOW,
      error: null
    })
    // $10 a day from the 15th: 40, 30, 20, then 10 on the 18th reloads $30; 30, 20.
    expect(busy.balanceBasis).toBe('assumed-reloads')
    expect(busy.autoRecharge).toMatchObject({ reloadsAssumed: 1, assumedTotal: 30, headroom: 70 })
    expect(busy.balance).toBe(20)
  })
})

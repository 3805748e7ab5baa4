// Small rules of the engine pinned one by one (each closes mutants the broader tests let
// through): budget edges, day parsing, settings messages, the status's own defaults.
import { budgetStatus } from '../src/main/engine/budget'
import { EMPTY_CACHE } from '../src/main/engine/cost-cache'
import { dayStartSeconds } from '../src/main/engine/dates'
import { InputError } from '../src/main/engine/errors'
import { EMPTY_LEDGER } from '../src/main/engine/ledger'
import { applySettingsPatch } from '../src/main/engine/settings-store'
import { buildStatus } from '../src/main/engine/status'
import { DEFAULT_SETTINGS, type Settings } from '../src/shared/settings'

const NOW = new Date('2024-11-21T00:00:00Z')

describe('budgetStatus edges', () => {
  it('no budget for an amount of zero, below zero or not a number', () => {
    for (const amount of [0, -5, Number.NaN]) expect(budgetStatus(amount, 10, 1, NOW)).toBeNull()
    expect(budgetStatus(0.01, 0, 0, NOW)).toMatchObject({ amount: 0.01, fraction: 0 })
  })

  it('a burn rate that is zero, negative or not finite projects no further spend', () => {
    for (const burn of [0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(budgetStatus(200, 120, burn, NOW)?.projectedMonthEnd).toBe(120)
    }
    // 10 days left in November from the 21st 00:00 UTC.
    expect(budgetStatus(200, 120, 0.5, NOW)?.projectedMonthEnd).toBe(125)
  })
})

describe('dayStartSeconds', () => {
  it('reads a UTC day and refuses anything else, naming it', () => {
    expect(dayStartSeconds('2024-11-21')).toBe(Date.parse('2024-11-21T00:00:00Z') / 1000)
    for (const bad of ['x2024-11-21', '2024-11-21x', '2024-11-21T00:00:00Z', '2024-02-30', '']) {
      expect(() => dayStartSeconds(bad), bad).toThrow(new RangeError(`not a UTC day: ${bad}`))
    }
  })
})

describe('settings messages', () => {
  const refusal = (patch: unknown): string => {
    try {
      applySettingsPatch(DEFAULT_SETTINGS, patch as Partial<Settings>)
    } catch (e) {
      expect(e).toBeInstanceOf(InputError)
      return (e as Error).message
    }
    throw new Error('accepted')
  }

  it('name the field and its unit', () => {
    expect(refusal({ thresholds: { lowDays: -1 } })).toBe(
      'The low days-left threshold must be a number of days of 0 or more.'
    )
    expect(refusal({ thresholds: { criticalBalance: -1 } })).toBe(
      'The critical-balance threshold must be a number of dollars of 0 or more.'
    )
    expect(refusal({ autoRecharge: { enabled: 'yes' } })).toBe(
      'Auto-recharge must be switched on or off.'
    )
    expect(refusal({ autoRecharge: { reloadTo: -1 } })).toBe(
      'The reload-to amount must be a number of dollars from 0 to 1,000,000.'
    )
    expect(refusal({ autoRecharge: { monthlyLimit: -1 } })).toBe(
      'The monthly reload limit must be a number of dollars from 0 to 1,000,000, or empty for no limit.'
    )
    expect(refusal({ monthlyBudget: 0 })).toBe(
      'The monthly budget must be more than $0 and at most $1,000,000 (leave it empty for no budget).'
    )
    expect(refusal({ notificationsEnabled: 'yes' })).toBe(
      'That setting is not valid (notificationsEnabled).'
    )
  })

  it('critical thresholds may equal the low ones but not exceed them', () => {
    const t = DEFAULT_SETTINGS.thresholds
    expect(
      applySettingsPatch(DEFAULT_SETTINGS, {
        thresholds: { ...t, criticalBalance: t.lowBalance, criticalDays: t.lowDays }
      }).thresholds
    ).toMatchObject({ criticalBalance: t.lowBalance, criticalDays: t.lowDays })
    expect(refusal({ thresholds: { ...t, criticalDays: t.lowDays + 1 } })).toBe(
      'The critical number of days must not be above the low number of days.'
    )
    expect(refusal({ thresholds: { ...t, criticalBalance: t.lowBalance + 0.01 } })).toBe(
      'The critical balance must not be above the low balance.'
    )
  })

  it('a monthly reload limit of exactly one reload is allowed, a cent less is not', () => {
    const recharge = { enabled: true, threshold: 10, reloadTo: 30, monthlyLimit: 20 }
    expect(
      applySettingsPatch(DEFAULT_SETTINGS, { autoRecharge: recharge }).autoRecharge.monthlyLimit
    ).toBe(20)
    expect(refusal({ autoRecharge: { ...recharge, monthlyLimit: 19.99 } })).toMatch(
      /^The monthly reload limit \(\$19\.99\) must allow at least one reload/
    )
  })
})

describe('buildStatus defaults', () => {
  it('with nothing cached or recorded: usd, no balance, no models, no notices', () => {
    const status = buildStatus({
      cache: EMPTY_CACHE,
      ledger: EMPTY_LEDGER,
      settings: DEFAULT_SETTINGS,
      now: NOW,
      error: null
    })
    expect(status).toMatchObject({
      currency: 'usd',
      balance: null,
      balanceRecordedAt: null,
      lastUpdated: null,
      topModels: [],
      notices: []
    })
  })
})

import { describe, expect, it } from 'vitest'
import {
  autoRechargeLevel,
  budgetLevel,
  BUDGET_LOW_FRACTION,
  levelFor,
  overageLevel,
  validateThresholds
} from '../src/main/engine/levels'
import { DEFAULT_THRESHOLDS, type Thresholds } from '../src/shared/status'

const t: Thresholds = { lowBalance: 10, lowDays: 7, criticalBalance: 5, criticalDays: 2 }

describe('level from balance and days left', () => {
  it('is unknown without a balance, whatever the days left', () => {
    expect(levelFor(null, null, t)).toBe('unknown')
    expect(levelFor(null, 0.5, t)).toBe('unknown')
  })

  it('is ok above both low thresholds', () => {
    expect(levelFor(10.01, 7.01, t)).toBe('ok')
    expect(levelFor(500, null, t)).toBe('ok')
  })

  it('is low at or below the low balance, even when nothing is spent', () => {
    expect(levelFor(10, null, t)).toBe('low')
    expect(levelFor(5.01, 100, t)).toBe('low')
  })

  it('is low at or below the low days left, even with a big balance', () => {
    expect(levelFor(1000, 7, t)).toBe('low')
    expect(levelFor(1000, 2.01, t)).toBe('low')
  })

  it('is critical at or below either critical threshold', () => {
    expect(levelFor(5, null, t)).toBe('critical')
    expect(levelFor(1000, 2, t)).toBe('critical')
    expect(levelFor(0, 0, t)).toBe('critical')
    expect(levelFor(-3, 0, t)).toBe('critical')
  })

  it('follows the thresholds it is given', () => {
    const strict = { ...t, lowBalance: 100, criticalBalance: 50 }
    expect(levelFor(60, null, strict)).toBe('low')
    expect(levelFor(60, null, t)).toBe('ok')
  })
})

describe('validating thresholds', () => {
  it('accepts the defaults and equal low/critical values', () => {
    expect(validateThresholds(DEFAULT_THRESHOLDS)).toEqual({ ok: true, value: DEFAULT_THRESHOLDS })
    const equal = { lowBalance: 5, lowDays: 2, criticalBalance: 5, criticalDays: 2 }
    expect(validateThresholds(equal)).toEqual({ ok: true, value: equal })
  })

  it('keeps only the threshold fields', () => {
    expect(validateThresholds({ ...t, extra: 1 })).toEqual({ ok: true, value: t })
  })

  it('refuses critical above low, naming both values', () => {
    const result = validateThresholds({ ...t, criticalBalance: 20, criticalDays: 9 })
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          field: 'criticalBalance',
          message: 'The critical balance ($20) must not be more than the low balance ($10).'
        },
        {
          field: 'criticalDays',
          message: 'The critical days left (9) must not be more than the low days left (7).'
        }
      ]
    })
  })

  it.each([
    ['negative', { ...t, lowDays: -1 }, 'lowDays', /cannot be negative/],
    ['not a number', { ...t, lowBalance: '10' }, 'lowBalance', /must be a number/],
    ['infinite', { ...t, criticalBalance: Infinity }, 'criticalBalance', /must be a number/],
    ['NaN', { ...t, criticalDays: Number.NaN }, 'criticalDays', /must be a number/],
    ['missing', { lowBalance: 1, lowDays: 1, criticalBalance: 1 }, 'criticalDays', /number/],
    ['absurd', { ...t, lowBalance: 5e6 }, 'lowBalance', /at most \$1,000,000/]
  ])('refuses a %s value and says which one', (_, input, field, message) => {
    const result = validateThresholds(input)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.problems).toHaveLength(1)
      expect(result.problems[0]?.field).toBe(field)
      expect(result.problems[0]?.message).toMatch(message)
    }
  })

  it('lists a problem for every field when given nothing usable', () => {
    const result = validateThresholds(null)
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.problems.map((p) => p.field).sort()).toEqual([
        'criticalBalance',
        'criticalDays',
        'lowBalance',
        'lowDays'
      ])
  })
})

describe('threshold limits in words', () => {
  const ok = { lowBalance: 10, lowDays: 7, criticalBalance: 5, criticalDays: 3 }
  const problemsOf = (input: unknown) => {
    const r = validateThresholds(input)
    return r.ok ? [] : r.problems
  }

  it('takes up to $1,000,000 and 3650 days exactly, and names each limit past them', () => {
    const edge = { lowBalance: 1_000_000, lowDays: 3_650, criticalBalance: 0, criticalDays: 0 }
    expect(validateThresholds(edge)).toEqual({ ok: true, value: edge })
    expect(problemsOf({ ...ok, lowDays: 3_651, criticalBalance: 1_000_001 })).toEqual([
      { field: 'lowDays', message: 'The low days left must be at most 3650 days.' },
      { field: 'criticalBalance', message: 'The critical balance must be at most $1,000,000.' }
    ])
    // Days are not held to the money limit, nor money to the days limit.
    expect(problemsOf({ ...ok, lowBalance: 5_000, criticalBalance: 4_000 })).toEqual([])
  })

  it('words every field it could not read', () => {
    expect(problemsOf('thresholds')).toEqual([
      { field: 'lowBalance', message: 'The low balance must be a number.' },
      { field: 'lowDays', message: 'The low days left must be a number.' },
      { field: 'criticalBalance', message: 'The critical balance must be a number.' },
      { field: 'criticalDays', message: 'The critical days left must be a number.' }
    ])
    expect(problemsOf({ ...ok, criticalDays: -0.5 })).toEqual([
      { field: 'criticalDays', message: 'The critical days left cannot be negative.' }
    ])
  })

  it('compares critical with low only when both could be read', () => {
    expect(problemsOf({ ...ok, lowBalance: 'x', criticalBalance: 50 })).toEqual([
      { field: 'lowBalance', message: 'The low balance must be a number.' }
    ])
    expect(problemsOf({ ...ok, lowDays: -1, criticalDays: 50 })).toEqual([
      { field: 'lowDays', message: 'The low days left cannot be negative.' }
    ])
  })
})

describe('levels beside the balance rule', () => {
  it('a balance below zero is critical, zero and above have no say', () => {
    expect(overageLevel(-0.01)).toBe('critical')
    expect(overageLevel(0)).toBeNull()
    expect(overageLevel(3)).toBeNull()
  })

  it('the budget level: critical from all of it, low from 80 %, unknown without a budget', () => {
    expect(budgetLevel(null)).toBe('unknown')
    expect(budgetLevel(Number.NaN)).toBe('unknown')
    expect(budgetLevel(Number.POSITIVE_INFINITY)).toBe('unknown')
    expect(budgetLevel(1)).toBe('critical')
    expect(budgetLevel(0.9999)).toBe('low')
    expect(budgetLevel(BUDGET_LOW_FRACTION)).toBe('low')
    expect(budgetLevel(0.7999)).toBe('ok')
    expect(BUDGET_LOW_FRACTION).toBe(0.8)
  })

  it('with auto-recharge, the headroom counts as money; no limit means no money worry', () => {
    const th = { lowBalance: 10, lowDays: 7, criticalBalance: 5, criticalDays: 3 }
    expect(autoRechargeLevel(2, 20, null, th)).toBe('ok')
    expect(autoRechargeLevel(2, 6, null, th)).toBe('low')
    expect(autoRechargeLevel(2, 3, null, th)).toBe('critical')
    expect(autoRechargeLevel(0, null, null, th)).toBe('ok')
    expect(autoRechargeLevel(0, null, 2, th)).toBe('critical')
  })
})

import { describe, expect, it } from 'vitest'
import { levelFor, validateThresholds } from '../src/main/engine/levels'
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

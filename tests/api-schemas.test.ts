// The shapes of the Admin API answers, checked before any number is added up: lenient where the
// API wobbles (numeric strings, missing amounts, upper-case currencies), strict where a wrong
// value would corrupt totals; and the place of a failure named without its value.
import { z } from 'zod'
import {
  completionsPageSchema,
  costAmountSchema,
  costsPageSchema,
  describeIssue,
  numberLike
} from '../src/main/engine/api-schemas'

const bucket = (results: unknown[], start = 1_700_000_000, end = start + 86_400) => ({
  start_time: start,
  end_time: end,
  results
})

describe('numbers', () => {
  it('accept JSON numbers and numeric strings, refuse anything else', () => {
    expect(numberLike.parse(12.5)).toBe(12.5)
    expect(numberLike.parse(' 12.50 ')).toBe(12.5)
    expect(numberLike.parse('-.5')).toBe(-0.5)
    expect(numberLike.parse('1e3')).toBe(1000)
    for (const bad of ['12,50', '', 'abc', '1e999', null, true])
      expect(numberLike.safeParse(bad).success, String(bad)).toBe(false)
  })
})

describe('cost amounts', () => {
  it('normalise the currency to lower case, so "USD" and "usd" are one total', () => {
    expect(costAmountSchema.parse({ value: '3.10', currency: 'USD' })).toEqual({
      value: 3.1,
      currency: 'usd'
    })
    expect(costAmountSchema.safeParse({ value: 1, currency: '' }).success).toBe(false)
  })
})

describe('pages', () => {
  it('a costs page with a missing amount and extra fields is read', () => {
    const page = costsPageSchema.parse({
      object: 'page',
      data: [bucket([{ amount: null, line_item: null, project_id: 'p' }, { line_item: 'x' }])],
      has_more: false,
      next_page: null
    })
    expect(page.data[0]!.results).toHaveLength(2)
  })

  it('a bucket must end after it starts', () => {
    const at = 1_700_000_000
    const r = costsPageSchema.safeParse({
      data: [bucket([], at, at)],
      has_more: false
    })
    expect(r.success).toBe(false)
    if (!r.success) expect(describeIssue(r.error)).toBe('data[0]: bucket ends before it starts')
    expect(
      costsPageSchema.safeParse({ data: [bucket([], at, at + 1)], has_more: false }).success
    ).toBe(true)
  })

  it('has_more needs a next_page cursor', () => {
    const r = costsPageSchema.safeParse({ data: [], has_more: true, next_page: null })
    expect(r.success).toBe(false)
    if (!r.success)
      expect(describeIssue(r.error)).toBe('next_page: has_more without a next_page cursor')
    expect(costsPageSchema.safeParse({ data: [], has_more: true, next_page: 'c2' }).success).toBe(
      true
    )
    expect(costsPageSchema.safeParse({ data: [], has_more: false }).success).toBe(true)
  })

  it('completions counts may not be negative, and times are never strings', () => {
    const ok = { input_tokens: 1, output_tokens: '2', num_model_requests: 3, model: 'gpt' }
    expect(completionsPageSchema.safeParse({ data: [bucket([ok])], has_more: false }).success).toBe(
      true
    )
    const negative = completionsPageSchema.safeParse({
      data: [bucket([{ ...ok, output_tokens: -1 }])],
      has_more: false
    })
    expect(negative.success).toBe(false)
    if (!negative.success)
      expect(describeIssue(negative.error)).toMatch(/^data\[0\]\.results\[0\]\.output_tokens: /)
    const stringTime = completionsPageSchema.safeParse({
      data: [{ ...bucket([ok]), start_time: '1700000000' }],
      has_more: false
    })
    expect(stringTime.success).toBe(false)
  })
})

describe('describeIssue', () => {
  it('names the path of the first issue, never the value', () => {
    const r = costsPageSchema.safeParse({
      data: [bucket([{ amount: { value: 'twelve', currency: 'usd' } }])],
      has_more: false
    })
    expect(r.success).toBe(false)
    if (!r.success) {
      const text = describeIssue(r.error)
      expect(text).toMatch(/^data\[0\]\.results\[0\]\.amount\.value: /)
      expect(text).not.toContain('twelve')
    }
  })

  it('a top-level issue is its message alone; no issue at all is "unexpected shape"', () => {
    const r = z.number().safeParse('x')
    expect(r.success).toBe(false)
    if (!r.success) expect(describeIssue(r.error)).toBe(r.error.issues[0]!.message)
    expect(describeIssue(new z.ZodError([]))).toBe('unexpected shape')
  })
})

import { describe, expect, it } from 'vitest'
import {
  EMPTY_LEDGER,
  estimateBalance,
  lastTopUpAt,
  latestBalance,
  ledgerSchema,
  recordBalance,
  recordTopUp,
  removeEntry,
  validateAmount,
  type Ledger
} from '../src/main/engine/ledger'

const at = (iso: string) => new Date(iso)
const costs = (days: Record<string, number>) => new Map(Object.entries(days))

describe('recording', () => {
  it('stores a balance with its UTC day and the cost today already shows as baseline', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 50, at('2024-05-10T23:50:00Z'), 1.25)
    expect(ledger.entries).toEqual([
      {
        id: expect.any(String),
        type: 'balance',
        amount: 50,
        at: '2024-05-10T23:50:00.000Z',
        day: '2024-05-10',
        baselineDayCost: 1.25
      }
    ])
  })

  it('stores top-ups with their time and day', () => {
    const ledger = recordTopUp(EMPTY_LEDGER, 20, at('2024-05-11T00:10:00Z'), 'card')
    expect(ledger.entries[0]).toMatchObject({
      type: 'topup',
      amount: 20,
      at: '2024-05-11T00:10:00.000Z',
      day: '2024-05-11',
      note: 'card'
    })
  })

  it('does not change the ledger it was given', () => {
    const before: Ledger = { entries: [] }
    recordBalance(before, 10, at('2024-05-10T12:00:00Z'), 0)
    expect(before.entries).toEqual([])
  })

  it('gives entries recorded at the same moment different ids', () => {
    const now = at('2024-05-10T12:00:00Z')
    let ledger = recordBalance(EMPTY_LEDGER, 10, now, 0)
    ledger = recordBalance(ledger, 11, now, 0)
    ledger = recordTopUp(ledger, 5, now)
    ledger = recordTopUp(ledger, 6, now)
    expect(new Set(ledger.entries.map((e) => e.id)).size).toBe(4)
  })

  it('keeps superseded balances in the history, and validates against its schema', () => {
    let ledger = recordBalance(EMPTY_LEDGER, 10, at('2024-05-10T12:00:00Z'), 0)
    ledger = recordBalance(ledger, 30, at('2024-05-12T12:00:00Z'), 0)
    expect(ledger.entries.map((e) => e.amount)).toEqual([10, 30])
    expect(ledgerSchema.safeParse(ledger).success).toBe(true)
  })

  it('removes an entry only when asked, by id', () => {
    let ledger = recordBalance(EMPTY_LEDGER, 10, at('2024-05-10T12:00:00Z'), 0)
    ledger = recordTopUp(ledger, 5, at('2024-05-11T12:00:00Z'))
    const topUpId = ledger.entries[1]!.id
    expect(removeEntry(ledger, topUpId).entries.map((e) => e.type)).toEqual(['balance'])
    expect(removeEntry(ledger, 'nope')).toEqual(ledger)
  })

  it('finds the latest balance and the latest top-up by time, not by list order', () => {
    let ledger = recordBalance(EMPTY_LEDGER, 30, at('2024-05-12T12:00:00Z'), 0)
    ledger = recordBalance(ledger, 10, at('2024-05-10T12:00:00Z'), 0)
    ledger = recordTopUp(ledger, 5, at('2024-05-13T12:00:00Z'))
    ledger = recordTopUp(ledger, 6, at('2024-05-11T12:00:00Z'))
    expect(latestBalance(ledger)?.amount).toBe(30)
    expect(lastTopUpAt(ledger)).toBe('2024-05-13T12:00:00.000Z')
    expect(lastTopUpAt(EMPTY_LEDGER)).toBeNull()
  })
})

describe('estimating the balance', () => {
  it('is null when no balance was ever recorded, even with top-ups', () => {
    const ledger = recordTopUp(EMPTY_LEDGER, 20, at('2024-05-10T12:00:00Z'))
    expect(estimateBalance(ledger, costs({}), at('2024-05-11T00:00:00Z'))).toBeNull()
  })

  it('is the recorded amount right after recording it', () => {
    const now = at('2024-05-10T15:00:00Z')
    const ledger = recordBalance(EMPTY_LEDGER, 42.5, now, 3.1)
    expect(estimateBalance(ledger, costs({ '2024-05-10': 3.1 }), now)?.balance).toBe(42.5)
  })

  it('subtracts only what the anchor day grew by after recording', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 40, at('2024-05-10T09:00:00Z'), 1)
    const estimate = estimateBalance(ledger, costs({ '2024-05-10': 4 }), at('2024-05-10T18:00:00Z'))
    expect(estimate?.balance).toBeCloseTo(37, 10)
    expect(estimate?.spentSince).toBeCloseTo(3, 10)
  })

  it('follows revisions of the anchor day cost, up or down', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 40, at('2024-05-10T09:00:00Z'), 2)
    const now = at('2024-05-11T09:00:00Z')
    expect(estimateBalance(ledger, costs({ '2024-05-10': 2.5 }), now)?.balance).toBeCloseTo(39.5)
    // The API later revised the day down below what was shown when the balance was read.
    expect(estimateBalance(ledger, costs({ '2024-05-10': 1.5 }), now)?.balance).toBeCloseTo(40.5)
  })

  it('crosses midnight: a balance at 23:50 UTC, spend after midnight goes to the next day', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 100, at('2024-05-10T23:50:00Z'), 7)
    const dayCosts = costs({ '2024-05-09': 50, '2024-05-10': 7.5, '2024-05-11': 2 })
    const estimate = estimateBalance(ledger, dayCosts, at('2024-05-11T00:30:00Z'))
    expect(estimate?.balance).toBeCloseTo(100 - 0.5 - 2, 10)
  })

  it('crosses a month boundary (Jan 31 -> Feb 1)', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 80, at('2024-01-31T20:00:00Z'), 3)
    const dayCosts = costs({ '2024-01-31': 4, '2024-02-01': 5, '2024-02-02': 6 })
    expect(estimateBalance(ledger, dayCosts, at('2024-02-01T10:00:00Z'))?.balance).toBeCloseTo(
      80 - 1 - 5
    )
    // The next day is counted once the clock reaches it, not before.
    expect(estimateBalance(ledger, dayCosts, at('2024-02-02T10:00:00Z'))?.balance).toBeCloseTo(
      80 - 1 - 5 - 6
    )
  })

  it('crosses a year boundary (Dec 31 -> Jan 1)', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 60, at('2023-12-31T23:59:59Z'), 10)
    const dayCosts = costs({ '2023-12-31': 10.25, '2024-01-01': 3 })
    expect(estimateBalance(ledger, dayCosts, at('2024-01-01T08:00:00Z'))?.balance).toBeCloseTo(
      60 - 0.25 - 3
    )
  })

  it('counts every day between the anchor and today, missing days as 0', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 100, at('2024-02-27T12:00:00Z'), 0)
    const dayCosts = costs({ '2024-02-28': 1, '2024-02-29': 2, '2024-03-02': 4 })
    expect(estimateBalance(ledger, dayCosts, at('2024-03-02T12:00:00Z'))?.balance).toBeCloseTo(93)
  })

  it('does not count days after today (a clock that lags the data)', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 100, at('2024-05-10T12:00:00Z'), 0)
    const dayCosts = costs({ '2024-05-11': 9 })
    expect(estimateBalance(ledger, dayCosts, at('2024-05-10T23:00:00Z'))?.balance).toBe(100)
  })

  it('accepts a function for the day costs', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 10, at('2024-05-10T12:00:00Z'), 0)
    const fn = (day: string) => (day === '2024-05-11' ? 1.5 : 0)
    expect(estimateBalance(ledger, fn, at('2024-05-11T12:00:00Z'))?.balance).toBeCloseTo(8.5)
  })

  it('uses the newest balance; earlier ones no longer matter', () => {
    let ledger = recordBalance(EMPTY_LEDGER, 10, at('2024-05-01T12:00:00Z'), 0)
    ledger = recordBalance(ledger, 70, at('2024-05-10T12:00:00Z'), 1)
    const dayCosts = costs({ '2024-05-02': 5, '2024-05-10': 1, '2024-05-11': 2 })
    const estimate = estimateBalance(ledger, dayCosts, at('2024-05-11T12:00:00Z'))
    expect(estimate?.anchor.amount).toBe(70)
    expect(estimate?.balance).toBeCloseTo(68)
  })

  it('adds top-ups recorded after the balance, not those at or before it', () => {
    let ledger = recordTopUp(EMPTY_LEDGER, 100, at('2024-05-10T08:00:00Z'))
    ledger = recordTopUp(ledger, 7, at('2024-05-10T12:00:00Z'))
    ledger = recordBalance(ledger, 50, at('2024-05-10T12:00:00Z'), 0)
    ledger = recordTopUp(ledger, 25, at('2024-05-10T12:00:01Z'))
    ledger = recordTopUp(ledger, 10, at('2024-05-12T09:00:00Z'))
    const dayCosts = costs({ '2024-05-11': 3, '2024-05-12': 4 })
    const estimate = estimateBalance(ledger, dayCosts, at('2024-05-12T10:00:00Z'))
    expect(estimate?.topUpsSince).toBe(35)
    expect(estimate?.balance).toBeCloseTo(50 + 35 - 3 - 4)
  })

  it('can go below zero when spend outruns the recorded credit', () => {
    const ledger = recordBalance(EMPTY_LEDGER, 5, at('2024-05-10T12:00:00Z'), 0)
    const estimate = estimateBalance(ledger, costs({ '2024-05-11': 8 }), at('2024-05-11T12:00:00Z'))
    expect(estimate?.balance).toBeCloseTo(-3)
  })
})

describe('validating an amount a person typed', () => {
  it.each([
    ['12.50', 12.5],
    ['$12.50', 12.5],
    [' $ 7 ', 7],
    ['$1,250.00', 1250],
    ['.5', 0.5],
    ['0', 0],
    ['12.345', 12.35],
    [99.999, 100]
  ])('accepts %j as %d for a balance', (raw, expected) => {
    expect(validateAmount(raw, 'balance')).toEqual({ ok: true, value: expected })
  })

  it('accepts a zero balance but not a zero top-up', () => {
    expect(validateAmount(0, 'balance')).toEqual({ ok: true, value: 0 })
    expect(validateAmount(0, 'topup')).toMatchObject({ ok: false, error: /more than \$0\.00/ })
    expect(validateAmount('0.001', 'topup')).toMatchObject({ ok: false })
  })

  it.each([
    ['abc', /"abc" is not an amount/],
    ['', /Enter an amount/],
    ['   ', /Enter an amount/],
    ['-3', /cannot be negative/],
    ['$-3', /cannot be negative/],
    ['1e400', /not an amount/],
    ['1e3', /not an amount/],
    ['12,50', /Use a dot for cents: write 12\.50/],
    ['1,25,0', /not an amount/],
    ['12.5.0', /not an amount/],
    ['1000000', /less than \$1,000,000/],
    [Infinity, /must be a number/],
    [Number.NaN, /must be a number/],
    [-0.01, /cannot be negative/],
    [null, /Enter an amount/],
    [{ amount: 5 }, /Enter an amount/]
  ])('rejects %j with a message for a person', (raw, message) => {
    const result = validateAmount(raw, 'balance')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(message)
  })

  it('names the kind of amount in the message', () => {
    expect(validateAmount(-1, 'topup')).toEqual({
      ok: false,
      error: 'The top-up cannot be negative.'
    })
    expect(validateAmount(-1, 'balance')).toEqual({
      ok: false,
      error: 'The balance cannot be negative.'
    })
  })
})

describe('ids, notes and order, exactly', () => {
  it('ids are the type and the time, then -2, -3 for the same moment', () => {
    const now = at('2024-05-10T12:00:00Z')
    let ledger = recordBalance(EMPTY_LEDGER, 10, now, 0)
    ledger = recordBalance(ledger, 11, now, 0)
    ledger = recordBalance(ledger, 12, now, 0)
    ledger = recordTopUp(ledger, 5, now)
    expect(ledger.entries.map((e) => e.id)).toEqual([
      'balance-2024-05-10T12:00:00.000Z',
      'balance-2024-05-10T12:00:00.000Z-2',
      'balance-2024-05-10T12:00:00.000Z-3',
      'topup-2024-05-10T12:00:00.000Z'
    ])
  })

  it('a note is kept when given, and no note key exists otherwise', () => {
    const now = at('2024-05-10T12:00:00Z')
    const ledger = recordBalance(
      recordBalance(EMPTY_LEDGER, 10, now, 0, 'from billing'),
      11,
      now,
      0
    )
    expect(ledger.entries[0]).toHaveProperty('note', 'from billing')
    expect('note' in ledger.entries[1]!).toBe(false)
    expect('note' in recordTopUp(EMPTY_LEDGER, 5, now).entries[0]!).toBe(false)
  })

  it('the newest top-up is found by time, whatever the order it was recorded in', () => {
    let ledger = recordTopUp(EMPTY_LEDGER, 5, at('2024-05-12T12:00:00Z'))
    ledger = recordTopUp(ledger, 6, at('2024-05-11T12:00:00Z'))
    ledger = recordBalance(ledger, 10, at('2024-05-13T12:00:00Z'), 0)
    expect(lastTopUpAt(ledger)).toBe('2024-05-12T12:00:00.000Z')
    expect(lastTopUpAt(recordBalance(EMPTY_LEDGER, 1, at('2024-05-13T12:00:00Z'), 0))).toBeNull()
  })

  it('two balances at the same moment: the one recorded last is the anchor', () => {
    const now = at('2024-05-10T12:00:00Z')
    let ledger = recordBalance(EMPTY_LEDGER, 10, now, 0)
    ledger = recordBalance(ledger, 11, now, 0)
    ledger = recordBalance(ledger, 12, now, 0)
    expect(latestBalance(ledger)?.amount).toBe(12)
  })
})

describe('typed amounts, exactly', () => {
  it.each([
    ['-5', 'The balance cannot be negative.'],
    ['- $5', 'The balance cannot be negative.'],
    ['$-5', 'The balance cannot be negative.'],
    ['$ -5', 'The balance cannot be negative.']
  ])('%s is negative', (raw, error) => {
    expect(validateAmount(raw, 'balance')).toEqual({ ok: false, error })
  })

  it('a minus sign later in the text is not a negative amount but not an amount either', () => {
    expect(validateAmount('5-', 'balance')).toMatchObject({ ok: false, error: /is not an amount/ })
    expect(validateAmount('5$-', 'balance')).toMatchObject({ ok: false, error: /is not an amount/ })
  })

  it('thousands separators only in groups of three after one to three digits', () => {
    expect(validateAmount('1,234.50', 'balance')).toEqual({ ok: true, value: 1234.5 })
    expect(validateAmount('123,456', 'balance')).toEqual({ ok: true, value: 123456 })
    expect(validateAmount('1,234,567', 'balance')).toMatchObject({ error: /less than \$1,000,000/ })
    expect(validateAmount('1234,567', 'balance')).toMatchObject({ error: /is not an amount/ })
    expect(validateAmount('1,2345', 'balance')).toMatchObject({ error: /is not an amount/ })
    expect(validateAmount('1,23', 'balance')).toEqual({
      ok: false,
      error: 'Use a dot for cents: write 1.23 instead of 1,23.'
    })
  })

  it('quotes at most 40 characters of what was typed', () => {
    const long = 'x'.repeat(60)
    expect(validateAmount(long, 'topup')).toEqual({
      ok: false,
      error: `"${'x'.repeat(40)}" is not an amount. Type dollars and cents, for example 25.00.`
    })
  })

  it('a top-up that rounds to zero cents is refused with its own message', () => {
    expect(validateAmount(0.004, 'topup')).toEqual({
      ok: false,
      error: 'A top-up must be more than $0.00.'
    })
    expect(
      Object.is(validateAmount(0.004, 'balance').ok && validateAmount(0.004, 'balance'), false)
    ).toBe(false)
    const zero = validateAmount(-0, 'balance')
    expect(zero.ok && Object.is(zero.value, 0)).toBe(true)
  })
})

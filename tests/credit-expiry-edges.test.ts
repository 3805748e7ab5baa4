// The edges of the credit-expiry model: which lots count as expired or expiring on the day
// itself, how little credit is still worth a line, the 30- and 7-day stage boundaries, odd burn
// rates, and the exact wording of the notices (credit-expiry.test.ts has the main cases).
import {
  creditLots,
  expiredCredit,
  expiredNotice,
  expiringCredit,
  expiryNotice,
  expiryWarnings,
  longDay
} from '../src/main/engine/credit-expiry'
import type { BalanceEstimate, Ledger, TopUpEntry } from '../src/main/engine/ledger'

const topUp = (amount: number, at: string): TopUpEntry => ({
  id: `topup-${at}`,
  type: 'topup',
  amount,
  at,
  day: at.slice(0, 10)
})

function estimate(over: Partial<BalanceEstimate> & { anchorAmount: number; anchorAt: string }) {
  const { anchorAmount, anchorAt, ...rest } = over
  return {
    balance: 0,
    anchor: {
      id: 'balance-1',
      type: 'balance',
      amount: anchorAmount,
      at: anchorAt,
      day: anchorAt.slice(0, 10),
      baselineDayCost: 0
    },
    topUps: [],
    topUpsSince: 0,
    spentSince: 0,
    ...rest
  } as BalanceEstimate
}

describe('credit lots', () => {
  it('a top-up at the very moment of the balance is part of it', () => {
    const t = topUp(20, '2026-01-10T10:00:00.000Z')
    const ledger: Ledger = { entries: [t] }
    const lots = creditLots(ledger, estimate({ anchorAmount: 50, anchorAt: t.at }))
    expect(lots).toEqual([
      { purchasedOn: null, amount: 30 },
      { purchasedOn: '2026-01-10', amount: 20 }
    ])
  })

  it('ignores top-ups after the balance in the ledger, and orders later ones by time', () => {
    const late = topUp(5, '2026-03-01T10:00:00.000Z')
    const later = topUp(7, '2026-04-01T10:00:00.000Z')
    const ledger: Ledger = { entries: [later, late] }
    const lots = creditLots(
      ledger,
      estimate({
        anchorAmount: 10,
        anchorAt: '2026-02-01T10:00:00.000Z',
        topUps: [later, late],
        spentSince: -3
      })
    )
    // A negative spend (a correction) uses nothing.
    expect(lots).toEqual([
      { purchasedOn: null, amount: 10 },
      { purchasedOn: '2026-03-01', amount: 5 },
      { purchasedOn: '2026-04-01', amount: 7 }
    ])
  })

  it('orders the top-ups behind a balance by time, whatever the ledger order', () => {
    const jan = topUp(10, '2026-01-05T10:00:00.000Z')
    const feb = topUp(10, '2026-02-05T10:00:00.000Z')
    const ledger: Ledger = { entries: [feb, jan] }
    const lots = creditLots(
      ledger,
      estimate({ anchorAmount: 15, anchorAt: '2026-03-01T00:00:00.000Z' })
    )
    expect(lots).toEqual([
      { purchasedOn: null, amount: 0 },
      { purchasedOn: '2026-01-05', amount: 5 },
      { purchasedOn: '2026-02-05', amount: 10 }
    ])
  })
})

describe('expired and expiring credit on the day itself', () => {
  const lots = [
    { purchasedOn: null, amount: 100 },
    { purchasedOn: '2025-06-01', amount: 12 },
    { purchasedOn: '2025-05-01', amount: 8 },
    { purchasedOn: '2025-07-01', amount: 0.004 },
    { purchasedOn: '2025-08-01', amount: 0.005 }
  ]

  it('credit expires on its expiry day: expired from then, expiring before', () => {
    expect(expiredCredit(lots, '2026-05-31')).toEqual([
      { purchasedOn: '2025-05-01', expiresOn: '2026-05-01', remaining: 8 }
    ])
    expect(expiredCredit(lots, '2026-06-01').map((c) => c.purchasedOn)).toEqual([
      '2025-06-01',
      '2025-05-01'
    ])
    expect(expiringCredit(lots, '2026-05-31').map((c) => c.purchasedOn)).toEqual([
      '2025-06-01',
      '2025-08-01'
    ])
    expect(expiringCredit(lots, '2026-06-01').map((c) => c.purchasedOn)).toEqual(['2025-08-01'])
  })

  it('lists half a cent and more, never the undated part, soonest expiry first', () => {
    expect(expiringCredit(lots, '2026-01-01')).toEqual([
      { purchasedOn: '2025-05-01', expiresOn: '2026-05-01', remaining: 8 },
      { purchasedOn: '2025-06-01', expiresOn: '2026-06-01', remaining: 12 },
      { purchasedOn: '2025-08-01', expiresOn: '2026-08-01', remaining: 0.005 }
    ])
    expect(expiredCredit(lots, '2027-01-01').map((c) => c.purchasedOn)).toEqual([
      '2025-06-01',
      '2025-05-01',
      '2025-08-01'
    ])
  })
})

describe('expiry warning stages', () => {
  const lot = (purchasedOn: string, amount = 40) => [{ purchasedOn, amount }]

  it('warns from 30 days before the expiry (stage 30) and from 7 days (stage 7), not on the day', () => {
    const stageOn = (today: string) => expiryWarnings(lot('2025-12-31'), 0, today)[0]?.stage
    expect(stageOn('2026-11-30')).toBeUndefined() // 31 days
    expect(stageOn('2026-12-01')).toBe(30) // 30 days
    expect(stageOn('2026-12-23')).toBe(30) // 8 days
    expect(stageOn('2026-12-24')).toBe(7) // 7 days
    expect(stageOn('2026-12-30')).toBe(7) // 1 day
    expect(stageOn('2026-12-31')).toBeUndefined() // expired
  })

  it('a rate that is no rate (negative, NaN, endless) uses nothing by then', () => {
    for (const rate of [-5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(expiryWarnings(lot('2025-12-31'), rate, '2026-12-21')).toEqual([
        {
          credit: { purchasedOn: '2025-12-31', expiresOn: '2026-12-31', remaining: 40 },
          stage: 30,
          usedByThen: 0,
          leftAtExpiry: 40
        }
      ])
    }
  })

  it('older lots are used first, also when they are not warned about themselves', () => {
    const lots = [
      { purchasedOn: '2025-01-01', amount: 30 }, // expired already: still older credit
      { purchasedOn: '2025-12-31', amount: 40 }
    ]
    // 10 days at $4/day = $40: all of it goes to the $30 first, $10 to the warned lot.
    const [w] = expiryWarnings(lots, 4, '2026-12-21')
    expect(w).toMatchObject({ usedByThen: 10, leftAtExpiry: 30 })
  })

  it('skips lots with less than half a cent, or overdrawn ones, and no warning for half a cent left', () => {
    const lots = [
      { purchasedOn: '2025-12-31', amount: -5 },
      { purchasedOn: '2025-12-30', amount: 0.004 },
      { purchasedOn: '2025-12-29', amount: 10 }
    ]
    // The tiny lot is older credit too; the overdrawn one adds nothing. 8 days at $10 in all:
    // $0.004 to the tiny lot, $9.996 to the $10 one, less than half a cent left.
    expect(expiryWarnings(lots, 10 / 8, '2026-12-21')).toEqual([])
    const w = expiryWarnings(lots, 9.994 / 8, '2026-12-21')
    expect(w.map((x) => x.credit.purchasedOn)).toEqual(['2025-12-29'])
    expect(w[0]!.leftAtExpiry).toBeCloseTo(0.01, 9)
  })
})

describe('expiry wording', () => {
  it('writes days like "Dec 16, 2025"', () => {
    expect(longDay('2025-12-16')).toBe('Dec 16, 2025')
    expect(longDay('2026-01-01')).toBe('Jan 1, 2026')
  })

  it('says when none of it will be used, and keeps cents', () => {
    expect(
      expiryNotice({
        credit: { purchasedOn: '2025-12-16', expiresOn: '2026-12-16', remaining: 12.5 },
        stage: 7,
        usedByThen: 0.004,
        leftAtExpiry: 12.496
      })
    ).toBe(
      '≈ $12.50 bought Dec 16, 2025 expires Dec 16, 2026; none of it will be used by then at the current spend.'
    )
    expect(
      expiryNotice({
        credit: { purchasedOn: '2025-12-16', expiresOn: '2026-12-16', remaining: 12.5 },
        stage: 7,
        usedByThen: 0.005,
        leftAtExpiry: 12.495
      })
    ).toMatch(/; about \$0\.01 of it will be used by then\.$/)
  })

  it('says expired credit may make the estimate too high', () => {
    expect(
      expiredNotice({ purchasedOn: '2025-01-05', expiresOn: '2026-01-05', remaining: 30.256 })
    ).toBe(
      '≈ $30.26 bought Jan 5, 2025 expired on Jan 5, 2026 (prepaid credit lasts a year), so the ' +
        'balance estimate may be that much too high: record the balance from the billing page again.'
    )
  })
})

describe('credit lots and expiries, more edges', () => {
  it('a balance the newest top-ups explain leaves the older ones out, not as empty lots', () => {
    const ledger: Ledger = {
      entries: [
        topUp(20, '2026-01-01T10:00:00.000Z'),
        topUp(20, '2026-02-01T10:00:00.000Z'),
        topUp(20, '2026-03-01T10:00:00.000Z')
      ]
    }
    expect(
      creditLots(ledger, estimate({ anchorAmount: 20, anchorAt: '2026-03-02T00:00:00.000Z' }))
    ).toEqual([
      { purchasedOn: null, amount: 0 },
      { purchasedOn: '2026-03-01', amount: 20 }
    ])
  })

  it('lists purchases expiring the same day in the order they came, whatever the input order', () => {
    const lots = [
      { purchasedOn: '2025-06-01', amount: 10 },
      { purchasedOn: '2025-06-01', amount: 20 },
      { purchasedOn: '2025-05-01', amount: 5 }
    ]
    expect(expiringCredit(lots, '2026-01-01').map((c) => c.remaining)).toEqual([5, 10, 20])
    expect(expiringCredit([...lots].reverse(), '2026-01-01').map((c) => c.remaining)).toEqual([
      5, 20, 10
    ])
  })

  it('warns about exactly half a cent left at expiry', () => {
    const [w] = expiryWarnings([{ purchasedOn: '2025-12-31', amount: 0.005 }], 0, '2026-12-21')
    expect(w).toMatchObject({ leftAtExpiry: 0.005, stage: 30 })
  })
})

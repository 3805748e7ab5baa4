// Credit expiry (oldest-first consumption), and the limit / expiry notifications of the alert
// policy: one per stage per month (limits) or per purchase and stage (expiry), persisted.
import {
  INITIAL_ALERT_STATE,
  evaluateAlerts,
  type AlertInput
} from '../src/main/engine/alert-policy'
import {
  creditLots,
  expiringCredit,
  expiryNotice,
  expiryOf,
  expiryWarnings
} from '../src/main/engine/credit-expiry'
import {
  EMPTY_LEDGER,
  estimateBalance,
  recordBalance,
  recordTopUp,
  type Ledger
} from '../src/main/engine/ledger'
import { buildStatus } from '../src/main/engine/status'
import { EMPTY_CACHE } from '../src/main/engine/cost-cache'
import { DEFAULT_SETTINGS } from '../src/shared/settings'
import { DEFAULT_THRESHOLDS, type SpendLimitStatus } from '../src/shared/status'

const at = (iso: string): Date => new Date(iso)

function lotsOf(ledger: Ledger, spent: Record<string, number>, now: string) {
  const estimate = estimateBalance(ledger, (d) => spent[d] ?? 0, at(now))!
  return creditLots(ledger, estimate)
}

describe('expiry dates', () => {
  it('one year after purchase, Feb 29 becoming Mar 1', () => {
    expect(expiryOf('2025-12-16')).toBe('2026-12-16')
    expect(expiryOf('2024-02-29')).toBe('2025-03-01')
  })
})

describe('oldest-first consumption', () => {
  it('uses the credit behind the balance before later top-ups', () => {
    let ledger = recordBalance(EMPTY_LEDGER, 30, at('2026-01-10T10:00:00Z'), 0)
    ledger = recordTopUp(ledger, 50, at('2026-02-01T10:00:00Z'))
    ledger = recordTopUp(ledger, 40, at('2026-03-01T10:00:00Z'))
    // $45 spent after the balance: the undated $30 first, then $15 of February's $50.
    const lots = lotsOf(ledger, { '2026-02-15': 45 }, '2026-03-05T00:00:00Z')
    expect(lots).toEqual([
      { purchasedOn: null, amount: 0 },
      { purchasedOn: '2026-02-01', amount: 35 },
      { purchasedOn: '2026-03-01', amount: 40 }
    ])
    expect(expiringCredit(lots, '2026-03-05')).toEqual([
      { purchasedOn: '2026-02-01', expiresOn: '2027-02-01', remaining: 35 },
      { purchasedOn: '2026-03-01', expiresOn: '2027-03-01', remaining: 40 }
    ])
  })

  it('a balance is made of the newest top-ups recorded before it', () => {
    let ledger = recordTopUp(EMPTY_LEDGER, 100, at('2025-01-05T10:00:00Z'))
    ledger = recordTopUp(ledger, 20, at('2025-06-05T10:00:00Z'))
    ledger = recordBalance(ledger, 50, at('2025-07-01T10:00:00Z'), 0)
    const lots = lotsOf(ledger, {}, '2025-07-02T00:00:00Z')
    // $50 = June's $20 + $30 of January's $100 (the rest of January's was used first).
    expect(lots).toEqual([
      { purchasedOn: null, amount: 0 },
      { purchasedOn: '2025-01-05', amount: 30 },
      { purchasedOn: '2025-06-05', amount: 20 }
    ])
  })

  it('status.expiringCredit lists top-ups with credit left, soonest first, rounded later', () => {
    let ledger = recordBalance(EMPTY_LEDGER, 0, at('2025-12-01T10:00:00Z'), 0)
    ledger = recordTopUp(ledger, 40, at('2025-12-16T10:00:00Z'))
    const s = buildStatus({
      cache: { ...EMPTY_CACHE, coveredFrom: '2025-11-01', coveredThrough: '2026-12-01' },
      ledger,
      settings: DEFAULT_SETTINGS,
      now: at('2026-12-01T12:00:00Z'),
      error: null
    })
    expect(s.expiringCredit).toEqual([
      { purchasedOn: '2025-12-16', expiresOn: '2026-12-16', remaining: 40 }
    ])
  })
})

describe('expiry warnings at 30 and 7 days', () => {
  const lots = [
    { purchasedOn: null, amount: 10 },
    { purchasedOn: '2025-12-16', amount: 40 }
  ]
  it('names the part the burn rate uses by then (older credit first)', () => {
    // 15 days at $2.33/day ≈ $35: $10 undated first, then $25 of the $40.
    const [w] = expiryWarnings(lots, 35 / 15, '2026-12-01')
    expect(w).toMatchObject({ stage: 30, leftAtExpiry: expect.closeTo(15, 5) })
    expect(expiryNotice(w!)).toBe(
      '≈ $40 bought Dec 16, 2025 expires Dec 16, 2026; about $25 of it will be used by then.'
    )
  })
  it('7 days before, and nothing when it will all be used anyway or is far off', () => {
    expect(expiryWarnings(lots, 1, '2026-12-10')[0]?.stage).toBe(7)
    expect(expiryWarnings(lots, 100, '2026-12-10')).toEqual([])
    expect(expiryWarnings(lots, 1, '2026-11-15')).toEqual([])
  })
})

const base = (over: Partial<AlertInput>): AlertInput => ({
  level: 'ok',
  balance: 500,
  daysLeft: 100,
  thresholds: DEFAULT_THRESHOLDS,
  errorKind: null,
  stale: false,
  lastTopUpAt: null,
  now: at('2026-12-10T12:00:00Z'),
  ...over
})
const limit = (over: Partial<SpendLimitStatus>): SpendLimitStatus => ({
  amount: 200,
  currency: 'USD',
  enforcement: 'enforcing',
  reached: false,
  monthToDate: 100,
  projectedMonthEnd: 300,
  reachOn: '2026-12-24',
  ...over
})
const limits = (organization: SpendLimitStatus) => ({
  organization,
  projects: [],
  alerts: [],
  checkedAt: '2026-12-10T12:00:00Z',
  unavailable: null,
  hint: null
})

describe('spend limit notifications', () => {
  it('one per stage per month: projected, then reached; never twice', () => {
    const first = evaluateAlerts(INITIAL_ALERT_STATE, base({ limits: limits(limit({})) }))
    expect(first.alerts).toEqual([
      expect.objectContaining({ kind: 'limit', title: 'Spend limit likely reached around Dec 24' })
    ])
    const again = evaluateAlerts(first.state, base({ limits: limits(limit({})) }))
    expect(again.alerts).toEqual([])
    const reached = evaluateAlerts(
      again.state,
      base({ limits: limits(limit({ reached: true, monthToDate: 212, reachOn: null })) })
    )
    expect(reached.alerts[0]!.body).toBe(
      "OpenAI is likely rejecting API requests: this month's spend ≈ $212.00 has reached the " +
        'spend limit of $200.00. Open the limits page to raise it, or wait for the 1st (UTC).'
    )
    // A new month re-arms.
    const january = evaluateAlerts(
      reached.state,
      base({ now: at('2027-01-20T00:00:00Z'), limits: limits(limit({ reachOn: '2027-01-28' })) })
    )
    expect(january.alerts).toHaveLength(1)
  })

  it('an inactive limit is never said to reject requests', () => {
    const r = evaluateAlerts(
      INITIAL_ALERT_STATE,
      base({ limits: limits(limit({ enforcement: 'inactive', reached: true, reachOn: null })) })
    )
    expect(r.alerts[0]!.title).toBe('Monthly spend limit passed')
    expect(r.alerts[0]!.body).toContain('not enforcing: requests are not rejected for it')
    expect(r.alerts[0]!.body).not.toMatch(/rejecting/)
  })
})

describe('expiry notifications', () => {
  const warning = expiryWarnings([{ purchasedOn: '2025-12-16', amount: 40 }], 1, '2026-12-01')
  it('one at 30 days, one at 7, persisted', () => {
    const dec1 = at('2026-12-01T12:00:00Z')
    const first = evaluateAlerts(INITIAL_ALERT_STATE, base({ now: dec1, expiry: warning }))
    expect(first.alerts.map((a) => a.title)).toEqual(['OpenAI credit expires in 15 days'])
    expect(evaluateAlerts(first.state, base({ now: dec1, expiry: warning })).alerts).toEqual([])
    const seven = expiryWarnings([{ purchasedOn: '2025-12-16', amount: 40 }], 1, '2026-12-10')
    expect(evaluateAlerts(first.state, base({ expiry: seven })).alerts).toHaveLength(1)
  })
})

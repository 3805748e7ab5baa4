// The alert policy's per-month and per-purchase notifications in detail: spend-limit stages per
// scope (projected, within two days, reached) with their exact words, budget texts, expiry keys
// and how long they are kept, and the reasons a stale alert gives.
import {
  INITIAL_ALERT_STATE,
  evaluateAlerts,
  type AlertInput,
  type AlertState
} from '../src/main/engine/alert-policy'
import type { ExpiryWarning } from '../src/main/engine/credit-expiry'
import type { SpendLimitStatus } from '../src/shared/status'
import { DEFAULT_THRESHOLDS } from '../src/shared/status'

const NOW = new Date('2026-12-10T12:00:00Z')
const base = (over: Partial<AlertInput> = {}): AlertInput => ({
  level: 'ok',
  balance: 500,
  daysLeft: 100,
  thresholds: DEFAULT_THRESHOLDS,
  errorKind: null,
  stale: false,
  lastTopUpAt: null,
  now: NOW,
  ...over
})
const limit = (over: Partial<SpendLimitStatus> = {}): SpendLimitStatus => ({
  amount: 200,
  currency: 'USD',
  enforcement: 'enforcing',
  reached: false,
  monthToDate: 100,
  projectedMonthEnd: 300,
  reachOn: '2026-12-24',
  ...over
})
const limits = (organization: SpendLimitStatus | null, projects: SpendLimitStatus[] = []) => ({
  organization,
  projects: projects.map((p, i) => ({ ...p, projectId: `proj_${i + 1}` })),
  alerts: [],
  checkedAt: NOW.toISOString(),
  unavailable: null,
  hint: null
})

function steps(inputs: AlertInput[], state: AlertState = INITIAL_ALERT_STATE) {
  const out: { title: string; body: string }[][] = []
  for (const i of inputs) {
    const r = evaluateAlerts(state, i)
    state = r.state
    out.push(r.alerts.map(({ title, body }) => ({ title, body })))
  }
  return { out, state }
}

describe('spend-limit stages', () => {
  it('projected, then within two days, then reached: one notification each, in words', () => {
    const { out, state } = steps([
      base({ limits: limits(limit()) }),
      base({ limits: limits(limit({ reachOn: '2026-12-12' })) }),
      base({ limits: limits(limit({ reachOn: '2026-12-11' })) }),
      base({ limits: limits(limit({ reached: true, monthToDate: 201, reachOn: null })) }),
      base({ limits: limits(limit({ reachOn: '2026-12-12' })) })
    ])
    expect(out).toEqual([
      [
        {
          title: 'Spend limit likely reached around Dec 24',
          body:
            "At this pace this month's spend (≈ $100.00 so far) reaches the spend limit of " +
            '$200.00 around Dec 24. OpenAI then rejects API requests until the limit is raised ' +
            'or the month ends.'
        }
      ],
      [
        {
          title: 'Spend limit likely reached around Dec 12',
          body:
            "At this pace this month's spend (≈ $100.00 so far) reaches the spend limit of " +
            '$200.00 around Dec 12. OpenAI then rejects API requests until the limit is raised ' +
            'or the month ends.'
        }
      ],
      [],
      [
        {
          title: 'OpenAI spend limit reached',
          body:
            "OpenAI is likely rejecting API requests: this month's spend ≈ $201.00 has reached " +
            'the spend limit of $200.00. Open the limits page to raise it, or wait for the 1st (UTC).'
        }
      ],
      []
    ])
    expect(state.limits).toEqual({ month: '2026-12', scopes: { organization: 'reached' } })
  })

  it('a limit that is not enforcing is projected, never "soon", and says it rejects nothing', () => {
    const inactive = limit({ enforcement: 'inactive', reachOn: '2026-12-11' })
    const { out } = steps([base({ limits: limits(null, [inactive]) })])
    expect(out[0]).toEqual([
      {
        title: 'Spend limit likely reached around Dec 11',
        body:
          "At this pace this month's spend (≈ $100.00 so far) reaches the spend limit of project " +
          'proj_1 of $200.00 around Dec 11. OpenAI reports the limit as inactive, not enforcing.'
      }
    ])
    const passed = evaluateAlerts(
      INITIAL_ALERT_STATE,
      base({
        limits: limits(null, [
          limit({ enforcement: 'inactive', reached: true, monthToDate: 250.5 })
        ])
      })
    )
    expect(passed.alerts).toEqual([
      {
        kind: 'limit',
        title: 'Monthly spend limit passed',
        body:
          "This month's spend ≈ $250.50 has passed the spend limit of project proj_1 of $200.00. " +
          'OpenAI reports the limit as inactive, not enforcing: requests are not rejected for it.'
      }
    ])
  })

  it('keeps each scope apart, and says nothing for limits that are fine or cannot be judged', () => {
    const { out, state } = steps([
      base({
        limits: limits(limit({ reachOn: null, projectedMonthEnd: 150 }), [
          limit({ reachOn: '2026-12-20' }),
          limit({ monthToDate: null, reached: null, reachOn: null })
        ])
      })
    ])
    expect(out[0]!.map((a) => a.title)).toEqual(['Spend limit likely reached around Dec 20'])
    expect(state.limits).toEqual({ month: '2026-12', scopes: { proj_1: 'projected' } })
    // No limit stages at all: nothing is kept.
    expect(evaluateAlerts(INITIAL_ALERT_STATE, base({ limits: null })).state.limits).toBeNull()
  })

  it('forgets last month’s stages', () => {
    const november: AlertState = {
      ...INITIAL_ALERT_STATE,
      limits: { month: '2026-11', scopes: { organization: 'reached' } }
    }
    const r = evaluateAlerts(november, base({ limits: limits(limit()) }))
    expect(r.alerts).toHaveLength(1)
    expect(r.state.limits).toEqual({ month: '2026-12', scopes: { organization: 'projected' } })
    expect(evaluateAlerts(november, base()).state.limits).toBeNull()
  })
})

describe('budget notifications in words', () => {
  const budget = (fraction: number) => ({
    amount: 100,
    spent: fraction * 100,
    fraction,
    projectedMonthEnd: 140.256
  })

  it('near and over, with spend, budget, percent rounded down and the pace', () => {
    const near = evaluateAlerts(INITIAL_ALERT_STATE, base({ budget: budget(0.8) }))
    expect(near.alerts).toEqual([
      {
        kind: 'budget',
        title: 'Monthly OpenAI budget 80% used',
        body:
          '$80.00 of the $100.00 monthly budget spent this month (80%). At this pace the month ' +
          'ends around $140.26.'
      }
    ])
    const over = evaluateAlerts(near.state, base({ budget: budget(1), currency: 'eur' }))
    expect(over.alerts).toEqual([
      {
        kind: 'budget',
        title: 'Monthly OpenAI budget used up',
        body:
          '100.00 EUR of the 100.00 EUR monthly budget spent this month (100%). At this pace the ' +
          'month ends around 140.26 EUR.'
      }
    ])
    expect(over.state.budget).toEqual({ month: '2026-12', notified: 'over' })
    expect(evaluateAlerts(over.state, base({ budget: budget(1.5) })).alerts).toEqual([])
  })

  it('below 80 % says nothing and keeps nothing; 29 % is not rounded up', () => {
    const r = evaluateAlerts(INITIAL_ALERT_STATE, base({ budget: budget(0.7999) }))
    expect(r.alerts).toEqual([])
    expect(r.state.budget).toBeNull()
    const odd = evaluateAlerts(
      INITIAL_ALERT_STATE,
      base({ budget: { ...budget(0.8), fraction: 0.8299999 } })
    )
    expect(odd.alerts[0]!.body).toContain('(82%)')
  })

  it('keeps this month’s near-notice while the budget stays near', () => {
    const state: AlertState = {
      ...INITIAL_ALERT_STATE,
      budget: { month: '2026-12', notified: 'near' }
    }
    const r = evaluateAlerts(state, base({ budget: budget(0.9) }))
    expect(r.alerts).toEqual([])
    expect(r.state.budget).toEqual({ month: '2026-12', notified: 'near' })
    // Without a budget any more, this month's record stays; last month's is dropped.
    expect(evaluateAlerts(state, base()).state.budget).toEqual(state.budget)
    const old: AlertState = {
      ...INITIAL_ALERT_STATE,
      budget: { month: '2026-11', notified: 'over' }
    }
    expect(evaluateAlerts(old, base()).state.budget).toBeNull()
  })
})

describe('expiry notifications in detail', () => {
  const warning = (purchasedOn: string, expiresOn: string, stage: 30 | 7): ExpiryWarning => ({
    credit: { purchasedOn, expiresOn, remaining: 40 },
    stage,
    usedByThen: 25,
    leftAtExpiry: 15
  })

  it('says how many days are left and what to do, once per purchase and stage', () => {
    const w = warning('2025-12-16', '2026-12-16', 7)
    const r = evaluateAlerts(INITIAL_ALERT_STATE, base({ expiry: [w, w] }))
    expect(r.alerts).toEqual([
      {
        kind: 'expiry',
        title: 'OpenAI credit expires in 6 days',
        body:
          '≈ $40 bought Dec 16, 2025 expires Dec 16, 2026; about $25 of it will be used by then. ' +
          'Use it or plan smaller top-ups.'
      }
    ])
    expect(r.state.expiry).toEqual(['2025-12-16:7'])
  })

  it('drops the record of purchases more than 400 days old', () => {
    const state: AlertState = {
      ...INITIAL_ALERT_STATE,
      expiry: ['2025-11-05:30', '2025-11-06:7', '2025-12-16:30']
    }
    // Dec 10, 2026 minus 400 days is Nov 5, 2025.
    expect(evaluateAlerts(state, base()).state.expiry).toEqual([
      '2025-11-05:30',
      '2025-11-06:7',
      '2025-12-16:30'
    ])
    const later = evaluateAlerts(state, base({ now: new Date('2026-12-11T12:00:00Z') }))
    expect(later.state.expiry).toEqual(['2025-11-06:7', '2025-12-16:30'])
  })
})

describe('why the data is stale, in the alert', () => {
  const staleWith = (errorKind: AlertInput['errorKind']) =>
    evaluateAlerts(
      INITIAL_ALERT_STATE,
      base({ stale: true, staleForMs: 7.5 * 3_600_000, errorKind, apiHost: 'api.example.com' })
    ).alerts[0]
  it('gives the reason for each kind of failure, and none when there is no error', () => {
    const reasons: [AlertInput['errorKind'], string][] = [
      ['network', ' (api.example.com could not be reached)'],
      ['rate_limit', ' (OpenAI is rate-limiting requests)'],
      ['server', ' (OpenAI answered with server errors)'],
      ['bad_response', ' (OpenAI sent answers Credit Tray does not understand)'],
      ['keychain', ' (the system keychain did not answer)'],
      ['storage', ' (its data folder could not be written)'],
      [null, '']
    ]
    for (const [kind, reason] of reasons) {
      expect(staleWith(kind), String(kind)).toEqual({
        kind: 'stale',
        title: 'Credit Tray has not updated for 7 hours',
        body: `The spend and balance shown may be out of date${reason}. Credit Tray keeps retrying.`
      })
    }
  })

  it('alerts only past six hours', () => {
    const at = (ms: number) =>
      evaluateAlerts(INITIAL_ALERT_STATE, base({ stale: true, staleForMs: ms })).alerts
    expect(at(6 * 3_600_000)).toEqual([])
    expect(at(6 * 3_600_000 + 1)).toHaveLength(1)
  })
})

// The JSON of `credit-tray status --json`, `GET /status.json` and `accounts list --json`: money
// rounded to cents everywhere (the engine keeps full precision), days left to a tenth, the budget
// fraction to a thousandth, nulls kept as nulls, everything else passed through as it is.
import type { Status } from '../src/shared/status'
import { accountRows, jsonText, statusJsonText, statusToJson } from '../src/main/engine/status-json'
import { makeStatus } from './support/fixtures'

const NOW = Date.parse('2026-03-10T12:00:00Z')

function limit(over: Record<string, unknown> = {}) {
  return {
    amount: 200,
    currency: 'usd',
    enforcement: 'enforcing' as const,
    reached: false,
    monthToDate: 95.126,
    projectedMonthEnd: 310.004,
    reachOn: '2026-03-20',
    ...over
  }
}

function fullStatus(): Status {
  return makeStatus(
    {
      balance: 41.236,
      spend: { today: 1.006, last7Days: 7.4449, monthToDate: 30.125 },
      daily: [
        { date: '2026-03-09', cost: 2.345 },
        { date: '2026-03-10', cost: 0.0049 }
      ],
      burnRatePerDay: 3.456,
      daysLeft: 12.06,
      topLineItems: [{ name: 'gpt-4o, output', cost: 48.105 }],
      topProjects: [{ name: 'Support bot', cost: 52.4449 }],
      autoRecharge: {
        reloadsAssumed: 2,
        assumedTotal: 50.005,
        monthReloaded: 25.125,
        monthlyLimit: 100,
        headroom: 74.875,
        limitReachedOn: null
      },
      budget: { amount: 100, spent: 30.125, fraction: 0.30125, projectedMonthEnd: 93.456 },
      limits: {
        organization: limit(),
        projects: [{ ...limit({ monthToDate: null, projectedMonthEnd: null }), projectId: 'p1' }],
        alerts: [{ scope: 'organization', amount: 150, recipients: 1 }],
        checkedAt: '2026-03-10T11:00:00.000Z',
        unavailable: null,
        hint: null
      },
      expiringCredit: [{ purchasedOn: '2025-03-20', expiresOn: '2026-03-20', remaining: 10.999 }]
    } as Partial<Status>,
    NOW
  )
}

describe('status JSON', () => {
  it('rounds every money figure to cents and leaves the rest as it is', () => {
    const s = fullStatus()
    const json = statusToJson(s) as Record<string, unknown>
    expect(json).toEqual({
      ...s,
      balance: 41.24,
      spend: { today: 1.01, last7Days: 7.44, monthToDate: 30.13 },
      daily: [
        { date: '2026-03-09', cost: 2.35 },
        { date: '2026-03-10', cost: 0 }
      ],
      burnRatePerDay: 3.46,
      daysLeft: 12.1,
      topLineItems: [{ name: 'gpt-4o, output', cost: 48.11 }],
      topProjects: [{ name: 'Support bot', cost: 52.44 }],
      autoRecharge: {
        reloadsAssumed: 2,
        assumedTotal: 50.01,
        monthReloaded: 25.13,
        monthlyLimit: 100,
        headroom: 74.88,
        limitReachedOn: null
      },
      budget: { amount: 100, spent: 30.13, fraction: 0.301, projectedMonthEnd: 93.46 },
      limits: {
        ...s.limits,
        organization: limit({ monthToDate: 95.13, projectedMonthEnd: 310 }),
        projects: [{ ...limit({ monthToDate: null, projectedMonthEnd: null }), projectId: 'p1' }]
      },
      expiringCredit: [{ purchasedOn: '2025-03-20', expiresOn: '2026-03-20', remaining: 11 }]
    })
  })

  it('keeps unknown figures null and absent parts absent', () => {
    const s = makeStatus(
      {
        balance: null,
        daysLeft: null,
        autoRecharge: {
          reloadsAssumed: 0,
          assumedTotal: 0,
          monthReloaded: 0,
          monthlyLimit: null,
          headroom: null,
          limitReachedOn: null
        },
        budget: null
      },
      NOW
    )
    const json = statusToJson(s) as Status
    expect(json.balance).toBeNull()
    expect(json.daysLeft).toBeNull()
    expect(json.autoRecharge?.headroom).toBeNull()
    expect(json.budget).toBeNull()
    expect(json.limits.organization).toBeNull()
    expect(statusToJson({ ...s, autoRecharge: null }) as Status).toMatchObject({
      autoRecharge: null
    })
  })

  it('prints pretty JSON with a final newline', () => {
    expect(jsonText({ a: 1 })).toBe('{\n  "a": 1\n}\n')
    const s = fullStatus()
    expect(statusJsonText(s)).toBe(JSON.stringify(statusToJson(s), null, 2) + '\n')
  })
})

describe('accounts list JSON', () => {
  it('one row per account: active flag, filter, level, currency, balance in cents, last update', () => {
    const statuses: Record<string, Status> = {
      Main: makeStatus({ balance: 12.345, level: 'low', currency: 'usd' }, NOW),
      Agency: makeStatus(
        { balance: null, level: 'unknown', currency: 'eur', lastUpdated: null },
        NOW
      )
    }
    const rows = accountRows(
      [
        { name: 'Main', projectIds: [] },
        { name: 'Agency', projectIds: ['proj_a'] }
      ] as never,
      'Agency',
      (name) => statuses[name]!
    )
    expect(rows).toEqual([
      {
        name: 'Main',
        active: false,
        projectIds: [],
        level: 'low',
        currency: 'usd',
        balance: 12.35,
        lastUpdated: statuses.Main!.lastUpdated
      },
      {
        name: 'Agency',
        active: true,
        projectIds: ['proj_a'],
        level: 'unknown',
        currency: 'eur',
        balance: null,
        lastUpdated: null
      }
    ])
  })
})

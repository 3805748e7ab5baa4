// Spend-only mode with a monthly budget: the numbers, the tray level without a balance, and the
// 80% / 100% alerts — once each per UTC month, across restarts, re-armed on the 1st. Also the
// auto-recharge wording of the credit alerts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  INITIAL_ALERT_STATE,
  alertStateSchema,
  evaluateAlerts,
  type AlertInput
} from '../src/main/engine/alert-policy'
import { formatStatus } from '../src/main/cli/format'
import { statusToJson } from '../src/main/cli/run-cli'
import { budgetStatus } from '../src/main/engine/budget'
import { createEngine } from '../src/main/engine/engine'
import type { Alert } from '../src/main/engine/engine-api'
import { budgetLevel } from '../src/main/engine/levels'
import { createMemoryStore } from '../src/main/engine/secrets'
import { DEFAULT_THRESHOLDS } from '../src/shared/status'
import { makeStatus } from './support/fixtures'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ADMIN = 'sk-admin-BUDGETKEY0123456789abcdef'

describe('the budget numbers', () => {
  it('projects the month end from month-to-date plus the burn rate for the time left', () => {
    // Nov 21 00:00 UTC: 10 days (21st–30th) left in November.
    const b = budgetStatus(200, 120, 6, new Date('2024-11-21T00:00:00Z'))
    expect(b).toEqual({ amount: 200, spent: 120, fraction: 0.6, projectedMonthEnd: 180 })
  })

  it('counts the rest of today too, since today’s cost so far is already in month-to-date', () => {
    const b = budgetStatus(100, 10, 4, new Date('2024-11-30T18:00:00Z'))
    expect(b?.projectedMonthEnd).toBeCloseTo(11, 9) // 6 hours left: a quarter day at $4/day
  })

  it('is null without a budget', () => {
    expect(budgetStatus(null, 10, 1, new Date())).toBeNull()
  })

  it('is null for a budget of zero or less, and counts a budget of one cent', () => {
    expect(budgetStatus(0, 10, 1, new Date('2024-11-21T00:00:00Z'))).toBeNull()
    expect(budgetStatus(-5, 10, 1, new Date('2024-11-21T00:00:00Z'))).toBeNull()
    expect(budgetStatus(0.01, 0, 0, new Date('2024-11-21T00:00:00Z'))?.fraction).toBe(0)
  })

  it('projects no further spend from a burn rate that is zero, negative or not a number', () => {
    const now = new Date('2024-11-21T00:00:00Z')
    for (const burn of [0, -3, Number.NaN, Number.POSITIVE_INFINITY])
      expect(budgetStatus(200, 120, burn, now)?.projectedMonthEnd, String(burn)).toBe(120)
  })

  it('in December the month ends at the new year', () => {
    // Dec 30 00:00 UTC: two days left.
    expect(budgetStatus(100, 50, 5, new Date('2024-12-30T00:00:00Z'))?.projectedMonthEnd).toBe(60)
  })

  it('turns the level low at 80% and critical at 100%', () => {
    expect(budgetLevel(null)).toBe('unknown')
    expect(budgetLevel(0.79)).toBe('ok')
    expect(budgetLevel(0.8)).toBe('low')
    expect(budgetLevel(0.99)).toBe('low')
    expect(budgetLevel(1)).toBe('critical')
    expect(budgetLevel(1.7)).toBe('critical')
  })
})

describe('budget alerts', () => {
  const base: AlertInput = {
    level: 'unknown',
    balance: null,
    daysLeft: null,
    thresholds: DEFAULT_THRESHOLDS,
    errorKind: null,
    stale: false,
    lastTopUpAt: null,
    now: new Date('2024-11-20T12:00:00Z')
  }
  const at = (fraction: number, now = base.now): AlertInput => ({
    ...base,
    now,
    level: budgetLevel(fraction),
    budget: { amount: 100, spent: fraction * 100, fraction, projectedMonthEnd: 130 }
  })

  it('alert at 80% and again at 100%, once each, with the amounts in the message', () => {
    let state = INITIAL_ALERT_STATE
    const kinds: string[] = []
    const bodies: string[] = []
    for (const f of [0.5, 0.82, 0.9, 1.01, 1.2]) {
      const r = evaluateAlerts(state, at(f))
      state = r.state
      kinds.push(...r.alerts.map((a) => a.title))
      bodies.push(...r.alerts.map((a) => a.body))
    }
    expect(kinds).toEqual(['Monthly OpenAI budget 80% used', 'Monthly OpenAI budget used up'])
    expect(bodies[0]).toContain('$82.00 of the $100.00 monthly budget')
    expect(bodies[0]).toContain('$130.00')
  })

  it('only the 100% alert when the budget is passed in one go', () => {
    const r = evaluateAlerts(INITIAL_ALERT_STATE, at(1.3))
    expect(r.alerts.map((a) => a.kind)).toEqual(['budget'])
    expect(r.alerts[0]!.title).toBe('Monthly OpenAI budget used up')
    expect(evaluateAlerts(r.state, at(0.85)).alerts).toEqual([])
  })

  it('re-arm on the 1st of the next UTC month', () => {
    const nov = evaluateAlerts(INITIAL_ALERT_STATE, at(1.1))
    const dec = evaluateAlerts(nov.state, at(0.81, new Date('2024-12-01T00:30:00Z')))
    expect(dec.alerts.map((a) => a.title)).toEqual(['Monthly OpenAI budget 80% used'])
  })

  it('a budget-driven level never raises a "credit is running out" alert', () => {
    const r = evaluateAlerts(INITIAL_ALERT_STATE, at(1.1))
    expect(r.alerts.every((a) => a.kind === 'budget')).toBe(true)
    expect(r.state.credit).toBeNull()
  })

  it('an alert-state file from before budgets still loads', () => {
    const old = { credit: null, keyRejected: null, stale: null }
    expect(alertStateSchema.parse(old)).toEqual({ ...old, budget: null, limits: null, expiry: [] })
  })
})

describe('credit alerts with auto-recharge', () => {
  it('speak of the monthly reload limit and of spend, not of an empty balance', () => {
    const r = evaluateAlerts(INITIAL_ALERT_STATE, {
      level: 'low',
      balance: 30,
      daysLeft: 4.2,
      burnRatePerDay: 12,
      runOutDate: '2024-12-03',
      thresholds: DEFAULT_THRESHOLDS,
      errorKind: null,
      stale: false,
      lastTopUpAt: null,
      now: new Date('2024-11-29T12:00:00Z'),
      autoRecharge: {
        reloadsAssumed: 4,
        assumedTotal: 80,
        monthReloaded: 80,
        monthlyLimit: 100,
        headroom: 20,
        limitReachedOn: '2024-12-01'
      }
    })
    expect(r.alerts).toHaveLength(1)
    expect(r.alerts[0]!.title).toBe('Auto-recharge limit nearly used')
    expect(r.alerts[0]!.body).toContain(
      '$80.00 of $100.00 reloaded this month; at $12.00/day credit runs out around Dec 3.'
    )
  })

  it('end an episode only once balance plus headroom is clearly above the low threshold', () => {
    const input = {
      balance: 9,
      daysLeft: 30,
      thresholds: DEFAULT_THRESHOLDS,
      errorKind: null,
      stale: false,
      lastTopUpAt: null,
      now: new Date('2024-11-29T12:00:00Z'),
      autoRecharge: {
        reloadsAssumed: 1,
        assumedTotal: 10,
        monthReloaded: 10,
        monthlyLimit: 20,
        headroom: 10,
        limitReachedOn: null
      }
    }
    const low = evaluateAlerts(INITIAL_ALERT_STATE, { ...input, level: 'low' })
    expect(low.state.credit?.level).toBe('low')
    // Back to ok: $9 + $2 headroom = $11 is not above $10 × 1.2, so the episode goes on;
    // $9 + $10 = $19 is, so it ends.
    const tight = { ...input.autoRecharge, headroom: 2 }
    expect(
      evaluateAlerts(low.state, { ...input, level: 'ok', autoRecharge: tight }).state.credit
    ).not.toBeNull()
    expect(evaluateAlerts(low.state, { ...input, level: 'ok' }).state.credit).toBeNull()
  })
})

describe('budget alerts in the running app', () => {
  let server: FakeOpenAIServer
  let dir: string
  let clock: Date

  beforeEach(async () => {
    server = await startFakeOpenAIServer({ adminKeys: [ADMIN], nowMs: () => clock.getTime() })
    dir = mkdtempSync(join(tmpdir(), 'ct-budget-'))
    clock = new Date('2026-03-10T12:00:00Z')
  })
  afterEach(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function spend(day: string, value: number): void {
    server.dataset.costs[day] = [{ line_item: 'gpt-4o, output', project_id: 'proj_a', value }]
  }

  async function app(): Promise<{ engine: ReturnType<typeof createEngine>; alerts: Alert[] }> {
    const secretStore = createMemoryStore()
    await secretStore.set('default', ADMIN)
    const engine = createEngine({
      dataDir: dir,
      secretStore,
      baseURL: server.baseURL,
      timeoutMs: 2_000,
      now: () => clock,
      alerts: true
    })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    return { engine, alerts }
  }

  it('alert once per month across restarts, and the tray level follows the budget', async () => {
    spend('2026-03-02', 50)
    spend('2026-03-09', 35)
    const first = await app()
    await first.engine.updateSettings({ monthlyBudget: 100 })
    const status = await first.engine.refresh()
    expect(status.balance).toBeNull()
    expect(status.budget).toMatchObject({ amount: 100, spent: 85, fraction: 0.85 })
    expect(status.level).toBe('low')
    expect(first.alerts.map((a) => a.title)).toEqual(['Monthly OpenAI budget 80% used'])

    // Restart: the same 85% says nothing new.
    const second = await app()
    clock = new Date('2026-03-10T12:20:00Z')
    await second.engine.refresh()
    expect(second.alerts).toEqual([])

    // Over budget: one more alert, and critical.
    spend('2026-03-10', 20)
    clock = new Date('2026-03-10T12:40:00Z')
    const over = await second.engine.refresh()
    expect(over.level).toBe('critical')
    expect(second.alerts.map((a) => a.title)).toEqual(['Monthly OpenAI budget used up'])

    // Another restart later the same month: silence.
    const third = await app()
    clock = new Date('2026-03-20T09:00:00Z')
    await third.engine.refresh()
    expect(third.alerts).toEqual([])

    // April: month-to-date starts again; reaching 80% alerts again.
    spend('2026-04-01', 90)
    clock = new Date('2026-04-01T18:00:00Z')
    const april = await app()
    const s = await april.engine.refresh()
    expect(s.budget?.spent).toBe(90)
    expect(april.alerts.map((a) => a.title)).toEqual(['Monthly OpenAI budget 80% used'])
  })

  it('with a balance recorded, the level follows the balance and the budget only alerts', async () => {
    spend('2026-03-09', 95)
    const { engine, alerts } = await app()
    await engine.updateSettings({ monthlyBudget: 100 })
    await engine.refresh()
    const s = await engine.recordBalance(5000) // 52 days at $95/day
    expect(s.level).toBe('ok')
    expect(s.budget?.fraction).toBeCloseTo(0.95, 9)
    expect(alerts.map((a) => a.kind)).toEqual(['budget'])
  })
})

describe('status --json', () => {
  it('carries the budget and the auto-recharge model with money rounded to cents', () => {
    const json = statusToJson(
      makeStatus({
        budget: { amount: 100, spent: 85.004, fraction: 0.85004, projectedMonthEnd: 131.3333 },
        balanceBasis: 'assumed-reloads',
        autoRecharge: {
          reloadsAssumed: 2,
          assumedTotal: 60.0001,
          monthReloaded: 30.004,
          monthlyLimit: 100,
          headroom: 69.996,
          limitReachedOn: null
        }
      })
    ) as Record<string, unknown>
    expect(json.budget).toEqual({
      amount: 100,
      spent: 85,
      fraction: 0.85,
      projectedMonthEnd: 131.33
    })
    expect(json.balanceBasis).toBe('assumed-reloads')
    expect(json.autoRecharge).toMatchObject({ assumedTotal: 60, monthReloaded: 30, headroom: 70 })
  })
})

describe('credit-tray status (text)', () => {
  it('says the balance assumes reloads, shows the reload headroom and the budget', () => {
    const text = formatStatus(
      makeStatus({
        balance: 41.2,
        balanceBasis: 'assumed-reloads',
        autoRecharge: {
          reloadsAssumed: 2,
          assumedTotal: 60,
          monthReloaded: 60,
          monthlyLimit: 100,
          headroom: 40,
          limitReachedOn: null
        },
        budget: { amount: 200, spent: 170, fraction: 0.85, projectedMonthEnd: 240 }
      }),
      new Date()
    )
    expect(text).toContain('≈ $41.20 (assumes 2 auto-reloads)')
    expect(text).toContain('Reloads     $60.00 of $100.00 this month, $40.00 left')
    expect(text).toContain(
      'Budget      $170.00 of $200.00 this month (85%), ≈ $240.00 by month end'
    )
  })
})

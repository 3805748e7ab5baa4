// OpenAI's hard spend limits and email spend alerts: the level rule and the maths (pure), and
// the engine reading them through the real SDK from the loopback fake Admin API.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SpendLimitStatus } from '../src/shared/status'
import { EMPTY_CACHE } from '../src/main/engine/cost-cache'
import { createEngine, type EngineOptions } from '../src/main/engine/engine'
import { withFileLock } from '../src/main/engine/file-lock'
import { createMemoryStore } from '../src/main/engine/secrets'
import {
  limitAgainstSpend,
  limitLevel,
  projectsToCheck,
  PERMISSION_HINT
} from '../src/main/engine/spend-limits'
import { OVERAGE_NOTICE } from '../src/main/engine/status'
import { formatStatus } from '../src/main/cli/format'
import { statusToJson } from '../src/main/engine/status-json'
import { makeStatus, withLimits } from './support/fixtures'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
const NO_LIMITS_KEY = 'sk-admin-NOLIMITS0123456789abcdef'
const READ_ONLY = 'sk-admin-READONLY0123456789abcdef'

const limit = (over: Partial<SpendLimitStatus> = {}): SpendLimitStatus => ({
  amount: 200,
  currency: 'USD',
  enforcement: 'enforcing',
  reached: false,
  monthToDate: 50,
  projectedMonthEnd: 120,
  reachOn: null,
  ...over
})

describe('the level rule (limitLevel)', () => {
  const today = '2026-12-10'
  it('a reached limit is critical when OpenAI reports it enforcing, low otherwise', () => {
    expect(limitLevel(limit({ reached: true, monthToDate: 212 }), today)).toBe('critical')
    expect(limitLevel(limit({ reached: true, enforcement: 'inactive' }), today)).toBe('low')
    expect(limitLevel(limit({ reached: true, enforcement: 'paused' }), today)).toBe('low')
  })
  it('projected to be reached this month is low, critical within 2 days when enforcing', () => {
    expect(limitLevel(limit({ reachOn: '2026-12-24' }), today)).toBe('low')
    expect(limitLevel(limit({ reachOn: '2026-12-12' }), today)).toBe('critical')
    expect(limitLevel(limit({ reachOn: '2026-12-13' }), today)).toBe('low')
    expect(limitLevel(limit({ reachOn: '2026-12-11', enforcement: 'inactive' }), today)).toBe('low')
  })
  it('ok when neither, and no opinion when the spend of the scope is unknown', () => {
    expect(limitLevel(limit(), today)).toBe('ok')
    expect(limitLevel(limit({ monthToDate: null, reached: null }), today)).toBeNull()
  })
})

describe('a limit against the month (limitAgainstSpend)', () => {
  const raw = { amount: 200, currency: 'USD', enforcement: 'enforcing' }
  const now = new Date('2026-12-10T00:00:00Z') // 22 days left in December
  it('projects the month end at the burn rate and names the crossing day', () => {
    const l = limitAgainstSpend(raw, { monthToDate: 100, burnRatePerDay: 10 }, now)
    expect(l.reached).toBe(false)
    expect(l.projectedMonthEnd).toBeCloseTo(320)
    expect(l.reachOn).toBe('2026-12-20')
  })
  it('no crossing day when the projection stays below the amount this month', () => {
    const l = limitAgainstSpend(raw, { monthToDate: 100, burnRatePerDay: 4 }, now)
    expect(l.projectedMonthEnd).toBeCloseTo(188)
    expect(l.reachOn).toBeNull()
  })
  it('reached at exactly the amount; then no crossing day', () => {
    const l = limitAgainstSpend(raw, { monthToDate: 200, burnRatePerDay: 4 }, now)
    expect(l.reached).toBe(true)
    expect(l.reachOn).toBeNull()
  })
  it('unknown spend gives nulls, not zeros', () => {
    expect(limitAgainstSpend(raw, null, now)).toEqual({
      ...raw,
      reached: null,
      monthToDate: null,
      projectedMonthEnd: null,
      reachOn: null
    })
  })
})

describe('which projects are read (projectsToCheck)', () => {
  it('those with costs this UTC month, highest first, at most 20, plus the filter', () => {
    const days: typeof EMPTY_CACHE.days = {}
    const projects: Record<string, number> = { '(other)': 99 }
    for (let i = 0; i < 25; i++) projects[`proj_${String(i).padStart(2, '0')}`] = i
    days['2026-12-02'] = { date: '2026-12-02', total: 1, currency: 'usd', lineItems: {}, projects }
    days['2026-11-30'] = {
      date: '2026-11-30',
      total: 1,
      currency: 'usd',
      lineItems: {},
      projects: { proj_last_month: 500 }
    }
    const ids = projectsToCheck({ ...EMPTY_CACHE, days }, '2026-12-10', ['proj_filter'])
    expect(ids).toHaveLength(21)
    expect(ids[0]).toBe('proj_24')
    expect(ids[19]).toBe('proj_05')
    expect(ids.at(-1)).toBe('proj_filter')
    expect(ids).not.toContain('(other)')
    expect(ids).not.toContain('proj_last_month')
    expect(ids).not.toContain('proj_00') // nothing spent
  })
})

describe('the engine reads the limits', () => {
  let server: FakeOpenAIServer
  let dir: string
  let clock: Date

  beforeEach(async () => {
    server = await startFakeOpenAIServer({
      adminKeys: [ADMIN, NO_LIMITS_KEY, READ_ONLY],
      spend: { noLimitsKeys: [NO_LIMITS_KEY], readOnlyKeys: [READ_ONLY] },
      // The server's "now" is the test clock (the default end_time is now).
      nowMs: () => clock.getTime()
    })
    dir = mkdtempSync(join(tmpdir(), 'ct-limits-'))
    clock = new Date('2026-12-10T12:00:00Z')
    // $10 on each of the 9 days before today, $5 today: month to date $95, burn $10/day.
    for (let d = 1; d <= 9; d++)
      server.dataset.costs[`2026-12-0${d}`] = [
        { line_item: 'gpt', project_id: 'proj_a', value: 6 },
        { line_item: 'gpt', project_id: 'proj_b', value: 4 }
      ]
    server.dataset.costs['2026-12-10'] = [{ line_item: 'gpt', project_id: 'proj_a', value: 5 }]
  })
  afterEach(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const engine = (key = ADMIN, extra: Partial<EngineOptions> = {}) =>
    testEngine({ dir, server, key, now: () => clock, ...extra })
  const spendRequests = () => server.requests.filter((r) => /spend_(limit|alerts)/.test(r.path))

  it('404 everywhere means no limits and no alerts, and the level is the balance alone', async () => {
    const e = await engine()
    await e.refresh()
    await e.recordBalance(500)
    const s = await e.refresh()
    expect(s.limits).toEqual({
      organization: null,
      projects: [],
      alerts: [],
      checkedAt: '2026-12-10T12:00:00.000Z',
      unavailable: null,
      hint: null
    })
    expect(s.level).toBe('ok')
  })

  it('an amount of 0 (inactive) also means no limit', async () => {
    server.spend.zeroForNone = true
    server.spend.projectAlerts = { proj_a: [], proj_b: [] }
    const s = await (await engine()).refresh()
    expect(s.limits.organization).toBeNull()
    expect(s.limits.projects).toEqual([])
    expect(s.limits.checkedAt).not.toBeNull()
  })

  it('converts cents to dollars and compares the limit with this UTC month', async () => {
    server.spend.orgLimit = { threshold_amount: 20_000, status: 'enforcing' }
    server.spend.projectLimits = { proj_b: { threshold_amount: 3_000, status: 'inactive' } }
    const e = await engine()
    await e.refresh()
    await e.recordBalance(1000)
    const s = await e.refresh()
    expect(s.limits.organization).toMatchObject({
      amount: 200,
      currency: 'USD',
      enforcement: 'enforcing',
      reached: false,
      monthToDate: 95,
      reachOn: '2026-12-21'
    })
    // 95 + $10/day × 21.5 days left.
    expect(s.limits.organization!.projectedMonthEnd).toBeCloseTo(310)
    expect(s.limits.projects).toEqual([
      {
        projectId: 'proj_b',
        amount: 30,
        currency: 'USD',
        enforcement: 'inactive',
        reached: true,
        monthToDate: 36,
        projectedMonthEnd: expect.any(Number),
        reachOn: null
      }
    ])
    // Projected (org) and reached but inactive (proj_b): low, never critical.
    expect(s.level).toBe('low')
  })

  it('a reached enforcing limit is critical whatever the balance', async () => {
    server.spend.orgLimit = { threshold_amount: 9_000, status: 'enforcing' }
    const e = await engine()
    await e.refresh()
    await e.recordBalance(5000)
    const s = await e.refresh()
    expect(s.limits.organization).toMatchObject({ amount: 90, reached: true, monthToDate: 95 })
    expect(s.level).toBe('critical')
    expect(s.balance).toBe(5000) // today's cost was read live as the balance's baseline
  })

  it('follows the alert pages and counts recipients per alert', async () => {
    server.spend.orgAlerts = Array.from({ length: 130 }, (_, i) => ({
      id: `alert_${i}`,
      threshold_amount: (i + 1) * 100,
      recipients: i === 0 ? ['a@example.com', 'b@example.com'] : ['a@example.com']
    }))
    server.spend.projectAlerts = {
      proj_a: [{ id: 'pa', threshold_amount: 15_000, recipients: ['ops@example.com'] }]
    }
    const s = await (await engine()).refresh()
    expect(s.limits.alerts).toHaveLength(131)
    expect(s.limits.alerts[0]).toEqual({ scope: 'organization', amount: 1, recipients: 2 })
    expect(s.limits.alerts.at(-1)).toEqual({ scope: 'proj_a', amount: 150, recipients: 1 })
    const pages = server.requests.filter((r) => r.path === '/v1/organization/spend_alerts')
    expect(pages.map((r) => r.query['after']?.[0] ?? null)).toEqual([null, 'alert_99'])
  })

  it('a key that may not read them: unavailable "permission" with a hint, never a balance error', async () => {
    const e = await engine(NO_LIMITS_KEY)
    await e.refresh()
    await e.recordBalance(40)
    const s = await e.refresh()
    expect(s.error).toBeNull()
    expect(s.balance).toBe(40) // today's cost was read live as the balance's baseline
    expect(s.limits.unavailable).toBe('permission')
    expect(s.limits.hint).toBe(PERMISSION_HINT)
    // Said beside the limits, not among the balance's notices.
    expect(s.notices).not.toContain(PERMISSION_HINT)
  })

  it('a server error keeps the last good read and says so, the balance unaffected', async () => {
    server.spend.orgLimit = { threshold_amount: 20_000, status: 'enforcing' }
    const e = await engine()
    await e.refresh()
    server.spend.failStatus = 500
    clock = new Date('2026-12-10T12:30:00Z')
    const s = await e.refresh({ manual: true })
    expect(s.error).toBeNull()
    expect(s.limits.organization?.amount).toBe(200)
    expect(s.limits.checkedAt).toBe('2026-12-10T12:00:00.000Z')
    expect(s.limits.hint).toMatch(/^Spend limits not refreshed: /)
  })

  it('steady polls stay one request; limits again after 6 hours, or at once when asked', async () => {
    const e = await engine()
    await e.refresh()
    server.resetRecords()
    clock = new Date('2026-12-10T12:15:00Z')
    await e.refresh()
    expect(server.requestCount).toBe(1)

    server.resetRecords()
    clock = new Date('2026-12-10T12:30:00Z')
    await e.refresh({ manual: true })
    expect(spendRequests().length).toBeGreaterThanOrEqual(2)

    server.resetRecords()
    clock = new Date('2026-12-10T18:29:00Z')
    await e.refresh()
    expect(spendRequests()).toHaveLength(0)
    clock = new Date('2026-12-10T18:31:00Z')
    await e.refresh()
    expect(spendRequests().length).toBeGreaterThanOrEqual(2)
  })

  it('limits that cannot be saved are still shown, say so, and are not read again at every poll', async () => {
    server.spend.orgLimit = { threshold_amount: 20_000, status: 'enforcing' }
    const e = await engine(ADMIN, { lock: { timeoutMs: 200 } })
    // Another process holds limits.json's lock for longer than this engine waits.
    let release = () => {}
    const held = withFileLock(
      join(dir, 'limits.json'),
      () => new Promise<void>((r) => (release = r))
    )
    const s = await e.refresh()
    expect(s.error).toBeNull()
    expect(s.limits.organization?.amount).toBe(200)
    expect(s.notices).toContainEqual(
      expect.stringMatching(/^The spend limits just read could not be saved: .*limits\.json/)
    )
    expect(existsSync(join(dir, 'limits.json'))).toBe(false)

    server.resetRecords()
    clock = new Date('2026-12-10T12:15:00Z')
    const next = await e.refresh()
    expect(spendRequests()).toHaveLength(0)
    expect(next.limits.organization?.amount).toBe(200)
    expect(next.notices.some((n) => n.startsWith('The spend limits just read'))).toBe(true)

    release()
    await held
    clock = new Date('2026-12-10T18:15:00Z')
    const saved = await e.refresh()
    expect(spendRequests().length).toBeGreaterThan(0)
    expect(saved.notices.some((n) => n.startsWith('The spend limits just read'))).toBe(false)
    expect(JSON.parse(readFileSync(join(dir, 'limits.json'), 'utf8'))).toMatchObject({
      data: { organization: { amount: 200 } }
    })
  })

  it('reading never writes', async () => {
    server.spend.orgLimit = { threshold_amount: 20_000, status: 'enforcing' }
    server.spend.orgAlerts = [{ id: 'a1', threshold_amount: 100, recipients: ['x@example.com'] }]
    const e = await engine()
    await e.refresh()
    await e.refresh({ manual: true })
    clock = new Date('2026-12-10T19:00:00Z') // 6 hours later: read again on the poll
    await e.refresh()
    expect(spendRequests().length).toBeGreaterThan(0)
    expect(spendRequests().every((r) => r.method === 'GET')).toBe(true)
    expect(server.writes).toEqual([])
  })

  it('with a project filter the organization month is not known: nulls, not a partial sum', async () => {
    server.spend.orgLimit = { threshold_amount: 20_000, status: 'enforcing' }
    server.spend.projectLimits = { proj_a: { threshold_amount: 5_000, status: 'enforcing' } }
    const s = await (await engine(ADMIN, { projectIds: ['proj_a'] })).refresh()
    expect(s.limits.organization).toMatchObject({ amount: 200, monthToDate: null, reached: null })
    expect(s.limits.projects[0]).toMatchObject({
      projectId: 'proj_a',
      monthToDate: 59,
      reached: true
    })
  })

  it('notifies once per episode, also across a restart, and names the limit', async () => {
    server.spend.orgLimit = { threshold_amount: 9_000, status: 'enforcing' }
    const alerts: string[] = []
    const first = await engine(ADMIN, { alerts: true })
    first.onAlert((a) => alerts.push(`${a.kind}: ${a.title}`))
    await first.refresh()
    await first.recordBalance(5000)
    await first.refresh()
    clock = new Date('2026-12-10T12:15:00Z')
    await first.refresh()
    const second = await engine(ADMIN, { alerts: true })
    second.onAlert((a) => alerts.push(`${a.kind}: ${a.title}`))
    await second.refresh({ manual: true })
    expect(alerts).toEqual(['limit: OpenAI spend limit reached'])
  })

  it('keeps the snapshot in limits.json without any key', async () => {
    server.spend.orgLimit = { threshold_amount: 20_000, status: 'enforcing' }
    await (await engine()).refresh()
    const file = readFileSync(join(dir, 'limits.json'), 'utf8')
    expect(file).toContain('"amount": 200')
    expect(file).not.toContain('sk-admin')
  })
})

describe('writing, only when asked', () => {
  let server: FakeOpenAIServer
  let dir: string
  beforeEach(async () => {
    server = await startFakeOpenAIServer({
      adminKeys: [ADMIN, READ_ONLY],
      spend: {
        readOnlyKeys: [READ_ONLY],
        orgLimit: { threshold_amount: 20_000, status: 'enforcing' }
      }
    })
    dir = mkdtempSync(join(tmpdir(), 'ct-limits-w-'))
  })
  afterEach(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const engine = (key: string) =>
    testEngine({ dir, server, key, now: () => new Date('2026-12-10T12:00:00Z') })

  it('sets the organization limit in cents and shows the new one', async () => {
    const s = await (await engine(ADMIN)).setOrgLimit(250)
    expect(server.writes).toEqual([
      {
        path: '/v1/organization/spend_limit',
        body: { currency: 'USD', interval: 'month', threshold_amount: 25_000 }
      }
    ])
    expect(s.limits.organization?.amount).toBe(250)
  })

  it('adds an email alert', async () => {
    const s = await (await engine(ADMIN)).addOrgAlert(150, ['ops@example.com'])
    expect(server.writes[0]!.body).toMatchObject({
      threshold_amount: 15_000,
      notification_channel: { type: 'email', recipients: ['ops@example.com'] }
    })
    expect(s.limits.alerts).toEqual([{ scope: 'organization', amount: 150, recipients: 1 }])
  })

  it('a key that may not write gets a permission error and nothing changes', async () => {
    const e = await engine(READ_ONLY)
    await expect(e.setOrgLimit(250)).rejects.toMatchObject({ kind: 'permission' })
    await expect(e.addOrgAlert(150, ['ops@example.com'])).rejects.toMatchObject({
      kind: 'permission'
    })
    expect(server.spend.orgLimit?.threshold_amount).toBe(20_000)
    expect(server.spend.orgAlerts).toEqual([])
  })
})

describe('overage', () => {
  it('a balance below zero stays negative, is critical and says OpenAI takes it from the next purchase', async () => {
    let clock = new Date('2026-12-09T12:00:00Z')
    const server = await startFakeOpenAIServer({ adminKeys: [ADMIN], nowMs: () => clock.getTime() })
    const dir = mkdtempSync(join(tmpdir(), 'ct-overage-'))
    try {
      const secretStore = createMemoryStore()
      await secretStore.set('default', ADMIN)
      const e = createEngine({
        dataDir: dir,
        secretStore,
        baseURL: server.baseURL,
        now: () => clock
      })
      await e.updateSettings({
        thresholds: { lowBalance: 0, lowDays: 0, criticalBalance: 0, criticalDays: 0 }
      })
      await e.refresh()
      await e.recordBalance(3)
      server.dataset.costs['2026-12-10'] = [{ line_item: 'gpt', project_id: null, value: 7.5 }]
      clock = new Date('2026-12-10T12:00:00Z')
      const s = await e.refresh()
      expect(s.balance).toBeCloseTo(-4.5)
      expect(s.level).toBe('critical')
      expect(s.notices).toContain(OVERAGE_NOTICE)
    } finally {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the CLI text', () => {
  it('prints a negative balance as negative, with the overage note and the limit line', () => {
    const status = withLimits(
      makeStatus({ balance: -4.5, daysLeft: 0, level: 'critical', notices: [OVERAGE_NOTICE] }),
      'reached'
    )
    const text = formatStatus(status, new Date())
    expect(text).toMatch(/^ {2}Balance {5}≈ -\$4\.50 {3}\[CRITICAL\]$/m)
    expect(text).toContain(`  Notes       ${OVERAGE_NOTICE}`)
    expect(text).toContain(
      '  Spend limit $212.00 of $200.00 this month (enforcing), reached: OpenAI is likely rejecting requests · 1 project limit'
    )
  })

  it('status --json keeps the overage negative and the limit figures in cents', () => {
    const json = statusToJson(
      withLimits(makeStatus({ balance: -4.567, level: 'critical' }), 'projected')
    ) as { balance: number; limits: { organization: { monthToDate: number } } }
    expect(json.balance).toBe(-4.57)
    expect(json.limits.organization.monthToDate).toBe(95)
  })
})

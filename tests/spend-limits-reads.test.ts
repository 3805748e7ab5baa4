// The pure parts of the spend-limit model around a read: when a read is due, how one round of
// reads is put together (organization, projects a few at a time, alerts by scope), what a
// permission problem or another failure leaves behind, and the limits in the status before the
// first read. spend-limits.test.ts covers the same through the engine and the fake Admin API.
import { EMPTY_CACHE, type CostCache } from '../src/main/engine/cost-cache'
import { CreditTrayError } from '../src/main/engine/errors'
import type { LimitsClient, RawAlert, RawLimit } from '../src/main/engine/limits-client'
import {
  EMPTY_LIMITS_SNAPSHOT,
  LIMITS_REFRESH_MS,
  PERMISSION_HINT,
  limitAgainstSpend,
  limitsDue,
  limitsReadFailed,
  limitsStatus,
  projectsToCheck,
  readLimits,
  worseLevel,
  type LimitsSnapshot
} from '../src/main/engine/spend-limits'
import { NO_LIMITS } from '../src/shared/status'

const NOW = new Date('2026-12-10T12:00:00Z')
const usd = (amount: number, enforcement = 'enforcing'): RawLimit => ({
  amount,
  currency: 'USD',
  enforcement
})

/** A limits client answering from tables, recording the order of its calls. */
function tableClient(tables: {
  org?: RawLimit | null
  orgAlerts?: RawAlert[]
  projects?: Record<string, RawLimit | null>
  projectAlerts?: Record<string, RawAlert[]>
  fail?: (what: string) => Error | null
}) {
  const calls: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  const answer = async <T>(what: string, value: T): Promise<T> => {
    calls.push(what)
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    await new Promise((r) => setImmediate(r))
    inFlight--
    const err = tables.fail?.(what)
    if (err) throw err
    return value
  }
  const client: LimitsClient = {
    orgLimit: () => answer('orgLimit', tables.org ?? null),
    orgAlerts: () => answer('orgAlerts', tables.orgAlerts ?? []),
    projectLimit: (id) => answer(`projectLimit ${id}`, tables.projects?.[id] ?? null),
    projectAlerts: (id) => answer(`projectAlerts ${id}`, tables.projectAlerts?.[id] ?? []),
    setOrgLimit: () => Promise.reject(new Error('reads never write')),
    addOrgAlert: () => Promise.reject(new Error('reads never write'))
  }
  return { client, calls, maxInFlight: () => maxInFlight }
}

describe('when the limits are read again', () => {
  it('at once when never tried, then 6 hours after the last attempt', () => {
    expect(limitsDue(EMPTY_LIMITS_SNAPSHOT, NOW)).toBe(true)
    const tried = (msAgo: number): LimitsSnapshot => ({
      ...EMPTY_LIMITS_SNAPSHOT,
      attemptedAt: new Date(NOW.getTime() - msAgo).toISOString()
    })
    expect(limitsDue(tried(LIMITS_REFRESH_MS - 1), NOW)).toBe(false)
    expect(limitsDue(tried(LIMITS_REFRESH_MS), NOW)).toBe(true)
    expect(LIMITS_REFRESH_MS).toBe(6 * 3_600_000)
  })
})

describe('one round of reads (readLimits)', () => {
  it('reads the organization, then each project, and keeps alerts with their scope', async () => {
    const { client } = tableClient({
      org: usd(500),
      orgAlerts: [{ id: 'o1', amount: 100, recipients: 2 }],
      projects: { proj_a: usd(50, 'inactive'), proj_b: null },
      projectAlerts: { proj_b: [{ id: 'b1', amount: 10, recipients: 1 }] }
    })
    expect(await readLimits(client, ['proj_a', 'proj_b'], NOW)).toEqual({
      attemptedAt: NOW.toISOString(),
      checkedAt: NOW.toISOString(),
      unavailable: null,
      problem: null,
      organization: usd(500),
      projects: [{ projectId: 'proj_a', ...usd(50, 'inactive') }],
      alerts: [
        { scope: 'organization', amount: 100, recipients: 2 },
        { scope: 'proj_b', amount: 10, recipients: 1 }
      ]
    })
  })

  it('asks about at most four projects at a time, in the order given', async () => {
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']
    const t = tableClient({ projects: Object.fromEntries(ids.map((id) => [id, usd(1)])) })
    const snap = await readLimits(t.client, ids, NOW)
    expect(snap.projects.map((p) => p.projectId)).toEqual(ids)
    const limitCalls = t.calls.filter((c) => c.startsWith('projectLimit'))
    expect(limitCalls).toEqual(ids.map((id) => `projectLimit ${id}`))
    // Two for the organization at once; then four projects' limits at once.
    expect(t.maxInFlight()).toBe(4)
  })

  it('a 403 anywhere makes the round "permission" with the hint, and nothing half-read', async () => {
    const { client } = tableClient({
      org: usd(500),
      projects: { proj_a: usd(50) },
      fail: (what) =>
        what === 'projectAlerts proj_a' ? new CreditTrayError('permission', 'no') : null
    })
    expect(await readLimits(client, ['proj_a'], NOW)).toEqual({
      ...EMPTY_LIMITS_SNAPSHOT,
      attemptedAt: NOW.toISOString(),
      unavailable: 'permission',
      problem: PERMISSION_HINT
    })
  })

  it('any other failure is thrown for the caller to keep the last good read', async () => {
    const server = new CreditTrayError('server', 'down')
    const { client } = tableClient({ fail: (what) => (what === 'orgLimit' ? server : null) })
    await expect(readLimits(client, [], NOW)).rejects.toBe(server)
    const plain = new Error('surprise')
    const other = tableClient({ fail: (what) => (what === 'orgAlerts' ? plain : null) })
    await expect(readLimits(other.client, [], NOW)).rejects.toBe(plain)
  })

  it('a failed read keeps the previous figures and says why', () => {
    const previous: LimitsSnapshot = {
      ...EMPTY_LIMITS_SNAPSHOT,
      attemptedAt: '2026-12-01T00:00:00.000Z',
      checkedAt: '2026-12-01T00:00:00.000Z',
      organization: usd(300)
    }
    expect(limitsReadFailed(previous, NOW, 'OpenAI answered with server errors.')).toEqual({
      ...previous,
      attemptedAt: NOW.toISOString(),
      problem: 'Spend limits not refreshed: OpenAI answered with server errors.'
    })
  })
})

describe('which projects are read, in detail', () => {
  const cacheWith = (days: Record<string, Record<string, number>>): CostCache => ({
    ...EMPTY_CACHE,
    days: Object.fromEntries(
      Object.entries(days).map(([date, projects]) => [
        date,
        { date, total: 1, currency: 'usd', lineItems: {}, projects }
      ])
    )
  })

  it('sums the month from its first day through today, ties by name, no duplicates', () => {
    const cache = cacheWith({
      '2026-12-01': { proj_b: 2, proj_a: 1 },
      '2026-12-10': { proj_a: 1, proj_c: 5 },
      '2026-12-11': { proj_d: 100 }
    })
    expect(projectsToCheck(cache, '2026-12-10', ['proj_a', 'proj_z', 'proj_z'])).toEqual([
      'proj_c',
      'proj_a',
      'proj_b',
      'proj_z'
    ])
    expect(projectsToCheck(cache, '2026-12-10')).toEqual(['proj_c', 'proj_a', 'proj_b'])
  })

  it('leaves out projects whose month nets to nothing (refunds)', () => {
    const cache = cacheWith({
      '2026-12-02': { proj_a: 3, proj_r: -1 },
      '2026-12-03': { proj_a: -3 }
    })
    expect(projectsToCheck(cache, '2026-12-10')).toEqual([])
  })
})

describe('limits in the status (limitsStatus)', () => {
  it('before any read: no limits, no level, the last problem as hint', () => {
    expect(
      limitsStatus({
        snapshot: { ...EMPTY_LIMITS_SNAPSHOT, problem: 'Spend limits not refreshed: x' },
        cache: EMPTY_CACHE,
        now: NOW,
        orgSpend: null
      })
    ).toEqual({ limits: { ...NO_LIMITS, hint: 'Spend limits not refreshed: x' }, level: 'unknown' })
  })

  it('a permission problem shows as unavailable, without a level', () => {
    const snapshot: LimitsSnapshot = {
      ...EMPTY_LIMITS_SNAPSHOT,
      attemptedAt: NOW.toISOString(),
      unavailable: 'permission',
      problem: PERMISSION_HINT
    }
    const { limits, level } = limitsStatus({
      snapshot,
      cache: EMPTY_CACHE,
      now: NOW,
      orgSpend: null
    })
    expect(level).toBe('unknown')
    expect(limits).toEqual({
      organization: null,
      projects: [],
      alerts: [],
      checkedAt: null,
      unavailable: 'permission',
      hint: PERMISSION_HINT
    })
  })

  it('the worst limit sets the level; project spend comes from the cache once costs are known', () => {
    const snapshot: LimitsSnapshot = {
      ...EMPTY_LIMITS_SNAPSHOT,
      attemptedAt: NOW.toISOString(),
      checkedAt: NOW.toISOString(),
      organization: usd(1_000),
      projects: [{ projectId: 'proj_a', ...usd(10) }],
      alerts: [{ scope: 'organization', amount: 5, recipients: 1 }]
    }
    const cache: CostCache = {
      ...EMPTY_CACHE,
      coveredFrom: '2026-11-01',
      days: {
        '2026-12-05': {
          date: '2026-12-05',
          total: 12,
          currency: 'usd',
          lineItems: {},
          projects: { proj_a: 12 }
        }
      }
    }
    const { limits, level } = limitsStatus({
      snapshot,
      cache,
      now: NOW,
      orgSpend: { monthToDate: 12, burnRatePerDay: 1 }
    })
    expect(level).toBe('critical')
    expect(limits.organization).toMatchObject({ amount: 1_000, reached: false, monthToDate: 12 })
    expect(limits.projects).toEqual([
      expect.objectContaining({ projectId: 'proj_a', reached: true, monthToDate: 12 })
    ])
    expect(limits.alerts).toEqual(snapshot.alerts)
    expect(limits.checkedAt).toBe(NOW.toISOString())

    // Costs never fetched: the project's month is unknown, so no opinion from it.
    const unknown = limitsStatus({
      snapshot,
      cache: { ...cache, coveredFrom: null },
      now: NOW,
      orgSpend: null
    })
    expect(unknown.limits.projects[0]).toMatchObject({ reached: null, monthToDate: null })
    expect(unknown.limits.organization).toMatchObject({ reached: null })
    expect(unknown.level).toBe('unknown')
  })
})

describe('limit maths, in detail', () => {
  it('a burn rate that is no rate projects the month to date', () => {
    for (const burn of [-3, Number.NaN, Number.POSITIVE_INFINITY, 0]) {
      const l = limitAgainstSpend(usd(200), { monthToDate: 50, burnRatePerDay: burn }, NOW)
      expect(l.projectedMonthEnd, String(burn)).toBe(50)
      expect(l.reachOn).toBeNull()
    }
  })

  it('counts the rest of the month from now, to the hour', () => {
    // 21.5 days from Dec 10 12:00 to Jan 1 00:00.
    const l = limitAgainstSpend(usd(1_000), { monthToDate: 0, burnRatePerDay: 2 }, NOW)
    expect(l.projectedMonthEnd).toBeCloseTo(43, 9)
  })

  it('a crossing on the last day of the month is named; one just after it is not', () => {
    // 21.5 days left at $10/day: 215 more.
    const on = limitAgainstSpend(usd(214), { monthToDate: 0, burnRatePerDay: 10 }, NOW)
    expect(on.reachOn).toBe('2026-12-31')
    const after = limitAgainstSpend(usd(215), { monthToDate: 0, burnRatePerDay: 10 }, NOW)
    expect(after.reachOn).toBeNull()
  })

  it('the worse level wins; unknown is the mildest and null is no opinion', () => {
    expect(worseLevel('ok', 'low')).toBe('low')
    expect(worseLevel('critical', 'low')).toBe('critical')
    expect(worseLevel('unknown', 'ok')).toBe('ok')
    expect(worseLevel('ok', 'unknown')).toBe('ok')
    expect(worseLevel('low', null)).toBe('low')
    expect(worseLevel('low', 'low')).toBe('low')
  })
})

describe('which projects are read, ties', () => {
  const cacheWith = (projects: Record<string, number>): CostCache => ({
    ...EMPTY_CACHE,
    days: {
      '2026-12-02': { date: '2026-12-02', total: 1, currency: 'usd', lineItems: {}, projects }
    }
  })
  it('orders equal spend by id, whichever came first', () => {
    expect(projectsToCheck(cacheWith({ proj_a: 1, proj_b: 1, proj_c: 1 }), '2026-12-10')).toEqual([
      'proj_a',
      'proj_b',
      'proj_c'
    ])
    expect(projectsToCheck(cacheWith({ proj_c: 1, proj_b: 1, proj_a: 1 }), '2026-12-10')).toEqual([
      'proj_a',
      'proj_b',
      'proj_c'
    ])
  })
})

// Issue 7: the estimate is never silently wrong. The engine end to end in one process: the real
// SDK against the loopback fake Admin API (whose clock follows the test clock and which refuses a
// future end_time), real files in a temp folder, a memory secret store and a controlled clock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EngineOptions } from '../src/main/engine/engine'
import { addDays } from '../src/main/engine/dates'
import { withFileLock } from '../src/main/engine/file-lock'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-ISSUE7KEY0123456789abcdef'

let server: FakeOpenAIServer
let dir: string
let clock: Date
let waits: number[]

beforeEach(async () => {
  clock = new Date('2026-03-10T12:00:00Z')
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN], nowMs: () => clock.getTime() })
  dir = mkdtempSync(join(tmpdir(), 'ct-issue7-'))
  waits = []
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const TODAY = '2026-03-10'

function costs(day: string, value: number, currency = 'usd', project = 'proj_a'): void {
  server.dataset.costs[day] = [{ line_item: 'gpt-4o, input', project_id: project, value, currency }]
}

/** Notices about the estimate: the loopback test server's own "key is sent to" notice aside. */
function estimateNotices(status: { notices: string[] }): string[] {
  return status.notices.filter((n) => !n.startsWith('The Admin key is sent to'))
}

function engineWith(extra: Partial<EngineOptions> = {}) {
  return testEngine({
    dir,
    server,
    key: ADMIN,
    now: () => clock,
    // One-shot retries wait through this: recorded, not slept.
    sleep: async (ms) => {
      waits.push(ms)
    },
    ...extra
  })
}

const costRequests = () => server.requests.filter((r) => r.path.endsWith('/organization/costs'))

describe('§3 a new balance reads today’s costs live', () => {
  it('on a fresh install, $5 already spent today is not subtracted again', async () => {
    costs(TODAY, 5)
    const engine = await engineWith()
    const status = await engine.recordBalance(100)
    expect(status.balance).toBeCloseTo(100, 9)
    const entry = engine.getLedger()[0]
    expect(entry).toMatchObject({ type: 'balance', baselineDayCost: 5, baselineSource: 'live' })
    // One short request for today, without a future end_time.
    expect(costRequests()).toHaveLength(1)
    expect(costRequests()[0]!.query['start_time']).toEqual([String(Date.parse(TODAY) / 1000)])
    expect(costRequests()[0]!.query['end_time']).toBeUndefined()
    const after = await engine.refresh()
    expect(after.balance).toBeCloseTo(100, 9)
    expect(estimateNotices(after)).toEqual([])
  })

  it('a cache from earlier today (5) is not trusted when OpenAI now shows 9', async () => {
    costs(TODAY, 5)
    const engine = await engineWith()
    await engine.refresh()
    costs(TODAY, 9)
    clock = new Date('2026-03-10T15:00:00Z')
    const status = await engine.recordBalance(100)
    expect(status.balance).toBeCloseTo(100, 9)
    const after = await engine.refresh()
    expect(after.error).toBeNull()
    expect(after.spend.today).toBeCloseTo(9, 9)
    expect(after.balance).toBeCloseTo(100, 9)
  })

  it('a live figure that cannot be cached (the cache locked elsewhere) still anchors the estimate shown', async () => {
    costs(TODAY, 5)
    const engine = await engineWith({ lock: { timeoutMs: 200 } })
    await engine.refresh()
    costs(TODAY, 9)
    clock = new Date('2026-03-10T15:00:00Z')
    // Another process holds the cost cache for longer than this engine waits.
    let release = () => {}
    const held = withFileLock(
      join(dir, 'costs-cache.json'),
      () => new Promise<void>((r) => (release = r))
    )
    const status = await engine.recordBalance(100)
    expect(engine.getLedger()[0]).toMatchObject({ baselineDayCost: 9, baselineSource: 'live' })
    // Not 104: the cached 5 against the live 9 would add back $4 nobody has.
    expect(status.balance).toBeCloseTo(100, 9)
    expect(engine.getStatus().balance).toBeCloseTo(100, 9)
    release()
    await held
  })

  it('when the live read fails, it falls back to the cache and says so until a later balance', async () => {
    costs(TODAY, 5)
    const engine = await engineWith()
    await engine.refresh()
    clock = new Date('2026-03-10T15:00:00Z')
    server.failNext({ type: 'status', status: 503 })
    const status = await engine.recordBalance(100)
    const entry = engine.getLedger()[0]
    expect(entry).toMatchObject({
      baselineSource: 'cache',
      baselineDayCost: 5,
      baselineAsOf: '2026-03-10T12:00:00.000Z'
    })
    expect(entry?.type === 'balance' && entry.baselineProblem).toMatch(/server error/)
    expect(status.notices.join(' ')).toMatch(/could not read today's costs live/)
    expect(status.notices.join(' ')).toMatch(/3 h ago/)
    // Still there after a refresh and for another process reading the same files…
    await engine.refresh()
    expect((await engineWith()).getStatus().notices.join(' ')).toMatch(/could not read/)
    // …until a balance recorded with a live read replaces it.
    const fixed = await engine.recordBalance(99)
    expect(estimateNotices(fixed)).toEqual([])
  })

  it('a figure cached by an earlier live read counts as cached, with its age', async () => {
    costs(TODAY, 5)
    const engine = await engineWith()
    await engine.recordBalance(100) // live: caches today's 5 (no full refresh yet)
    clock = new Date('2026-03-10T13:00:00Z')
    const offline = await engineWith({ baseURL: 'http://127.0.0.1:9/v1' })
    const status = await offline.recordBalance(90)
    expect(offline.getLedger().at(-1)).toMatchObject({
      baselineSource: 'cache',
      baselineDayCost: 5,
      baselineAsOf: '2026-03-10T12:00:00.000Z'
    })
    expect(status.notices.join(' ')).toMatch(/cached costs from 1 h ago \(\$5\.00\)/)
    expect(status.notices.join(' ')).not.toMatch(/[;,]\)/)
  })

  it('with no cached costs for today either, it says $0 was assumed', async () => {
    const engine = await engineWith({ baseURL: 'http://127.0.0.1:9/v1' })
    const status = await engine.recordBalance(100)
    expect(engine.getLedger()[0]).toMatchObject({ baselineSource: 'cache', baselineAsOf: null })
    expect(status.notices.join(' ')).toMatch(/\$0\.00 was assumed/)
  })
})

describe('§4 every day since the balance is known, or the status says which are not', () => {
  it('a balance recorded 200 days ago counts all 200 days of spend', async () => {
    const anchorDay = addDays(TODAY, -200)
    for (let d = anchorDay; d <= TODAY; d = addDays(d, 1)) costs(d, 0.27)
    // Recorded back then (with a live baseline of that day's 0.27).
    clock = new Date(`${anchorDay}T23:59:00Z`)
    const engine = await engineWith()
    await engine.recordBalance(514.02)
    clock = new Date('2026-03-10T12:00:00Z')
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect(status.balanceComplete).toBe(true)
    expect(status.balance).toBeCloseTo(514.02 - 200 * 0.27, 6)
  })

  it('days that could not be fetched make the balance incomplete and are named, never $0', async () => {
    costs(TODAY, 1)
    const engine = await engineWith()
    await engine.refresh()
    clock = new Date('2026-03-10T12:30:00Z')
    await engine.recordBalance(50)
    // Offline for three days.
    clock = new Date('2026-03-13T12:00:00Z')
    const dead = await engineWith({ baseURL: 'http://127.0.0.1:9/v1' })
    const status = await dead.refresh()
    expect(status.error?.kind).toBe('network')
    expect(status.balanceComplete).toBe(false)
    expect(status.notices.join(' ')).toMatch(/2026-03-11 to 2026-03-13/)
    // Back online: the gap is filled and the notice goes away.
    costs('2026-03-11', 2)
    const back = await engine.refresh()
    expect(back.balanceComplete).toBe(true)
    expect(estimateNotices(back)).toEqual([])
    expect(back.balance).toBeCloseTo(48, 9)
  })

  it('re-reads the last 35 days once a day, the last few on every poll', async () => {
    const engine = await engineWith()
    await engine.refresh()
    server.resetRecords()
    clock = new Date('2026-03-10T12:15:00Z')
    await engine.refresh()
    expect(costRequests()[0]!.query['limit']).toEqual(['3'])
    server.resetRecords()
    clock = new Date('2026-03-11T12:01:00Z')
    await engine.refresh()
    expect(costRequests()[0]!.query['start_time']).toEqual([
      String(Date.parse(addDays('2026-03-11', -34)) / 1000)
    ])
  })
})

describe('§5 a server that pages in small steps', () => {
  it.each([1, 3])('works with %i bucket(s) a page', async (n) => {
    server.pageSizeCap = n
    costs(addDays(TODAY, -100), 7)
    costs(TODAY, 1)
    const engine = await engineWith()
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect(costRequests()).toHaveLength(Math.ceil(180 / n))
    expect(status.spend.today).toBeCloseTo(1, 9)
  })

  it('keeps the pages that arrived when a later one fails, and continues from there', async () => {
    server.pageSizeCap = 30
    costs(addDays(TODAY, -170), 7)
    server.failNext(
      { type: 'transform', transform: (p) => p },
      { type: 'transform', transform: (p) => p },
      ...Array.from({ length: 3 }, () => ({ type: 'status', status: 500 }) as const)
    )
    const engine = await engineWith()
    const failed = await engine.refresh()
    expect(failed.error?.kind).toBe('server')
    expect(failed.lastUpdated).toBeNull() // a partial fetch is not "up to date"
    server.resetRecords()
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect(status.spend.last7Days).toBe(0)
    // The 60 days that arrived are not asked again: only from the last three of them on.
    expect(costRequests()[0]!.query['start_time']).toEqual([
      String(Date.parse(addDays(TODAY, -122)) / 1000)
    ])
  })
})

describe('§6 currencies are never added up', () => {
  it('EUR days after USD days: bad_response naming both, last good data kept', async () => {
    costs(addDays(TODAY, -5), 8)
    const engine = await engineWith()
    const good = await engine.refresh()
    expect(good.spend.last7Days).toBeCloseTo(8, 9)
    costs(TODAY, 8, 'eur')
    clock = new Date('2026-03-10T12:15:00Z')
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('bad_response')
    expect(status.error?.message).toMatch(/USD and EUR/)
    expect(status.spend.last7Days).toBeCloseTo(8, 9)
    expect(status.currency).toBe('usd')
  })
})

describe('§7 one-shot work rides out brief faults', () => {
  it('waits for a 429 with Retry-After: 1 and succeeds', async () => {
    server.failNext({ type: 'status', status: 429, headers: { 'retry-after': '1' } })
    const status = await (await engineWith()).refresh()
    expect(status.error).toBeNull()
    expect(waits).toEqual([1000])
  })

  it('retries 5xx and network errors twice with backoff, then says it gave up', async () => {
    server.failNext(
      { type: 'status', status: 502 },
      { type: 'drop-connection' },
      { type: 'status', status: 503 }
    )
    const status = await (await engineWith()).refresh()
    expect(status.error?.kind).toBe('server')
    expect(status.error?.message).toMatch(/Tried 3 times/)
    expect(status.error?.message).not.toMatch(/will retry/)
    expect(waits).toHaveLength(2)
    expect(waits[1]!).toBeGreaterThan(waits[0]! / 2)
  })

  it.each([
    ['401', { type: 'status', status: 401 }],
    ['insufficient_quota', { type: 'status', status: 429, code: 'insufficient_quota' }],
    [
      'a spend-limit 429',
      { type: 'status', status: 429, code: 'organization_spend_limit_exceeded' }
    ],
    ['a Retry-After of a minute', { type: 'status', status: 429, headers: { 'retry-after': '60' } }]
  ] as const)('never retries %s', async (_name, fault) => {
    server.failNext(fault)
    const status = await (await engineWith()).refresh()
    expect(status.error).not.toBeNull()
    expect(server.requestCount).toBe(1)
    expect(waits).toEqual([])
  })

  it("the window's Refresh (with the poller running) rides out a 503 too", async () => {
    const engine = await engineWith()
    const firstPoll = new Promise<void>((resolve) => engine.onStatus(() => resolve()))
    engine.start()
    try {
      await firstPoll
      // Let the scheduler finish its bookkeeping for that run (a few microtasks), so the
      // refresh below is a run of its own rather than joining the first poll.
      await new Promise((resolve) => setImmediate(resolve))
      server.failNext({ type: 'status', status: 503 })
      clock = new Date('2026-03-10T12:15:00Z')
      const status = await engine.refresh()
      expect(status.error).toBeNull()
      expect(status.lastUpdated).toBe('2026-03-10T12:15:00.000Z')
    } finally {
      engine.stop()
    }
  })

  it('key check rides out one 503 too', async () => {
    server.failNext({ type: 'status', status: 503 })
    const result = await (await engineWith()).checkKey()
    expect(result.ok).toBe(true)
    expect(server.requestCount).toBe(2)
  })

  it('the whole command has one deadline, however many pages hang', async () => {
    server.failNext({ type: 'hang' })
    const engine = await engineWith({ runDeadlineMs: 300, timeoutMs: 10_000 })
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('network')
    expect(status.error?.message).toMatch(/within 0 s|within/)
    expect(server.requestCount).toBe(1)
  })
})

describe('§8 model usage', () => {
  it("goes with the account's project filter (c)", async () => {
    server.dataset.completions[TODAY] = [
      {
        model: 'm-a',
        project_id: 'proj_a',
        input_tokens: 5,
        output_tokens: 1,
        num_model_requests: 1
      },
      {
        model: 'm-b',
        project_id: 'proj_b',
        input_tokens: 9,
        output_tokens: 1,
        num_model_requests: 1
      }
    ]
    const status = await (await engineWith({ projectIds: ['proj_b'] })).refresh()
    const usage = server.requests.find((r) => r.path.endsWith('/usage/completions'))
    expect(usage?.query['project_ids[]']).toEqual(['proj_b'])
    expect(status.topModels.map((m) => m.model)).toEqual(['m-b'])
  })

  it('an answer that fails validation is a notice, and the last good breakdown stays (d)', async () => {
    server.dataset.completions[TODAY] = [
      { model: 'm-a', input_tokens: 5, output_tokens: 1, num_model_requests: 1 }
    ]
    const engine = await engineWith()
    await engine.refresh()
    clock = new Date('2026-03-10T13:30:00Z') // model usage is due again after an hour
    server.failNext(
      { type: 'transform', transform: (p) => p }, // costs
      { type: 'transform', transform: () => ({ object: 'page', data: 'nope' }) }
    )
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect(status.topModels.map((m) => m.model)).toEqual(['m-a'])
    expect(status.notices.join(' ')).toMatch(/usage by model could not be refreshed/)
    expect(status.notices.join(' ')).toMatch(/2026-03-10 12:00 UTC/)
  })
})

// The engine around a recorded balance and its alerts: the live baseline (its filter, its failure
// wording, its deadline), alerts for a rejected key and for stale data, files that cannot be kept
// aside (reported once), and writes to the spend limits that OpenAI refuses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EngineOptions } from '../src/main/engine/engine'
import type { Alert } from '../src/main/engine/engine-api'
import { CreditTrayError } from '../src/main/engine/errors'
import { withFileLock } from '../src/main/engine/file-lock'
import { WRITE_DENIED } from '../src/main/engine/spend-limits'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
const READ_ONLY = 'sk-admin-READONLY0123456789abcd'

let server: FakeOpenAIServer
let dir: string
let clock: Date

beforeEach(async () => {
  clock = new Date('2026-03-10T12:00:00Z')
  server = await startFakeOpenAIServer({
    adminKeys: [ADMIN, READ_ONLY],
    nowMs: () => clock.getTime(),
    spend: { readOnlyKeys: [READ_ONLY] }
  })
  server.dataset.costs['2026-03-09'] = [{ line_item: 'gpt', project_id: 'proj_a', value: 2 }]
  server.dataset.costs['2026-03-10'] = [
    { line_item: 'gpt', project_id: 'proj_a', value: 1 },
    { line_item: 'gpt', project_id: 'proj_b', value: 0.5 }
  ]
  dir = mkdtempSync(join(tmpdir(), 'ct-engine-baseline-'))
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const engineWith = (extra: Partial<EngineOptions> & { key?: string } = {}) =>
  testEngine({ dir, server, now: () => clock, key: ADMIN, ...extra })

describe("a balance's live baseline", () => {
  it('reads today only for the filtered projects', async () => {
    const engine = await engineWith({ projectIds: ['proj_a'] })
    await engine.recordBalance(10)
    const req = server.requests.find((r) => r.path.endsWith('/organization/costs'))!
    expect(req.query.limit).toEqual(['1'])
    expect(req.rawQuery).toContain('proj_a')
    expect(engine.getLedger()[0]).toMatchObject({ baselineDayCost: 1, baselineSource: 'live' })
  })

  it('a failed read falls back to the cache, saying why without the promise of a retry', async () => {
    const engine = await engineWith()
    server.failNext({ type: 'status', status: 500 })
    await engine.recordBalance(10)
    expect(engine.getLedger()[0]).toMatchObject({
      baselineSource: 'cache',
      baselineDayCost: 0,
      baselineProblem: 'OpenAI returned a server error. This is usually brief'
    })
  })

  it('a rate limit is worded the same way, the sentence kept whole', async () => {
    const engine = await engineWith()
    server.failNext({ type: 'status', status: 429 })
    await engine.recordBalance(10)
    const entry = engine.getLedger()[0]!
    const problem = entry.type === 'balance' ? (entry.baselineProblem ?? '') : ''
    expect(problem).toMatch(/^OpenAI is rate-limiting requests/)
    expect(problem).not.toMatch(/Credit Tray will|Stryker/)
    expect(problem).toMatch(/\.$/)
  })

  it('no answer within the baseline deadline is said in seconds', async () => {
    const planned: { fn: () => void; ms: number }[] = []
    const engine = await engineWith({
      baselineTimeoutMs: 7_000,
      timers: {
        setTimer: (fn, ms) => planned.push({ fn, ms }),
        clearTimer: () => {},
        random: () => 0
      }
    })
    server.failNext({ type: 'hang' })
    const recorded = engine.recordBalance(10)
    await vi.waitFor(() => expect(server.requestCount).toBe(1))
    const deadline = planned.filter((t) => t.ms === 7_000)
    expect(deadline).toHaveLength(1)
    deadline[0]!.fn()
    await recorded
    expect(engine.getLedger()[0]).toMatchObject({
      baselineSource: 'cache',
      baselineProblem: 'no answer within 7 s'
    })
  })
})

describe("a balance's live baseline, cache busy", () => {
  it('is used even when caching it fails, and the log says it was not cached', async () => {
    const lines: string[] = []
    const engine = await engineWith({ log: (l) => lines.push(l), lock: { timeoutMs: 200 } })
    // Another process holds the cost cache's lock for longer than this engine waits.
    let release = () => {}
    const held = withFileLock(
      join(dir, 'costs-cache.json'),
      () => new Promise<void>((r) => (release = r))
    )
    await engine.recordBalance(10)
    release()
    await held
    expect(engine.getLedger()[0]).toMatchObject({ baselineSource: 'live', baselineDayCost: 1.5 })
    expect(lines.some((l) => l.startsWith("today's live cost not cached: "))).toBe(true)
  })
})

describe('alerts from a refresh', () => {
  it('a rejected key raises the key alert', async () => {
    const engine = await engineWith({ key: 'sk-admin-REVOKED0123456789abcdefg', alerts: true })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    expect(alerts.map((a) => a.kind)).toEqual(['key_rejected'])
  })

  it('data not updated for hours raises one stale alert naming how many', async () => {
    const engine = await engineWith({ alerts: true })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    clock = new Date('2026-03-10T19:30:00Z')
    server.failNext(...Array.from({ length: 3 }, () => ({ type: 'status', status: 503 }) as const))
    await engine.refresh()
    expect(alerts.map((a) => [a.kind, a.title])).toEqual([
      ['stale', 'Credit Tray has not updated for 7 hours']
    ])
  })
})

describe('a data file that cannot be kept aside', () => {
  it('is reported once, however often it is read, and saving over it is refused', async () => {
    writeFileSync(join(dir, 'ledger.json'), '{"schemaVersion":1,"data":{"entr')
    // Every name it could be kept under is taken.
    const stamp = '2026-03-10T12-00-00-000Z'
    for (let n = 0; n < 100; n++)
      writeFileSync(join(dir, `ledger.corrupt-${stamp}${n === 0 ? '' : `-${n}`}.json`), 'x')
    const engine = await engineWith()
    engine.getStatus()
    engine.getStatus()
    const problems = engine.problems()
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ kind: 'bad_json', keptAs: null })
    expect(engine.getStatus().notices.filter((n) => n === problems[0]!.message)).toHaveLength(1)
    // A copy: the caller cannot change the engine's list.
    problems.pop()
    expect(engine.problems()).toHaveLength(1)
    await expect(engine.recordTopUp(5)).rejects.toMatchObject({ kind: 'storage' })
  })
})

describe('writes OpenAI refuses', () => {
  it('a 403 becomes "may not change" with the refusal as its cause', async () => {
    const engine = await engineWith({ key: READ_ONLY })
    const err: CreditTrayError = await engine.setOrgLimit(250).then(
      () => {
        throw new Error('resolved')
      },
      (e: CreditTrayError) => e
    )
    expect(err).toBeInstanceOf(CreditTrayError)
    expect(err.kind).toBe('permission')
    expect(err.message).toBe(WRITE_DENIED)
    expect(err.cause).toBeInstanceOf(CreditTrayError)
    expect((err.cause as CreditTrayError).kind).toBe('permission')
  })

  it('any other failure is passed on as it is', async () => {
    const engine = await engineWith()
    server.failNext({ type: 'status', status: 500 })
    await expect(engine.addOrgAlert(150, ['ops@example.com'])).rejects.toMatchObject({
      kind: 'server'
    })
    await expect(
      (server.failNext({ type: 'status', status: 500 }), engine.setOrgLimit(150))
    ).rejects.not.toMatchObject({ message: WRITE_DENIED })
  })
})

// How the engine runs a refresh: one run at a time (joined by a second caller or by the
// scheduler's poll), retries only for a one-shot refresh, within one deadline whose timers are
// always cleared, and what an unexpected failure or a late answer looks like in the status.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EngineOptions } from '../src/main/engine/engine'
import { InputError, MESSAGES } from '../src/main/engine/errors'
import type { CostsClient } from '../src/main/engine/costs-client'
import type { Status } from '../src/main/engine/../../shared/status'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { manualTimers } from './support/manual-timers'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
const POLL_MS = 15 * 60_000

let server: FakeOpenAIServer
let dir: string
let clock: Date

beforeEach(async () => {
  clock = new Date('2026-03-10T12:00:00Z')
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN], nowMs: () => clock.getTime() })
  server.dataset.costs['2026-03-09'] = [{ line_item: 'gpt', project_id: 'proj_a', value: 2 }]
  dir = mkdtempSync(join(tmpdir(), 'ct-engine-runs-'))
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const engineWith = (extra: Partial<EngineOptions> = {}) =>
  testEngine({ dir, server, now: () => clock, key: ADMIN, ...extra })

const costRequests = () => server.requests.filter((r) => r.path.endsWith('/organization/costs'))

describe('one run at a time', () => {
  it('two refreshes at once share one run', async () => {
    const engine = await engineWith()
    const [a, b] = await Promise.all([engine.refresh(), engine.refresh()])
    expect(costRequests()).toHaveLength(1)
    expect(a.error).toBeNull()
    expect(b.lastUpdated).toBe(a.lastUpdated)
  })

  it('a refresh while the first poll is in flight joins that poll', async () => {
    const t = manualTimers()
    const engine = await engineWith({ timers: t.timers })
    engine.start()
    const status = await engine.refresh({ manual: true })
    expect(status.error).toBeNull()
    await vi.waitFor(() => expect(t.planned(POLL_MS)).toHaveLength(1))
    expect(costRequests()).toHaveLength(1)
    engine.stop()
  })
})

describe('retries', () => {
  it('a poll does not retry a brief fault itself: the scheduler backs off instead', async () => {
    const t = manualTimers()
    server.failNext({ type: 'status', status: 503 })
    const engine = await engineWith({ timers: t.timers })
    engine.start()
    await vi.waitFor(() => expect(engine.getStatus().error?.kind).toBe('server'))
    expect(costRequests()).toHaveLength(1)
    engine.stop()
  })

  it('a one-shot refresh rides out a brief fault, waiting on the engine timers, and logs the wait', async () => {
    const lines: string[] = []
    const waits: number[] = []
    const engine = await engineWith({
      log: (l) => lines.push(l),
      // The default sleep: waits run on these timers (the run deadline is left pending).
      sleep: undefined,
      timers: {
        setTimer: (fn, ms) => {
          if (ms < 60_000) {
            waits.push(ms)
            setImmediate(fn)
          }
          return ms
        },
        clearTimer: () => {},
        random: () => 0
      }
    })
    server.failNext({ type: 'status', status: 503 })
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect(costRequests()).toHaveLength(2)
    // Half of the 1 s base delay with random() = 0.
    expect(waits).toEqual([500])
    expect(lines.filter((l) => l.startsWith('retrying in 500 ms: '))).toHaveLength(1)
  })

  it('a one-shot refresh does not wait past its deadline: a Retry-After beyond it is reported at once', async () => {
    const engine = await engineWith({ runDeadlineMs: 3_000 })
    server.failNext({ type: 'status', status: 429, headers: { 'retry-after': '5' } })
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('rate_limit')
    expect(costRequests()).toHaveLength(1)
  })

  it('the CLI (no scheduler) says how often it tried; the app (scheduler) says it will retry', async () => {
    const fail3 = () =>
      server.failNext(
        ...Array.from({ length: 3 }, () => ({ type: 'status', status: 503 }) as const)
      )
    fail3()
    const cli = await engineWith()
    const once = await cli.refresh()
    expect(once.error?.kind).toBe('server')
    expect(once.error?.message).toMatch(/Tried 3 times\.$/)
    expect(once.error?.message).not.toMatch(/Credit Tray will/)

    const t = manualTimers()
    const app = await engineWith({ timers: t.timers })
    app.start()
    await vi.waitFor(() => expect(t.planned(POLL_MS)).toHaveLength(1))
    fail3()
    const manual = await app.refresh({ manual: true })
    expect(manual.error?.kind).toBe('server')
    expect(manual.error?.message).toMatch(/Credit Tray will/)
    expect(manual.error?.message).not.toMatch(/Tried/)
    app.stop()
  })
})

describe('deadlines', () => {
  it('a run that passes its deadline says the host did not answer within that time', async () => {
    const t = manualTimers()
    const engine = await engineWith({ timers: t.timers })
    await engine.refresh()
    server.failNext({ type: 'hang' })
    engine.start()
    await vi.waitFor(() => expect(costRequests()).toHaveLength(2))
    const deadline = t.planned(60_000)
    expect(deadline).toHaveLength(1)
    deadline[0]!.fn()
    await vi.waitFor(() => expect(engine.getStatus().error?.kind).toBe('network'))
    expect(engine.getStatus().error?.message).toBe(
      `${new URL(server.baseURL).host} did not answer within 60 s. Credit Tray will retry.`
    )
    engine.stop()
  })

  it('every deadline timer of a refresh, a key check and a recorded balance is cleared', async () => {
    const t = manualTimers()
    const engine = await engineWith({ timers: t.timers })
    await engine.refresh()
    expect(t.pending.size).toBe(0)
    expect((await engine.checkKey()).ok).toBe(true)
    expect(t.pending.size).toBe(0)
    server.failNext({ type: 'status', status: 401 })
    expect((await engine.checkKey()).ok).toBe(false)
    expect(t.pending.size).toBe(0)
    await engine.recordBalance(10)
    expect(t.pending.size).toBe(0)
    server.failNext({ type: 'status', status: 500 })
    await engine.recordBalance(9)
    expect(t.pending.size).toBe(0)
  })
})

describe('unexpected failures', () => {
  function throwingClient(thrown: unknown): (o: { apiKey: string }) => CostsClient {
    return () =>
      ({
        fetchDailyCosts: async () => {
          throw thrown
        },
        fetchModelUsage: async () => [],
        checkKey: async () => {}
      }) as unknown as CostsClient
  }

  it('are a bad_response in words, without the key', async () => {
    const engine = await engineWith({
      createClient: throwingClient(new Error(`parser choked near ${ADMIN}`))
    })
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('bad_response')
    expect(status.error?.message).toMatch(/^Unexpected problem: parser choked near /)
    expect(status.error?.message).not.toContain(ADMIN)
  })

  it('a thrown non-Error is named as it is', async () => {
    const engine = await engineWith({ createClient: throwingClient('odd thing') })
    const status = await engine.refresh()
    expect(status.error).toEqual({ kind: 'bad_response', message: 'Unexpected problem: odd thing' })
  })
})

describe('the facade around the runs', () => {
  it('pause and resume before start do nothing (and do not throw)', async () => {
    const engine = await engineWith()
    expect(() => {
      engine.pause()
      engine.resume()
      engine.stop()
    }).not.toThrow()
  })

  it('an unsubscribed status or alert listener hears nothing more', async () => {
    const engine = await engineWith()
    const heard: Status[] = []
    const off = engine.onStatus((s) => heard.push(s))
    const offAlert = engine.onAlert(() => {})
    await engine.refresh()
    expect(heard).toHaveLength(1)
    expect(off()).toBe(true)
    expect(offAlert()).toBe(true)
    await engine.refresh()
    expect(heard).toHaveLength(1)
  })

  it('a new poll interval plans the next poll that far from the last run', async () => {
    const t = manualTimers()
    const engine = await engineWith({ timers: t.timers })
    engine.start()
    await vi.waitFor(() => expect(t.planned(POLL_MS)).toHaveLength(1))
    await engine.updateSettings({ pollIntervalMinutes: 30 })
    expect(t.planned(POLL_MS)).toHaveLength(0)
    expect(t.planned(30 * 60_000)).toHaveLength(1)
    engine.stop()
  })

  it('the currency is "usd" until the costs say otherwise', async () => {
    const engine = await engineWith()
    expect(engine.currency()).toBe('usd')
    server.dataset.costs['2026-03-09'] = [
      { line_item: 'gpt', project_id: 'proj_a', value: 2, currency: 'eur' }
    ]
    await engine.refresh()
    expect(engine.currency()).toBe('eur')
  })

  it('a bad export range is refused as an InputError', async () => {
    const engine = await engineWith()
    expect(() => engine.exportCsv({ from: '2026-03-09', to: '2026-03-01' })).toThrow(InputError)
  })

  it('amounts are refused in the words of what is entered', async () => {
    const engine = await engineWith()
    await expect(engine.recordBalance(-5)).rejects.toThrow('The balance cannot be negative.')
    await expect(engine.recordTopUp(0)).rejects.toThrow('A top-up must be more than $0.00.')
    await expect(engine.setOrgLimit(-1)).rejects.toThrow('The amount cannot be negative.')
    await expect(engine.addOrgAlert(0, ['ops@example.com'])).rejects.toThrow(
      'The amount must be more than $0.00.'
    )
    await expect(engine.addOrgAlert(100, [])).rejects.toThrow('An email alert needs a recipient.')
    await expect(engine.addOrgAlert(100, [])).rejects.toBeInstanceOf(InputError)
    expect(server.writes).toEqual([])
    expect(server.requestCount).toBe(0)
  })
})

describe('the model-usage breakdown', () => {
  it('a failed read says so in the status and in the log; nothing was shown before', async () => {
    const lines: string[] = []
    const engine = await engineWith({ log: (l) => lines.push(l) })
    // The costs page passes; the completions usage read is refused.
    server.failNext(
      { type: 'transform', transform: (p) => p },
      { type: 'status', status: 400, message: 'usage is off today' }
    )
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    const notice = status.notices.find((n) => n.startsWith('The usage by model could not'))
    expect(notice).toMatch(/usage is off today/)
    expect(notice).toMatch(/ No breakdown by model is shown\.$/)
    expect(
      lines.some((l) => l.startsWith('model usage not refreshed: ') && /usage is off/.test(l))
    ).toBe(true)
  })
})

describe('spend limits around a refresh', () => {
  it('a refresh of a new engine reads them only when due, not because it just started', async () => {
    const first = await engineWith()
    await first.refresh()
    clock = new Date('2026-03-10T12:15:00Z')
    const second = await engineWith()
    server.resetRecords()
    await second.refresh()
    expect(server.requests.filter((r) => /spend_/.test(r.path))).toEqual([])
  })

  it('a failed read is logged in words and keeps the refresh clean', async () => {
    const lines: string[] = []
    const engine = await engineWith({
      log: (l) => lines.push(l),
      createLimitsClient: () => {
        throw new Error('socket closed')
      }
    })
    const status = await engine.refresh({ manual: true })
    expect(status.error).toBeNull()
    expect(lines).toContain(`spend limits not refreshed: ${MESSAGES.network}`)
  })
})

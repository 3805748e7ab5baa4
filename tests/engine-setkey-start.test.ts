// Saving a key and starting polling, the details: what a new key clears from the status, a key
// saved without the live check, starting twice, and the timers a started engine plans.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EngineOptions } from '../src/main/engine/engine'
import { CreditTrayError, InputError } from '../src/main/engine/errors'
import { createMemoryStore } from '../src/main/engine/secrets'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { manualTimers } from './support/manual-timers'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
const PROJECT = 'sk-proj-PROJECTKEY0123456789abcdef'
const clock = new Date('2026-03-10T12:00:00Z')

let server: FakeOpenAIServer
let dir: string
beforeEach(async () => {
  server = await startFakeOpenAIServer({
    adminKeys: [ADMIN],
    projectKeys: [PROJECT],
    nowMs: () => clock.getTime()
  })
  dir = mkdtempSync(join(tmpdir(), 'ct-engine-setkey-'))
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const engineWith = (extra: Partial<EngineOptions> & { key?: string } = {}) =>
  testEngine({ dir, server, now: () => clock, ...extra })

describe('what a new key clears', () => {
  it.each([
    ['a rejected key', 'sk-admin-REVOKED0123456789abcdefg', 'auth'],
    ['a project key', PROJECT, 'permission']
  ])('%s: the key error goes once a working key is saved', async (_name, key, kind) => {
    const engine = await engineWith({ key })
    expect((await engine.refresh()).error?.kind).toBe(kind)
    expect((await engine.setKey(ADMIN)).ok).toBe(true)
    expect(engine.getStatus().error).toBeNull()
  })

  it('no key: the error goes once a key is saved', async () => {
    const engine = await engineWith()
    expect((await engine.refresh()).error?.kind).toBe('no_key')
    await engine.setKey(ADMIN)
    expect(engine.getStatus().error).toBeNull()
  })

  it('a keychain that failed: the error goes once the key could be saved', async () => {
    const memory = createMemoryStore()
    let broken = true
    const store = {
      ...memory,
      get: async (a: string) => {
        if (broken) throw new CreditTrayError('keychain', 'The keychain is locked.')
        return memory.get(a)
      }
    }
    const engine = await engineWith({ secretStore: store })
    expect((await engine.refresh()).error?.kind).toBe('keychain')
    broken = false
    await engine.setKey(ADMIN)
    expect(engine.getStatus().error).toBeNull()
  })

  it('an error that is not about the key stays until the next refresh', async () => {
    const engine = await engineWith({ key: ADMIN })
    server.failNext(...Array.from({ length: 3 }, () => ({ type: 'status', status: 503 }) as const))
    expect((await engine.refresh()).error?.kind).toBe('server')
    await engine.setKey(ADMIN)
    expect(engine.getStatus().error?.kind).toBe('server')
  })
})

describe('setKey input', () => {
  it('refuses an empty paste as an InputError, asking nobody', async () => {
    const engine = await engineWith()
    await expect(engine.setKey('   ')).rejects.toBeInstanceOf(InputError)
    expect(server.requestCount).toBe(0)
  })

  it('refuses a project key without asking the API', async () => {
    const engine = await engineWith()
    expect((await engine.setKey(PROJECT)).ok).toBe(false)
    expect(server.requestCount).toBe(0)
  })

  it('without the live check the key is stored as it is, asking nobody', async () => {
    const store = createMemoryStore()
    const engine = await engineWith({ secretStore: store })
    const revoked = 'sk-admin-REVOKED0123456789abcdefg'
    expect((await engine.setKey(revoked, { check: false })).ok).toBe(true)
    expect(server.requestCount).toBe(0)
    expect(await store.get('default')).toBe(revoked)
  })
})

describe('a started engine', () => {
  it('plans a watchdog of the run deadline plus the request timeout', async () => {
    const t = manualTimers()
    const engine = await engineWith({ key: ADMIN, timers: t.timers, runDeadlineMs: 50_000 })
    engine.start()
    await vi.waitFor(() => expect(t.planned(15 * 60_000)).toHaveLength(1))
    // testEngine's request timeout is 2 s; the watchdog was cleared when the run ended.
    expect(t.planned(52_000)).toHaveLength(0)
    server.failNext({ type: 'hang' })
    t.planned(15 * 60_000)[0]!.fn()
    await vi.waitFor(() => expect(t.planned(52_000)).toHaveLength(1))
    engine.stop()
  })

  it('starting twice polls once', async () => {
    const t = manualTimers()
    const engine = await engineWith({ key: ADMIN, timers: t.timers })
    engine.start()
    engine.start()
    await vi.waitFor(() => expect(t.planned(15 * 60_000)).toHaveLength(1))
    expect(server.requests.filter((r) => r.path.endsWith('/organization/costs'))).toHaveLength(1)
    engine.stop()
  })

  it('reads the spend limits at start even when they are not due', async () => {
    const first = await engineWith({ key: ADMIN })
    await first.refresh()
    server.resetRecords()
    const t = manualTimers()
    const engine = await engineWith({ key: ADMIN, timers: t.timers })
    engine.start()
    await vi.waitFor(() => expect(t.planned(15 * 60_000)).toHaveLength(1))
    expect(server.requests.some((r) => r.path === '/v1/organization/spend_limit')).toBe(true)
    engine.stop()
  })

  it('stop cancels the planned poll; start again polls again', async () => {
    const t = manualTimers()
    const engine = await engineWith({ key: ADMIN, timers: t.timers })
    engine.start()
    await vi.waitFor(() => expect(t.planned(15 * 60_000)).toHaveLength(1))
    engine.stop()
    expect(t.planned(15 * 60_000)).toHaveLength(0)
    engine.start()
    await vi.waitFor(() => expect(t.planned(15 * 60_000)).toHaveLength(1))
    expect(server.requests.filter((r) => r.path.endsWith('/organization/costs'))).toHaveLength(2)
    engine.stop()
  })
})

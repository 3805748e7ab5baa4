// The engine's key handling beyond the happy path: a keychain that fails, OPENAI_ADMIN_KEY next to
// a stored key, checking a key that may not read costs, and clearing the key.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CostsClient } from '../src/main/engine/costs-client'
import type { EngineOptions } from '../src/main/engine/engine'
import { CreditTrayError, MESSAGES } from '../src/main/engine/errors'
import { describeKeyProblem } from '../src/main/engine/key-type'
import { createMemoryStore, type SecretStore } from '../src/main/engine/secrets'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
const OTHER_ADMIN = 'sk-admin-OTHERKEY0123456789abcd'
const PROJECT = 'sk-proj-PROJECTKEY0123456789abcdef'

let server: FakeOpenAIServer
let dir: string
const clock = new Date('2026-03-10T12:00:00Z')

beforeEach(async () => {
  server = await startFakeOpenAIServer({
    adminKeys: [ADMIN, OTHER_ADMIN],
    projectKeys: [PROJECT],
    nowMs: () => clock.getTime()
  })
  dir = mkdtempSync(join(tmpdir(), 'ct-engine-key-'))
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const engineWith = (extra: Partial<EngineOptions> & { key?: string } = {}) =>
  testEngine({ dir, server, now: () => clock, ...extra })

/** A secret store whose every call fails with `error`, counting the calls. */
function failingStore(error: unknown): SecretStore & { calls: string[] } {
  const calls: string[] = []
  return {
    kind: 'keychain',
    calls,
    get: async () => {
      calls.push('get')
      throw error
    },
    set: async () => {
      calls.push('set')
      throw error
    },
    delete: async () => {
      calls.push('delete')
      throw error
    }
  }
}

describe('a keychain that fails', () => {
  it('checkKey without any key says no key is set up, and asks the API nothing', async () => {
    const engine = await engineWith()
    expect(await engine.checkKey()).toEqual({
      ok: false,
      error: { kind: 'no_key', message: MESSAGES.no_key }
    })
    expect(server.requestCount).toBe(0)
  })

  it('checkKey with a keychain that throws something odd reports the keychain, in words', async () => {
    const engine = await engineWith({ secretStore: failingStore(new Error('dbus exploded')) })
    expect(await engine.checkKey()).toEqual({
      ok: false,
      error: { kind: 'keychain', message: MESSAGES.keychain }
    })
  })

  it('checkKey passes a keychain CreditTrayError through as it is', async () => {
    const locked = new CreditTrayError('keychain', 'The keychain is locked.')
    const engine = await engineWith({ secretStore: failingStore(locked) })
    expect(await engine.checkKey()).toEqual({
      ok: false,
      error: { kind: 'keychain', message: 'The keychain is locked.' }
    })
  })

  it('setKey that cannot store the key says so and leaves the status error as it was', async () => {
    const engine = await engineWith({ secretStore: failingStore(new Error('dbus exploded')) })
    const result = await engine.setKey(ADMIN)
    expect(result).toEqual({ ok: false, error: { kind: 'keychain', message: MESSAGES.keychain } })
    const locked = new CreditTrayError('keychain', 'The keychain is locked.')
    const engine2 = await engineWith({ secretStore: failingStore(locked) })
    expect(await engine2.setKey(ADMIN)).toEqual({
      ok: false,
      error: { kind: 'keychain', message: 'The keychain is locked.' }
    })
  })

  it('getKeyInfo shows no key, with the keychain failure as the warning', async () => {
    const engine = await engineWith({ secretStore: failingStore(new Error('dbus exploded')) })
    expect(await engine.getKeyInfo()).toMatchObject({
      present: false,
      masked: null,
      type: null,
      storage: null,
      warning: 'dbus exploded'
    })
    const engine2 = await engineWith({ secretStore: failingStore('not an Error') })
    expect((await engine2.getKeyInfo()).warning).toBe(MESSAGES.keychain)
  })

  it('clearKey turns any keychain failure into a keychain error and keeps the key', async () => {
    const odd = await engineWith({ secretStore: failingStore(new Error('dbus exploded')) })
    await expect(odd.clearKey()).rejects.toMatchObject({
      kind: 'keychain',
      message: MESSAGES.keychain
    })
    const locked = new CreditTrayError('keychain', 'The keychain is locked.')
    const engine = await engineWith({ secretStore: failingStore(locked) })
    await expect(engine.clearKey()).rejects.toBe(locked)
  })
})

describe('the key in use', () => {
  it('reads the secret store once, then uses the key it read', async () => {
    const store = createMemoryStore()
    await store.set('default', ADMIN)
    let gets = 0
    const counting: SecretStore = { ...store, get: (a) => (gets++, store.get(a)) }
    const engine = await engineWith({ secretStore: counting })
    await engine.refresh()
    await engine.refresh()
    await engine.checkKey()
    expect(gets).toBe(1)
  })

  it('a padded OPENAI_ADMIN_KEY is used trimmed: sent, masked and typed as the key itself', async () => {
    const engine = await engineWith({ envKey: `  ${ADMIN}\n` })
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect(server.requests[0]!.bearer).toBe(ADMIN)
    expect(await engine.getKeyInfo()).toMatchObject({
      present: true,
      masked: 'sk-admin-…cdef',
      type: 'admin',
      storage: 'env',
      warning: null
    })
  })

  it('checkKey of OPENAI_ADMIN_KEY names the environment as where the key is kept', async () => {
    const engine = await engineWith({ envKey: ADMIN, keyStorageWarning: 'Kept in memory only.' })
    const result = await engine.checkKey()
    expect(result).toMatchObject({ ok: true, info: { storage: 'env', warning: null } })
  })

  it('storing a key while OPENAI_ADMIN_KEY is set warns that the environment key wins', async () => {
    const engine = await engineWith({ envKey: ADMIN })
    const result = await engine.setKey(OTHER_ADMIN)
    expect(result).toMatchObject({
      ok: true,
      info: {
        storage: 'memory',
        warning: 'OPENAI_ADMIN_KEY is set and is used instead of the stored key.'
      }
    })
  })

  it('a stored key in a memory store carries the storage warning; no key carries no storage', async () => {
    const engine = await engineWith({ key: ADMIN, keyStorageWarning: 'Kept in memory only.' })
    expect(await engine.getKeyInfo()).toMatchObject({
      storage: 'memory',
      warning: 'Kept in memory only.'
    })
    const none = await engineWith()
    expect(await none.getKeyInfo()).toMatchObject({ present: false, storage: null })
  })

  it('checking a stored project key gives the Admin-key hint, not the raw 403', async () => {
    const engine = await engineWith({ key: PROJECT })
    const result = await engine.checkKey()
    expect(result).toEqual({
      ok: false,
      error: { kind: 'permission', message: describeKeyProblem('project') }
    })
  })

  it('an Admin key refused with a 403 keeps the server message (there is no hint for it)', async () => {
    const engine = await engineWith({ key: ADMIN })
    server.failNext({ type: 'status', status: 403, message: 'You lack the api.usage.read scope' })
    const result = await engine.checkKey()
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('permission')
      expect(result.error.message).toContain('api.usage.read')
    }
  })

  it('a check that keeps failing says how often it was tried, not that it will retry', async () => {
    const engine = await engineWith({ key: ADMIN })
    server.failNext(...Array.from({ length: 3 }, () => ({ type: 'status', status: 503 }) as const))
    const result = await engine.checkKey()
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('server')
      expect(result.error.message).not.toMatch(/Credit Tray will/)
      expect(result.error.message).toMatch(/3/)
    }
    expect(server.requestCount).toBe(3)
  })
})

describe('a key check that fails oddly', () => {
  it('a failure that is not an API error reads as the host not being reached', async () => {
    const engine = await engineWith({
      key: ADMIN,
      createClient: () =>
        ({
          checkKey: async () => {
            throw new TypeError('fetch failed')
          }
        }) as unknown as CostsClient
    })
    expect(await engine.checkKey()).toEqual({
      ok: false,
      error: {
        kind: 'network',
        message: `Could not reach ${new URL(server.baseURL).host}. Check the internet connection.`
      }
    })
  })
})

describe('clearing the key', () => {
  it('forgets the stored key: the status says no key is set up', async () => {
    const store = createMemoryStore()
    await store.set('default', ADMIN)
    const engine = await engineWith({ secretStore: store })
    await engine.refresh()
    const info = await engine.clearKey()
    expect(info.present).toBe(false)
    expect(await store.get('default')).toBeNull()
    expect(engine.getStatus().error).toEqual({ kind: 'no_key', message: MESSAGES.no_key })
    // Not cached either: the next refresh does not send the old key.
    server.resetRecords()
    expect((await engine.refresh()).error?.kind).toBe('no_key')
    expect(server.requestCount).toBe(0)
  })

  it('with OPENAI_ADMIN_KEY set the key is still there: no error after clearing', async () => {
    const store = createMemoryStore()
    await store.set('default', OTHER_ADMIN)
    const engine = await engineWith({ secretStore: store, envKey: ADMIN })
    await engine.refresh()
    const info = await engine.clearKey()
    expect(await store.get('default')).toBeNull()
    expect(info).toMatchObject({ present: true, storage: 'env' })
    expect(engine.getStatus().error).toBeNull()
  })
})

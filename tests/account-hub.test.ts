// The app's view over several accounts: worst state for the tray, the active one for the window,
// alerts named after their account, isolation of keys and ledgers.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAccountHub, severity } from '../src/main/engine/account-hub'
import { accountDataDir, createAccountRegistry } from '../src/main/engine/accounts'
import { createEngine } from '../src/main/engine/engine'
import type { Alert } from '../src/main/engine/engine-api'
import { createMemoryStore } from '../src/main/engine/secrets'
import { makeStatus } from './support/fixtures'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const KEY_A = 'sk-admin-HUBKEYA0123456789abcdefgh'
const KEY_B = 'sk-admin-HUBKEYB0123456789abcdefgh'
let dir: string
let server: FakeOpenAIServer

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ct-hub-'))
  server = await startFakeOpenAIServer({ adminKeys: [KEY_A, KEY_B] })
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

async function makeHub() {
  const keychain = createMemoryStore()
  await keychain.set('default', KEY_A)
  const registry = createAccountRegistry({ dataDir: dir })
  const hub = createAccountHub({
    registry,
    engineFor: (account) =>
      createEngine({
        dataDir: accountDataDir(dir, account.name),
        account: account.name,
        projectIds: account.projectIds,
        secretStore: keychain,
        baseURL: server.baseURL,
        now: () => new Date('2026-06-01T12:00:00Z'),
        alerts: true
      })
  })
  return { hub, keychain }
}

describe('severity', () => {
  it('puts key problems above critical above low above stale above ok above spend-only', () => {
    const ranked = [
      makeStatus({ error: { kind: 'permission', message: '' } }),
      makeStatus({ level: 'critical' }),
      makeStatus({ level: 'low' }),
      makeStatus({ stale: true }),
      makeStatus({ level: 'ok' }),
      makeStatus({ level: 'unknown', balance: null })
    ].map(severity)
    expect([...ranked].sort((a, b) => b - a)).toEqual(ranked)
    expect(new Set(ranked).size).toBe(ranked.length)
  })
})

describe('several accounts in the app', () => {
  it('the tray shows the worst account; the window shows the active one', async () => {
    const { hub, keychain } = await makeHub()
    await hub.add('Shop')
    await keychain.set('Shop', KEY_B)
    expect(hub.state().active).toBe('Shop')
    await hub.active().recordBalance(3) // Shop: critical
    await hub.switchTo('default')
    await hub.active().recordBalance(500) // default: ok
    expect(hub.active().getStatus().balance).toBe(500)
    expect(hub.worstStatus().balance).toBe(3)
    expect(hub.state().accounts.map((a) => [a.name, a.level])).toEqual([
      ['default', 'ok'],
      ['Shop', 'critical']
    ])
  })

  it('names the account in its notifications when there are several', async () => {
    const { hub, keychain } = await makeHub()
    await hub.add('Shop')
    await keychain.set('Shop', KEY_B)
    const alerts: Alert[] = []
    hub.onAlert((a) => alerts.push(a))
    await hub.active().recordBalance(3)
    await hub.active().refresh()
    expect(alerts).toHaveLength(1)
    expect(alerts[0]!.title).toMatch(/^Shop: /)
  })

  it('tells listeners when any account changes, and forgets removed accounts', async () => {
    const { hub } = await makeHub()
    let changes = 0
    hub.onChange(() => changes++)
    await hub.add('Agency')
    const afterAdd = changes
    await hub.active().recordTopUp(5)
    expect(changes).toBeGreaterThan(afterAdd)
    await hub.remove('Agency')
    expect(hub.state().accounts.map((a) => a.name)).toEqual(['default'])
    expect(hub.state().active).toBe('default')
  })

  it('each account fetches with its own key only', async () => {
    const { hub, keychain } = await makeHub()
    await hub.add('Shop', ['proj_shop'])
    await keychain.set('Shop', KEY_B)
    await hub.active().refresh()
    await hub.switchTo('default')
    await hub.active().refresh()
    const costs = server.requests.filter((r) => r.path.endsWith('/costs'))
    expect(costs.map((r) => [r.bearer, r.query['project_ids[]'] ?? null])).toEqual([
      [KEY_B, ['proj_shop']],
      [KEY_A, null]
    ])
  })
})

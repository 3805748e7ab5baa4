// An account removed by another process (`credit-tray accounts remove` while the tray app or
// `credit-tray serve` runs) is gone for the hub too: no figures served for it, no notification
// about it, and its engine stops polling OpenAI.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAccountHub } from '../src/main/engine/account-hub'
import { accountDataDir, createAccountRegistry } from '../src/main/engine/accounts'
import { createEngine } from '../src/main/engine/engine'
import type { Alert } from '../src/main/engine/engine-api'
import { InputError } from '../src/main/engine/errors'
import { createMemoryStore } from '../src/main/engine/secrets'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const KEY_A = 'sk-admin-GONEKEYA0123456789abcdefgh'
const KEY_B = 'sk-admin-GONEKEYB0123456789abcdefgh'
const NOW = new Date('2026-06-01T12:00:00Z')
let dir: string
let server: FakeOpenAIServer

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ct-gone-'))
  server = await startFakeOpenAIServer({ adminKeys: [KEY_A, KEY_B], nowMs: () => NOW.getTime() })
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

it('an account the CLI removed is dropped: no status, no notification, its polling stopped', async () => {
  const keychain = createMemoryStore()
  await keychain.set('default', KEY_A)
  await keychain.set('Shop', KEY_B)
  const stopped: string[] = []
  const hub = createAccountHub({
    registry: createAccountRegistry({ dataDir: dir }),
    engineFor: (account) => {
      const engine = createEngine({
        dataDir: accountDataDir(dir, account.name),
        account: account.name,
        secretStore: keychain,
        baseURL: server.baseURL,
        timeoutMs: 2_000,
        now: () => NOW,
        alerts: true
      })
      return { ...engine, stop: () => (stopped.push(account.name), engine.stop()) }
    }
  })
  const alerts: Alert[] = []
  hub.onAlert((a) => alerts.push(a))
  await hub.add('Shop')
  const shop = hub.active()
  await hub.switchTo('default')
  hub.start()

  // The CLI, another process with its own registry on the same folder.
  await createAccountRegistry({ dataDir: dir }).remove('Shop')

  expect(() => hub.statusOf('Shop')).toThrow(InputError)
  expect(hub.state().accounts.map((a) => a.name)).toEqual(['default'])
  expect(stopped).toEqual(['Shop'])
  // A refresh the removed engine had already started raises nothing.
  await shop.recordBalance(1)
  expect(alerts.filter((a) => a.title.includes('Shop') || a.kind === 'critical')).toEqual([])
  hub.stop()
})

// The engine passes its lock timing to every data file: a ledger held by another process makes a
// recording fail after the engine's own wait, and the error says how long that was.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withFileLock } from '../src/main/engine/file-lock'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
let server: FakeOpenAIServer
let dir: string

beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN] })
  dir = mkdtempSync(join(tmpdir(), 'ct-engine-lock-'))
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

it('a ledger locked by another process fails a top-up after the configured wait, saying so', async () => {
  const engine = await testEngine({
    dir,
    server,
    key: ADMIN,
    now: () => new Date('2026-03-10T12:00:00Z'),
    lock: { timeoutMs: 300 }
  })
  let release = () => {}
  const held = withFileLock(join(dir, 'ledger.json'), () => new Promise<void>((r) => (release = r)))
  try {
    await expect(engine.recordTopUp(5)).rejects.toMatchObject({
      kind: 'storage',
      message: expect.stringMatching(
        /^Another Credit Tray process kept ledger\.json locked for more than 0\.3 s/
      )
    })
  } finally {
    release()
    await held
  }
  expect(engine.getLedger()).toEqual([])
})

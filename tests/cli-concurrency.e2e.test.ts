// Several real processes writing the same data folder at once: every acknowledged entry must be
// on disk afterwards. The built CLI (out/main/cli.js) runs as real child processes, side by side
// with an engine polling in this process, like a script recording a top-up while the app runs.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../src/main/engine/engine'
import { createMemoryStore } from '../src/main/engine/secrets'
import { utcDay } from '../src/main/engine/dates'
import { ensureCliBuilt, runBuiltCli, type CliRun } from './support/cli-runner'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const KEY = 'sk-admin-CONCURRENCY0123456789abcdef'
const HOLDER = join(__dirname, 'support', 'lock-holder-child.ts')

let server: FakeOpenAIServer
let home: string

beforeAll(ensureCliBuilt)
beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [KEY] })
  home = mkdtempSync(join(tmpdir(), 'ct-concurrent-'))
})
afterEach(async () => {
  await server.close()
  rmSync(home, { recursive: true, force: true })
})

const cli = (args: string[]): Promise<CliRun> =>
  runBuiltCli(args, { dataDir: home, baseURL: server.baseURL, key: KEY })

/** The ledger as it is on disk (not through the CLI), so nothing can paper over a lost entry. */
function ledgerOnDisk(dir = home): { type: string; amount: number }[] {
  return JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8')).data.entries
}

function expectAllOk(runs: CliRun[]): void {
  for (const run of runs)
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
}

// Many real processes on two shared cores: generous timeouts, no timing assertions.
describe('concurrent writers (real processes)', () => {
  it('keeps all 20 top-ups recorded at once after a balance', async () => {
    expect((await cli(['balance', 'set', '100'])).code).toBe(0)
    const runs = await Promise.all(Array.from({ length: 20 }, () => cli(['topup', '1'])))
    expectAllOk(runs)
    const entries = ledgerOnDisk()
    expect(entries.filter((e) => e.type === 'topup')).toHaveLength(20)
    expect(entries.filter((e) => e.type === 'balance')).toHaveLength(1)
    const status = JSON.parse((await cli(['status', '--json', '--offline'])).stdout)
    expect(status.balance).toBe(120)
  }, 120_000)

  it('keeps all 10 accounts added at once', async () => {
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => cli(['accounts', 'add', `team${i}`]))
    )
    expectAllOk(runs)
    const registry = JSON.parse(readFileSync(join(home, 'accounts.json'), 'utf8')).data
    expect(registry.accounts.map((a: { name: string }) => a.name).sort()).toEqual(
      ['default', ...Array.from({ length: 10 }, (_, i) => `team${i}`)].sort()
    )
  }, 120_000)

  it('keeps CLI top-ups and the app engine’s own entries while the engine polls', async () => {
    server.dataset.costs[utcDay(Date.now())] = [{ line_item: 'x', project_id: null, value: 2 }]
    const secrets = createMemoryStore()
    await secrets.set('default', KEY)
    const engine = createEngine({
      dataDir: home,
      secretStore: secrets,
      baseURL: server.baseURL,
      now: () => new Date(),
      alerts: true
    })
    await engine.recordBalance(100)
    // The engine refreshes (writing costs-cache.json and alerts.json) and records top-ups of 2
    // while ten CLI processes record top-ups of 1 and two more refresh the cache themselves.
    const cliRuns = Promise.all([
      ...Array.from({ length: 10 }, () => cli(['topup', '1'])),
      cli(['status', '--json']),
      cli(['status', '--json'])
    ])
    for (let i = 0; i < 5; i++) {
      await engine.refresh()
      await engine.recordTopUp(2)
    }
    expectAllOk(await cliRuns)
    const topups = ledgerOnDisk().filter((e) => e.type === 'topup')
    expect(topups.filter((e) => e.amount === 1)).toHaveLength(10)
    expect(topups.filter((e) => e.amount === 2)).toHaveLength(5)
    expect(engine.getStatus().error).toBeNull()
  }, 120_000)

  it('a writer gives up after ~10 s while a live process holds the lock; after kill -9 of the holder the next writer gets it', async () => {
    expect((await cli(['balance', 'set', '100'])).code).toBe(0)
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, join(home, 'ledger.json')], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    try {
      const [first] = (await once(holder.stdout, 'data')) as [Buffer]
      expect(first.toString()).toBe('locked\n')

      // Alive and holding: the CLI waits its ~10 s, then fails with one line and exit 5.
      const blocked = await cli(['topup', '1'])
      expect(blocked.code).toBe(5)
      expect(blocked.stderr).toMatch(
        /^credit-tray: Another Credit Tray process kept ledger\.json locked for more than 10 s, so nothing was changed\./
      )
      expect(blocked.stderr.trim().split('\n')).toHaveLength(1)
      expect(ledgerOnDisk()).toHaveLength(1)

      // Killed without a chance to clean up: the lock goes stale and the next writer takes it.
      holder.kill('SIGKILL')
      await once(holder, 'exit')
      const after = await cli(['topup', '1'])
      expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' })
      expect(ledgerOnDisk().map((e) => e.type)).toEqual(['balance', 'topup'])
    } finally {
      if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL')
    }
  }, 120_000)
})

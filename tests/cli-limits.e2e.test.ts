// `credit-tray limits` end to end: the built CLI as a child process, the real SDK and the
// loopback fake Admin API's spend limit and alert endpoints.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { utcDay } from '../src/main/engine/dates'
import { ensureCliBuilt, runBuiltCli, type CliRun } from './support/cli-runner'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ADMIN = 'sk-admin-CLITESTKEY0123456789abcdef'
const READ_ONLY = 'sk-admin-READONLYKEY0123456789abcd'
const NO_LIMITS = 'sk-admin-NOLIMITSKEY0123456789abcd'

let server: FakeOpenAIServer
let home: string

beforeAll(ensureCliBuilt)
beforeEach(async () => {
  server = await startFakeOpenAIServer({
    adminKeys: [ADMIN, READ_ONLY, NO_LIMITS],
    spend: {
      readOnlyKeys: [READ_ONLY],
      noLimitsKeys: [NO_LIMITS],
      orgLimit: { threshold_amount: 20_000, status: 'enforcing' },
      orgAlerts: [
        { id: 'a1', threshold_amount: 15_000, recipients: ['a@example.com', 'b@example.com'] }
      ]
    }
  })
  server.dataset.costs[utcDay(Date.now())] = [
    { line_item: 'gpt', project_id: 'proj_a', value: 12.5 }
  ]
  home = mkdtempSync(join(tmpdir(), 'ct-cli-limits-'))
})
afterEach(async () => {
  await server.close()
  rmSync(home, { recursive: true, force: true })
})

const cli = (args: string[], key = ADMIN): Promise<CliRun> =>
  runBuiltCli(args, { dataDir: home, baseURL: server.baseURL, key })

describe('credit-tray limits', () => {
  it('--json prints the limits object in dollars', async () => {
    const run = await cli(['limits', '--json'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const limits = JSON.parse(run.stdout)
    expect(limits).toMatchObject({
      organization: {
        amount: 200,
        currency: 'USD',
        enforcement: 'enforcing',
        reached: false,
        monthToDate: 12.5
      },
      projects: [],
      alerts: [{ scope: 'organization', amount: 150, recipients: 2 }],
      unavailable: null
    })
    expect(server.writes).toEqual([])
  })

  it('status has one line for the limit; status --json carries the same object', async () => {
    const text = await cli(['status'])
    expect(text.stdout).toMatch(/^ {2}Spend limit \$12\.50 of \$200\.00 this month \(enforcing\)/m)
    const json = JSON.parse((await cli(['status', '--json'])).stdout)
    expect(json.limits.organization.amount).toBe(200)
    expect(json.expiringCredit).toEqual([])
  })

  it('a key that may not read them: exit 3 with the hint, and status still works', async () => {
    const run = await cli(['limits'], NO_LIMITS)
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('not readable with this key')
    const text = await cli(['status'], NO_LIMITS)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(
      '  Spend limit not readable with this key: This Admin key may not read the spend limits'
    )
    const status = await cli(['status', '--json'], NO_LIMITS)
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout).limits.unavailable).toBe('permission')
  })

  it('set without --yes shows before and after and changes nothing', async () => {
    const run = await cli(['limits', 'set', '250'])
    expect(run.code).toBe(2)
    expect(run.stdout).toContain(
      'Organization hard spend limit: $200.00 a month (enforcing) → $250.00 a month.'
    )
    expect(run.stderr).toContain('Nothing changed')
    expect(server.writes).toEqual([])
  })

  it('set 250 --yes writes 25000 cents and reads it back', async () => {
    const run = await cli(['limits', 'set', '250', '--yes'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      "Done: the organization's hard spend limit is now $250.00 a month (enforcing)."
    )
    expect(server.writes).toHaveLength(1)
    expect(server.spend.orgLimit?.threshold_amount).toBe(25_000)
  })

  it('alert add 150 --email ops@example.com --yes adds one alert', async () => {
    const run = await cli(['limits', 'alert', 'add', '150', '--email', 'ops@example.com', '--yes'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('→ adds one at $150.00 to ops@example.com.')
    expect(server.spend.orgAlerts.at(-1)).toMatchObject({
      threshold_amount: 15_000,
      recipients: ['ops@example.com']
    })
  })

  it('a key that may not write: a clear permission message, exit 3, nothing changed', async () => {
    const run = await cli(['limits', 'set', '250', '--yes'], READ_ONLY)
    expect(run.code).toBe(3)
    expect(run.stderr).toContain(
      'this Admin key may not change spend limits or alerts. Nothing was changed.'
    )
    expect(server.spend.orgLimit?.threshold_amount).toBe(20_000)
  })

  it('bad input: a clear error, exit 2, no request at all', async () => {
    for (const args of [
      ['limits', 'set', '-5', '--yes'],
      ['limits', 'set', 'lots', '--yes'],
      ['limits', 'alert', 'add', '150', '--email', 'not-an-address', '--yes'],
      ['limits', 'alert', 'add', '150', '--yes']
    ]) {
      server.resetRecords()
      const run = await cli(args)
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/^credit-tray: /)
      expect(run.stderr).not.toMatch(/\n\s+at /) // no stack trace
      expect(server.requestCount).toBe(0)
    }
  })
})

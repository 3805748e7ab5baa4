// `credit-tray export` end to end: the built CLI (out/main/cli.js) as a child process, the real
// SDK against the loopback fake Admin API, real files.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addDays, utcDay } from '../src/main/engine/dates'
import { ensureCliBuilt, runBuiltCli, type CliRun } from './support/cli-runner'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ADMIN = 'sk-admin-EXPORTTESTKEY0123456789abcdef'

let server: FakeOpenAIServer
let home: string

beforeAll(ensureCliBuilt)
beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN] })
  home = mkdtempSync(join(tmpdir(), 'ct-cli-export-'))
})
afterEach(async () => {
  await server.close()
  rmSync(home, { recursive: true, force: true })
})

function cli(args: string[], opts: { key?: string | null } = {}): Promise<CliRun> {
  return runBuiltCli(args, {
    dataDir: home,
    baseURL: server.baseURL,
    key: opts.key === undefined ? ADMIN : opts.key
  })
}

const today = (): string => utcDay(Date.now())

function lines(csv: string): string[] {
  return csv.split('\r\n').filter((l) => l !== '')
}

describe('credit-tray export', () => {
  it('fetches, then writes the daily costs as CSV to stdout', async () => {
    const yesterday = addDays(today(), -1)
    server.dataset.costs[yesterday] = [
      { line_item: 'gpt-4o, output', project_id: 'proj_a', value: 1.5 },
      { line_item: '=cmd|calc', project_id: 'proj_b', value: 0.25 }
    ]
    const run = await cli(['export'])
    expect(run.code).toBe(0)
    const rows = lines(run.stdout).filter((l) => l.startsWith(yesterday))
    expect(lines(run.stdout)[0]).toBe('date,kind,name,cost,currency')
    expect(rows).toEqual([
      `${yesterday},total,,1.75,usd`,
      `${yesterday},line_item,'=cmd|calc,0.25,usd`,
      `${yesterday},line_item,"gpt-4o, output",1.5,usd`,
      `${yesterday},project,proj_a,1.5,usd`,
      `${yesterday},project,proj_b,0.25,usd`
    ])
    expect(run.stdout).not.toContain(ADMIN)
  })

  it('--out writes the file (and nothing to stdout); --from/--to pick the days', async () => {
    const d1 = addDays(today(), -3)
    const d2 = addDays(today(), -2)
    server.dataset.costs[d1] = [{ line_item: 'a', project_id: 'p', value: 1 }]
    server.dataset.costs[d2] = [{ line_item: 'a', project_id: 'p', value: 2 }]
    const out = join(home, 'costs.csv')
    writeFileSync(out, 'an older export\r\n')
    const run = await cli(['export', '--out', out, '--from', d2, '--to', d2])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(`Wrote the costs of 1 day to ${out}.`)
    const csv = readFileSync(out, 'utf8')
    expect(
      lines(csv)
        .slice(1)
        .every((l) => l.startsWith(d2))
    ).toBe(true)
    expect(csv).toContain(`${d2},total,,2,usd`)
    // Written atomically: no temporary files left beside it.
    expect(readdirSync(home).filter((f) => f.startsWith('costs.csv.'))).toEqual([])
  })

  it('--offline exports the cache without contacting OpenAI', async () => {
    server.dataset.costs[today()] = [{ line_item: 'a', project_id: 'p', value: 3 }]
    await cli(['export'])
    const before = server.requestCount
    const run = await cli(['export', '--offline'], { key: null })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${today()},total,,3,usd`)
    expect(server.requestCount).toBe(before)
  })

  it('refuses a bad range with exit code 2 and writes nothing', async () => {
    const out = join(home, 'never.csv')
    const run = await cli(['export', '--out', out, '--from', '2024-11-31'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--from must be a day like 2024-11-03')
    expect(existsSync(out)).toBe(false)
  })

  it('still writes the cached costs when the refresh fails, and says so in the exit code', async () => {
    const run = await cli(['export'], { key: 'sk-admin-REJECTEDKEY0123456789abcdef' })
    expect(run.code).toBe(3)
    expect(lines(run.stdout)[0]).toBe('date,kind,name,cost,currency')
    expect(run.stderr).toContain('cached costs written')
  })
})

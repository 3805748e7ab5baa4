// The built `credit-tray` CLI (out/main/cli.js) end to end: a real child process, the real SDK,
// the loopback fake Admin API, real files, and (where a keyring runs) the real keychain.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { utcDay, addDays } from '../src/main/engine/dates'
import { ensureCliBuilt, runBuiltCli, type CliRun } from './support/cli-runner'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ADMIN = 'sk-admin-CLITESTKEY0123456789abcdef'
const PROJECT = 'sk-proj-CLIPROJECTKEY0123456789abcd'

let server: FakeOpenAIServer
let home: string

beforeAll(ensureCliBuilt)
beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN], projectKeys: [PROJECT] })
  home = mkdtempSync(join(tmpdir(), 'ct-cli-'))
})
afterEach(async () => {
  await server.close()
  rmSync(home, { recursive: true, force: true })
})

function cli(
  args: string[],
  opts: { key?: string | null; stdin?: string; env?: Record<string, string> } = {}
): Promise<CliRun> {
  return runBuiltCli(args, {
    dataDir: home,
    baseURL: server.baseURL,
    key: opts.key === undefined ? ADMIN : opts.key,
    ...(opts.stdin === undefined ? {} : { stdin: opts.stdin }),
    ...(opts.env ? { env: opts.env } : {})
  })
}

const today = (): string => utcDay(Date.now())

function setCosts(day: string, ...values: number[]): void {
  server.dataset.costs[day] = values.map((value, i) => ({
    line_item: `line ${i}`,
    project_id: 'proj_a',
    value
  }))
}

function expectNoKey(run: CliRun, ...keys: string[]): void {
  for (const k of keys) {
    expect(run.stdout).not.toContain(k)
    expect(run.stderr).not.toContain(k)
  }
}

describe('credit-tray status', () => {
  it('prints one JSON object with the documented fields, money rounded to cents', async () => {
    setCosts(addDays(today(), -1), 1.234, 2)
    setCosts(today(), 0.505)
    const run = await cli(['status', '--json'])
    expect(run.code).toBe(0)
    const s = JSON.parse(run.stdout)
    expect(s).toMatchObject({
      currency: 'usd',
      balance: null,
      level: 'unknown',
      stale: false,
      error: null,
      daysLeft: null,
      runOutDate: null
    })
    expect(s.spend).toEqual({ today: 0.51, last7Days: 3.74, monthToDate: expect.any(Number) })
    expect(s.daily).toHaveLength(30)
    expect(s.daily.at(-1)).toEqual({ date: today(), cost: 0.51 })
    expect(s.daily[0].date).toBe(addDays(today(), -29))
    expect(typeof s.burnRatePerDay).toBe('number')
    expect(new Date(s.lastUpdated).toISOString()).toBe(s.lastUpdated)
    expectNoKey(run, ADMIN)
  })

  it('prints a readable summary by default', async () => {
    setCosts(today(), 3)
    const run = await cli(['status'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('today $3.00')
    expect(run.stdout).toMatch(/Balance\s+unknown/)
  })

  it('--offline shows the cache without contacting OpenAI', async () => {
    setCosts(today(), 2)
    await cli(['status'])
    const before = server.requestCount
    const run = await cli(['status', '--json', '--offline'], { key: null })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).spend.today).toBe(2)
    expect(server.requestCount).toBe(before)
  })
})

describe('recording balances and top-ups', () => {
  it('a fresh install reads today live: $5 already spent is not subtracted again (§3)', async () => {
    setCosts(today(), 5)
    const run = await cli(['balance', 'set', '100'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/\$5\.00\) were read live/)
    expect(run.stdout).toMatch(/Estimated balance now ≈ \$100\.00 \(costs as of/)
    const s = JSON.parse((await cli(['status', '--json'])).stdout)
    expect(s.balance).toBe(100)
    expect(s.balanceComplete).toBe(true)
  })

  it('offline, balance set falls back to the cache and says so, and status keeps saying it', async () => {
    setCosts(today(), 5)
    await cli(['status'])
    const offline = { env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } }
    const run = await cli(['balance', 'set', '100'], offline)
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/note: .*could not read today's costs live/)
    const status = await cli(['status', '--offline'])
    // Under Notes, as the first note or a later one (a custom host's notice may come first).
    expect(status.stdout).toMatch(/^ {2}(?:Notes| {5}) {7}.*could not read today's costs live/m)
    const ledger = await cli(['ledger'])
    expect(ledger.stdout).toMatch(/taken from the cache/)
  })

  it('topup says how old the costs behind the estimate are', async () => {
    await cli(['balance', 'set', '10'])
    const run = await cli(['topup', '5'])
    expect(run.stdout).toMatch(/Estimated balance now ≈ \$15\.00 \(costs as of just now\)/)
  })

  it('states the burn-rate rule in the status text (§8f)', async () => {
    setCosts(addDays(today(), -2), 3)
    setCosts(addDays(today(), -1), 1)
    const run = await cli(['status'])
    expect(run.stdout).toMatch(
      /Burn rate +\$2\.00\/day: mean of the 2 complete UTC days since the first day with spend/
    )
  })

  it('prints the account currency in ledger and accounts list, not always $ (§6)', async () => {
    server.dataset.costs[today()] = [
      { line_item: 'x', project_id: 'proj_a', value: 1, currency: 'eur' }
    ]
    await cli(['balance', 'set', '40'])
    expect((await cli(['ledger'])).stdout).toContain('€40.00')
    expect((await cli(['accounts', 'list'])).stdout).toContain('€')
  })

  it('estimates the balance from what was recorded and what was spent since', async () => {
    setCosts(today(), 1)
    await cli(['status'])
    expect((await cli(['balance', 'set', '100'])).code).toBe(0)
    setCosts(today(), 1, 1.5) // today's bucket grew by 1.50 after the balance was read
    let s = JSON.parse((await cli(['status', '--json'])).stdout)
    expect(s.balance).toBe(98.5)
    expect(s.level).toBe('ok')

    const topup = await cli(['topup', '$20'])
    expect(topup.code).toBe(0)
    expect(topup.stdout).toContain('$20.00')
    s = JSON.parse((await cli(['status', '--json', '--offline'])).stdout)
    expect(s.balance).toBe(118.5)

    const ledger = JSON.parse((await cli(['ledger', '--json'])).stdout)
    expect(ledger.map((e: { type: string; amount: number }) => [e.type, e.amount])).toEqual([
      ['balance', 100],
      ['topup', 20]
    ])
  })

  it.each([
    [['balance', 'set', '-3']],
    [['topup', 'abc']],
    [['topup', '0']],
    [['balance', 'set', '1e400']],
    [['balance', 'set']],
    [['topup', '5', '6']],
    [['balance', 'add', '5']]
  ])('rejects %j with exit code 2 and changes nothing on disk', async (args) => {
    await cli(['balance', 'set', '10'])
    const before = readFileSync(join(home, 'ledger.json'), 'utf8')
    const run = await cli(args)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/credit-tray: /)
    expect(readFileSync(join(home, 'ledger.json'), 'utf8')).toBe(before)
  })

  it('warns about a corrupt ledger, keeps it aside, and goes on', async () => {
    writeFileSync(join(home, 'ledger.json'), 'not json at all')
    const run = await cli(['status', '--offline'])
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/warning: .*ledger/i)
    expect(readdirSync(home).some((f) => f.startsWith('ledger.corrupt-'))).toBe(true)
  })
})

describe('where the Admin key is sent (OPENAI_BASE_URL)', () => {
  it('refuses plain http to another computer with exit 2, saying https is required', async () => {
    for (const args of [['status'], ['status', '--json'], ['key', 'check']]) {
      const run = await cli(args, { env: { OPENAI_BASE_URL: 'http://api.example.com/v1' } })
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stdout + run.stderr).toMatch(
        /api\.example\.com over plain http\. https is required/
      )
      expectNoKey(run, ADMIN)
    }
  })

  it('key set refuses too, before checking or storing the key', async () => {
    const run = await cli(['key', 'set'], {
      key: null,
      stdin: ADMIN,
      env: {
        OPENAI_BASE_URL: 'http://10.0.0.7:8080/v1',
        CREDIT_TRAY_KEYCHAIN_SERVICE: `Credit Tray test ${process.pid}-${Date.now()}`
      }
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/10\.0\.0\.7:8080 over plain http\. https is required/)
    expect(run.stdout).not.toMatch(/Saved/)
  })

  it('talks to a loopback server over http and says where the key goes (text and JSON)', async () => {
    setCosts(today(), 1)
    const host = new URL(server.baseURL).host
    const json = await cli(['status', '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).notices).toContain(
      `The Admin key is sent to ${host} (OPENAI_BASE_URL), not to api.openai.com.`
    )
    const text = await cli(['status'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(`Notes       The Admin key is sent to ${host}`)
  })

  it('a non-default https host is named even offline', async () => {
    const run = await cli(['status', '--json', '--offline'], {
      env: { OPENAI_BASE_URL: 'https://llm-proxy.example.org/v1' }
    })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).notices[0]).toBe(
      'The Admin key is sent to llm-proxy.example.org (OPENAI_BASE_URL), not to api.openai.com.'
    )
  })
})

describe('errors and exit codes', () => {
  it('a project key gets exit 3 and a message that an Admin key is needed', async () => {
    const run = await cli(['status', '--json'], { key: PROJECT })
    expect(run.code).toBe(3)
    const s = JSON.parse(run.stdout)
    expect(s.error.kind).toBe('permission')
    expect(s.error.message).toMatch(/Admin key/)
    expect(s.error.message).toContain(
      'https://platform.openai.com/settings/organization/admin-keys'
    )
    expectNoKey(run, PROJECT)
  })

  it('a revoked key gets exit 3', async () => {
    const run = await cli(['status'], { key: 'sk-admin-REVOKEDKEY0123456789abcd' })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('[auth]')
    expectNoKey(run, 'sk-admin-REVOKEDKEY0123456789abcd')
  })

  it('a server error gets exit 4, and the cached data is still shown', async () => {
    setCosts(today(), 2)
    await cli(['status'])
    // One-shot: retried twice with backoff, so three in a row are needed to fail.
    server.failNext(...Array.from({ length: 3 }, () => ({ type: 'status', status: 503 }) as const))
    const run = await cli(['status', '--json'])
    expect(run.code).toBe(4)
    const s = JSON.parse(run.stdout)
    expect(s.error.kind).toBe('server')
    expect(s.error.message).toMatch(/Tried 3 times/)
    expect(s.spend.today).toBe(2)
  })

  it('rides out a single 429 with Retry-After: 1 (issue 7 §7)', async () => {
    setCosts(today(), 2)
    server.failNext({ type: 'status', status: 429, headers: { 'retry-after': '1' } })
    const run = await cli(['status', '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).error).toBeNull()
    expect(server.requests.filter((r) => r.path.endsWith('/costs'))).toHaveLength(2)
    // No request ever asks for an end_time in the future (the fake server would refuse it).
    for (const r of server.requests) expect(r.query['end_time']).toBeUndefined()
  })

  it('malformed JSON gets exit 4 (bad_response), never NaN', async () => {
    server.failNext({ type: 'truncated-json' })
    const run = await cli(['status', '--json'])
    expect(run.code).toBe(4)
    expect(run.stdout).not.toContain('NaN')
    expect(JSON.parse(run.stdout).error.kind).toBe('bad_response')
  })

  it('an unreachable server gets exit 4 (network)', async () => {
    const run = await cli(['status', '--json'], {
      env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }
    })
    expect(run.code).toBe(4)
    const error = JSON.parse(run.stdout).error
    expect(error.kind).toBe('network')
    // The message names the host actually tried, not api.openai.com.
    expect(error.message).toContain('Could not reach 127.0.0.1:9.')
  })

  it('refuses a key passed as an argument', async () => {
    const run = await cli(['key', 'set', ADMIN], { key: null })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/Never pass the key as an argument/)
    expectNoKey(run, ADMIN)
  })

  it('unknown commands and options are usage errors', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2)
    expect((await cli(['status', '--verbose'])).code).toBe(2)
    expect((await cli([])).code).toBe(2)
    const help = await cli(['help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: credit-tray')
  })

  it('key check names the type of the key from OPENAI_ADMIN_KEY', async () => {
    const ok = await cli(['key', 'check'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/admin key/)
    expect(ok.stdout).toContain('sk-admin-…cdef')
    const bad = await cli(['key', 'check'], { key: PROJECT })
    expect(bad.code).toBe(3)
    expect(bad.stderr).toMatch(/project key/)
    expectNoKey(bad, PROJECT)
  })
})

describe.skipIf(!process.env.CREDIT_TRAY_KEYRING)(
  'the key in the real keychain (gnome-keyring)',
  () => {
    // A service name of its own, so the test never touches a real "Credit Tray" entry.
    const service = `Credit Tray test ${process.pid}-${Date.now()}`

    it('key set reads stdin, checks the key, stores it; status uses it; key clear removes it', async () => {
      const env = { CREDIT_TRAY_KEYCHAIN_SERVICE: service }
      const set = await cli(['key', 'set'], { key: null, stdin: ADMIN + '\n', env })
      expect(set.stderr).toBe('')
      expect(set.code).toBe(0)
      expect(set.stdout).toContain('sk-admin-…cdef')
      expect(set.stdout).toContain('keychain')
      expectNoKey(set, ADMIN)

      setCosts(today(), 4)
      const status = await cli(['status', '--json'], { key: null, env })
      expect(status.code).toBe(0)
      expect(JSON.parse(status.stdout).spend.today).toBe(4)
      expect(server.requests.at(-1)!.bearer).toBe(ADMIN)

      const check = await cli(['key', 'check'], { key: null, env })
      expect(check.code).toBe(0)
      expect(check.stdout).toContain('keychain')

      expect((await cli(['key', 'clear'], { key: null, env })).code).toBe(0)
      const after = await cli(['status', '--json'], { key: null, env })
      expect(after.code).toBe(3)
      expect(JSON.parse(after.stdout).error.kind).toBe('no_key')
      for (const f of readdirSync(home))
        expect(readFileSync(join(home, f), 'utf8')).not.toContain(ADMIN)
    })

    it('key set refuses a project key and stores nothing', async () => {
      const env = { CREDIT_TRAY_KEYCHAIN_SERVICE: service }
      const set = await cli(['key', 'set'], { key: null, stdin: PROJECT, env })
      expect(set.code).toBe(3)
      expect(set.stderr).toMatch(/project key/i)
      const check = await cli(['key', 'check'], { key: null, env })
      expect(check.code).toBe(3)
      expect(check.stderr).toMatch(/No Admin key/)
    })
  }
)

describe.runIf(!process.env.CREDIT_TRAY_KEYRING)('without a keyring', () => {
  it('explains that the keychain is not available (exit 3) instead of crashing', async () => {
    const run = await cli(['key', 'set'], {
      key: null,
      stdin: ADMIN,
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }
    })
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/keychain/i)
    expectNoKey(run, ADMIN)
  })
})

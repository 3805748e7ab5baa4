// `credit-tray serve` as a real process against the loopback fake Admin API: the endpoints,
// the read token, the refusal to listen beyond loopback without one, SIGTERM, and that neither
// the Admin key nor the token ever appears in a response or a log line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCliBuilt, runBuiltCli } from './support/cli-runner'
import {
  startFakeOpenAIServer,
  syntheticDataset,
  type FakeOpenAIServer
} from './support/fake-openai-server'
import { startServe, type ServeProcess } from './support/serve-process'

const KEY = 'sk-admin-SERVETEST0123456789abcdefgh'
const TOKEN = 'read-token-7f3a9c1e5b2d4f60'
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)

let api: FakeOpenAIServer
let home: string
const running: ServeProcess[] = []

beforeAll(ensureCliBuilt)
beforeEach(async () => {
  api = await startFakeOpenAIServer({
    adminKeys: [KEY],
    dataset: syntheticDataset({ endDayExclusive: tomorrow, days: 40 })
  })
  home = mkdtempSync(join(tmpdir(), 'ct-serve-'))
})
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL')
  await api.close()
  rmSync(home, { recursive: true, force: true })
})

const cli = (args: string[]) => runBuiltCli(args, { dataDir: home, baseURL: api.baseURL, key: KEY })

async function serve(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const p = await startServe({ dataDir: home, baseURL: api.baseURL, key: KEY, args, env })
  running.push(p)
  return p
}

async function get(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init)
  return { status: res.status, headers: res.headers, text: await res.text() }
}

const auth = { headers: { Authorization: `Bearer ${TOKEN}` } }

function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('credit-tray serve with a read token', () => {
  it('serves status, accounts and metrics to token holders only, and exits 0 on SIGTERM', async () => {
    expect((await cli(['balance', 'set', '41.20'])).code).toBe(0)
    expect((await cli(['accounts', 'add', 'Spare'])).code).toBe(0)
    const server = await serve(['--listen', '127.0.0.1:0'], { CREDIT_TRAY_READ_TOKEN: TOKEN })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/)
    await server.waitForLog(/account "default": refreshed$/)
    await server.waitForLog(/account "Spare": refreshed$/)
    const bodies: string[] = []
    const seen = async (url: string, init?: RequestInit) => {
      const r = await get(url, init)
      bodies.push(r.text, JSON.stringify([...r.headers]))
      return r
    }

    // /healthz is open; everything else needs the token.
    expect((await seen(`${server.url}/healthz`)).status).toBe(200)
    for (const path of ['/status.json', '/accounts.json', '/metrics']) {
      const none = await seen(server.url + path)
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
      const wrong = await seen(server.url + path, {
        headers: { Authorization: `Bearer ${TOKEN.slice(0, -1)}x` }
      })
      expect(wrong.status).toBe(401)
      expect(wrong.text).not.toContain('"balance"')
    }

    // Exactly what the CLI prints, from the same data.
    const status = await seen(`${server.url}/status.json`, auth)
    expect(status.status).toBe(200)
    expect(status.headers.get('content-type')).toMatch(/^application\/json/)
    expect(status.headers.get('access-control-allow-origin')).toBeNull()
    const printed = await cli(['status', '--json', '--offline'])
    expect(status.text).toBe(printed.stdout)
    const parsed = JSON.parse(status.text)
    expect(parsed.balance).toBeGreaterThan(0)
    expect(parsed.lastUpdated).not.toBeNull()

    const spare = await seen(`${server.url}/status.json?account=Spare`, auth)
    expect(JSON.parse(spare.text).balance).toBeNull()
    expect((await seen(`${server.url}/status.json?account=Nope`, auth)).status).toBe(404)

    const accounts = await seen(`${server.url}/accounts.json`, auth)
    expect(accounts.text).toBe((await cli(['accounts', 'list', '--json'])).stdout)

    // Metrics: the balance is the status's; an unknown balance is absent, not 0.
    const metrics = await seen(`${server.url}/metrics`, auth)
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(metricValue(metrics.text, 'credit_tray_balance_dollars{account="default"}')).toBe(
      parsed.balance
    )
    expect(metricValue(metrics.text, 'credit_tray_balance_dollars{account="Spare"}')).toBe(
      undefined
    )
    expect(metricValue(metrics.text, 'credit_tray_days_left{account="Spare"}')).toBe(undefined)
    expect(
      metricValue(metrics.text, `credit_tray_level{account="default",level="${parsed.level}"}`)
    ).toBe(1)
    const levels = ['ok', 'low', 'critical', 'unknown'].map((l) =>
      metricValue(metrics.text, `credit_tray_level{account="Spare",level="${l}"}`)
    )
    expect(levels).toEqual([0, 0, 0, 1])
    expect(metricValue(metrics.text, 'credit_tray_spend_month_dollars{account="default"}')).toBe(
      parsed.spend.monthToDate
    )
    expect(
      metricValue(metrics.text, 'credit_tray_last_success_timestamp_seconds{account="default"}')
    ).toBe(Date.parse(parsed.lastUpdated) / 1000)
    expect(metrics.text).toMatch(/^process_cpu_user_seconds_total /m)

    // Read-only: other methods are refused; HEAD has the headers and no body.
    const post = await seen(`${server.url}/status.json`, { ...auth, method: 'POST', body: 'x' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    const head = await seen(`${server.url}/status.json`, { ...auth, method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.text).toBe('')
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(status.text))
    expect((await seen(`${server.url}/nothing`, auth)).status).toBe(404)
    const long = await seen(`${server.url}/status.json?account=${'a'.repeat(3000)}`, auth)
    expect(long.status).toBe(414)

    // Readers never cause requests to OpenAI.
    const before = api.requestCount
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        get(`${server.url}/${i % 2 ? 'metrics' : 'status.json'}`, auth)
      )
    )
    expect(api.requestCount).toBe(before)

    const ended = await server.stop('SIGTERM')
    expect(ended).toEqual({ code: 0, signal: null })

    // One log line per refresh per account, and no secret anywhere.
    expect(server.stderr.filter((l) => /account "default": refresh/.test(l))).toHaveLength(1)
    for (const text of [...bodies, ...server.stdout, ...server.stderr]) {
      expect(text).not.toContain(KEY)
      expect(text).not.toContain(TOKEN)
    }
    expect(server.stderr.join('\n')).not.toMatch(/\bat .*\.js:\d+/)
  })

  it('reads the token from --token-file and logs failed refreshes with their kind', async () => {
    const tokenFile = join(home, 'token')
    writeFileSync(tokenFile, TOKEN + '\n')
    api.failNext({ type: 'status', status: 401 })
    const server = await serve(['--listen', '127.0.0.1:0', '--token-file', tokenFile])
    await server.waitForLog(/refresh failed \(auth\)/)
    const metrics = await get(`${server.url}/metrics`, auth)
    expect(
      metricValue(metrics.text, 'credit_tray_refresh_errors_total{account="default",kind="auth"}')
    ).toBe(1)
    // Never fetched successfully: spend, burn rate and last success are unknown, so absent.
    expect(metrics.text).not.toMatch(/^credit_tray_(spend|burn|last_success)\w*\{/m)
    const status = JSON.parse((await get(`${server.url}/status.json`, auth)).text)
    expect(status.error.kind).toBe('auth')
    expect((await get(`${server.url}/status.json`)).status).toBe(401)
    expect(await server.stop('SIGINT')).toEqual({ code: 0, signal: null })
  })
})

describe('OPENAI_ADMIN_KEY_FILE', () => {
  const run = (args: string[], env: Record<string, string>) =>
    runBuiltCli(args, { dataDir: home, baseURL: api.baseURL, key: null, env })

  it('reads the Admin key from the file (a systemd credential), or says it cannot', async () => {
    const keyFile = join(home, 'admin-key')
    writeFileSync(keyFile, KEY + '\n')
    const ok = await run(['status', '--json'], { OPENAI_ADMIN_KEY_FILE: keyFile })
    expect(ok.code).toBe(0)
    expect(api.requests[0]!.bearer).toBe(KEY)
    const missing = await run(['status', '--json'], {
      OPENAI_ADMIN_KEY_FILE: join(home, 'nope')
    })
    expect(missing.code).toBe(3)
    expect(missing.stderr).toMatch(/could not read OPENAI_ADMIN_KEY_FILE .*nope \(ENOENT\)/)
    expect(missing.stdout + missing.stderr).not.toContain(KEY)
  })
})

describe('credit-tray serve refuses what it cannot do safely', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    runBuiltCli(['serve', ...args], { dataDir: home, baseURL: api.baseURL, key: KEY, env })

  it('will not listen beyond loopback without a read token', async () => {
    const r = await run(['--listen', '0.0.0.0:0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without a read token/)
    expect(r.stderr).toMatch(/CREDIT_TRAY_READ_TOKEN or pass --token-file/)
    expect(r.stdout).toBe('')
    expect(api.requestCount).toBe(0)
  })

  it('rejects a bad address, a short token and a missing token file with exit 2', async () => {
    const bad = await run(['--listen', 'localhost'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--listen takes HOST:PORT/)
    const short = await run([], { CREDIT_TRAY_READ_TOKEN: 'abc' })
    expect(short.code).toBe(2)
    expect(short.stderr).toMatch(/at least 16 characters/)
    expect(short.stderr).not.toContain('abc ')
    const missing = await run(['--token-file', join(home, 'nope')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/Could not read the token file .*nope \(ENOENT\)/)
    for (const r of [bad, short, missing]) expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/)
    expect(api.requestCount).toBe(0)
  })
})

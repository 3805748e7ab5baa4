// The Prometheus exposition of `credit-tray serve`: what is known is exported, what is unknown
// is absent (never 0), and the hard limits are read from `status.limits` when a status has them.
import { createMetrics, hardLimitsOf } from '../src/main/engine/metrics'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bearerMatches, createReadServer } from '../src/main/engine/read-server'
import { parseListen, readToken } from '../src/main/cli/serve'
import { isHttpsOrLoopback, isLoopbackHost } from '../src/main/engine/url-policy'
import type { Status } from '../src/shared/status'
import { makeStatus } from './support/fixtures'

function series(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line.startsWith('credit_tray_')) continue
    const at = line.lastIndexOf(' ')
    out.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return out
}

async function render(statuses: { account: string; status: Status }[]) {
  const metrics = createMetrics({ statuses: () => statuses, defaultMetrics: false })
  return series(await metrics.render())
}

const withLimits = (status: Status, limits: unknown): Status =>
  ({ ...status, limits }) as unknown as Status

describe('metrics', () => {
  it('exports the known figures of each account, rounded like the JSON', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z')
    const s = makeStatus({ balance: 41.204, level: 'low' }, now)
    const m = await render([{ account: 'Shop "A"', status: s }])
    const a = 'account="Shop \\"A\\""'
    expect(m.get(`credit_tray_balance_dollars{${a}}`)).toBe(41.2)
    expect(m.get(`credit_tray_days_left{${a}}`)).toBe(12.1)
    expect(m.get(`credit_tray_burn_rate_dollars_per_day{${a}}`)).toBe(3.4)
    expect(m.get(`credit_tray_spend_month_dollars{${a}}`)).toBe(s.spend.monthToDate)
    expect(m.get(`credit_tray_last_success_timestamp_seconds{${a}}`)).toBe(
      (now - 3 * 60_000) / 1000
    )
    expect(m.get(`credit_tray_level{${a},level="low"}`)).toBe(1)
    expect(m.get(`credit_tray_level{${a},level="ok"}`)).toBe(0)
  })

  it('leaves unknown values out instead of writing 0', async () => {
    const spendOnly = makeStatus({ balance: null, daysLeft: null, level: 'unknown' })
    const neverFetched = makeStatus({ balance: null, daysLeft: null, lastUpdated: null })
    const m = await render([
      { account: 'a', status: spendOnly },
      { account: 'b', status: neverFetched }
    ])
    expect(m.has('credit_tray_balance_dollars{account="a"}')).toBe(false)
    expect(m.has('credit_tray_days_left{account="a"}')).toBe(false)
    expect(m.get('credit_tray_spend_today_dollars{account="a"}')).toBe(spendOnly.spend.today)
    for (const name of ['spend_today', 'spend_month', 'burn_rate', 'last_success'])
      expect([...m.keys()].some((k) => k.includes(name) && k.includes('account="b"'))).toBe(false)
    expect(m.get('credit_tray_level{account="a",level="unknown"}')).toBe(1)
  })

  it('drops an account that is gone at the next scrape', async () => {
    const list = [
      { account: 'a', status: makeStatus() },
      { account: 'b', status: makeStatus() }
    ]
    const metrics = createMetrics({ statuses: () => list, defaultMetrics: false })
    expect(series(await metrics.render()).has('credit_tray_balance_dollars{account="b"}')).toBe(
      true
    )
    list.pop()
    expect(series(await metrics.render()).has('credit_tray_balance_dollars{account="b"}')).toBe(
      false
    )
  })

  it('counts failed refreshes by kind', async () => {
    const metrics = createMetrics({ statuses: () => [], defaultMetrics: false })
    metrics.refreshFailed('a', 'network')
    metrics.refreshFailed('a', 'network')
    metrics.refreshFailed('a', 'auth')
    const m = series(await metrics.render())
    expect(m.get('credit_tray_refresh_errors_total{account="a",kind="network"}')).toBe(2)
    expect(m.get('credit_tray_refresh_errors_total{account="a",kind="auth"}')).toBe(1)
  })

  it('exports hard limits from status.limits when present, and nothing for odd shapes', async () => {
    const limits = {
      organization: { amount: 200, enforcement: 'enforcing', monthToDate: 212.5, reached: true },
      projects: [
        { projectId: 'proj_a', amount: 50, enforcement: 'inactive', monthToDate: 5 },
        { projectId: 'proj_b', amount: 'lots' },
        null
      ],
      alerts: [],
      checkedAt: null,
      unavailable: null
    }
    const m = await render([{ account: 'a', status: withLimits(makeStatus(), limits) }])
    expect(m.get('credit_tray_hard_limit_dollars{account="a",scope="organization"}')).toBe(200)
    expect(m.get('credit_tray_hard_limit_spend_dollars{account="a",scope="organization"}')).toBe(
      212.5
    )
    expect(m.get('credit_tray_hard_limit_enforcing{account="a",scope="organization"}')).toBe(1)
    expect(m.get('credit_tray_hard_limit_dollars{account="a",scope="proj_a"}')).toBe(50)
    expect(m.get('credit_tray_hard_limit_enforcing{account="a",scope="proj_a"}')).toBe(0)
    expect(m.has('credit_tray_hard_limit_dollars{account="a",scope="proj_b"}')).toBe(false)

    expect(hardLimitsOf(makeStatus())).toEqual([])
    expect(hardLimitsOf(withLimits(makeStatus(), { organization: null, projects: [] }))).toEqual([])
    expect(hardLimitsOf(withLimits(makeStatus(), 'none'))).toEqual([])
  })
})

describe('read server rules', () => {
  it('accepts exactly the bearer token', () => {
    const token = 'a-read-token-0123456789'
    expect(bearerMatches(token, `Bearer ${token}`)).toBe(true)
    expect(bearerMatches(token, `bearer ${token}`)).toBe(true)
    expect(bearerMatches(token, `Bearer ${token}x`)).toBe(false)
    expect(bearerMatches(token, `Bearer ${token.slice(1)}`)).toBe(false)
    expect(bearerMatches(token, token)).toBe(false)
    expect(bearerMatches(token, `Basic ${token}`)).toBe(false)
    expect(bearerMatches(token, undefined)).toBe(false)
    expect(bearerMatches(token, 'Bearer ')).toBe(false)
  })

  it('parses --listen addresses', () => {
    expect(parseListen('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 })
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 })
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 })
    for (const bad of ['9464', 'host:', ':9464', 'h:70000', 'h:12ab', '::1:9464'])
      expect(() => parseListen(bad)).toThrow(/--listen takes HOST:PORT/)
  })

  it('takes the token from the file over the environment and refuses weak ones', () => {
    const env = { CREDIT_TRAY_READ_TOKEN: ' env-token-0123456789 \n' }
    const readFile = (p: string) => {
      if (p === 'ok') return 'file-token-0123456789\n'
      if (p === 'short') return 'short'
      throw Object.assign(new Error('x'), { code: 'ENOENT' })
    }
    expect(readToken(undefined, { env, readFile })).toBe('env-token-0123456789')
    expect(readToken('ok', { env, readFile })).toBe('file-token-0123456789')
    expect(readToken(undefined, { env: {}, readFile })).toBeNull()
    expect(readToken(undefined, { env: { CREDIT_TRAY_READ_TOKEN: '' }, readFile })).toBeNull()
    expect(() => readToken('short', { env, readFile })).toThrow(/at least 16/)
    expect(() => readToken('gone', { env, readFile })).toThrow(/\(ENOENT\)/)
    expect(() =>
      readToken(undefined, { env: { CREDIT_TRAY_READ_TOKEN: 'two words 0123456789' }, readFile })
    ).toThrow(/one word/)
  })
})

describe('read server without a token', () => {
  it('answers loopback Host names only (no DNS rebinding from a web page)', async () => {
    const server = createReadServer({
      token: null,
      source: {
        statusJson: () => '{}\n',
        accountsJson: () => '[]\n',
        metrics: createMetrics({ statuses: () => [], defaultMetrics: false })
      }
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const get = (host: string, path = '/status.json') =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
          .on('error', reject)
          .end()
      })
    try {
      expect(await get(`127.0.0.1:${port}`)).toBe(200)
      expect(await get(`localhost:${port}`)).toBe(200)
      expect(await get(`[::1]:${port}`)).toBe(200)
      expect(await get(`evil.example:${port}`)).toBe(403)
      expect(await get(`evil.example:${port}`, '/metrics')).toBe(403)
      expect(await get(`evil.example:${port}`, '/healthz')).toBe(200)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})

describe('https or loopback', () => {
  it('allows https anywhere and http only to this machine', () => {
    expect(isHttpsOrLoopback('https://credit.example.com')).toBe(true)
    expect(isHttpsOrLoopback('https://credit.example.com:8443/base')).toBe(true)
    expect(isHttpsOrLoopback('http://127.0.0.1:9464')).toBe(true)
    expect(isHttpsOrLoopback('http://127.5.6.7')).toBe(true)
    expect(isHttpsOrLoopback('http://localhost:9464')).toBe(true)
    expect(isHttpsOrLoopback('http://[::1]:9464')).toBe(true)
    expect(isHttpsOrLoopback('http://credit.example.com')).toBe(false)
    expect(isHttpsOrLoopback('http://10.0.0.5:9464')).toBe(false)
    expect(isHttpsOrLoopback('http://127.0.0.1.evil.com')).toBe(false)
    expect(isHttpsOrLoopback('http://localhost.evil.com')).toBe(false)
    expect(isHttpsOrLoopback('ftp://127.0.0.1')).toBe(false)
    expect(isHttpsOrLoopback('https://user:pw@credit.example.com')).toBe(false)
    expect(isHttpsOrLoopback('not a url')).toBe(false)
    expect(isLoopbackHost('127.0.0.300')).toBe(false)
    expect(isLoopbackHost('0.0.0.0')).toBe(false)
  })
})

describe('metrics exposition', () => {
  it('describes every series for whoever reads the scrape (HELP and TYPE)', async () => {
    const metrics = createMetrics({ statuses: () => [], defaultMetrics: false })
    const meta = (await metrics.render()).split('\n').filter((l) => l.startsWith('#'))
    expect(meta).toEqual([
      '# HELP credit_tray_balance_dollars Estimated credit balance, dollars (an estimate: see the README).',
      '# TYPE credit_tray_balance_dollars gauge',
      '# HELP credit_tray_days_left Days until the balance runs out at the burn rate.',
      '# TYPE credit_tray_days_left gauge',
      '# HELP credit_tray_burn_rate_dollars_per_day Mean daily cost of the last 7 complete UTC days.',
      '# TYPE credit_tray_burn_rate_dollars_per_day gauge',
      '# HELP credit_tray_spend_today_dollars Cost so far this UTC day.',
      '# TYPE credit_tray_spend_today_dollars gauge',
      '# HELP credit_tray_spend_month_dollars Cost this UTC month so far.',
      '# TYPE credit_tray_spend_month_dollars gauge',
      '# HELP credit_tray_level 1 for the current level (ok, low, critical, unknown), 0 for the others.',
      '# TYPE credit_tray_level gauge',
      '# HELP credit_tray_last_success_timestamp_seconds Unix time of the last successful fetch from OpenAI.',
      '# TYPE credit_tray_last_success_timestamp_seconds gauge',
      "# HELP credit_tray_hard_limit_dollars OpenAI's monthly hard spend limit, dollars (scope: organization or a project id).",
      '# TYPE credit_tray_hard_limit_dollars gauge',
      "# HELP credit_tray_hard_limit_spend_dollars This UTC month's spend counted against the hard limit of that scope, dollars.",
      '# TYPE credit_tray_hard_limit_spend_dollars gauge',
      '# HELP credit_tray_hard_limit_enforcing 1 when OpenAI reports the hard limit as enforcing, 0 when it reports it inactive.',
      '# TYPE credit_tray_hard_limit_enforcing gauge',
      '# HELP credit_tray_refresh_errors_total Failed refreshes from OpenAI, by error kind.',
      '# TYPE credit_tray_refresh_errors_total counter'
    ])
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
  })

  it('includes the process metrics unless asked not to', async () => {
    const withProcess = await createMetrics({ statuses: () => [] }).render()
    expect(withProcess).toMatch(/^process_cpu_seconds_total /m)
    const without = await createMetrics({ statuses: () => [], defaultMetrics: false }).render()
    expect(without).not.toMatch(/process_cpu/)
  })

  it('sets exactly one level to 1 per account, and rounds money to cents', async () => {
    const s = makeStatus({
      level: 'critical',
      balance: 1.234,
      daysLeft: 0.4,
      burnRatePerDay: 3.456,
      spend: { today: 1.006, last7Days: 20, monthToDate: 45.678 }
    })
    const m = await render([{ account: 'x', status: s }])
    expect(
      ['ok', 'low', 'critical', 'unknown'].map((l) =>
        m.get(`credit_tray_level{account="x",level="${l}"}`)
      )
    ).toEqual([0, 0, 1, 0])
    expect(m.get('credit_tray_balance_dollars{account="x"}')).toBe(1.23)
    expect(m.get('credit_tray_days_left{account="x"}')).toBe(0.4)
    expect(m.get('credit_tray_burn_rate_dollars_per_day{account="x"}')).toBe(3.46)
    expect(m.get('credit_tray_spend_today_dollars{account="x"}')).toBe(1.01)
    expect(m.get('credit_tray_spend_month_dollars{account="x"}')).toBe(45.68)
  })

  it('exports a limit without spend or a known enforcement as the amount only', async () => {
    const limits = {
      organization: { amount: 100, enforcement: 'paused', monthToDate: Number.NaN },
      projects: [
        { projectId: 'proj_c', amount: 30, enforcement: 7, monthToDate: null },
        { projectId: '', amount: 10 },
        { amount: 10 },
        { projectId: 'proj_d', amount: Number.POSITIVE_INFINITY }
      ]
    }
    const status = withLimits(makeStatus(), limits)
    expect(hardLimitsOf(status)).toEqual([
      { scope: 'organization', amount: 100, enforcement: 'paused', monthToDate: null },
      { scope: 'proj_c', amount: 30, enforcement: null, monthToDate: null }
    ])
    const m = await render([{ account: 'a', status }])
    const limitSeries = [...m.keys()].filter((k) => k.startsWith('credit_tray_hard_limit'))
    expect(limitSeries.sort()).toEqual([
      'credit_tray_hard_limit_dollars{account="a",scope="organization"}',
      'credit_tray_hard_limit_dollars{account="a",scope="proj_c"}'
    ])
    expect(hardLimitsOf(withLimits(makeStatus(), null))).toEqual([])
    expect(
      hardLimitsOf(withLimits(makeStatus(), { organization: 'x', projects: 'proj_a' }))
    ).toEqual([])
  })
})

describe('hard-limit series over time', () => {
  it('drops a limit that is gone at the next scrape, and reads odd project lists as none', async () => {
    let status = withLimits(makeStatus(), {
      organization: { amount: 100, enforcement: 'enforcing', monthToDate: 5 },
      projects: []
    })
    const metrics = createMetrics({
      statuses: () => [{ account: 'a', status }],
      defaultMetrics: false
    })
    const has = async (name: string) =>
      series(await metrics.render()).has(`${name}{account="a",scope="organization"}`)
    expect(await has('credit_tray_hard_limit_dollars')).toBe(true)
    expect(await has('credit_tray_hard_limit_spend_dollars')).toBe(true)
    expect(await has('credit_tray_hard_limit_enforcing')).toBe(true)
    status = withLimits(makeStatus(), { organization: null, projects: { proj_a: { amount: 1 } } })
    expect(await has('credit_tray_hard_limit_dollars')).toBe(false)
    expect(await has('credit_tray_hard_limit_spend_dollars')).toBe(false)
    expect(await has('credit_tray_hard_limit_enforcing')).toBe(false)
  })
})

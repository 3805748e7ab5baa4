// The spend limit / alert client on its own, through the real SDK against the loopback fake:
// malformed answers become bad_response (never a NaN limit), cursors that repeat stop, amounts
// that cannot be sent in whole cents are refused before anything is sent.
import { createLimitsClient, toCents } from '../src/main/engine/limits-client'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
let server: FakeOpenAIServer
beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN] })
})
afterEach(() => server.close())
const client = () =>
  createLimitsClient({ apiKey: ADMIN, baseURL: server.baseURL, timeoutMs: 2_000 })

describe('limits client', () => {
  it('a limit with a non-integer amount is a bad response, not a number', async () => {
    server.failNext({
      type: 'raw',
      text: JSON.stringify({
        object: 'organization.spend_limit',
        threshold_amount: '200.00',
        currency: 'USD',
        interval: 'month',
        enforcement: { status: 'enforcing' }
      })
    })
    await expect(client().orgLimit()).rejects.toMatchObject({ kind: 'bad_response' })
  })

  it('an enforcement status OpenAI has not documented is kept as sent', async () => {
    server.spend.orgLimit = { threshold_amount: 12_345, status: 'paused' }
    await expect(client().orgLimit()).resolves.toEqual({
      amount: 123.45,
      currency: 'USD',
      enforcement: 'paused'
    })
  })

  it('alert pages whose cursor repeats stop with a bad response', async () => {
    const page = JSON.stringify({
      object: 'list',
      data: [{ id: 'a1', threshold_amount: 100, notification_channel: { recipients: [] } }],
      last_id: 'a1',
      has_more: true
    })
    server.failNext({ type: 'raw', text: page }, { type: 'raw', text: page })
    await expect(client().orgAlerts()).rejects.toMatchObject({
      kind: 'bad_response',
      message: expect.stringContaining('cursor repeated')
    })
  })

  it('amounts go out as integer cents; fractions of a cent are refused before sending', () => {
    expect(toCents(250)).toBe(25_000)
    expect(toCents(0.1 + 0.2)).toBe(30)
    expect(() => toCents(1.005)).toThrow(RangeError)
    expect(() => toCents(0)).toThrow(RangeError)
  })
})

describe('reading limits and alerts', () => {
  const alertsOf = (n: number, prefix = 'a') =>
    Array.from({ length: n }, (_, i) => ({
      id: `${prefix}${i + 1}`,
      threshold_amount: (i + 1) * 100,
      recipients: i % 2 === 0 ? ['x@example.com'] : ['x@example.com', 'y@example.com']
    }))

  it('no limit set (404, or an amount of 0) reads as null, for the organization and projects', async () => {
    expect(await client().orgLimit()).toBeNull()
    expect(await client().projectLimit('proj_a')).toBeNull()
    server.spend.zeroForNone = true
    expect(await client().orgLimit()).toBeNull()
    expect(await client().projectLimit('proj_a')).toBeNull()
  })

  it("reads a project's limit from that project's path, in dollars", async () => {
    server.spend.projectLimits['proj_a'] = { threshold_amount: 5_050, status: 'enforcing' }
    await expect(client().projectLimit('proj_a')).resolves.toEqual({
      amount: 50.5,
      currency: 'USD',
      enforcement: 'enforcing'
    })
    expect(server.requests.at(-1)!.path).toBe('/v1/organization/projects/proj_a/spend_limit')
    expect(server.requests.at(-1)!.bearer).toBe(ADMIN)
  })

  it('follows alert pages of 100 after the last id, in dollars, counting recipients', async () => {
    server.spend.orgAlerts = alertsOf(250)
    const alerts = await client().orgAlerts()
    expect(alerts).toHaveLength(250)
    expect(alerts[0]).toEqual({ id: 'a1', amount: 1, recipients: 1 })
    expect(alerts[1]).toEqual({ id: 'a2', amount: 2, recipients: 2 })
    expect(alerts.at(-1)).toEqual({ id: 'a250', amount: 250, recipients: 2 })
    const pages = server.requests.filter((r) => r.path.endsWith('/spend_alerts'))
    expect(pages.map((r) => [r.query['limit']?.[0], r.query['after']?.[0] ?? null])).toEqual([
      ['100', null],
      ['100', 'a100'],
      ['100', 'a200']
    ])
  })

  it("reads a project's alerts; a project the API does not know has none", async () => {
    server.spend.projectAlerts['proj_a'] = alertsOf(2, 'p')
    expect(await client().projectAlerts('proj_a')).toEqual([
      { id: 'p1', amount: 1, recipients: 1 },
      { id: 'p2', amount: 2, recipients: 2 }
    ])
    expect(server.requests.at(-1)!.path).toBe('/v1/organization/projects/proj_a/spend_alerts')
    expect(await client().projectAlerts('proj_unknown')).toEqual([])
  })

  it('stops after 10 alert pages with a bad response rather than loop', async () => {
    server.spend.orgAlerts = alertsOf(1_001)
    await expect(client().orgAlerts()).rejects.toMatchObject({
      kind: 'bad_response',
      message: expect.stringContaining('still more spend alerts after 10 pages')
    })
    expect(server.requests.filter((r) => r.path.endsWith('/spend_alerts'))).toHaveLength(10)
  })

  it('takes exactly 10 pages of alerts', async () => {
    server.spend.orgAlerts = alertsOf(1_000)
    expect(await client().orgAlerts()).toHaveLength(1_000)
  })

  it('without last_id the next page starts after the last alert of the page', async () => {
    server.spend.orgAlerts = alertsOf(3)
    server.failNext({
      type: 'raw',
      text: JSON.stringify({
        object: 'list',
        data: [{ id: 'a1', threshold_amount: 100, notification_channel: { recipients: [] } }],
        last_id: null,
        has_more: true
      })
    })
    const alerts = await client().orgAlerts()
    expect(alerts.map((a) => a.id)).toEqual(['a1', 'a2', 'a3'])
    expect(server.requests.at(-1)!.query['after']).toEqual(['a1'])
  })

  it('more pages announced without any cursor is a bad response', async () => {
    server.failNext({
      type: 'raw',
      text: JSON.stringify({ object: 'list', data: [], last_id: null, has_more: true })
    })
    await expect(client().orgAlerts()).rejects.toMatchObject({
      kind: 'bad_response',
      message: expect.stringContaining('cursor repeated')
    })
  })

  it('a malformed alert page is a bad response naming what was read', async () => {
    server.failNext({
      type: 'raw',
      text: JSON.stringify({
        object: 'list',
        data: [{ id: 'a1', threshold_amount: 100, notification_channel: {} }],
        has_more: false
      })
    })
    await expect(client().orgAlerts()).rejects.toMatchObject({
      kind: 'bad_response',
      message: expect.stringContaining('(spend alerts: ')
    })
  })

  it('a server error is an error, not "no limit"', async () => {
    server.spend.failStatus = 500
    await expect(client().orgLimit()).rejects.toMatchObject({ kind: 'server' })
    await expect(client().orgAlerts()).rejects.toMatchObject({ kind: 'server' })
    await expect(client().projectLimit('proj_a')).rejects.toMatchObject({ kind: 'server' })
  })
})

describe('writing limits and alerts', () => {
  it('sets the monthly organization limit in USD cents and returns it in dollars', async () => {
    await expect(client().setOrgLimit(123.45)).resolves.toEqual({
      amount: 123.45,
      currency: 'USD',
      enforcement: 'enforcing'
    })
    expect(server.writes).toEqual([
      {
        path: '/v1/organization/spend_limit',
        body: { currency: 'USD', interval: 'month', threshold_amount: 12_345 }
      }
    ])
  })

  it('a limit of 0 in the answer to a write is a bad response', async () => {
    server.failNext({
      type: 'raw',
      text: JSON.stringify({
        object: 'organization.spend_limit',
        threshold_amount: 0,
        currency: 'USD',
        interval: 'month',
        enforcement: { status: 'inactive' }
      })
    })
    await expect(client().setOrgLimit(10)).rejects.toMatchObject({
      kind: 'bad_response',
      message: expect.stringContaining('(limit 0)')
    })
  })

  it('adds an email alert in USD cents and returns it in dollars with its recipients counted', async () => {
    await expect(client().addOrgAlert(80, ['a@example.com', 'b@example.com'])).resolves.toEqual({
      id: 'alert_1',
      amount: 80,
      recipients: 2
    })
    expect(server.writes).toEqual([
      {
        path: '/v1/organization/spend_alerts',
        body: {
          currency: 'USD',
          interval: 'month',
          threshold_amount: 8_000,
          notification_channel: { type: 'email', recipients: ['a@example.com', 'b@example.com'] }
        }
      }
    ])
  })

  it('a write the key may not make is a permission error, a 404 on a write is not "none"', async () => {
    server.spend.readOnlyKeys = [ADMIN]
    await expect(client().setOrgLimit(10)).rejects.toMatchObject({ kind: 'permission' })
    await expect(client().addOrgAlert(10, ['a@example.com'])).rejects.toMatchObject({
      kind: 'permission'
    })
    server.spend.readOnlyKeys = []
    server.failNext({ type: 'status', status: 404, message: 'Not found' })
    await expect(client().setOrgLimit(10)).rejects.toMatchObject({ kind: 'bad_response' })
  })

  it('a malformed answer to an alert write is a bad response naming it', async () => {
    server.failNext({ type: 'raw', text: JSON.stringify({ id: '', threshold_amount: 100 }) })
    await expect(client().addOrgAlert(1, ['a@example.com'])).rejects.toMatchObject({
      kind: 'bad_response',
      message: expect.stringContaining('(spend alert: ')
    })
  })

  it('refuses negative, endless and non-numbers before anything is sent', () => {
    for (const bad of [-1, -0.01, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => toCents(bad), String(bad)).toThrow(/not a positive amount in whole cents/)
    expect(toCents(0.01)).toBe(1)
    expect(toCents(0.29)).toBe(29)
  })
})

describe('the limits client and the environment', () => {
  it('writes nothing to the console, whatever OPENAI_LOG says', async () => {
    vi.stubEnv('OPENAI_LOG', 'debug')
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {})
    )
    try {
      await client().orgLimit()
      await expect(
        createLimitsClient({ apiKey: ADMIN, baseURL: 'http://127.0.0.1:1/v1' }).orgLimit()
      ).rejects.toMatchObject({ kind: 'network' })
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
      vi.unstubAllEnvs()
    }
  })

  it('uses the fetch it is given', async () => {
    let calls = 0
    const counting: typeof fetch = (input, init) => {
      calls++
      return fetch(input, init)
    }
    await createLimitsClient({ apiKey: ADMIN, baseURL: server.baseURL, fetch: counting }).orgLimit()
    expect(calls).toBe(1)
  })
})

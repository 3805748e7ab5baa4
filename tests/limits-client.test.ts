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

// The costs client against a real HTTP server speaking the Admin API wire format, through the
// real `openai` SDK: what goes over the wire, how pages are summed, and how every kind of failure
// becomes a CreditTrayError a person can act on (without ever quoting the key).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { getEventListeners } from 'node:events'
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai'
import {
  aggregateCostPages,
  aggregateModelUsage,
  classifyApiError,
  createCostsClient,
  pageCapFor,
  parseRetryAfter,
  type CostsClient,
  type CostsClientOptions
} from '../src/main/engine/costs-client'
import { numberLike, type CompletionsPage, type CostsPage } from '../src/main/engine/api-schemas'
import { addDays, dayRange } from '../src/main/engine/dates'
import {
  ADMIN_KEYS_URL,
  CreditTrayError,
  MESSAGES,
  networkMessage,
  timeoutMessage
} from '../src/main/engine/errors'
import type { DayCosts } from '../src/main/engine/types'
import {
  breakPage,
  PROJECT_KEY_MESSAGE,
  startFakeOpenAIServer,
  syntheticDataset,
  type FakeDataset,
  type FakeOpenAIServer,
  type Fault
} from './support/fake-openai-server'

const ADMIN_KEY = 'sk-admin-Zq8Tt0aLkD3vXbN1mPq7Rs2uVw4yA6cE'
const PROJECT_KEY = 'sk-proj-Hh5Jj7Kk9Ll1Mm3Nn5Pp7Qq9Rr1Ss3Tt5'
const UNKNOWN_KEY = 'sk-admin-NOTAREALKEY000000000000000000000'

let server: FakeOpenAIServer

beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN_KEY], projectKeys: [PROJECT_KEY] })
})

afterEach(async () => {
  await server.close()
  vi.unstubAllEnvs()
})

function client(opts: Partial<CostsClientOptions> = {}): CostsClient {
  return createCostsClient({
    apiKey: ADMIN_KEY,
    baseURL: server.baseURL,
    timeoutMs: 5_000,
    ...opts
  })
}

/** What a day should add up to, computed straight from the dataset. */
function expectedDay(dataset: FakeDataset, date: string) {
  const entries = dataset.costs[date] ?? []
  const lineItems: Record<string, number> = {}
  const projects: Record<string, number> = {}
  let total = 0
  for (const e of entries) {
    total += e.value
    lineItems[e.line_item ?? '(other)'] = (lineItems[e.line_item ?? '(other)'] ?? 0) + e.value
    projects[e.project_id ?? '(other)'] = (projects[e.project_id ?? '(other)'] ?? 0) + e.value
  }
  return { date, total, lineItems, projects }
}

function expectDayToMatch(actual: DayCosts | undefined, expected: ReturnType<typeof expectedDay>) {
  expect(actual?.date).toBe(expected.date)
  expect(actual?.total).toBeCloseTo(expected.total, 9)
  expect(Object.keys(actual?.lineItems ?? {}).sort()).toEqual(
    Object.keys(expected.lineItems).sort()
  )
  for (const [name, v] of Object.entries(expected.lineItems)) {
    expect(actual?.lineItems[name]).toBeCloseTo(v, 9)
  }
  expect(Object.keys(actual?.projects ?? {}).sort()).toEqual(Object.keys(expected.projects).sort())
  for (const [name, v] of Object.entries(expected.projects)) {
    expect(actual?.projects[name]).toBeCloseTo(v, 9)
  }
}

/** Run `fn`, expect it to reject with a CreditTrayError, and hand that back. */
async function failure(fn: () => Promise<unknown>): Promise<CreditTrayError> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(CreditTrayError)
  return err as CreditTrayError
}

/** Everything about an error that could end up on screen or in a log. */
function everyTextOf(err: CreditTrayError): string {
  const cause =
    err.cause instanceof Error ? `${err.cause.name} ${err.cause.message}` : String(err.cause)
  return [
    err.message,
    String(err),
    err.stack ?? '',
    cause,
    JSON.stringify(err.toStatusError())
  ].join('\n')
}

const small: FakeDataset = {
  costs: {
    '2025-03-01': [
      { line_item: 'gpt-4o-mini, input', project_id: 'proj_a', value: 1.25 },
      { line_item: 'gpt-4o-mini, output', project_id: 'proj_a', value: 2.5 },
      { line_item: 'gpt-4o-mini, input', project_id: 'proj_b', value: 0.75 },
      { line_item: null, project_id: null, value: 0.1 }
    ],
    '2025-03-03': [{ line_item: 'gpt-4.1, input', project_id: 'proj_b', value: 4 }]
  },
  completions: {}
}

describe('what goes over the wire', () => {
  it('asks for daily costs grouped by line item and project in one request, with the Admin key', async () => {
    // Environment credentials must not leak into the admin calls.
    vi.stubEnv('OPENAI_API_KEY', 'sk-proj-FromTheEnvironment0000000000')
    vi.stubEnv('OPENAI_ORG_ID', 'org-from-env')
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj-from-env')
    server.dataset = small

    await client().fetchDailyCosts({ startDay: '2025-03-01', endDayExclusive: '2025-03-04' })

    expect(server.requestCount).toBe(1)
    const req = server.requests[0]!
    expect(req.path).toBe('/v1/organization/costs')
    expect(req.headers['authorization']).toBe(`Bearer ${ADMIN_KEY}`)
    expect(req.headers['openai-organization']).toBeUndefined()
    expect(req.headers['openai-project']).toBeUndefined()
    // The SDK serialises arrays qs-"brackets" style.
    expect(req.rawQuery).toContain('group_by%5B%5D=line_item&group_by%5B%5D=project_id')
    expect(req.query['group_by[]']).toEqual(['line_item', 'project_id'])
    expect(req.query['start_time']).toEqual([String(Date.parse('2025-03-01T00:00:00Z') / 1000)])
    expect(req.query['end_time']).toEqual([String(Date.parse('2025-03-04T00:00:00Z') / 1000)])
    expect(req.query['bucket_width']).toEqual(['1d'])
    expect(req.query['limit']).toEqual(['180'])
    expect(req.query['page']).toBeUndefined()
  })

  it('constructs without OPENAI_API_KEY or OPENAI_ADMIN_KEY in the environment', async () => {
    vi.stubEnv('OPENAI_API_KEY', '')
    vi.stubEnv('OPENAI_ADMIN_KEY', '')
    await expect(client().checkKey()).resolves.toBeUndefined()
    expect(server.requests[0]?.bearer).toBe(ADMIN_KEY)
  })

  it('filters by project when asked', async () => {
    server.dataset = small
    const { days } = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-02',
      projectIds: ['proj_b']
    })
    expect(server.requests[0]?.query['project_ids[]']).toEqual(['proj_b'])
    expect(days[0]?.total).toBeCloseTo(0.75, 9)
    expect(days[0]?.projects).toEqual({ proj_b: 0.75 })
  })
})

describe('summing daily costs', () => {
  it('splits each day by line item and by project, with null groups as "(other)"', async () => {
    server.dataset = small
    const { days, requests } = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04'
    })
    expect(requests).toBe(1)
    expect(days.map((d) => d.date)).toEqual(['2025-03-01', '2025-03-02', '2025-03-03'])
    expectDayToMatch(days[0], expectedDay(small, '2025-03-01'))
    expect(days[0]?.lineItems['(other)']).toBeCloseTo(0.1, 9)
    expect(days[0]?.projects).toMatchObject({ proj_a: 3.75, proj_b: 0.75 })
    expect(days[0]?.currency).toBe('usd')
  })

  it('keeps days that came back with no results, as zero', async () => {
    server.dataset = small
    const { days } = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04'
    })
    expect(days[1]).toEqual({
      date: '2025-03-02',
      total: 0,
      currency: 'usd',
      lineItems: {},
      projects: {}
    })
  })

  it('fetches 180 days cold in a single request', async () => {
    const dataset = syntheticDataset({ endDayExclusive: '2025-06-30', days: 180, seed: 7 })
    server.dataset = dataset
    const startDay = addDays('2025-06-30', -180)

    const { days, requests } = await client().fetchDailyCosts({
      startDay,
      endDayExclusive: '2025-06-30'
    })

    expect(requests).toBe(1)
    expect(server.requestCount).toBe(1)
    expect(days.map((d) => d.date)).toEqual(dayRange(startDay, '2025-06-29'))
    for (const day of days) expectDayToMatch(day, expectedDay(dataset, day.date))
  })

  it('follows next_page across several pages when the server caps the page size', async () => {
    const dataset = syntheticDataset({ endDayExclusive: '2025-02-01', days: 31, seed: 3 })
    server.dataset = dataset
    server.pageSizeCap = 7

    const { days, requests } = await client().fetchDailyCosts({
      startDay: '2025-01-01',
      endDayExclusive: '2025-02-01'
    })

    expect(requests).toBe(5) // 7 + 7 + 7 + 7 + 3 buckets
    expect(server.requestCount).toBe(5)
    expect(server.requests[0]?.query['page']).toBeUndefined()
    for (const req of server.requests.slice(1)) expect(req.query['page']?.[0]).toMatch(/^page_/)
    expect(days.map((d) => d.date)).toEqual(dayRange('2025-01-01', '2025-01-31'))
    for (const day of days) expectDayToMatch(day, expectedDay(dataset, day.date))
  })

  it('pages by the limit it was given', async () => {
    server.dataset = syntheticDataset({ endDayExclusive: '2025-02-01', days: 25, seed: 5 })
    const { days, requests } = await client().fetchDailyCosts({
      startDay: addDays('2025-02-01', -25),
      endDayExclusive: '2025-02-01',
      limit: 10
    })
    expect(requests).toBe(3)
    expect(server.requests.map((r) => r.query['limit']?.[0])).toEqual(['10', '10', '10'])
    expect(days).toHaveLength(25)
  })

  it('reads amounts sent as numeric strings the same as numbers', async () => {
    const dataset = syntheticDataset({ endDayExclusive: '2025-03-01', days: 10, seed: 11 })
    server.dataset = dataset
    const asNumbers = await client().fetchDailyCosts({
      startDay: '2025-02-19',
      endDayExclusive: '2025-03-01'
    })
    server.amountsAsStrings = true
    const asStrings = await client().fetchDailyCosts({
      startDay: '2025-02-19',
      endDayExclusive: '2025-03-01'
    })
    expect(asStrings.days).toEqual(asNumbers.days)
    expect(asStrings.days.some((d) => d.total > 0)).toBe(true)
  })

  it('accepts "12.50" as 12.5', async () => {
    server.dataset = {
      costs: { '2025-03-01': [{ line_item: 'x', project_id: 'p', value: 12.5 }] },
      completions: {}
    }
    server.failNext({ type: 'transform', transform: breakPage.valueAsString })
    server.failNext({
      type: 'transform',
      transform: (page) =>
        JSON.parse(JSON.stringify(page).replace('"value":12.5', '"value":"12.50"'))
    })
    const { days } = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-02'
    })
    expect(days[0]?.total).toBe(12.5)
    const again = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-02'
    })
    expect(again.days[0]?.total).toBe(12.5)
  })

  it('counts a result without an amount as zero', async () => {
    server.dataset = small
    // Drop the amount of the first result of each bucket only.
    server.failNext({
      type: 'transform',
      transform: (page) => ({
        ...page,
        data: page.data.map((b) => ({
          ...b,
          results: b.results.map((r, i) => (i === 0 ? { ...r, amount: undefined } : r))
        }))
      })
    })
    const { days } = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04'
    })
    const full = expectedDay(small, '2025-03-01').total
    // Which result came first is the server's business; one of them is missing from the total.
    expect(days[0]!.total).toBeLessThan(full)
    expect(days[0]!.total).toBeGreaterThan(0)
    expect(days[2]?.total).toBe(0) // its only result lost its amount
    for (const d of days) expect(Number.isNaN(d.total)).toBe(false)
  })

  it('gives all-zero days when no result has an amount', async () => {
    server.dataset = small
    server.failNext({ type: 'transform', transform: breakPage.amountAbsent })
    const { days } = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04'
    })
    expect(days.map((d) => d.total)).toEqual([0, 0, 0])
  })

  it('refuses an empty or inverted range before calling the API', async () => {
    await expect(
      client().fetchDailyCosts({ startDay: '2025-03-02', endDayExclusive: '2025-03-02' })
    ).rejects.toThrow(RangeError)
    expect(server.requestCount).toBe(0)
  })
})

describe('completions usage by model', () => {
  const usage: FakeDataset = {
    costs: {},
    completions: {
      '2025-03-01': [
        { model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 200, num_model_requests: 3 },
        { model: 'gpt-4.1', input_tokens: 50, output_tokens: 10, num_model_requests: 1 }
      ],
      '2025-03-02': [
        { model: 'gpt-4.1', input_tokens: 5000, output_tokens: 900, num_model_requests: 4 },
        { model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 5, num_model_requests: 1 }
      ]
    }
  }

  it('sums each model over the range, biggest token user first', async () => {
    server.dataset = usage
    const models = await client().fetchModelUsage({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-08'
    })
    const req = server.requests[0]!
    expect(req.path).toBe('/v1/organization/usage/completions')
    expect(req.query['group_by[]']).toEqual(['model'])
    expect(req.query['bucket_width']).toEqual(['1d'])
    expect(models).toEqual([
      { model: 'gpt-4.1', inputTokens: 5050, outputTokens: 910, requests: 5 },
      { model: 'gpt-4o-mini', inputTokens: 1010, outputTokens: 205, requests: 4 }
    ])
  })

  it('pages past the 31-day limit of daily usage buckets', async () => {
    const dataset = syntheticDataset({ endDayExclusive: '2025-03-01', days: 45, seed: 9 })
    server.dataset = dataset
    const models = await client().fetchModelUsage({
      startDay: addDays('2025-03-01', -45),
      endDayExclusive: '2025-03-01'
    })
    expect(server.requestCount).toBe(2)
    expect(server.requests.every((r) => r.query['limit']?.[0] === '31')).toBe(true)
    const wantInput = new Map<string, number>()
    for (const entries of Object.values(dataset.completions)) {
      for (const e of entries)
        wantInput.set(e.model!, (wantInput.get(e.model!) ?? 0) + e.input_tokens)
    }
    expect(new Map(models.map((m) => [m.model, m.inputTokens]))).toEqual(wantInput)
  })

  it("sends the account's project filter with the model-usage request too (§8c)", async () => {
    server.dataset = {
      costs: {},
      completions: {
        '2025-03-01': [
          {
            model: 'm-a',
            project_id: 'proj_a',
            input_tokens: 10,
            output_tokens: 1,
            num_model_requests: 1
          },
          {
            model: 'm-b',
            project_id: 'proj_b',
            input_tokens: 20,
            output_tokens: 2,
            num_model_requests: 1
          }
        ]
      }
    }
    const models = await client().fetchModelUsage({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-02',
      projectIds: ['proj_b']
    })
    expect(server.requests[0]?.query['project_ids[]']).toEqual(['proj_b'])
    expect(models.map((m) => m.model)).toEqual(['m-b'])
  })

  it('rejects token counts that are not numbers', async () => {
    server.dataset = usage
    server.failNext({
      type: 'transform',
      transform: (page) =>
        JSON.parse(JSON.stringify(page).replace('"input_tokens":1000', '"input_tokens":"lots"'))
    })
    const err = await failure(() =>
      client().fetchModelUsage({ startDay: '2025-03-01', endDayExclusive: '2025-03-03' })
    )
    expect(err.kind).toBe('bad_response')
  })
})

describe('checking a key', () => {
  const now = () => Date.parse('2025-03-10T12:00:00Z')

  it('makes one small costs call and passes for an Admin key', async () => {
    await client({ now }).checkKey()
    expect(server.requestCount).toBe(1)
    expect(server.requests[0]?.path).toBe('/v1/organization/costs')
    expect(server.requests[0]?.query['limit']).toEqual(['1'])
  })

  it('calls a project key a permission problem and points to Admin keys', async () => {
    const err = await failure(() => client({ apiKey: PROJECT_KEY, now }).checkKey())
    expect(err.kind).toBe('permission')
    expect(err.status).toBe(403)
    expect(err.retryable).toBe(false)
    expect(err.message).toContain('Admin key')
    expect(err.message).toContain(ADMIN_KEYS_URL)
    expect(err.message).toContain(PROJECT_KEY_MESSAGE) // the server's own words are quoted
    expect(everyTextOf(err)).not.toContain(PROJECT_KEY)
  })

  it('calls an unknown key an auth problem', async () => {
    const err = await failure(() => client({ apiKey: UNKNOWN_KEY, now }).checkKey())
    expect(err.kind).toBe('auth')
    expect(err.status).toBe(401)
    expect(err.message.startsWith(MESSAGES.auth)).toBe(true)
    expect(everyTextOf(err)).not.toContain(UNKNOWN_KEY)
  })
})

describe('failures, each mapped to a kind', () => {
  const fetchSmall = (c: CostsClient = client()) =>
    c.fetchDailyCosts({ startDay: '2025-03-01', endDayExclusive: '2025-03-04' })

  beforeEach(() => {
    server.dataset = small
  })

  it.each<[string, Fault, string, boolean]>([
    [
      '401',
      { type: 'status', status: 401, message: 'Invalid authorization header' },
      'auth',
      false
    ],
    ['403', { type: 'status', status: 403, message: PROJECT_KEY_MESSAGE }, 'permission', false],
    ['429', { type: 'status', status: 429, message: 'Rate limit reached' }, 'rate_limit', true],
    ['500', { type: 'status', status: 500, message: 'The server had an error' }, 'server', true],
    ['503', { type: 'status', status: 503, message: 'Service unavailable' }, 'server', true],
    [
      '404 from a wrong base URL',
      { type: 'status', status: 404, message: 'Not found' },
      'bad_response',
      false
    ]
  ])('%s becomes %s', async (_name, fault, kind, retryable) => {
    server.failNext(fault)
    const err = await failure(() => fetchSmall())
    expect(err.kind).toBe(kind)
    expect(err.retryable).toBe(retryable)
    expect(err.status).toBe((fault as { status: number }).status)
  })

  it('reads Retry-After in seconds', async () => {
    server.failNext({ type: 'status', status: 429, headers: { 'retry-after': '7' } })
    const err = await failure(() => fetchSmall())
    expect(err.kind).toBe('rate_limit')
    expect(err.retryAfterMs).toBe(7000)
  })

  it('reads Retry-After as an HTTP date, relative to the injected clock', async () => {
    const now = Date.parse('2025-03-10T12:00:00Z')
    server.failNext({
      type: 'status',
      status: 429,
      headers: { 'retry-after': new Date(now + 90_000).toUTCString() }
    })
    const err = await failure(() => fetchSmall(client({ now: () => now })))
    expect(err.retryAfterMs).toBe(90_000)
  })

  it('prefers retry-after-ms when present', async () => {
    server.failNext({
      type: 'status',
      status: 429,
      headers: { 'retry-after-ms': '1500', 'retry-after': '60' }
    })
    const err = await failure(() => fetchSmall())
    expect(err.retryAfterMs).toBe(1500)
  })

  it('leaves retryAfterMs unset when a 429 gives no hint', async () => {
    server.failNext({ type: 'status', status: 429 })
    const err = await failure(() => fetchSmall())
    expect(err.retryAfterMs).toBeUndefined()
  })

  it('does not treat insufficient_quota as rate limiting', async () => {
    server.failNext({
      type: 'status',
      status: 429,
      message: 'You exceeded your current quota, please check your plan and billing details.',
      errorType: 'insufficient_quota',
      code: 'insufficient_quota',
      headers: { 'retry-after': '1' }
    })
    const err = await failure(() => fetchSmall())
    expect(err.kind).toBe('server')
    expect(err.retryAfterMs).toBeUndefined()
    expect(err.message).toContain('no credit left')
    expect(err.message).toContain('billing')
  })

  it('times out a request that never gets an answer', async () => {
    server.failNext({ type: 'hang' })
    const err = await failure(() => fetchSmall(client({ timeoutMs: 300 })))
    expect(err.kind).toBe('network')
    // Named after the host actually asked (the loopback server), not api.openai.com.
    expect(err.message).toBe(timeoutMessage(new URL(server.baseURL).host))
    expect(err.message).toMatch(/^127\.0\.0\.1:\d+ did not answer in time\./)
    expect(err.retryable).toBe(true)
  })

  it('times out a body that stops halfway', async () => {
    server.failNext({ type: 'stall-body' })
    const err = await failure(() => fetchSmall(client({ timeoutMs: 300 })))
    expect(err.kind).toBe('network')
    expect(err.message).toBe(timeoutMessage(new URL(server.baseURL).host))
  })

  it('calls a dropped connection a network problem', async () => {
    server.failNext({ type: 'drop-connection' })
    const err = await failure(() => fetchSmall())
    expect(err.kind).toBe('network')
  })

  it('calls an unreachable server a network problem', async () => {
    const url = server.baseURL
    await server.close()
    server = await startFakeOpenAIServer() // so afterEach has something to close
    const err = await failure(() => fetchSmall(client({ baseURL: url })))
    expect(err.kind).toBe('network')
    expect(err.message).toBe(networkMessage(new URL(url).host))
    expect(err.message).toMatch(/^Could not reach 127\.0\.0\.1:\d+\./)
  })

  it('calls cancellation by the caller a network problem, not a timeout', async () => {
    server.failNext({ type: 'hang' })
    const controller = new AbortController()
    const pending = client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-02',
      signal: controller.signal
    })
    // Abort once the server has the request, so this is not a race with the connection.
    await vi.waitFor(() => expect(server.requestCount).toBe(1))
    controller.abort()
    const err = await failure(() => pending)
    expect(err.kind).toBe('network')
    expect(err.message).toBe(networkMessage(new URL(server.baseURL).host))
  })

  it.each<[string, Fault]>([
    ['truncated JSON', { type: 'truncated-json' }],
    ['an HTML page', { type: 'raw', text: '<html>Bad gateway</html>', contentType: 'text/html' }],
    ['JSON null', { type: 'raw', text: 'null' }],
    ['data that is not an array', { type: 'transform', transform: breakPage.dataNotArray }],
    ['data missing', { type: 'transform', transform: breakPage.dataMissing }],
    ['start_time as a string', { type: 'transform', transform: breakPage.startTimeString }],
    ['amount value "abc"', { type: 'transform', transform: breakPage.valueNotNumeric }],
    [
      'has_more without a cursor',
      { type: 'transform', transform: (p) => ({ ...p, has_more: true, next_page: null }) }
    ],
    [
      'the same day twice',
      { type: 'transform', transform: (p) => ({ ...p, data: [...p.data, p.data[0]] }) }
    ],
    [
      'two currencies in one day',
      {
        type: 'transform',
        transform: (p) =>
          JSON.parse(JSON.stringify(p).replace('"currency":"usd"', '"currency":"eur"'))
      }
    ]
  ])('refuses %s as bad_response, without producing numbers', async (_name, fault) => {
    server.failNext(fault)
    const err = await failure(() => fetchSmall())
    expect(err.kind).toBe('bad_response')
    expect(err.retryable).toBe(false)
    expect(err.message.startsWith(MESSAGES.bad_response)).toBe(true)
    expect(err.message).not.toMatch(/NaN/)
  })

  it('names where the payload went wrong', async () => {
    server.failNext({ type: 'transform', transform: breakPage.valueNotNumeric })
    const err = await failure(() => fetchSmall())
    expect(err.message).toMatch(/data\[0\]\.results\[0\]\.amount\.value/)
  })

  it('gives up on a cursor that repeats', async () => {
    server.repeatingCursor = true
    const err = await failure(() => fetchSmall())
    expect(err.kind).toBe('bad_response')
    expect(err.message).toContain('cursor repeated')
    expect(server.requestCount).toBe(2)
  })

  it('gives up after the page cap when pages never end', async () => {
    server.dataset = syntheticDataset({ endDayExclusive: '2025-03-01', days: 60 })
    server.pageSizeCap = 1
    const err = await failure(() =>
      client({ maxPages: 5 }).fetchDailyCosts({
        startDay: addDays('2025-03-01', -60),
        endDayExclusive: '2025-03-01'
      })
    )
    expect(err.kind).toBe('bad_response')
    expect(server.requestCount).toBe(5)
  })

  it('closes cleanly while a request is still hanging', async () => {
    server.failNext({ type: 'hang' })
    const pending = fetchSmall(client({ timeoutMs: 2_000 })).catch((e: unknown) => e)
    await vi.waitFor(() => expect(server.requestCount).toBe(1))
    const host = new URL(server.baseURL).host
    await server.close()
    server = await startFakeOpenAIServer()
    const err = await pending
    expect(err).toBeInstanceOf(CreditTrayError)
    // Dropped by close(), well before its own 2 s deadline: not a timeout.
    expect((err as CreditTrayError).kind).toBe('network')
    expect((err as CreditTrayError).message).toBe(networkMessage(host))
  })
})

describe('the key never shows up in an error', () => {
  it('even when the server echoes it back', async () => {
    server.dataset = small
    const faults: Fault[] = [
      { type: 'status', status: 401, message: `Incorrect API key provided: ${ADMIN_KEY}` },
      { type: 'status', status: 403, message: `Key ${ADMIN_KEY} lacks api.usage.read` },
      { type: 'status', status: 400, message: `Bad request from ${ADMIN_KEY}` },
      { type: 'status', status: 500, message: `oops ${ADMIN_KEY}` },
      { type: 'raw', text: `{"echo":"${ADMIN_KEY}"` },
      { type: 'transform', transform: () => ({ data: ADMIN_KEY }) }
    ]
    for (const fault of faults) {
      server.failNext(fault)
      const err = await failure(() =>
        client().fetchDailyCosts({ startDay: '2025-03-01', endDayExclusive: '2025-03-02' })
      )
      expect(everyTextOf(err)).not.toContain(ADMIN_KEY)
      expect(everyTextOf(err)).not.toContain(ADMIN_KEY.slice(9))
    }
    expect(server.requestCount).toBe(faults.length)
  })
})

describe('classifyApiError and parseRetryAfter on their own', () => {
  it('passes a CreditTrayError through untouched', () => {
    const original = new CreditTrayError('no_key', MESSAGES.no_key)
    expect(classifyApiError(original)).toBe(original)
  })

  it('calls a JSON SyntaxError bad_response', () => {
    expect(classifyApiError(new SyntaxError('Unexpected end of JSON input')).kind).toBe(
      'bad_response'
    )
  })

  it('names api.openai.com in network messages unless told the host used', () => {
    const dropped = new TypeError('fetch failed')
    expect(classifyApiError(dropped).message).toBe(
      'Could not reach api.openai.com. Check the internet connection; Credit Tray will retry.'
    )
    expect(classifyApiError(dropped, undefined, 0, 'proxy.example.com').message).toBe(
      'Could not reach proxy.example.com. Check the internet connection; Credit Tray will retry.'
    )
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' })
    expect(classifyApiError(timeout, undefined, 0, 'proxy.example.com').message).toBe(
      'proxy.example.com did not answer in time. Credit Tray will retry.'
    )
  })

  it('reads Retry-After forms', () => {
    const h = (entries: Record<string, string>) => new Headers(entries)
    const now = Date.parse('2025-03-10T12:00:00Z')
    expect(parseRetryAfter(h({ 'retry-after': '3' }), now)).toBe(3000)
    expect(parseRetryAfter(h({ 'retry-after': '0.5' }), now)).toBe(500)
    expect(parseRetryAfter(h({ 'retry-after': 'Mon, 10 Mar 2025 12:00:30 GMT' }), now)).toBe(30_000)
    expect(parseRetryAfter(h({ 'retry-after': 'Mon, 10 Mar 2025 11:00:00 GMT' }), now)).toBe(0)
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeUndefined()
    expect(parseRetryAfter(h({}), now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
})

describe('money values', () => {
  it.each([
    [12.5, 12.5],
    ['12.50', 12.5],
    [' 3 ', 3],
    ['-0.25', -0.25],
    ['1e-3', 0.001],
    [0, 0]
  ])('reads %j as %d', (input, want) => {
    expect(numberLike.parse(input)).toBe(want)
  })

  it.each(['abc', '', '12,50', 'NaN', 'Infinity', '1e999', null, true, {}, Number.NaN])(
    'refuses %j',
    (input) => {
      expect(numberLike.safeParse(input).success).toBe(false)
    }
  )
})

describe('the fake server itself (the benchmark relies on its counters)', () => {
  const get = (path: string, key: string | null = ADMIN_KEY) =>
    fetch(server.baseURL + path, key ? { headers: { authorization: `Bearer ${key}` } } : {})
  const start = Date.parse('2025-03-01T00:00:00Z') / 1000

  it('counts requests and the body bytes it sent', async () => {
    server.dataset = small
    const a = await (
      await get(`/organization/costs?start_time=${start}&end_time=${start + 3 * 86_400}`)
    ).text()
    const b = await (await get('/organization/costs', null)).text()
    expect(server.requestCount).toBe(2)
    expect(server.responseBytes).toBe(Buffer.byteLength(a) + Buffer.byteLength(b))
  })

  it('answers OpenAI-shaped errors: 401 without a key, 400 for a limit over 180', async () => {
    const noKey = await get('/organization/costs?start_time=0', null)
    expect(noKey.status).toBe(401)
    expect(await noKey.json()).toMatchObject({
      error: { type: 'invalid_request_error', param: null, code: 'invalid_api_key' }
    })
    const tooMany = await get(`/organization/costs?start_time=${start}&limit=181`)
    expect(tooMany.status).toBe(400)
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toMatch(
      /limit/
    )
  })

  it('defaults to 7 buckets and accepts plain repeated group_by', async () => {
    server.dataset = small
    const res = await get(
      `/organization/costs?start_time=${start}&end_time=${start + 30 * 86_400}&group_by=line_item`
    )
    const page = (await res.json()) as {
      data: { results: { project_id: unknown }[] }[]
      has_more: boolean
    }
    expect(page.data).toHaveLength(7)
    expect(page.has_more).toBe(true)
    expect(page.data[0]?.results.every((r) => r.project_id === null)).toBe(true)
    expect(page.data[0]?.results).toHaveLength(3) // input, output, null line item
  })
})

describe('servers that page in small steps (issue 7 §5) and the end of the range (§7)', () => {
  const end = '2025-07-01'
  const start = addDays(end, -180)

  it.each([1, 3])('reads half a year from a server answering %i bucket(s) a page', async (n) => {
    const dataset = syntheticDataset({ endDayExclusive: end, days: 180, seed: 21 })
    server.dataset = dataset
    server.pageSizeCap = n
    const { days, requests } = await client().fetchDailyCosts({
      startDay: start,
      endDayExclusive: end
    })
    expect(requests).toBe(Math.ceil(180 / n))
    expect(days.map((d) => d.date)).toEqual(dayRange(start, addDays(end, -1)))
    for (const day of days) expectDayToMatch(day, expectedDay(dataset, day.date))
  })

  it('follows up a page that stops short without has_more (limit 180 answered with 31)', async () => {
    const dataset = syntheticDataset({ endDayExclusive: end, days: 180, seed: 22 })
    server.dataset = dataset
    server.silentPageCap = 31
    const { days } = await client().fetchDailyCosts({ startDay: start, endDayExclusive: end })
    expect(server.requestCount).toBe(6) // 5 × 31 + 25
    expect(days.map((d) => d.date)).toEqual(dayRange(start, addDays(end, -1)))
    for (const day of days) expectDayToMatch(day, expectedDay(dataset, day.date))
  })

  it('hands over every page as it arrives, so a failure half-way keeps what came', async () => {
    server.dataset = syntheticDataset({ endDayExclusive: end, days: 180, seed: 23 })
    server.pageSizeCap = 3
    server.failNext(
      ...Array.from({ length: 4 }, () => ({ type: 'transform', transform: (p) => p }) as Fault),
      { type: 'status', status: 503 }
    )
    let last: { days: DayCosts[]; throughDay: string } | undefined
    const err = await failure(() =>
      client().fetchDailyCosts({
        startDay: start,
        endDayExclusive: end,
        onProgress: (p) => (last = p)
      })
    )
    expect(err.kind).toBe('server')
    expect(last?.throughDay).toBe(addDays(start, 11))
    expect(last?.days.map((d) => d.date)).toEqual(dayRange(start, addDays(start, 11)))
  })

  it('never asks for an end_time in the future: up to now, end_time is left out', async () => {
    const nowMs = Date.parse('2025-03-03T15:00:00Z')
    server.nowMs = () => nowMs
    server.dataset = small
    const { days } = await client({ now: () => nowMs }).fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04' // the next UTC midnight
    })
    expect(server.requests[0]?.query['end_time']).toBeUndefined()
    expect(days.map((d) => d.date)).toEqual(['2025-03-01', '2025-03-02', '2025-03-03'])
    expect(days.at(-1)?.total).toBeCloseTo(4, 9) // today's partial bucket came back
  })

  it('does not follow up a partial today bucket that ends before our clock (clock skew)', async () => {
    const serverNow = Date.parse('2025-03-03T15:00:00Z')
    server.nowMs = () => serverNow
    server.dataset = small
    server.failNext({
      type: 'transform',
      transform: (p) => ({
        ...p,
        data: p.data.map((b, i) =>
          i === p.data.length - 1 ? { ...b, end_time: serverNow / 1000 } : b
        )
      })
    })
    const { days } = await client({ now: () => serverNow + 30_000 }).fetchDailyCosts({
      startDay: '2025-03-01'
    })
    expect(server.requestCount).toBe(1)
    expect(days.map((d) => d.date)).toEqual(['2025-03-01', '2025-03-02', '2025-03-03'])
  })

  it('the fake server refuses a future end_time, as some deployments do', async () => {
    server.nowMs = () => Date.parse('2025-03-03T15:00:00Z')
    const res = await fetch(
      `${server.baseURL}/organization/costs?start_time=${Date.parse('2025-03-01T00:00:00Z') / 1000}&end_time=${Date.parse('2025-03-04T00:00:00Z') / 1000}`,
      { headers: { authorization: `Bearer ${ADMIN_KEY}` } }
    )
    expect(res.status).toBe(400)
  })
})

describe('currencies (issue 7 §6)', () => {
  it('never adds USD and EUR days together: bad_response naming both', async () => {
    server.dataset = {
      costs: {
        '2025-03-01': [{ line_item: 'a', project_id: 'p', value: 8 }],
        '2025-03-02': [{ line_item: 'a', project_id: 'p', value: 8, currency: 'eur' }]
      },
      completions: {}
    }
    const err = await failure(() =>
      client().fetchDailyCosts({ startDay: '2025-03-01', endDayExclusive: '2025-03-03' })
    )
    expect(err.kind).toBe('bad_response')
    expect(err.message).toContain('USD')
    expect(err.message).toContain('EUR')
  })

  it('gives empty days the currency of the others (a EUR account stays EUR)', async () => {
    server.dataset = {
      costs: { '2025-03-01': [{ line_item: 'a', project_id: 'p', value: 8, currency: 'eur' }] },
      completions: {}
    }
    const { days } = await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-03'
    })
    expect(days.map((d) => d.currency)).toEqual(['eur', 'eur'])
  })
})

describe('classifyApiError, status by status', () => {
  const KEY = 'sk-admin-ClassifyKey0123456789abcdefghij'
  const apiError = (
    status: number | undefined,
    body: Record<string, unknown> | undefined,
    headers: Record<string, string> = {}
  ) => new APIError(status, body, undefined, new Headers(headers))

  it('words a 429 for lack of credit, by code or by type, and does not rush a retry', () => {
    for (const body of [
      { message: 'quota', code: 'insufficient_quota', type: 'requests' },
      { message: 'quota', code: null, type: 'insufficient_quota' }
    ]) {
      const err = classifyApiError(apiError(429, body), KEY)
      expect(err.kind).toBe('server')
      expect(err.quickRetry).toBe(false)
      expect(err.message).toBe(
        'OpenAI answered that the organization has no credit left (insufficient_quota). Add to ' +
          'the credit balance at https://platform.openai.com/settings/organization/billing/overview; ' +
          'Credit Tray will check again on its normal schedule.'
      )
    }
  })

  it('words a 429 for a reached hard spend limit, naming the code', () => {
    for (const code of ['organization_spend_limit_exceeded', 'project_spend_limit_exceeded']) {
      const err = classifyApiError(apiError(429, { message: 'limit', code }), KEY)
      expect(err.kind).toBe('server')
      expect(err.quickRetry).toBe(false)
      expect(err.status).toBe(429)
      expect(err.message).toBe(
        `OpenAI answered that a hard spend limit was reached (${code}). Raise the limit at ` +
          'https://platform.openai.com/settings/organization/limits or wait for the next month; ' +
          'Credit Tray will check again on its normal schedule.'
      )
    }
  })

  it('a plain 429 is a rate limit; lack of credit on another status is not', () => {
    const limited = classifyApiError(apiError(429, { message: 'slow down', code: 'rate_limit' }))
    expect([limited.kind, limited.message]).toEqual(['rate_limit', MESSAGES.rate_limit])
    const quota400 = classifyApiError(apiError(400, { message: 'x', code: 'insufficient_quota' }))
    expect(quota400.kind).toBe('bad_response')
    const limit500 = classifyApiError(
      apiError(500, { message: 'x', code: 'organization_spend_limit_exceeded' })
    )
    expect([limit500.kind, limit500.message]).toEqual(['server', MESSAGES.server])
  })

  it('408 and 409 are passing server trouble; other 4xx are answers it cannot use', () => {
    for (const status of [408, 409, 500, 599]) {
      const err = classifyApiError(apiError(status, undefined))
      expect([err.kind, err.message, err.status], String(status)).toEqual([
        'server',
        MESSAGES.server,
        status
      ])
    }
    const err = classifyApiError(apiError(404, { message: '  Unknown route  ' }), KEY)
    expect(err.kind).toBe('bad_response')
    expect(err.message).toBe(`${MESSAGES.bad_response} (HTTP 404) OpenAI said: "Unknown route"`)
  })

  it("quotes the server's words only when there are some, clipped to 300 characters", () => {
    expect(classifyApiError(apiError(401, undefined), KEY).message).toBe(MESSAGES.auth)
    expect(classifyApiError(apiError(401, { message: '   ' }), KEY).message).toBe(MESSAGES.auth)
    expect(classifyApiError(apiError(401, { message: 42 }), KEY).message).toBe(MESSAGES.auth)
    const long = 'a'.repeat(400)
    expect(classifyApiError(apiError(403, { message: long }), KEY).message).toBe(
      `${MESSAGES.permission} OpenAI said: "${'a'.repeat(300)}…"`
    )
    const exact = 'b'.repeat(300)
    expect(classifyApiError(apiError(403, { message: exact }), KEY).message).toBe(
      `${MESSAGES.permission} OpenAI said: "${exact}"`
    )
  })

  it('keeps a redacted stand-in of the original error as the cause', () => {
    const err = classifyApiError(new SyntaxError(`Unexpected token in ${KEY}`), KEY)
    expect(err.message).toBe(`${MESSAGES.bad_response} (the JSON was cut short or malformed)`)
    expect(err.cause).toBeInstanceOf(Error)
    const cause = (err.cause as Error).message
    expect(cause.startsWith('SyntaxError: Unexpected token in ')).toBe(true)
    expect(cause).not.toContain(KEY)
    const fromString = classifyApiError('socket hang up', KEY)
    expect((fromString.cause as Error).message).toBe('socket hang up')
  })

  it('tells a connection timeout from a dropped connection, and an SDK error without status is the network', () => {
    const timeout = classifyApiError(new APIConnectionTimeoutError(), undefined, 0, 'h.example')
    expect([timeout.kind, timeout.message]).toEqual(['network', timeoutMessage('h.example')])
    const dropped = classifyApiError(
      new APIConnectionError({ message: 'x' }),
      undefined,
      0,
      'h.example'
    )
    expect([dropped.kind, dropped.message]).toEqual(['network', networkMessage('h.example')])
    const noStatus = classifyApiError(new APIError(undefined, undefined, 'odd', undefined))
    expect([noStatus.kind, noStatus.message]).toEqual(['network', networkMessage('api.openai.com')])
  })

  it('an abort while reading is the network, a TimeoutError is a timeout', () => {
    const abort = classifyApiError(
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      undefined,
      0,
      'h.example'
    )
    expect([abort.kind, abort.message]).toEqual(['network', networkMessage('h.example')])
    const timeout = classifyApiError(
      Object.assign(new Error('late'), { name: 'TimeoutError' }),
      undefined,
      0,
      'h.example'
    )
    expect([timeout.kind, timeout.message]).toEqual(['network', timeoutMessage('h.example')])
  })
})

describe('Retry-After, strictly', () => {
  const h = (entries: Record<string, string>) => new Headers(entries)
  const now = Date.parse('2025-03-10T12:00:00Z')

  it('takes retry-after-ms only when it is a plain number, trimmed, rounded up', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': ' 250 ' }), now)).toBe(250)
    expect(parseRetryAfter(h({ 'retry-after-ms': '1.25' }), now)).toBe(2)
    for (const odd of ['soon', 'x12', '12x', '1.', '1.x5'])
      expect(parseRetryAfter(h({ 'retry-after-ms': odd, 'retry-after': '7' }), now), odd).toBe(7000)
  })

  it('takes retry-after seconds only when they are a plain number', () => {
    expect(parseRetryAfter(h({ 'retry-after': ' 2 ' }), now)).toBe(2000)
    expect(parseRetryAfter(h({ 'retry-after': '1.25' }), now)).toBe(1250)
    for (const odd of ['x7', '7x', '', '  '])
      expect(parseRetryAfter(h({ 'retry-after': odd }), now), JSON.stringify(odd)).toBeUndefined()
  })
})

describe('summing pages on their own', () => {
  const bucket = (day: string, results: unknown[]) => ({
    object: 'bucket',
    start_time: Date.parse(`${day}T00:00:00Z`) / 1000,
    end_time: Date.parse(`${day}T00:00:00Z`) / 1000 + 86_400,
    results
  })
  const result = (value: number, currency = 'usd', line_item: string | null = 'x') => ({
    object: 'organization.costs.result',
    amount: { value, currency },
    line_item,
    project_id: null
  })
  const page = (...data: ReturnType<typeof bucket>[]) =>
    ({ object: 'page', data, has_more: false, next_page: null }) as unknown as CostsPage

  it('returns days oldest first whatever order the pages and buckets came in', () => {
    const days = aggregateCostPages([
      page(bucket('2025-03-03', [result(3)]), bucket('2025-03-01', [result(1)])),
      page(bucket('2025-03-02', [result(2)]))
    ])
    expect(days.map((d) => [d.date, d.total])).toEqual([
      ['2025-03-01', 1],
      ['2025-03-02', 2],
      ['2025-03-03', 3]
    ])
  })

  it('refuses a day that comes back twice, or two currencies within a day, naming them', () => {
    expect(() =>
      aggregateCostPages([page(bucket('2025-03-01', [])), page(bucket('2025-03-01', []))])
    ).toThrow(`${MESSAGES.bad_response} (day 2025-03-01 came back twice)`)
    expect(() =>
      aggregateCostPages([page(bucket('2025-03-01', [result(1, 'usd'), result(2, 'eur')]))])
    ).toThrow(`${MESSAGES.bad_response} (day 2025-03-01 mixes usd and eur)`)
  })

  it('gives every day the one currency there is, also days without results', () => {
    const days = aggregateCostPages([
      page(bucket('2025-03-01', []), bucket('2025-03-02', [result(2, 'eur')]))
    ])
    expect(days.map((d) => d.currency)).toEqual(['eur', 'eur'])
    expect(aggregateCostPages([page(bucket('2025-03-01', []))])[0]!.currency).toBe('usd')
  })
})

describe('model usage on its own', () => {
  const usagePage = (results: Record<string, unknown>[]) =>
    ({
      object: 'page',
      has_more: false,
      next_page: null,
      data: [{ object: 'bucket', start_time: 0, end_time: 86_400, results }]
    }) as unknown as CompletionsPage
  const r = (model: string | null, input: number, output: number, requests = 1) => ({
    object: 'organization.usage.completions.result',
    model,
    input_tokens: input,
    output_tokens: output,
    num_model_requests: requests
  })

  it('ranks by input plus output tokens, then by name, and sums per model', () => {
    const totals = aggregateModelUsage([
      usagePage([r('b-model', 50, 0), r('a-model', 10, 100), r('c-model', 25, 25)]),
      usagePage([r('c-model', 0, 0, 2), r(null, 1, 1), r('d-model', 50, 0)])
    ])
    expect(totals).toEqual([
      { model: 'a-model', inputTokens: 10, outputTokens: 100, requests: 1 },
      { model: 'b-model', inputTokens: 50, outputTokens: 0, requests: 1 },
      { model: 'c-model', inputTokens: 25, outputTokens: 25, requests: 3 },
      { model: 'd-model', inputTokens: 50, outputTokens: 0, requests: 1 },
      { model: '(other)', inputTokens: 1, outputTokens: 1, requests: 1 }
    ])
    // Ties by name whichever came first.
    const tied = aggregateModelUsage([usagePage([r('z', 5, 5), r('m', 10, 0), r('a', 0, 10)])])
    expect(tied.map((t) => t.model)).toEqual(['a', 'm', 'z'])
  })
})

describe('page caps and the range asked for', () => {
  it('caps pages at the days asked for plus two', () => {
    expect(pageCapFor(0)).toBe(3)
    expect(pageCapFor(-4)).toBe(3)
    expect(pageCapFor(0.2)).toBe(3)
    expect(pageCapFor(2)).toBe(4)
    expect(pageCapFor(180)).toBe(182)
  })

  /** Pages that never end: each says there is more, with a fresh cursor and no buckets. */
  function endlessPages(n: number): Fault[] {
    return Array.from({ length: n }, (_, i) => ({
      type: 'raw',
      text: JSON.stringify({ object: 'page', data: [], has_more: true, next_page: `page_${i}` })
    }))
  }

  it('stops endless pages after the cap for the days up to now, and says so', async () => {
    const nowMs = Date.parse('2025-03-03T12:00:00Z')
    server.failNext(...endlessPages(10))
    const err = await failure(() =>
      client({ now: () => nowMs }).fetchDailyCosts({ startDay: '2025-03-02' })
    )
    expect(err.message).toBe(`${MESSAGES.bad_response} (still more pages after 4 requests)`)
    expect(server.requestCount).toBe(4)
  })

  it('stops endless pages after the cap for a range that ended', async () => {
    const nowMs = Date.parse('2025-03-10T12:00:00Z')
    server.failNext(...endlessPages(10))
    await failure(() =>
      client({ now: () => nowMs }).fetchDailyCosts({
        startDay: '2025-03-01',
        endDayExclusive: '2025-03-04'
      })
    )
    expect(server.requestCount).toBe(5)
  })

  it('asks up to a past midnight with end_time, including one that is exactly now', async () => {
    const nowMs = Date.parse('2025-03-04T00:00:00Z')
    server.nowMs = () => nowMs
    server.dataset = small
    await client({ now: () => nowMs }).fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04'
    })
    expect(server.requests[0]?.query['end_time']).toEqual([String(nowMs / 1000)])
  })

  it('leaves end_time out for an end after now, by a second', async () => {
    const nowMs = Date.parse('2025-03-03T23:59:59Z')
    server.nowMs = () => nowMs
    server.dataset = small
    await client({ now: () => nowMs }).fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04'
    })
    expect(server.requests[0]?.query['end_time']).toBeUndefined()
  })

  it('says which range was empty', async () => {
    await expect(
      client().fetchDailyCosts({ startDay: '2025-03-02', endDayExclusive: '2025-03-02' })
    ).rejects.toThrow('empty day range: 2025-03-02 to 2025-03-02')
  })

  it('an empty last page ends the fetch, and tells no progress before any day', async () => {
    const nowMs = Date.parse('2025-03-03T12:00:00Z')
    server.failNext({
      type: 'raw',
      text: JSON.stringify({ object: 'page', data: [], has_more: false, next_page: null })
    })
    const progress: string[] = []
    const got = await client({ now: () => nowMs }).fetchDailyCosts({
      startDay: '2025-03-01',
      onProgress: (p) => progress.push(p.throughDay)
    })
    expect(got).toEqual({ days: [], requests: 1 })
    expect(progress).toEqual([])
  })

  it('keeps the start of a follow-up request when it pages on with a cursor', async () => {
    const nowMs = Date.parse('2025-03-10T12:00:00Z')
    server.nowMs = () => nowMs
    server.dataset = syntheticDataset({ endDayExclusive: '2025-03-10', days: 10 })
    server.pageSizeCap = 3
    // The first answer stops short after two whole days and says it is the last page.
    server.failNext({
      type: 'transform',
      transform: (p) => ({ ...p, data: p.data.slice(0, 2), has_more: false, next_page: null })
    })
    const { days } = await client({ now: () => nowMs }).fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-10'
    })
    expect(days.map((d) => d.date)).toEqual(dayRange('2025-03-01', '2025-03-09'))
    const followUpStart = String(Date.parse('2025-03-03T00:00:00Z') / 1000)
    expect(server.requests[1]?.query['start_time']).toEqual([followUpStart])
    expect(server.requests[1]?.query['page']).toBeUndefined()
    expect(server.requests[2]?.query['start_time']).toEqual([followUpStart])
    expect(server.requests[2]?.query['page']).toHaveLength(1)
  })
})

describe('deadlines and cancelling, in detail', () => {
  it('keeps a redacted cause on a timeout', async () => {
    server.failNext({ type: 'hang' })
    const err = await failure(() =>
      client({ timeoutMs: 50 }).fetchDailyCosts({
        startDay: '2025-03-01',
        endDayExclusive: '2025-03-02'
      })
    )
    expect(err.message).toBe(timeoutMessage(new URL(server.baseURL).host))
    expect(err.cause).toBeInstanceOf(Error)
    expect((err.cause as Error).message).not.toContain(ADMIN_KEY)
  })

  it('leaves no listener on the caller signal once a request is done', async () => {
    server.dataset = small
    const controller = new AbortController()
    await client().fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04',
      signal: controller.signal
    })
    await client().checkKey(controller.signal)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('a caller that cancels model usage or a key check gets a network error at once', async () => {
    for (const run of [
      (c: CostsClient, signal: AbortSignal) =>
        c.fetchModelUsage({ startDay: '2025-03-01', endDayExclusive: '2025-03-02', signal }),
      (c: CostsClient, signal: AbortSignal) => c.checkKey(signal)
    ]) {
      server.failNext({ type: 'hang' })
      const controller = new AbortController()
      const seen = server.requestCount
      const pending = failure(() => run(client({ timeoutMs: 20_000 }), controller.signal))
      await vi.waitFor(() => expect(server.requestCount).toBe(seen + 1))
      controller.abort()
      const err = await pending
      expect(err.message).toBe(networkMessage(new URL(server.baseURL).host))
    }
  })

  it('uses the fetch it is given', async () => {
    server.dataset = small
    let calls = 0
    const counting: typeof fetch = (input, init) => {
      calls++
      return fetch(input, init)
    }
    await client({ fetch: counting }).fetchDailyCosts({
      startDay: '2025-03-01',
      endDayExclusive: '2025-03-04'
    })
    expect(calls).toBe(1)
  })

  it('writes nothing to the console when the server cannot be reached, whatever OPENAI_LOG says', async () => {
    // The SDK would otherwise follow OPENAI_LOG and log every request and failure.
    vi.stubEnv('OPENAI_LOG', 'debug')
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {})
    )
    try {
      await failure(() =>
        client({ baseURL: 'http://127.0.0.1:1/v1' }).fetchDailyCosts({
          startDay: '2025-03-01',
          endDayExclusive: '2025-03-02'
        })
      )
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })
})

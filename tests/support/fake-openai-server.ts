// A loopback stand-in for the OpenAI Admin API: a real node:http server that speaks the wire
// format of GET /v1/organization/costs and GET /v1/organization/usage/completions, so tests and
// the benchmark drive the real `openai` SDK (query serialisation, headers, error classes) rather
// than a mocked fetch.
//
// What it does like the real API: `object: "page"` with 1d buckets, start_time/end_time/limit
// (costs 1–180, default 7; completions 1d 1–31, default 7), `group_by[]`, `project_ids[]`,
// cursor pagination via `page`/`next_page`, Bearer-key auth with OpenAI's error body shape.
// Spend limits and email alerts (integer cents, "USD"): GET/POST /v1/organization/spend_limit,
// GET /v1/organization/projects/{id}/spend_limit, GET/POST /v1/organization/spend_alerts and
// GET /v1/organization/projects/{id}/spend_alerts (cursor pages: limit, after = last id). A limit
// that is not set answers 404, or `threshold_amount: 0, inactive` with `zeroForNone`.
// What it adds: every request is recorded (path, query, headers), requests and response bytes
// are counted, an optional page-size cap forces pagination (down to one bucket a page), another
// cap cuts pages short without saying so, and faults can be queued per request. Like deployments
// seen in the wild it refuses an `end_time` in the future (by its own clock, `nowMs`), so clients
// must ask up to now or leave `end_time` out.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const DAY = 86_400

export const PROJECT_KEY_MESSAGE =
  'You have insufficient permissions for this operation. Missing scopes: api.usage.read.'

/** One line of the dataset: the cost of one line item in one project on one day. */
export interface CostEntry {
  line_item: string | null
  project_id: string | null
  value: number
  /** Defaults to "usd". */
  currency?: string
}

/** One line of completions usage on one day. */
export interface CompletionsEntry {
  model: string | null
  project_id?: string | null
  input_tokens: number
  output_tokens: number
  num_model_requests: number
}

export interface FakeDataset {
  /** "YYYY-MM-DD" (UTC) -> entries. Days not listed have no cost (an empty bucket). */
  costs: Record<string, CostEntry[]>
  /** "YYYY-MM-DD" (UTC) -> entries. */
  completions: Record<string, CompletionsEntry[]>
}

export interface RecordedRequest {
  method: string
  /** Path without the query, e.g. "/v1/organization/costs". */
  path: string
  /** The raw query string without "?", exactly as the client sent it. */
  rawQuery: string
  /** Decoded query; repeated keys ("group_by[]") collect all their values. */
  query: Record<string, string[]>
  headers: Record<string, string | string[] | undefined>
  /** The bare key from `Authorization: Bearer <key>`, or null. */
  bearer: string | null
}

/** What the server does to the next request instead of (or on top of) answering it normally. */
export type Fault =
  /** An error status with OpenAI's error body; `headers` e.g. { 'retry-after': '7' }. */
  | {
      type: 'status'
      status: number
      message?: string
      errorType?: string
      code?: string | null
      headers?: Record<string, string>
    }
  /** Accept the request and never answer. */
  | { type: 'hang' }
  /** Send a 200 and its headers, then never finish the body. */
  | { type: 'stall-body' }
  /** A well-framed 200 whose JSON body is cut in half. */
  | { type: 'truncated-json' }
  /** Announce the full Content-Length, send half the body, then drop the connection. */
  | { type: 'drop-connection' }
  /** A 200 whose body is `text` verbatim (with `contentType`, default application/json). */
  | { type: 'raw'; text: string; contentType?: string }
  /** Answer normally but pass the page through `transform` before serialising it. */
  | { type: 'transform'; transform: (page: WirePage) => unknown }

/** The page object as it goes on the wire (loosely typed so transforms can break it). */
export interface WirePage {
  object: 'page'
  data: WireBucket[]
  has_more: boolean
  next_page: string | null
}

export interface WireBucket {
  object: 'bucket'
  start_time: number
  end_time: number
  results: Record<string, unknown>[]
}

/** A hard spend limit as the API sends it (cents). */
export interface WireLimit {
  threshold_amount: number
  status: string
}

export interface WireAlert {
  id: string
  threshold_amount: number
  recipients: string[]
}

export interface FakeSpendData {
  /** null: no limit set. */
  orgLimit: WireLimit | null
  projectLimits: Record<string, WireLimit>
  orgAlerts: WireAlert[]
  projectAlerts: Record<string, WireAlert[]>
  /** Answer "no limit" as `threshold_amount: 0, inactive` instead of 404. */
  zeroForNone: boolean
  /** Admin keys that may read costs but get 403 on every spend limit / alert endpoint. */
  noLimitsKeys: string[]
  /** Admin keys that may read the limits but get 403 on writes. */
  readOnlyKeys: string[]
  /** Answer every spend limit / alert request with this server error (e.g. 500); null = none. */
  failStatus: number | null
}

export interface FakeServerOptions {
  dataset?: Partial<FakeDataset>
  /** Keys accepted as Admin keys. */
  adminKeys?: string[]
  /** Keys that exist but lack api.usage.read (project / service-account keys): 403. */
  projectKeys?: string[]
  /** Cap on buckets per page, below `limit`, to force pagination (1 = one bucket a page). */
  pageSizeCap?: number
  /**
   * Answer at most this many buckets and say `has_more: false` even when the range goes on
   * (a server that silently caps `limit`, e.g. 31 buckets for limit=180).
   */
  silentPageCap?: number
  /** Server clock (ms) for the default end_time; defaults to Date.now at request time. */
  nowMs?: () => number
  /** Send amount.value as a string ("12.5") like some real responses do. */
  amountsAsStrings?: boolean
  /** Always answer has_more: true with the same next_page (a broken cursor). */
  repeatingCursor?: boolean
  spend?: Partial<FakeSpendData>
}

/** Ready-made transforms for the "wrong field types" family of faults. */
export const breakPage = {
  dataNotArray: (page: WirePage): unknown => ({ ...page, data: { buckets: page.data } }),
  startTimeString: (page: WirePage): unknown => ({
    ...page,
    data: page.data.map((b) => ({ ...b, start_time: String(b.start_time) }))
  }),
  /** Every amount.value becomes "abc". */
  valueNotNumeric: (page: WirePage): unknown =>
    mapResults(
      page,
      withAmountValue(() => 'abc')
    ),
  /** Every amount.value becomes the string form of its number ("12.5"). */
  valueAsString: (page: WirePage): unknown =>
    mapResults(
      page,
      withAmountValue((v) => String(v))
    ),
  /** Every result loses its `amount` field. */
  amountAbsent: (page: WirePage): unknown =>
    mapResults(page, (r) => {
      const copy = { ...r }
      delete copy['amount']
      return copy
    }),
  dataMissing: (page: WirePage): unknown => ({ object: page.object, has_more: page.has_more })
}

function mapResults(
  page: WirePage,
  fn: (r: Record<string, unknown>) => Record<string, unknown>
): WirePage {
  return { ...page, data: page.data.map((b) => ({ ...b, results: b.results.map(fn) })) }
}

function withAmountValue(fn: (v: unknown) => unknown) {
  return (r: Record<string, unknown>): Record<string, unknown> => {
    const amount = r['amount'] as { value: unknown; currency: string } | undefined
    return amount ? { ...r, amount: { ...amount, value: fn(amount.value) } } : r
  }
}

function dayOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10)
}

function midnightAfter(seconds: number): number {
  return (Math.floor(seconds / DAY) + 1) * DAY
}

class BadRequest extends Error {}

export class FakeOpenAIServer {
  dataset: FakeDataset
  adminKeys: Set<string>
  projectKeys: Set<string>
  pageSizeCap: number | undefined
  silentPageCap: number | undefined
  amountsAsStrings: boolean
  repeatingCursor: boolean
  nowMs: () => number
  spend: FakeSpendData

  /** Every request in arrival order (including ones that got a fault). */
  readonly requests: RecordedRequest[] = []
  /** Response body bytes written (headers not included). */
  responseBytes = 0

  private readonly faults: Fault[] = []
  private readonly server: Server
  private port = 0

  constructor(opts: FakeServerOptions = {}) {
    this.dataset = { costs: {}, completions: {}, ...opts.dataset }
    this.adminKeys = new Set(opts.adminKeys ?? [])
    this.projectKeys = new Set(opts.projectKeys ?? [])
    this.pageSizeCap = opts.pageSizeCap
    this.silentPageCap = opts.silentPageCap
    this.amountsAsStrings = opts.amountsAsStrings ?? false
    this.repeatingCursor = opts.repeatingCursor ?? false
    this.nowMs = opts.nowMs ?? Date.now
    this.spend = {
      orgLimit: null,
      projectLimits: {},
      orgAlerts: [],
      projectAlerts: {},
      zeroForNone: false,
      noLimitsKeys: [],
      readOnlyKeys: [],
      failStatus: null,
      ...opts.spend
    }
    this.server = createServer((req, res) => this.handle(req, res))
  }

  /** Listen on 127.0.0.1 on a free port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => resolve())
    })
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  /** The SDK's `baseURL`: "http://127.0.0.1:<port>/v1". */
  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`
  }

  get requestCount(): number {
    return this.requests.length
  }

  /** Queue a fault for the next request that arrives (faults are consumed in order). */
  failNext(...faults: Fault[]): this {
    this.faults.push(...faults)
    return this
  }

  /** Forget recorded requests, counters and queued faults. */
  resetRecords(): void {
    this.requests.length = 0
    this.responseBytes = 0
    this.faults.length = 0
    this.writes.length = 0
  }

  /** Stop listening and drop every connection, including requests that are hanging. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    await closed
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const query: Record<string, string[]> = {}
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v)
    const auth = req.headers.authorization
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      rawQuery: url.search.replace(/^\?/, ''),
      query,
      headers: { ...req.headers },
      bearer
    })

    const fault = this.faults.shift()
    if (fault?.type === 'hang') return
    if (fault?.type === 'status') {
      this.sendError(res, fault.status, fault.message ?? `Fake ${fault.status}`, {
        type: fault.errorType,
        code: fault.code,
        headers: fault.headers
      })
      return
    }
    if (fault?.type === 'raw') {
      this.send(res, 200, fault.text, fault.contentType)
      return
    }

    if (/^\/v1\/organization\/(projects\/[^/]+\/)?spend_(limit|alerts)$/.test(url.pathname)) {
      void this.spendRoute(req, res, url, bearer)
      return
    }
    if (req.method !== 'GET') {
      this.sendError(res, 405, `Method ${req.method} not allowed`)
      return
    }
    // Auth comes before routing, as on the real API.
    if (bearer === null || (!this.adminKeys.has(bearer) && !this.projectKeys.has(bearer))) {
      this.sendError(res, 401, incorrectKeyMessage(bearer), {
        type: 'invalid_request_error',
        code: 'invalid_api_key'
      })
      return
    }
    if (this.projectKeys.has(bearer)) {
      this.sendError(res, 403, PROJECT_KEY_MESSAGE, { type: 'invalid_request_error' })
      return
    }

    let page: WirePage
    try {
      if (url.pathname === '/v1/organization/costs') page = this.costsPage(query)
      else if (url.pathname === '/v1/organization/usage/completions')
        page = this.completionsPage(query)
      else {
        this.sendError(res, 404, `Invalid URL (GET ${url.pathname})`, {
          type: 'invalid_request_error'
        })
        return
      }
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err
      this.sendError(res, 400, err.message, { type: 'invalid_request_error' })
      return
    }

    const body = JSON.stringify(fault?.type === 'transform' ? fault.transform(page) : page)
    if (fault?.type === 'truncated-json') {
      this.send(res, 200, body.slice(0, Math.floor(body.length / 2)))
    } else if (fault?.type === 'stall-body') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body)
      })
      const head = body.slice(0, 10)
      this.responseBytes += Buffer.byteLength(head)
      res.write(head)
    } else if (fault?.type === 'drop-connection') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body)
      })
      const half = body.slice(0, Math.floor(body.length / 2))
      this.responseBytes += Buffer.byteLength(half)
      res.write(half, () => res.destroy())
    } else {
      this.send(res, 200, body)
    }
  }

  /** Writes made (POST bodies), in order: tests check that reading never writes. */
  readonly writes: { path: string; body: unknown }[] = []

  private async spendRoute(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    bearer: string | null
  ): Promise<void> {
    let raw = ''
    for await (const chunk of req) raw += String(chunk)
    if (bearer === null || !this.adminKeys.has(bearer)) {
      if (bearer !== null && this.projectKeys.has(bearer))
        this.sendError(res, 403, PROJECT_KEY_MESSAGE)
      else this.sendError(res, 401, incorrectKeyMessage(bearer), { code: 'invalid_api_key' })
      return
    }
    const write = req.method !== 'GET'
    if (this.spend.failStatus !== null) {
      this.sendError(res, this.spend.failStatus, `Fake ${this.spend.failStatus}`)
      return
    }
    if (
      this.spend.noLimitsKeys.includes(bearer) ||
      (write && this.spend.readOnlyKeys.includes(bearer))
    ) {
      this.sendError(res, 403, 'You have insufficient permissions for this operation.')
      return
    }
    const project = /\/projects\/([^/]+)\//.exec(url.pathname)?.[1]
    const isLimit = url.pathname.endsWith('/spend_limit')
    if (write && (req.method !== 'POST' || project !== undefined)) {
      this.sendError(res, 405, `Fake server: ${req.method} ${url.pathname} not served`)
      return
    }
    if (write) {
      let body: Record<string, unknown>
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      } catch {
        this.sendError(res, 400, 'Invalid JSON body')
        return
      }
      this.writes.push({ path: url.pathname, body })
      const cents = body['threshold_amount']
      if (
        typeof cents !== 'number' ||
        !Number.isInteger(cents) ||
        cents < 0 ||
        body['currency'] !== 'USD'
      ) {
        this.sendError(res, 400, 'threshold_amount must be integer cents, currency USD')
        return
      }
      if (isLimit) {
        this.spend.orgLimit = {
          threshold_amount: cents,
          status: this.spend.orgLimit?.status ?? 'enforcing'
        }
        this.send(res, 200, JSON.stringify(wireLimit('organization', this.spend.orgLimit)))
      } else {
        const channel = body['notification_channel'] as { recipients?: string[] } | undefined
        const alert = {
          id: `alert_${this.spend.orgAlerts.length + 1}`,
          threshold_amount: cents,
          recipients: channel?.recipients ?? []
        }
        this.spend.orgAlerts.push(alert)
        this.send(res, 200, JSON.stringify(wireAlert('organization', alert)))
      }
      return
    }
    const scope = project === undefined ? 'organization' : 'project'
    if (isLimit) {
      const limit = project === undefined ? this.spend.orgLimit : this.spend.projectLimits[project]
      if (limit) this.send(res, 200, JSON.stringify(wireLimit(scope, limit)))
      else if (this.spend.zeroForNone)
        this.send(
          res,
          200,
          JSON.stringify(wireLimit(scope, { threshold_amount: 0, status: 'inactive' }))
        )
      else this.sendError(res, 404, 'No spend limit is set.')
      return
    }
    const all = project === undefined ? this.spend.orgAlerts : this.spend.projectAlerts[project]
    if (all === undefined) {
      this.sendError(res, 404, `No such project: ${project}`)
      return
    }
    const limit = Number(url.searchParams.get('limit') ?? '20')
    const after = url.searchParams.get('after')
    const start = after === null ? 0 : all.findIndex((a) => a.id === after) + 1
    const data = all.slice(start, start + limit)
    this.send(
      res,
      200,
      JSON.stringify({
        object: 'list',
        data: data.map((a) => wireAlert(scope, a)),
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: start + limit < all.length
      })
    )
  }

  private costsPage(query: Record<string, string[]>): WirePage {
    const groupBy = listParam(query, 'group_by', ['project_id', 'line_item', 'api_key_id'])
    const projectIds = listParam(query, 'project_ids')
    const bucketWidth = one(query, 'bucket_width') ?? '1d'
    if (bucketWidth !== '1d') throw new BadRequest(`Invalid bucket_width: ${bucketWidth}`)
    return this.paginate(query, 180, (day) => {
      const entries = (this.dataset.costs[day] ?? []).filter(
        (e) =>
          projectIds.length === 0 || (e.project_id !== null && projectIds.includes(e.project_id))
      )
      const groups = new Map<string, { e: CostEntry; value: number }>()
      for (const e of entries) {
        const key = JSON.stringify([
          groupBy.includes('line_item') ? e.line_item : null,
          groupBy.includes('project_id') ? e.project_id : null,
          e.currency ?? 'usd'
        ])
        const g = groups.get(key)
        if (g) g.value += e.value
        else groups.set(key, { e, value: e.value })
      }
      return [...groups.values()].map(({ e, value }) => ({
        object: 'organization.costs.result',
        amount: {
          value: this.amountsAsStrings ? String(value) : value,
          currency: e.currency ?? 'usd'
        },
        line_item: groupBy.includes('line_item') ? e.line_item : null,
        project_id: groupBy.includes('project_id') ? e.project_id : null,
        api_key_id: null,
        quantity: null,
        quantity_unit: null
      }))
    })
  }

  private completionsPage(query: Record<string, string[]>): WirePage {
    const groupBy = listParam(query, 'group_by', [
      'project_id',
      'user_id',
      'api_key_id',
      'model',
      'batch',
      'service_tier'
    ])
    const bucketWidth = one(query, 'bucket_width') ?? '1d'
    const projectIds = listParam(query, 'project_ids')
    // The real API also has 1m and 1h buckets; Credit Tray only asks for days.
    if (bucketWidth !== '1d') throw new BadRequest(`Fake server only serves 1d buckets`)
    return this.paginate(query, 31, (day) => {
      const groups = new Map<string, Record<string, unknown>>()
      const entries = (this.dataset.completions[day] ?? []).filter(
        (e) =>
          projectIds.length === 0 || (e.project_id != null && projectIds.includes(e.project_id))
      )
      for (const e of entries) {
        const model = groupBy.includes('model') ? e.model : null
        const project = groupBy.includes('project_id') ? (e.project_id ?? null) : null
        const key = JSON.stringify([model, project])
        const g = groups.get(key) ?? {
          object: 'organization.usage.completions.result',
          input_tokens: 0,
          output_tokens: 0,
          input_cached_tokens: 0,
          input_audio_tokens: 0,
          output_audio_tokens: 0,
          num_model_requests: 0,
          project_id: project,
          user_id: null,
          api_key_id: null,
          model,
          batch: null,
          service_tier: null
        }
        g['input_tokens'] = (g['input_tokens'] as number) + e.input_tokens
        g['output_tokens'] = (g['output_tokens'] as number) + e.output_tokens
        g['num_model_requests'] = (g['num_model_requests'] as number) + e.num_model_requests
        groups.set(key, g)
      }
      return [...groups.values()]
    })
  }

  /** Buckets from start_time to end_time, `limit` per page (or fewer under the cap). */
  private paginate(
    query: Record<string, string[]>,
    maxLimit: number,
    resultsFor: (day: string) => Record<string, unknown>[]
  ): WirePage {
    const start = intParam(query, 'start_time')
    if (start === undefined) throw new BadRequest('Missing required parameter: start_time')
    const nowSeconds = Math.floor(this.nowMs() / 1000)
    const askedEnd = intParam(query, 'end_time')
    if (askedEnd !== undefined && askedEnd > nowSeconds)
      throw new BadRequest(
        `end_time must not be in the future (got ${askedEnd}, now ${nowSeconds})`
      )
    const end = askedEnd ?? nowSeconds
    const limit = intParam(query, 'limit') ?? 7
    if (limit < 1 || limit > maxLimit)
      throw new BadRequest(`limit must be between 1 and ${maxLimit}, got ${limit}`)

    const cursor = one(query, 'page')
    let from = start
    if (cursor !== undefined) {
      const decoded = decodeCursor(cursor)
      if (decoded === undefined || decoded < start) throw new BadRequest(`Invalid page: ${cursor}`)
      from = decoded
    }

    const size = Math.min(limit, this.pageSizeCap ?? limit, this.silentPageCap ?? limit)
    const data: WireBucket[] = []
    let t = from
    while (t < end && data.length < size) {
      // A start_time that is not midnight gives a partial first bucket, as on the real API.
      const bucketEnd = midnightAfter(t)
      data.push({
        object: 'bucket',
        start_time: t,
        end_time: bucketEnd,
        results: resultsFor(dayOf(t))
      })
      t = bucketEnd
    }

    if (this.repeatingCursor) {
      return { object: 'page', data, has_more: true, next_page: encodeCursor(start) }
    }
    const hasMore = t < end && !(this.silentPageCap !== undefined && size === this.silentPageCap)
    return { object: 'page', data, has_more: hasMore, next_page: hasMore ? encodeCursor(t) : null }
  }

  private send(
    res: ServerResponse,
    status: number,
    body: string,
    contentType = 'application/json'
  ): void {
    this.responseBytes += Buffer.byteLength(body)
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body)
    })
    res.end(body)
  }

  private sendError(
    res: ServerResponse,
    status: number,
    message: string,
    opts: {
      type?: string | undefined
      code?: string | null | undefined
      headers?: Record<string, string> | undefined
    } = {}
  ): void {
    const body = JSON.stringify({
      error: {
        message,
        type: opts.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
        param: null,
        code: opts.code ?? null
      }
    })
    for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v)
    this.send(res, status, body)
  }
}

/** Start a fake server; remember to `await server.close()`. */
export async function startFakeOpenAIServer(
  opts: FakeServerOptions = {}
): Promise<FakeOpenAIServer> {
  return new FakeOpenAIServer(opts).start()
}

/** The real 401 text shows the key's first and last characters only. */
function incorrectKeyMessage(bearer: string | null): string {
  if (bearer === null)
    return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
  const masked =
    bearer.length > 8 ? `${bearer.slice(0, 3)}${'*'.repeat(20)}${bearer.slice(-4)}` : '***'
  return `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`
}

function wireLimit(scope: 'organization' | 'project', l: WireLimit): unknown {
  return {
    object: `${scope}.spend_limit`,
    threshold_amount: l.threshold_amount,
    currency: 'USD',
    interval: 'month',
    enforcement: { status: l.status }
  }
}

function wireAlert(scope: 'organization' | 'project', a: WireAlert): unknown {
  return {
    id: a.id,
    object: `${scope}.spend_alert`,
    threshold_amount: a.threshold_amount,
    currency: 'USD',
    interval: 'month',
    notification_channel: { type: 'email', recipients: a.recipients }
  }
}

function encodeCursor(seconds: number): string {
  return 'page_' + Buffer.from(`t=${seconds}`).toString('base64url')
}

function decodeCursor(cursor: string): number | undefined {
  if (!cursor.startsWith('page_')) return undefined
  const m = /^t=(\d+)$/.exec(Buffer.from(cursor.slice(5), 'base64url').toString())
  return m ? Number(m[1]) : undefined
}

function one(query: Record<string, string[]>, name: string): string | undefined {
  return query[name]?.[0]
}

function intParam(query: Record<string, string[]>, name: string): number | undefined {
  const v = one(query, name)
  if (v === undefined) return undefined
  if (!/^-?\d+$/.test(v)) throw new BadRequest(`Invalid ${name}: expected an integer`)
  return Number(v)
}

/**
 * Array parameters. The SDK sends `group_by[]=a&group_by[]=b` (qs "brackets"); plain repeated
 * `group_by=a&group_by=b` and indexed `group_by[0]=a` are accepted too.
 */
function listParam(query: Record<string, string[]>, name: string, allowed?: string[]): string[] {
  const values: string[] = []
  for (const [k, v] of Object.entries(query)) {
    if (k === name || k === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(k))
      values.push(...v)
  }
  for (const v of values) {
    if (allowed && !allowed.includes(v)) throw new BadRequest(`Invalid ${name} value: ${v}`)
  }
  return values
}

/**
 * A deterministic dataset for benchmarks and bulk tests: `days` UTC days ending the day before
 * `endDayExclusive`, a few line items across a few projects, costs from a seeded generator.
 */
export function syntheticDataset(opts: {
  endDayExclusive: string
  days: number
  lineItems?: string[]
  projects?: (string | null)[]
  models?: string[]
  seed?: number
}): FakeDataset {
  const lineItems = opts.lineItems ?? [
    'gpt-4o-mini, input',
    'gpt-4o-mini, output',
    'gpt-4.1, input'
  ]
  const projects = opts.projects ?? ['proj_alpha', 'proj_beta', null]
  const models = opts.models ?? ['gpt-4o-mini-2024-07-18', 'gpt-4.1-2025-04-14']
  let state = (opts.seed ?? 1) >>> 0 || 1
  // xorshift32: reproducible without a dependency.
  const rand = (): number => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
  const endSeconds = Date.parse(opts.endDayExclusive + 'T00:00:00Z') / 1000
  const dataset: FakeDataset = { costs: {}, completions: {} }
  for (let i = opts.days; i >= 1; i--) {
    const day = dayOf(endSeconds - i * DAY)
    dataset.costs[day] = lineItems.flatMap((line_item) =>
      projects.map((project_id) => ({
        line_item,
        project_id,
        value: Math.round(rand() * 500) / 100
      }))
    )
    dataset.completions[day] = models.map((model) => ({
      model,
      input_tokens: Math.floor(rand() * 100_000),
      output_tokens: Math.floor(rand() * 20_000),
      num_model_requests: 1 + Math.floor(rand() * 50)
    }))
  }
  return dataset
}

// Reads daily costs and completions usage through the official `openai` SDK.
//
// The SDK does the wire work (query serialisation, auth header, error classes); this module adds
// what a balance estimate needs on top: every page validated with zod before it is summed,
// pagination with a hard page cap and a repeated-cursor check, one deadline that also covers
// reading the body, and every failure turned into a CreditTrayError with a message for a person.
// Retrying is the caller's job (the scheduler for polls, one-shot-retry.ts for commands), so the
// SDK's own retries are off.
//
// Ranges that run up to today are asked without `end_time`: the API then answers up to its own
// "now" (today's partial bucket included). A computed end in the future (the next UTC midnight)
// is refused by some deployments, and an end of "now" by our clock would be in the future for a
// server whose clock is a little behind.
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError
} from 'openai'
import type { z } from 'zod'
import {
  completionsPageSchema,
  costsPageSchema,
  describeIssue,
  type CompletionsPage,
  type CostsPage
} from './api-schemas'
import { dayFromSeconds, dayStartSeconds, DAY_SECONDS } from './dates'
import { DEFAULT_BASE_URL } from './api-endpoint'
import {
  CreditTrayError,
  DEFAULT_API_HOST,
  MESSAGES,
  mixedCurrencies,
  networkMessage,
  redactSecrets,
  timeoutMessage
} from './errors'
import type { DayCosts, ModelUsageTotals } from './types'

export { DEFAULT_BASE_URL }
export const DEFAULT_TIMEOUT_MS = 30_000
/**
 * Pages followed at most for a range of `days` days: a server may answer one bucket a page, so
 * the cap scales with the days asked for (plus a little for a partial first bucket and an empty
 * last page). A loop longer than this is a server bug.
 */
export function pageCapFor(days: number): number {
  return Math.max(1, Math.ceil(days)) + 2
}
/** Costs API: 1–180 buckets per page. */
export const COSTS_MAX_LIMIT = 180
/** Usage API with 1d buckets: 1–31 buckets per page. */
export const USAGE_DAILY_MAX_LIMIT = 31
/** Name used for results whose grouped-by field is null. */
export const OTHER = '(other)'

const BILLING_URL = 'https://platform.openai.com/settings/organization/billing/overview'
const LIMITS_URL = 'https://platform.openai.com/settings/organization/limits'

export interface CostsClientOptions {
  /** The Admin key (sk-admin-…). */
  apiKey: string
  baseURL?: string
  /** Deadline per request, including reading the body. */
  timeoutMs?: number
  /** Hard cap on pages followed in one fetch; default pageCapFor(the days asked for). */
  maxPages?: number
  /** Injected for tests and the benchmark; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch
  /** Clock in epoch ms (for checkKey's range and HTTP-date Retry-After). */
  now?: () => number
}

export interface FetchDailyCostsParams {
  /** First UTC day, "YYYY-MM-DD", inclusive. */
  startDay: string
  /**
   * UTC day after the last one wanted; omitted (or later than now) = up to now, today's partial
   * bucket included.
   */
  endDayExclusive?: string
  /** Buckets per page, 1–180; defaults to 180 so half a year comes back in one request. */
  limit?: number
  /** Only costs of these projects. */
  projectIds?: string[]
  signal?: AbortSignal
  /**
   * Called after every page with all days summed so far (oldest first) and the last day they
   * cover: a fetch that fails half-way still leaves what arrived usable.
   */
  onProgress?: (progress: DailyCostsProgress) => void
}

export interface DailyCostsProgress {
  days: DayCosts[]
  /** Every day from the start day through this one has arrived. */
  throughDay: string
}

export interface DailyCostsResult {
  /** One entry per bucket the API returned, oldest first. */
  days: DayCosts[]
  /** HTTP requests made (pages fetched). */
  requests: number
}

export interface FetchModelUsageParams {
  startDay: string
  endDayExclusive?: string
  /** Only usage of these projects (the account's project filter, as for costs). */
  projectIds?: string[]
  signal?: AbortSignal
}

export interface CostsClient {
  fetchDailyCosts(params: FetchDailyCostsParams): Promise<DailyCostsResult>
  /** Completions usage by model summed over the range, by total tokens descending. */
  fetchModelUsage(params: FetchModelUsageParams): Promise<ModelUsageTotals[]>
  /** One cheap live call; throws the classified error when the key cannot read costs. */
  checkKey(signal?: AbortSignal): Promise<void>
}

export function createCostsClient(opts: CostsClientOptions): CostsClient {
  const key = opts.apiKey
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const now = opts.now ?? Date.now
  const baseURL = opts.baseURL ?? DEFAULT_BASE_URL
  // Errors name the host actually used: OPENAI_BASE_URL may point somewhere else.
  const host = new URL(baseURL).host

  // Every option that the SDK would otherwise read from the environment is pinned: the admin
  // endpoints authenticate with `adminAPIKey` only (their security scheme is adminAPIKeyAuth),
  // and `apiKey: null` keeps a stray OPENAI_API_KEY from being picked up and sent anywhere.
  const sdk = new OpenAI({
    adminAPIKey: key,
    apiKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL,
    timeout: timeoutMs,
    maxRetries: 0,
    // The SDK would log connection failures to the console; the engine reports them itself.
    logLevel: 'off',
    ...(opts.fetch ? { fetch: opts.fetch } : {})
  })
  const usage = sdk.admin.organization.usage

  /** One SDK call under our own deadline, which (unlike the SDK's) also covers the body. */
  async function call<T>(
    run: (signal: AbortSignal) => Promise<T>,
    outer: AbortSignal | undefined
  ): Promise<T> {
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const forward = (): void => controller.abort()
    if (outer?.aborted) controller.abort()
    outer?.addEventListener('abort', forward, { once: true })
    try {
      return await run(controller.signal)
    } catch (err) {
      if (timedOut) {
        throw new CreditTrayError('network', timeoutMessage(host), { cause: safeCause(err, key) })
      }
      throw classifyApiError(err, key, now(), host)
    } finally {
      clearTimeout(timer)
      outer?.removeEventListener('abort', forward)
    }
  }

  /**
   * Follow `next_page` while `has_more`, validating each page and handing it to `onPage`; stops
   * at the page cap. A page that says it is the last one but stops short of the range's end (some
   * servers cap the page size silently) is followed by a new request from where it stopped, so
   * days that never arrived are not taken for days without spend.
   */
  async function fetchAllPages<P extends CostsPage | CompletionsPage>(
    schema: z.ZodType<P>,
    range: Range,
    request: (at: { page?: string; start?: number }, signal: AbortSignal) => Promise<unknown>,
    onPage: (page: P) => void,
    outer: AbortSignal | undefined
  ): Promise<number> {
    const cap = opts.maxPages ?? pageCapFor(range.days)
    // Only cursors go in; asking about "no cursor" (the last page) is simply false.
    const seen = new Set<string | null | undefined>()
    let at: { page?: string; start?: number } = {}
    let requests = 0
    for (;;) {
      if (requests >= cap) {
        throw badResponse(`still more pages after ${cap} requests`)
      }
      const raw = await call((signal) => request(at, signal), outer)
      requests++
      const page = parseWith(schema, raw)
      // The schema refuses has_more without a cursor: `next` is a string exactly when there are
      // more pages.
      const next = page.has_more ? page.next_page : undefined
      if (seen.has(next)) throw badResponse('the page cursor repeated')
      onPage(page)
      if (typeof next !== 'string') {
        const rangeEnd = range.end ?? Math.floor(now() / 1000)
        // An empty last page ends the range like one that reached its end.
        const lastEnd = page.data.at(-1)?.end_time ?? rangeEnd
        // Whole days are missing only when the last bucket ended at a midnight before the end; a
        // bucket ending at any other time is today's partial one, however the clocks differ.
        if (lastEnd >= rangeEnd || lastEnd % DAY_SECONDS !== 0) break
        at = { start: lastEnd }
        continue
      }
      seen.add(next)
      // A follow-up's start stays with its cursor: the cursor continues that request.
      at = { page: next, start: at.start }
    }
    return requests
  }

  return {
    async fetchDailyCosts(params) {
      const range = rangeOf(params.startDay, params.endDayExclusive, now())
      const limit = clampLimit(params.limit ?? COSTS_MAX_LIMIT, COSTS_MAX_LIMIT)
      const sum = createCostSum()
      const requests = await fetchAllPages(
        costsPageSchema,
        range,
        (at, signal) =>
          usage.costs(
            {
              start_time: at.start ?? range.start,
              end_time: range.end, // undefined: left out of the query (up to now)
              bucket_width: '1d',
              // Both groupings in one request: a result is one (line item, project) pair.
              group_by: ['line_item', 'project_id'],
              limit,
              ...(params.projectIds?.length ? { project_ids: params.projectIds } : {}),
              page: at.page
            },
            { signal }
          ),
        (page) => {
          sum.add(page)
          const through = sum.lastDay()
          if (params.onProgress && through !== null)
            params.onProgress({ days: sum.days(), throughDay: through })
        },
        params.signal
      )
      return { days: sum.days(), requests }
    },

    async fetchModelUsage(params) {
      const range = rangeOf(params.startDay, params.endDayExclusive, now())
      const pages: CompletionsPage[] = []
      await fetchAllPages(
        completionsPageSchema,
        range,
        (at, signal) =>
          usage.completions(
            {
              start_time: at.start ?? range.start,
              end_time: range.end, // undefined: left out of the query (up to now)
              bucket_width: '1d',
              group_by: ['model'],
              limit: USAGE_DAILY_MAX_LIMIT,
              ...(params.projectIds?.length ? { project_ids: params.projectIds } : {}),
              page: at.page
            },
            { signal }
          ),
        (page) => pages.push(page),
        params.signal
      )
      return aggregateModelUsage(pages)
    },

    async checkKey(signal) {
      // Yesterday to now: at most two small buckets, and it exercises exactly the permission
      // (api.usage.read) that polling needs.
      const start = Math.floor(now() / 1000 / DAY_SECONDS) * DAY_SECONDS - DAY_SECONDS
      const raw = await call(
        (s) => usage.costs({ start_time: start, bucket_width: '1d', limit: 1 }, { signal: s }),
        signal
      )
      parseWith(costsPageSchema, raw)
    }
  }
}

interface Range {
  start: number
  /** Exclusive end in unix seconds; undefined = up to now (no `end_time` sent). */
  end: number | undefined
  /** Days the range spans (for the page cap). */
  days: number
}

function rangeOf(startDay: string, endDayExclusive: string | undefined, nowMs: number): Range {
  const start = dayStartSeconds(startDay)
  const asked = endDayExclusive === undefined ? undefined : dayStartSeconds(endDayExclusive)
  if (asked !== undefined && asked <= start) {
    throw new RangeError(`empty day range: ${startDay} to ${endDayExclusive}`)
  }
  const nowSeconds = Math.floor(nowMs / 1000)
  // Never ask for an end in the future: up to now is asked by leaving end_time out.
  const end = asked !== undefined && asked <= nowSeconds ? asked : undefined
  const days = Math.ceil(((end ?? Math.max(nowSeconds, start + 1)) - start) / DAY_SECONDS)
  return { start, end, days }
}

function clampLimit(limit: number, max: number): number {
  return Math.min(max, Math.max(1, Math.floor(limit)))
}

function parseWith<P>(schema: z.ZodType<P>, raw: unknown): P {
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw badResponse(describeIssue(parsed.error))
  return parsed.data
}

function badResponse(detail: string): CreditTrayError {
  return new CreditTrayError('bad_response', `${MESSAGES.bad_response} (${detail})`)
}

/**
 * Sums validated cost pages, page by page, into one DayCosts per bucket. Refuses what would make
 * a wrong total: a day that comes back twice, and amounts in two currencies (within a day or
 * across days): different currencies are never added up.
 */
function createCostSum() {
  const byDay = new Map<string, DayCosts>()
  let currency: string | undefined
  /** Oldest first; days without any result carry the currency of the others. */
  function days(): DayCosts[] {
    // Each date is there once (a second one is refused below).
    const all = [...byDay.values()].sort((a, b) => (a.date < b.date ? -1 : 1))
    return currency === undefined ? all : all.map((d) => ({ ...d, currency: currency! }))
  }
  return {
    add(page: CostsPage): void {
      for (const bucket of page.data) {
        const date = dayFromSeconds(bucket.start_time)
        // Two buckets for one day would be counted twice; refuse rather than over-report spend.
        if (byDay.has(date)) throw badResponse(`day ${date} came back twice`)
        const day: DayCosts = { date, total: 0, currency: 'usd', lineItems: {}, projects: {} }
        let dayCurrency: string | undefined
        for (const r of bucket.results) {
          if (!r.amount) continue // absent amount: nothing was charged for this result
          if (dayCurrency !== undefined && r.amount.currency !== dayCurrency) {
            throw badResponse(`day ${date} mixes ${dayCurrency} and ${r.amount.currency}`)
          }
          dayCurrency = r.amount.currency
          const value = r.amount.value
          day.total += value
          addTo(day.lineItems, r.line_item ?? OTHER, value)
          addTo(day.projects, r.project_id ?? OTHER, value)
        }
        if (dayCurrency !== undefined) {
          if (currency !== undefined && dayCurrency !== currency) {
            throw new CreditTrayError('bad_response', mixedCurrencies(currency, dayCurrency))
          }
          currency = dayCurrency
        }
        byDay.set(date, day)
      }
    },
    days,
    /** The latest day summed so far, or null. */
    lastDay: (): string | null => days().at(-1)?.date ?? null
  }
}

/** Sum validated cost pages into one DayCosts per bucket, oldest first. */
export function aggregateCostPages(pages: readonly CostsPage[]): DayCosts[] {
  const sum = createCostSum()
  for (const page of pages) sum.add(page)
  return sum.days()
}

/** Sum validated completions pages per model, by total tokens descending, then by name. */
export function aggregateModelUsage(pages: readonly CompletionsPage[]): ModelUsageTotals[] {
  const byModel = new Map<string, ModelUsageTotals>()
  for (const r of pages.flatMap((p) => p.data).flatMap((b) => b.results)) {
    const model = r.model ?? OTHER
    const t = byModel.get(model) ?? { model, inputTokens: 0, outputTokens: 0, requests: 0 }
    t.inputTokens += r.input_tokens
    t.outputTokens += r.output_tokens
    t.requests += r.num_model_requests
    byModel.set(model, t)
  }
  return [...byModel.values()].sort(
    (a, b) =>
      b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) ||
      // Each model is there once.
      (a.model < b.model ? -1 : 1)
  )
}

function addTo(map: Record<string, number>, name: string, value: number): void {
  map[name] = (map[name] ?? 0) + value
}

interface HeaderBag {
  get(name: string): string | null
}

/**
 * The server's requested wait in ms: `retry-after-ms`, else `Retry-After` as seconds or as an
 * HTTP date (relative to `nowMs`). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderBag | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined
  const ms = headers.get('retry-after-ms')?.trim()
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms))
  const value = headers.get('retry-after')?.trim() ?? ''
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000)
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

/**
 * A stand-in for the original error to keep as `cause`: its name and message with secrets
 * redacted, because an SDK error may quote a server message that echoes the key, and a
 * logged cause chain is still a log.
 */
function safeCause(err: unknown, key: string | undefined): Error {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return new Error(redactSecrets(text, key))
}

/** The server's own words, trimmed and without anything that looks like a key. */
function serverSays(err: APIError, key: string | undefined): string {
  const body = err.error as { message?: unknown } | undefined
  const text = typeof body?.message === 'string' ? body.message.trim() : ''
  if (!text) return ''
  const clipped = text.length > 300 ? text.slice(0, 300) + '…' : text
  return ` OpenAI said: "${redactSecrets(clipped, key)}"`
}

function isInsufficientQuota(err: APIError): boolean {
  return err.code === 'insufficient_quota' || err.type === 'insufficient_quota'
}

/** A hard spend limit was reached: 429 until the month resets or the limit is raised. */
function isSpendLimit(err: APIError): boolean {
  return (
    err.code === 'organization_spend_limit_exceeded' || err.code === 'project_spend_limit_exceeded'
  )
}

/**
 * Turn anything the SDK (or fetch, or JSON.parse) throws into a CreditTrayError whose message a
 * person can act on. `key` is scrubbed from whatever server text is quoted.
 */
export function classifyApiError(
  err: unknown,
  key?: string,
  nowMs = Date.now(),
  host = DEFAULT_API_HOST
): CreditTrayError {
  if (err instanceof CreditTrayError) return err
  const opts = { cause: safeCause(err, key) }

  // Connection-level first: these subclass APIError but have no status.
  if (err instanceof APIConnectionTimeoutError)
    return new CreditTrayError('network', timeoutMessage(host), opts)
  if (err instanceof APIUserAbortError)
    return new CreditTrayError('network', networkMessage(host), opts)
  if (err instanceof APIConnectionError)
    return new CreditTrayError('network', networkMessage(host), opts)

  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status
    const withStatus = { ...opts, status }
    if (status === 401)
      return new CreditTrayError('auth', MESSAGES.auth + serverSays(err, key), withStatus)
    if (status === 403) {
      return new CreditTrayError(
        'permission',
        MESSAGES.permission + serverSays(err, key),
        withStatus
      )
    }
    if (status === 429 && isInsufficientQuota(err)) {
      // Out of credit, not too many requests: waiting for Retry-After will not help, only a
      // top-up will. Reading costs is free, so checking again on the normal schedule is
      // harmless; 'server' keeps it retryable without pretending it is a rate limit.
      return new CreditTrayError(
        'server',
        'OpenAI answered that the organization has no credit left (insufficient_quota). ' +
          'Add to the credit balance at ' +
          BILLING_URL +
          '; Credit Tray will check again on its normal schedule.',
        { ...withStatus, quickRetry: false }
      )
    }
    if (status === 429 && isSpendLimit(err)) {
      return new CreditTrayError(
        'server',
        'OpenAI answered that a hard spend limit was reached (' +
          String(err.code) +
          '). Raise the limit at ' +
          LIMITS_URL +
          ' or wait for the next month; Credit Tray will check again on its normal schedule.',
        { ...withStatus, quickRetry: false }
      )
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(err.headers, nowMs)
      return new CreditTrayError('rate_limit', MESSAGES.rate_limit, { ...withStatus, retryAfterMs })
    }
    if (status >= 500 || status === 408 || status === 409) {
      return new CreditTrayError('server', MESSAGES.server, withStatus)
    }
    // Any other 4xx: we asked for something this API does not serve (a proxy base URL, a
    // changed parameter). Retrying the same request will not fix it.
    return new CreditTrayError(
      'bad_response',
      `${MESSAGES.bad_response} (HTTP ${status})${serverSays(err, key)}`,
      withStatus
    )
  }

  // The body arrived but was not JSON (cut short or garbled).
  if (err instanceof SyntaxError) {
    return new CreditTrayError(
      'bad_response',
      `${MESSAGES.bad_response} (the JSON was cut short or malformed)`,
      opts
    )
  }
  // An abort while the body was still streaming (a caller cancelled).
  if (err instanceof Error && err.name === 'AbortError') {
    return new CreditTrayError('network', networkMessage(host), opts)
  }
  if (err instanceof Error && err.name === 'TimeoutError') {
    return new CreditTrayError('network', timeoutMessage(host), opts)
  }
  // undici's "terminated" when the connection drops mid-body, and anything else unforeseen:
  // most likely the network; retrying is the safe default.
  return new CreditTrayError('network', networkMessage(host), opts)
}

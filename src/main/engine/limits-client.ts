// Reads (and, only when the user asks, writes) OpenAI's hard spend limits and email spend alerts
// through the official SDK (`client.admin.organization.spendLimit`, `.spendAlerts`,
// `.projects.spendLimit`, `.projects.spendAlerts`).
//
// What this module adds to the SDK: every answer validated with zod, integer cents turned into
// dollars at this one border, "no limit" (404, or an amount of 0) turned into null, alert pages
// followed with a page cap and a repeated-cursor check, and errors classified like the costs
// client's. The SDK's own retries are off: the limits are re-read on the engine's schedule.
import OpenAI, { APIError } from 'openai'
import { z } from 'zod'
import { describeIssue } from './api-schemas'
import { classifyApiError, DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from './costs-client'
import { CreditTrayError, MESSAGES } from './errors'

/** Alert pages followed at most (100 alerts a page). */
export const MAX_ALERT_PAGES = 10
const ALERTS_PAGE_SIZE = 100

/** A hard spend limit as read: dollars; `enforcement` exactly as OpenAI sent it. */
export interface RawLimit {
  amount: number
  currency: string
  enforcement: string
}

export interface RawAlert {
  id: string
  amount: number
  recipients: number
}

const centsSchema = z.number().int().nonnegative()

const limitSchema = z.object({
  threshold_amount: centsSchema,
  currency: z.string().min(1),
  enforcement: z.object({ status: z.string().min(1) })
})

const alertSchema = z.object({
  id: z.string().min(1),
  threshold_amount: centsSchema,
  notification_channel: z.object({ recipients: z.array(z.string()) })
})

const alertPageSchema = z.object({
  data: z.array(alertSchema),
  has_more: z.boolean().optional(),
  last_id: z.string().nullish()
})

export interface LimitsClientOptions {
  apiKey: string
  baseURL?: string
  timeoutMs?: number
  fetch?: typeof globalThis.fetch
}

export interface LimitsClient {
  /** The organization's hard limit, or null when there is none (404 or an amount of 0). */
  orgLimit(): Promise<RawLimit | null>
  projectLimit(projectId: string): Promise<RawLimit | null>
  /** Email alerts, every page; a 404 means none. */
  orgAlerts(): Promise<RawAlert[]>
  projectAlerts(projectId: string): Promise<RawAlert[]>
  /** Writes: only after the user confirmed (CLI --yes, or the window's confirm step). */
  setOrgLimit(amount: number): Promise<RawLimit>
  addOrgAlert(amount: number, recipients: string[]): Promise<RawAlert>
}

/** Dollars to the API's integer cents; refuses what cannot be sent exactly. */
export function toCents(amount: number): number {
  const cents = Math.round(amount * 100)
  if (!Number.isFinite(amount) || amount <= 0 || Math.abs(cents - amount * 100) > 1e-6) {
    throw new RangeError(`not a positive amount in whole cents: ${amount}`)
  }
  return cents
}

function parse<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    throw new CreditTrayError(
      'bad_response',
      `${MESSAGES.bad_response} (${what}: ${describeIssue(parsed.error)})`
    )
  }
  return parsed.data
}

function toLimit(raw: unknown, what: string): RawLimit | null {
  const limit = parse(limitSchema, raw, what)
  // OpenAI reports "no limit" both as a 404 and as an amount of 0.
  if (limit.threshold_amount === 0) return null
  return {
    amount: limit.threshold_amount / 100,
    currency: limit.currency,
    enforcement: limit.enforcement.status
  }
}

function toAlert(raw: z.infer<typeof alertSchema>): RawAlert {
  return {
    id: raw.id,
    amount: raw.threshold_amount / 100,
    recipients: raw.notification_channel.recipients.length
  }
}

const isNotFound = (e: unknown): boolean => e instanceof APIError && e.status === 404

export function createLimitsClient(opts: LimitsClientOptions): LimitsClient {
  const key = opts.apiKey
  // Pinned like the costs client's: only the Admin key is ever sent.
  const sdk = new OpenAI({
    adminAPIKey: key,
    apiKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: opts.baseURL ?? DEFAULT_BASE_URL,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: 0,
    logLevel: 'off',
    ...(opts.fetch ? { fetch: opts.fetch } : {})
  })
  const org = sdk.admin.organization

  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (e) {
      throw classifyApiError(e, key)
    }
  }

  /** A read where 404 means "none". */
  async function readOr<T>(none: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (e) {
      if (isNotFound(e)) return none
      throw classifyApiError(e, key)
    }
  }

  async function allAlerts(
    list: (query: { limit: number; after?: string }) => Promise<unknown>
  ): Promise<RawAlert[]> {
    const alerts: RawAlert[] = []
    const seen = new Set<string>()
    let after: string | undefined
    for (let pages = 0; ; pages++) {
      if (pages >= MAX_ALERT_PAGES) {
        throw new CreditTrayError(
          'bad_response',
          `${MESSAGES.bad_response} (still more spend alerts after ${MAX_ALERT_PAGES} pages)`
        )
      }
      const raw = await list({ limit: ALERTS_PAGE_SIZE, ...(after ? { after } : {}) })
      const page = parse(alertPageSchema, raw, 'spend alerts')
      alerts.push(...page.data.map(toAlert))
      if (!page.has_more) return alerts
      // `||`, not `??`: the SDK's page object turns a missing last_id into ''.
      const next = page.last_id || page.data.at(-1)?.id
      if (!next || seen.has(next)) {
        throw new CreditTrayError(
          'bad_response',
          `${MESSAGES.bad_response} (the spend alert page cursor repeated)`
        )
      }
      seen.add(next)
      after = next
    }
  }

  // The SDK's list() resolves to a page object; only its plain fields are read (and validated).
  const plainPage = async (
    p: PromiseLike<{ data: unknown; has_more?: unknown; last_id?: unknown }>
  ) => {
    const page = await p
    return { data: page.data, has_more: page.has_more, last_id: page.last_id }
  }

  return {
    orgLimit: () =>
      readOr(null, async () => toLimit(await org.spendLimit.retrieve(), 'spend limit')),
    projectLimit: (projectId) =>
      readOr(null, async () =>
        toLimit(await org.projects.spendLimit.retrieve(projectId), 'project spend limit')
      ),
    orgAlerts: () => readOr([], () => allAlerts((query) => plainPage(org.spendAlerts.list(query)))),
    projectAlerts: (projectId) =>
      readOr([], () =>
        allAlerts((query) => plainPage(org.projects.spendAlerts.list(projectId, query)))
      ),
    async setOrgLimit(amount) {
      const raw = await call(() =>
        org.spendLimit.update({
          currency: 'USD',
          interval: 'month',
          threshold_amount: toCents(amount)
        })
      )
      const limit = toLimit(raw, 'spend limit')
      if (!limit) throw new CreditTrayError('bad_response', `${MESSAGES.bad_response} (limit 0)`)
      return limit
    },
    async addOrgAlert(amount, recipients) {
      const raw = await call(() =>
        org.spendAlerts.create({
          currency: 'USD',
          interval: 'month',
          threshold_amount: toCents(amount),
          notification_channel: { type: 'email', recipients }
        })
      )
      return toAlert(parse(alertSchema, raw, 'spend alert'))
    }
  }
}

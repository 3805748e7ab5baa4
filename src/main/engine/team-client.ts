// Team mode: a tray that reads the status from a team server (`credit-tray serve`) instead of
// holding an Admin key. This file talks to the server: which URLs are allowed (https, or http to
// this computer, since the read token travels with every request), one GET /status.json, and a
// strict check of what comes back — a server of another version or a proxy's error page must
// become an error, never a number.
import { z } from 'zod'
import { ERROR_KINDS, NO_LIMITS, type Status } from '../../shared/status'
import { CreditTrayError } from './errors'
import { isHttpsOrLoopback } from './url-policy'

/** Where one account of the tray reads from: the server and which of its accounts. */
export interface TeamServer {
  /** Base URL, e.g. "https://credit.example.com" (no trailing slash). */
  url: string
  /** The server's account to show; null = the server's active account. */
  account: string | null
}

export const teamServerSchema = z.object({
  url: z.string().refine(isHttpsOrLoopback),
  account: z.string().min(1).max(100).nullable()
})

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal; redirect: 'error' }
) => Promise<{ status: number; text(): Promise<string> }>

export const TEAM_URL_RULE =
  'Use an https:// address (plain http only for this computer: localhost or 127.0.0.1), so the read token never crosses the network unencrypted.'

/** A URL a person typed, as the base URL we store; or why it cannot be used. */
export function normalizeTeamServerUrl(
  raw: string
): { ok: true; url: string } | { ok: false; message: string } {
  const text = raw.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { ok: false, message: 'That is not a web address (e.g. https://credit.example.com).' }
  }
  if (url.username || url.password)
    return { ok: false, message: 'Leave the user name and password out of the address.' }
  if (!isHttpsOrLoopback(url.href)) return { ok: false, message: TEAM_URL_RULE }
  if (url.search || url.hash)
    return { ok: false, message: 'Give the server address only, without ? or #.' }
  return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, '') }
}

export function teamStatusUrl(server: TeamServer): string {
  const url = new URL(server.url.replace(/\/*$/, '/') + 'status.json')
  if (server.account !== null) url.searchParams.set('account', server.account)
  return url.href
}

const num = z.number()
const namedCost = z.object({ name: z.string(), cost: num })
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)))
const spendLimit = z.object({
  amount: num,
  currency: z.string().max(10),
  enforcement: z.string().max(50),
  reached: z.boolean().nullable(),
  monthToDate: num.nullable(),
  projectedMonthEnd: num.nullable(),
  reachOn: day.nullable()
})

/** What `status --json` prints (src/shared/status.ts). Extra fields of newer servers pass. */
export const remoteStatusSchema = z.looseObject({
  currency: z.string().min(1).max(10),
  balance: num.nullable(),
  balanceRecordedAt: isoTime.nullable(),
  balanceComplete: z.boolean(),
  spend: z.object({ today: num, last7Days: num, monthToDate: num }),
  daily: z.array(z.object({ date: day, cost: num })).max(400),
  burnRatePerDay: num,
  burnRateDays: num,
  daysLeft: num.nullable(),
  runOutDate: day.nullable(),
  level: z.enum(['ok', 'low', 'critical', 'unknown']),
  thresholds: z.object({
    lowBalance: num,
    lowDays: num,
    criticalBalance: num,
    criticalDays: num
  }),
  lastUpdated: isoTime.nullable(),
  stale: z.boolean(),
  error: z.object({ kind: z.enum(ERROR_KINDS), message: z.string().max(2000) }).nullable(),
  topLineItems: z.array(namedCost).max(50),
  topProjects: z.array(namedCost).max(50),
  topModels: z
    .array(z.object({ model: z.string(), inputTokens: num, outputTokens: num, requests: num }))
    .max(50),
  notices: z.array(z.string().max(2000)).max(50),
  balanceBasis: z.enum(['recorded', 'assumed-reloads']),
  autoRecharge: z
    .object({
      reloadsAssumed: num,
      assumedTotal: num,
      monthReloaded: num,
      monthlyLimit: num.nullable(),
      headroom: num.nullable(),
      limitReachedOn: day.nullable()
    })
    .nullable(),
  budget: z.object({ amount: num, spent: num, fraction: num, projectedMonthEnd: num }).nullable(),
  // OpenAI's hard spend limits as the server read them; a server from before they existed
  // sends none, which reads as "not read yet" (never as "no limit" with numbers).
  limits: z
    .object({
      organization: spendLimit.nullable(),
      projects: z.array(spendLimit.extend({ projectId: z.string() })).max(100),
      alerts: z.array(z.object({ scope: z.string(), amount: num, recipients: num })).max(200),
      checkedAt: isoTime.nullable(),
      unavailable: z.literal('permission').nullable(),
      hint: z.string().max(2000).nullable().default(null)
    })
    .default(() => ({ ...NO_LIMITS })),
  expiringCredit: z
    .array(z.object({ purchasedOn: day, expiresOn: day, remaining: num }))
    .max(400)
    .default(() => [])
})

export const TEAM_MESSAGES = {
  auth: 'The team server refused the read token (401). Ask whoever runs it for the current token and save it again in Settings.',
  no_token: 'No read token for the team server is saved. Add it again in Settings.',
  unreadable:
    'The team server sent an answer Credit Tray does not understand (a different version, or not a Credit Tray server?). The last good data is kept.'
} as const

/** GET /status.json from the team server. Throws CreditTrayError with a kind the scheduler understands. */
export async function fetchTeamStatus(
  server: TeamServer,
  token: string,
  fetchImpl: FetchLike,
  timeoutMs: number
): Promise<Status> {
  const where = new URL(server.url).host
  let res: Awaited<ReturnType<FetchLike>>
  let body: string
  try {
    // redirect 'error': the token is never replayed to wherever a redirect points.
    res = await fetchImpl(teamStatusUrl(server), {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error'
    })
    body = await res.text()
  } catch {
    throw new CreditTrayError(
      'network',
      `Could not reach the team server at ${where}. Credit Tray will retry.`
    )
  }
  if (res.status === 401 || res.status === 403)
    throw new CreditTrayError('auth', TEAM_MESSAGES.auth, { status: res.status })
  if (res.status === 404 && server.account !== null)
    throw new CreditTrayError(
      'bad_response',
      `The team server at ${where} has no account named "${server.account}".`,
      { status: 404 }
    )
  if (res.status === 429)
    throw new CreditTrayError('rate_limit', `The team server at ${where} asks to slow down.`, {
      status: 429
    })
  if (res.status >= 500)
    throw new CreditTrayError(
      'server',
      `The team server at ${where} answered with an error (${res.status}). Credit Tray will retry.`,
      { status: res.status }
    )
  if (res.status !== 200)
    throw new CreditTrayError('bad_response', TEAM_MESSAGES.unreadable, { status: res.status })
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new CreditTrayError('bad_response', TEAM_MESSAGES.unreadable)
  }
  const parsed = remoteStatusSchema.safeParse(json)
  if (!parsed.success) throw new CreditTrayError('bad_response', TEAM_MESSAGES.unreadable)
  return parsed.data as Status
}

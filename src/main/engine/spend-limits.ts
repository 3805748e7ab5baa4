// OpenAI's own guardrails — monthly hard spend limits and email spend alerts — next to what
// Credit Tray measures. The limit object carries no spend, so "reached" and the projection come
// from this UTC month's costs (Costs API, arriving late) against the amount.
//
// This module is pure except `readLimits`, which takes the client it reads through.
import { z } from 'zod'
import { EXTERNAL_PAGES } from '../../shared/ipc'
import type {
  Level,
  LimitsStatus,
  ProjectLimitStatus,
  SpendAlertInfo,
  SpendLimitStatus
} from '../../shared/status'
import { NO_LIMITS } from '../../shared/status'
import { limitLevel } from '../../shared/limit-level'

export { LIMIT_CRITICAL_DAYS, limitLevel } from '../../shared/limit-level'
import { firstDayWithSpend, type CostCache } from './cost-cache'
import { OTHER } from './costs-client'
import { addDays, monthStart, utcDay } from './dates'
import { CreditTrayError } from './errors'
import type { LimitsClient, RawLimit } from './limits-client'
import { computeProjections } from './projections'

/** Re-read the limits at most this often on steady polling (start and manual refresh always do). */
export const LIMITS_REFRESH_MS = 6 * 3_600_000
/** Projects with costs this month whose limits are read per round, highest spend first. */
export const MAX_PROJECTS = 20

export const PERMISSION_HINT =
  'This Admin key may not read the spend limits and alerts. Credit Tray still shows the balance; ' +
  'the limits are on the limits page of the OpenAI dashboard.'

export const WRITE_DENIED =
  'OpenAI refused the change (403): this Admin key may not change spend limits or alerts. ' +
  `Nothing was changed. An organization owner can change them at ${EXTERNAL_PAGES.limits}`

const rawLimitSchema = z.object({
  amount: z.number().finite().positive(),
  currency: z.string(),
  enforcement: z.string()
})

/** What was read from OpenAI (dollars), kept in limits.json between reads. */
export const limitsSnapshotSchema = z.object({
  /** Last read attempt (ISO): the 6-hour rule counts from here, so a failing read is not hammered. */
  attemptedAt: z.string().nullable(),
  /** Last complete successful read (ISO). */
  checkedAt: z.string().nullable(),
  unavailable: z.literal('permission').nullable(),
  /** Why the last read failed, for a person; null after a success. */
  problem: z.string().nullable(),
  organization: rawLimitSchema.nullable(),
  projects: z.array(rawLimitSchema.extend({ projectId: z.string().min(1) })),
  alerts: z.array(
    z.object({
      scope: z.string().min(1),
      amount: z.number().finite().nonnegative(),
      recipients: z.number().int().nonnegative()
    })
  )
})
export type LimitsSnapshot = z.infer<typeof limitsSnapshotSchema>

export const EMPTY_LIMITS_SNAPSHOT: LimitsSnapshot = {
  attemptedAt: null,
  checkedAt: null,
  unavailable: null,
  problem: null,
  organization: null,
  projects: [],
  alerts: []
}

/** Due on steady polling: never read, or the last attempt is 6 hours old. */
export function limitsDue(snapshot: LimitsSnapshot, now: Date): boolean {
  if (snapshot.attemptedAt === null) return true
  return now.getTime() - Date.parse(snapshot.attemptedAt) >= LIMITS_REFRESH_MS
}

/**
 * Projects whose limits and alerts are read: those with costs this UTC month (at most 20,
 * highest spend first, "(other)" excluded), plus the account's project filter.
 */
export function projectsToCheck(
  cache: CostCache,
  today: string,
  filter: readonly string[] = []
): string[] {
  const totals = new Map<string, number>()
  for (let d = monthStart(today); d <= today; d = addDays(d, 1)) {
    for (const [id, cost] of Object.entries(cache.days[d]?.projects ?? {})) {
      if (id !== OTHER) totals.set(id, (totals.get(id) ?? 0) + cost)
    }
  }
  const spending = [...totals]
    .filter(([, cost]) => cost > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, MAX_PROJECTS)
    .map(([id]) => id)
  return [...new Set([...spending, ...filter])]
}

/**
 * One round of reads. A 403 on any of them makes the whole round `unavailable: permission`
 * (nothing half-read is shown); other failures throw, and the caller keeps the last good read.
 */
export async function readLimits(
  client: LimitsClient,
  projectIds: readonly string[],
  now: Date
): Promise<LimitsSnapshot> {
  const at = now.toISOString()
  try {
    const [organization, orgAlerts] = await Promise.all([client.orgLimit(), client.orgAlerts()])
    const projects: LimitsSnapshot['projects'] = []
    const alerts: SpendAlertInfo[] = orgAlerts.map((a) => ({
      scope: 'organization',
      amount: a.amount,
      recipients: a.recipients
    }))
    // A few at a time: at most 20 projects, two requests each, every 6 hours.
    for (let i = 0; i < projectIds.length; i += 4) {
      const batch = projectIds.slice(i, i + 4)
      const read = await Promise.all(
        batch.map(
          async (id) => [id, await client.projectLimit(id), await client.projectAlerts(id)] as const
        )
      )
      for (const [projectId, limit, projectAlerts] of read) {
        if (limit) projects.push({ projectId, ...limit })
        for (const a of projectAlerts)
          alerts.push({ scope: projectId, amount: a.amount, recipients: a.recipients })
      }
    }
    return {
      attemptedAt: at,
      checkedAt: at,
      unavailable: null,
      problem: null,
      organization,
      projects,
      alerts
    }
  } catch (e) {
    if (e instanceof CreditTrayError && e.kind === 'permission') {
      return {
        ...EMPTY_LIMITS_SNAPSHOT,
        attemptedAt: at,
        unavailable: 'permission',
        problem: PERMISSION_HINT
      }
    }
    throw e
  }
}

/** A failed read (not a permission problem): keep what was read before, say what went wrong. */
export function limitsReadFailed(
  previous: LimitsSnapshot,
  now: Date,
  message: string
): LimitsSnapshot {
  return {
    ...previous,
    attemptedAt: now.toISOString(),
    problem: `Spend limits not refreshed: ${message}`
  }
}

interface ScopeSpend {
  monthToDate: number
  burnRatePerDay: number
}

/** One limit against its scope's month: reached, month-end projection, the crossing day. */
export function limitAgainstSpend(
  limit: RawLimit,
  spend: ScopeSpend | null,
  now: Date
): SpendLimitStatus {
  const base = { amount: limit.amount, currency: limit.currency, enforcement: limit.enforcement }
  if (spend === null) {
    return { ...base, reached: null, monthToDate: null, projectedMonthEnd: null, reachOn: null }
  }
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
  const burn =
    Number.isFinite(spend.burnRatePerDay) && spend.burnRatePerDay > 0 ? spend.burnRatePerDay : 0
  const daysRemaining = Math.max(0, (monthEnd - now.getTime()) / 86_400_000)
  const reached = spend.monthToDate >= limit.amount
  let reachOn: string | null = null
  if (!reached && burn > 0) {
    const crossMs = now.getTime() + ((limit.amount - spend.monthToDate) / burn) * 86_400_000
    if (crossMs < monthEnd) reachOn = utcDay(crossMs)
  }
  return {
    ...base,
    reached,
    monthToDate: spend.monthToDate,
    projectedMonthEnd: spend.monthToDate + burn * daysRemaining,
    reachOn
  }
}

const RANK: Record<Level, number> = { unknown: 0, ok: 1, low: 2, critical: 3 }

/** The worse of two levels; `unknown` (nothing to judge) is the mildest. */
export function worseLevel(a: Level, b: Level | null): Level {
  return b !== null && RANK[b] > RANK[a] ? b : a
}

export interface LimitsStatusInput {
  snapshot: LimitsSnapshot
  cache: CostCache
  now: Date
  /** The organization's month-to-date and burn rate; null when the costs are filtered by project. */
  orgSpend: ScopeSpend | null
}

/** The snapshot against this month's costs: `status.limits` and the level it implies. */
export function limitsStatus({ snapshot, cache, now, orgSpend }: LimitsStatusInput): {
  limits: LimitsStatus
  level: Level
} {
  if (snapshot.checkedAt === null && snapshot.unavailable === null) {
    return { limits: { ...NO_LIMITS, hint: snapshot.problem }, level: 'unknown' }
  }
  const today = utcDay(now.getTime())
  const historyStart = firstDayWithSpend(cache)
  const organization =
    snapshot.organization && limitAgainstSpend(snapshot.organization, orgSpend, now)
  const projects: ProjectLimitStatus[] = snapshot.projects.map((p) => {
    const p30 = computeProjections({
      costsByDay: (day) => cache.days[day]?.projects[p.projectId] ?? 0,
      now,
      balance: null,
      historyStart
    })
    const spend =
      cache.coveredFrom === null
        ? null
        : { monthToDate: p30.spend.monthToDate, burnRatePerDay: p30.burnRatePerDay }
    return { projectId: p.projectId, ...limitAgainstSpend(p, spend, now) }
  })
  const limits: LimitsStatus = {
    organization,
    projects,
    alerts: snapshot.alerts,
    checkedAt: snapshot.checkedAt,
    unavailable: snapshot.unavailable,
    hint: snapshot.problem
  }
  return { limits, level: limitsLevel(limits, today) }
}

/** The worst level of the limits in `status.limits` on the UTC day `today`; unknown without any. */
export function limitsLevel(
  limits: Pick<LimitsStatus, 'organization' | 'projects'>,
  today: string
): Level {
  let level: Level = 'unknown'
  for (const limit of [limits.organization, ...limits.projects]) {
    if (limit) level = worseLevel(level, limitLevel(limit, today))
  }
  return level
}

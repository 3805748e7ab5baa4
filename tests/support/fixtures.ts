// Status, key and settings fixtures for the renderer tests, the e2e test bridge and the
// renderer benchmark. Browser-safe (no Node imports): the test bridge bundles this file.
import { DEFAULT_SETTINGS, type KeyInfo, type Settings } from '../../src/shared/settings'
import {
  DEFAULT_THRESHOLDS,
  NO_LIMITS,
  roundCents,
  type DailyPoint,
  type Level,
  type Status,
  type Thresholds
} from '../../src/shared/status'

const DAY_MS = 86_400_000

export function utcDayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * `days` zero-filled UTC days ending today, oldest first, with a weekday/weekend rhythm and a
 * partial today, so charts look like real usage. Deterministic for a given `now`.
 */
export function makeDaily(now: number, days = 30, perDay = 3.4): DailyPoint[] {
  const out: DailyPoint[] = []
  for (let i = days - 1; i >= 0; i--) {
    const ms = now - i * DAY_MS
    const weekday = new Date(ms).getUTCDay()
    const weekend = weekday === 0 || weekday === 6
    const wobble = 1 + 0.35 * Math.sin(i * 1.7) + 0.15 * Math.cos(i * 0.6)
    let cost = perDay * wobble * (weekend ? 0.45 : 1.15)
    if (i === 0) cost *= 0.4 // today is partial
    if (i === 9) cost = 0 // one quiet day, so zero-height bars are exercised
    out.push({ date: utcDayOf(ms), cost: roundCents(cost) })
  }
  return out
}

/** The level rule in its simplest form (the engine's levels.ts is the real one). */
export function levelFor(balance: number | null, daysLeft: number | null, t: Thresholds): Level {
  if (balance === null) return 'unknown'
  if (balance <= t.criticalBalance || (daysLeft !== null && daysLeft <= t.criticalDays))
    return 'critical'
  if (balance <= t.lowBalance || (daysLeft !== null && daysLeft <= t.lowDays)) return 'low'
  return 'ok'
}

/** Recomputes what follows from a balance: days left, run-out date, level. */
export function withBalance(status: Status, balance: number | null, now: number): Status {
  const daysLeft =
    balance === null || status.burnRatePerDay <= 0
      ? null
      : Math.round((balance / status.burnRatePerDay) * 10) / 10
  return {
    ...status,
    balance: balance === null ? null : roundCents(balance),
    balanceRecordedAt: balance === null ? null : new Date(now).toISOString(),
    daysLeft,
    runOutDate: daysLeft === null ? null : utcDayOf(now + Math.floor(daysLeft) * DAY_MS),
    level: levelFor(balance, daysLeft, status.thresholds)
  }
}

/** A healthy status ($41.20, about 12 days at $3.40/day) updated 3 minutes before `now`. */
export function makeStatus(overrides: Partial<Status> = {}, now = Date.now()): Status {
  const daily = overrides.daily ?? makeDaily(now)
  const last7 = daily.slice(-7)
  const base: Status = {
    notices: [],
    limits: NO_LIMITS,
    expiringCredit: [],
    balanceBasis: 'recorded',
    autoRecharge: null,
    budget: null,
    currency: 'usd',
    balance: 41.2,
    balanceRecordedAt: new Date(now - 6 * DAY_MS).toISOString(),
    balanceComplete: true,
    burnRateDays: 7,
    spend: {
      today: daily[daily.length - 1]?.cost ?? 0,
      last7Days: roundCents(last7.reduce((s, d) => s + d.cost, 0)),
      monthToDate: roundCents(daily.slice(-20).reduce((s, d) => s + d.cost, 0))
    },
    daily,
    burnRatePerDay: 3.4,
    daysLeft: 12.1,
    runOutDate: utcDayOf(now + 12 * DAY_MS),
    level: 'ok',
    thresholds: { ...DEFAULT_THRESHOLDS },
    lastUpdated: new Date(now - 3 * 60_000).toISOString(),
    stale: false,
    error: null,
    topLineItems: [
      { name: 'gpt-4o, output', cost: 48.1 },
      { name: 'gpt-4o, input', cost: 21.75 },
      { name: 'gpt-4o-mini, output', cost: 9.3 }
    ],
    topProjects: [
      { name: 'Support bot', cost: 52.4 },
      { name: 'proj_8f2kQ1Lx', cost: 24.05 },
      { name: '(other)', cost: 3.1 }
    ],
    topModels: [
      {
        model: 'gpt-4o-2024-08-06',
        inputTokens: 1_840_000,
        outputTokens: 412_000,
        requests: 3_412
      },
      { model: 'gpt-4o-mini', inputTokens: 960_000, outputTokens: 120_500, requests: 8_950 },
      { model: 'text-embedding-3-small', inputTokens: 310_000, outputTokens: 0, requests: 640 }
    ]
  }
  return { ...base, ...overrides }
}

/**
 * Month-to-date spend against a monthly budget, as main computes it (the level follows the budget
 * only without a balance: low from 80%, critical from 100%). `null` removes the budget.
 */
export function withBudget(status: Status, amount: number | null, now: number): Status {
  if (amount === null) {
    return { ...status, budget: null, level: status.balance === null ? 'unknown' : status.level }
  }
  const spent = status.spend.monthToDate
  const date = new Date(now)
  const monthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
  const fraction = spent / amount
  return {
    ...status,
    budget: {
      amount,
      spent,
      fraction,
      projectedMonthEnd: roundCents(spent + status.burnRatePerDay * ((monthEnd - now) / DAY_MS))
    },
    level:
      status.balance !== null
        ? status.level
        : fraction >= 1
          ? 'critical'
          : fraction >= 0.8
            ? 'low'
            : 'ok'
  }
}

/** A status whose balance includes `reloads` assumed auto-recharge reloads of `each` dollars. */
export function withAssumedReloads(
  status: Status,
  reloads: number,
  each: number,
  monthlyLimit: number | null
): Status {
  const total = reloads * each
  return {
    ...status,
    balanceBasis: reloads > 0 ? 'assumed-reloads' : 'recorded',
    autoRecharge: {
      reloadsAssumed: reloads,
      assumedTotal: total,
      monthReloaded: total,
      monthlyLimit,
      headroom: monthlyLimit === null ? null : Math.max(0, monthlyLimit - total),
      limitReachedOn: null
    }
  }
}

/** A status at the given level, with the numbers that would produce it. */
export function statusForLevel(level: Level, now = Date.now()): Status {
  const base = makeStatus({}, now)
  switch (level) {
    case 'ok':
      return base
    case 'low':
      return withBalance(base, 18.7, now)
    case 'critical':
      return withBalance(base, 4.35, now)
    case 'unknown':
      return withBalance(base, null, now)
  }
}

export const ADMIN_KEY_INFO: KeyInfo = {
  present: true,
  masked: 'sk-admin-…9f2c',
  type: 'admin',
  storage: 'keychain',
  warning: null
}

export const NO_KEY_INFO: KeyInfo = {
  present: false,
  masked: null,
  type: null,
  storage: null,
  warning: null
}

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, thresholds: { ...DEFAULT_SETTINGS.thresholds }, ...overrides }
}

export type LimitsScenario = 'ok' | 'projected' | 'reached' | 'inactive' | 'none' | 'unavailable'

/**
 * The status with OpenAI spend limits as the engine reports them: an organization limit that is
 * fine, projected to be reached, reached (enforcing) or reached but reported inactive; none set;
 * or unreadable with this key. Also with a project limit and two email alerts where set.
 */
export function withLimits(status: Status, scenario: LimitsScenario, now = Date.now()): Status {
  const checkedAt = new Date(now - 20 * 60_000).toISOString()
  if (scenario === 'unavailable') {
    return {
      ...status,
      limits: {
        ...NO_LIMITS,
        unavailable: 'permission',
        hint: 'This Admin key may not read the spend limits and alerts. Credit Tray still shows the balance; the limits are on the limits page of the OpenAI dashboard.'
      }
    }
  }
  if (scenario === 'none') return { ...status, limits: { ...NO_LIMITS, checkedAt } }
  const org = {
    ok: { amount: 500, monthToDate: 95, projectedMonthEnd: 310, reachOn: null, reached: false },
    projected: {
      amount: 200,
      monthToDate: 95,
      projectedMonthEnd: 310,
      reachOn: utcDayOf(now + 11 * DAY_MS),
      reached: false
    },
    reached: {
      amount: 200,
      monthToDate: 212,
      projectedMonthEnd: 390,
      reachOn: null,
      reached: true
    },
    inactive: {
      amount: 200,
      monthToDate: 212,
      projectedMonthEnd: 390,
      reachOn: null,
      reached: true
    }
  }[scenario]
  return {
    ...status,
    limits: {
      organization: {
        currency: 'USD',
        enforcement: scenario === 'inactive' ? 'inactive' : 'enforcing',
        ...org
      },
      projects: [
        {
          projectId: 'proj_chatbot',
          amount: 50,
          currency: 'USD',
          enforcement: 'enforcing',
          reached: false,
          monthToDate: 21.4,
          projectedMonthEnd: 44.9,
          reachOn: null
        }
      ],
      alerts: [
        { scope: 'organization', amount: 150, recipients: 2 },
        { scope: 'proj_chatbot', amount: 40, recipients: 1 }
      ],
      checkedAt,
      unavailable: null,
      hint: null
    }
  }
}

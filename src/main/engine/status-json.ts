// The JSON the CLI prints and the read server serves: one function each, so
// `credit-tray status --json` and `GET /status.json` (and `accounts list --json` and
// `GET /accounts.json`) can never drift apart.
import type { Level, SpendLimitStatus, Status } from '../../shared/status'
import { roundCents } from '../../shared/status'
import type { Account } from './accounts'

/** Money values in the JSON are numbers rounded to cents (the engine keeps full precision). */
export function statusToJson(s: Status): unknown {
  const cents = (n: number | null): number | null => (n === null ? null : roundCents(n))
  const limit = <L extends SpendLimitStatus>(l: L): L => ({
    ...l,
    monthToDate: cents(l.monthToDate),
    projectedMonthEnd: cents(l.projectedMonthEnd)
  })
  return {
    ...s,
    balance: s.balance === null ? null : roundCents(s.balance),
    spend: {
      today: roundCents(s.spend.today),
      last7Days: roundCents(s.spend.last7Days),
      monthToDate: roundCents(s.spend.monthToDate)
    },
    daily: s.daily.map((d) => ({ date: d.date, cost: roundCents(d.cost) })),
    burnRatePerDay: roundCents(s.burnRatePerDay),
    daysLeft: s.daysLeft === null ? null : Math.round(s.daysLeft * 10) / 10,
    topLineItems: s.topLineItems.map((i) => ({ name: i.name, cost: roundCents(i.cost) })),
    topProjects: s.topProjects.map((i) => ({ name: i.name, cost: roundCents(i.cost) })),
    autoRecharge: s.autoRecharge && {
      ...s.autoRecharge,
      assumedTotal: roundCents(s.autoRecharge.assumedTotal),
      monthReloaded: roundCents(s.autoRecharge.monthReloaded),
      headroom: s.autoRecharge.headroom === null ? null : roundCents(s.autoRecharge.headroom)
    },
    budget: s.budget && {
      ...s.budget,
      spent: roundCents(s.budget.spent),
      fraction: Math.round(s.budget.fraction * 1000) / 1000,
      projectedMonthEnd: roundCents(s.budget.projectedMonthEnd)
    },
    limits: {
      ...s.limits,
      organization: s.limits.organization && limit(s.limits.organization),
      projects: s.limits.projects.map(limit)
    },
    expiringCredit: s.expiringCredit.map((c) => ({ ...c, remaining: roundCents(c.remaining) }))
  }
}

/** Pretty JSON with a final newline, as the CLI prints it. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

/** Exactly what `credit-tray status --json` prints. */
export function statusJsonText(s: Status): string {
  return jsonText(statusToJson(s))
}

/** One row of `credit-tray accounts list --json`. */
export interface AccountRow {
  name: string
  active: boolean
  projectIds: string[]
  level: Level
  currency: string
  balance: number | null
  lastUpdated: string | null
}

export function accountRows(
  accounts: Account[],
  activeName: string,
  statusOf: (name: string) => Status
): AccountRow[] {
  return accounts.map((a) => {
    const s = statusOf(a.name)
    return {
      name: a.name,
      active: a.name === activeName,
      projectIds: a.projectIds,
      level: s.level,
      currency: s.currency,
      balance: s.balance === null ? null : roundCents(s.balance),
      lastUpdated: s.lastUpdated
    }
  })
}

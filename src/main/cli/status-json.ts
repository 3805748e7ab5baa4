// The `status --json` object: the Status with money rounded to cents.
import { roundCents, type SpendLimitStatus, type Status } from '../../shared/status'

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

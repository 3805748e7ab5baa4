// Prometheus metrics for `credit-tray serve`, from prom-client's registry (text format, label
// escaping and the default process metrics are its job, not ours).
//
// The gauges are filled at scrape time from the accounts' current statuses, so a scrape shows
// what /status.json shows at that moment. A value Credit Tray does not know is ABSENT, never 0:
// no balance recorded -> no balance and no days left; no successful fetch yet -> no spend, no
// burn rate and no last-success time. A 0 would look like an empty account to an alert rule.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { ErrorKind, Level, Status } from '../../shared/status'
import { roundCents } from '../../shared/status'

export const LEVELS: readonly Level[] = ['ok', 'low', 'critical', 'unknown']

/** One hard spend limit as issue-9's `status.limits` reports it, read defensively. */
export interface HardLimit {
  /** "organization" or the project id. */
  scope: string
  /** Dollars. */
  amount: number
  /** OpenAI's enforcement state as sent ("enforcing" / "inactive"), when known. */
  enforcement: string | null
  /** This UTC month's spend for that scope, dollars, when known. */
  monthToDate: number | null
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function limitOf(scope: unknown, raw: unknown): HardLimit | null {
  if (typeof scope !== 'string' || scope === '' || raw === null || typeof raw !== 'object')
    return null
  const r = raw as Record<string, unknown>
  if (!finite(r['amount'])) return null
  return {
    scope,
    amount: r['amount'],
    enforcement: typeof r['enforcement'] === 'string' ? r['enforcement'] : null,
    monthToDate: finite(r['monthToDate']) ? r['monthToDate'] : null
  }
}

/**
 * The hard spend limits in a status, if it has any (`status.limits.organization` and
 * `status.limits.projects[]`, amounts in dollars). Statuses without the field, or with a shape
 * we do not recognise, give none: no limit is exported rather than a wrong one.
 */
export function hardLimitsOf(status: Status): HardLimit[] {
  const limits = (status as unknown as { limits?: unknown }).limits
  if (limits === null || typeof limits !== 'object') return []
  const l = limits as { organization?: unknown; projects?: unknown }
  const out: HardLimit[] = []
  const org = limitOf('organization', l.organization)
  if (org) out.push(org)
  if (Array.isArray(l.projects))
    for (const p of l.projects) {
      const limit = limitOf((p as { projectId?: unknown } | null)?.projectId, p)
      if (limit) out.push(limit)
    }
  return out
}

export interface AccountStatus {
  account: string
  status: Status
}

export interface CreditMetrics {
  /** Count one failed refresh of an account. */
  refreshFailed(account: string, kind: ErrorKind): void
  /** The exposition text for a scrape, from the statuses at this moment. */
  render(): Promise<string>
  contentType: string
}

export function createMetrics(opts: {
  statuses: () => AccountStatus[]
  /** prom-client's process metrics (CPU, memory, start time…). */
  defaultMetrics?: boolean
}): CreditMetrics {
  const registry = new Registry()
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry })
  const gauge = (name: string, help: string, labelNames: string[] = ['account']) =>
    new Gauge({ name, help, labelNames, registers: [registry] })

  const balance = gauge(
    'credit_tray_balance_dollars',
    'Estimated credit balance, dollars (an estimate: see the README).'
  )
  const daysLeft = gauge(
    'credit_tray_days_left',
    'Days until the balance runs out at the burn rate.'
  )
  const burn = gauge(
    'credit_tray_burn_rate_dollars_per_day',
    'Mean daily cost of the last 7 complete UTC days.'
  )
  const today = gauge('credit_tray_spend_today_dollars', 'Cost so far this UTC day.')
  const month = gauge('credit_tray_spend_month_dollars', 'Cost this UTC month so far.')
  const level = gauge(
    'credit_tray_level',
    '1 for the current level (ok, low, critical, unknown), 0 for the others.',
    ['account', 'level']
  )
  const lastSuccess = gauge(
    'credit_tray_last_success_timestamp_seconds',
    'Unix time of the last successful fetch from OpenAI.'
  )
  const limitAmount = gauge(
    'credit_tray_hard_limit_dollars',
    "OpenAI's monthly hard spend limit, dollars (scope: organization or a project id).",
    ['account', 'scope']
  )
  const limitSpend = gauge(
    'credit_tray_hard_limit_spend_dollars',
    "This UTC month's spend counted against the hard limit of that scope, dollars.",
    ['account', 'scope']
  )
  const limitEnforcing = gauge(
    'credit_tray_hard_limit_enforcing',
    '1 when OpenAI reports the hard limit as enforcing, 0 when it reports it inactive.',
    ['account', 'scope']
  )
  const errors = new Counter({
    name: 'credit_tray_refresh_errors_total',
    help: 'Failed refreshes from OpenAI, by error kind.',
    labelNames: ['account', 'kind'],
    registers: [registry]
  })
  const all = [balance, daysLeft, burn, today, month, level, lastSuccess]
  const limitGauges = [limitAmount, limitSpend, limitEnforcing]

  function fill(): void {
    // Reset first: an account removed, or a value that became unknown, must disappear.
    for (const g of [...all, ...limitGauges]) g.reset()
    for (const { account, status: s } of opts.statuses()) {
      const a = { account }
      for (const l of LEVELS) level.set({ account, level: l }, s.level === l ? 1 : 0)
      if (s.balance !== null) balance.set(a, roundCents(s.balance))
      if (s.daysLeft !== null) daysLeft.set(a, s.daysLeft)
      // Spend and burn rate are only known once costs were fetched at least once.
      if (s.lastUpdated !== null) {
        burn.set(a, roundCents(s.burnRatePerDay))
        today.set(a, roundCents(s.spend.today))
        month.set(a, roundCents(s.spend.monthToDate))
        lastSuccess.set(a, Date.parse(s.lastUpdated) / 1000)
      }
      for (const limit of hardLimitsOf(s)) {
        const labels = { account, scope: limit.scope }
        limitAmount.set(labels, limit.amount)
        if (limit.monthToDate !== null) limitSpend.set(labels, limit.monthToDate)
        if (limit.enforcement === 'enforcing' || limit.enforcement === 'inactive')
          limitEnforcing.set(labels, limit.enforcement === 'enforcing' ? 1 : 0)
      }
    }
  }

  return {
    refreshFailed: (account, kind) => errors.inc({ account, kind }),
    async render() {
      fill()
      return registry.metrics()
    },
    contentType: registry.contentType
  }
}

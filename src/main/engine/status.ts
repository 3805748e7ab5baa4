// Builds the Status snapshot from cached costs, the ledger and settings. Pure: the clock and the
// last refresh outcome come in as arguments. `npm run bench` times this (goal < 5 ms for a year).
import type { Settings } from '../../shared/settings'
import type { Status, StatusError } from '../../shared/status'
import { costOn, firstDayWithSpend, type CostCache } from './cost-cache'
import { addDays } from './dates'
import { estimateBalance, type Ledger } from './ledger'
import { levelFor } from './levels'
import { computeProjections, topCosts } from './projections'
import { isStale } from './scheduler'

export const TOP_N = 5

export interface StatusInput {
  cache: CostCache
  ledger: Ledger
  settings: Settings
  now: Date
  /** The error of the last refresh, or null when it succeeded (or none ran yet). */
  error: StatusError | null
}

export function buildStatus({ cache, ledger, settings, now, error }: StatusInput): Status {
  const costs = (day: string): number => costOn(cache, day)
  const estimate = estimateBalance(ledger, costs, now)
  const balance = estimate?.balance ?? null
  const p = computeProjections({
    costsByDay: costs,
    now,
    balance,
    historyStart: firstDayWithSpend(cache)
  })
  const from = p.daily[0]?.date ?? p.today
  const shown = []
  for (let d = from; d <= p.today; d = addDays(d, 1)) {
    const day = cache.days[d]
    if (day) shown.push(day)
  }
  const lastSuccessMs = cache.lastSuccessAt === null ? null : Date.parse(cache.lastSuccessAt)
  return {
    currency: cache.currency ?? 'usd',
    balance,
    balanceRecordedAt: estimate?.anchor.at ?? null,
    spend: p.spend,
    daily: p.daily,
    burnRatePerDay: p.burnRatePerDay,
    daysLeft: p.daysLeft,
    runOutDate: p.runOutDate,
    level: levelFor(balance, p.daysLeft, settings.thresholds),
    thresholds: settings.thresholds,
    lastUpdated: cache.lastSuccessAt,
    stale: isStale(lastSuccessMs, now.getTime(), settings.pollIntervalMinutes * 60_000),
    error,
    topLineItems: topCosts(
      shown.map((d) => d.lineItems),
      TOP_N
    ),
    topProjects: topCosts(
      shown.map((d) => d.projects),
      TOP_N
    ),
    topModels: (cache.modelUsage?.models ?? []).slice(0, TOP_N),
    notices: []
  }
}

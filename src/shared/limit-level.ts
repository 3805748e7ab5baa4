// THE level rule for an OpenAI hard spend limit, in one place for the engine (status level,
// notifications) and the window (the bar's colour). Documented in the README ("Spend limits").
import type { SpendLimitStatus } from './status'

/** A projected crossing this close (days) makes an enforcing limit critical. */
export const LIMIT_CRITICAL_DAYS = 2

/**
 * OpenAI does not document how `enforcement.status` maps to rejected requests, so only
 * `enforcing` may ever claim that:
 * - reached (month-to-date >= amount): critical when enforcing, else low;
 * - projected to be reached this month: low; critical when enforcing and within 2 days;
 * - otherwise ok; null when the scope's spend is not known (no opinion).
 * `today` is the UTC day "YYYY-MM-DD".
 */
export function limitLevel(
  limit: SpendLimitStatus,
  today: string
): 'ok' | 'low' | 'critical' | null {
  if (limit.monthToDate === null || limit.reached === null) return null
  const enforcing = limit.enforcement === 'enforcing'
  if (limit.reached) return enforcing ? 'critical' : 'low'
  if (limit.reachOn === null) return 'ok'
  const days =
    (Date.parse(`${limit.reachOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000
  return enforcing && days <= LIMIT_CRITICAL_DAYS ? 'critical' : 'low'
}

// Auto-recharge, modelled. OpenAI reloads the balance when it falls below a threshold, up to a
// "reload to" amount, at most a monthly limit per calendar month — and tells nobody outside the
// billing page. So when the user says auto-recharge is on, the estimate assumes the reloads it
// would have made since the recorded balance, and projects when the monthly limit (and then the
// credit) would run out. Pure: costs, days and settings come in as arguments.
//
// The model, day by day (UTC days, like the Costs API buckets):
// - A new calendar month starts with nothing reloaded (the limit resets on the 1st, UTC).
// - Top-ups recorded after the anchor are added at the start of their day.
// - A balance already below the threshold at the start of a day (recorded that low, or a reload
//   was refused by last month's limit) reloads once to `reloadTo`. If the month's limit cannot
//   take all of that, it reloads what the limit still allows: that amount depends on how far
//   below the threshold the balance sank (a late cut-off leaves it a little negative), and
//   refusing it whole would leave the model stuck below zero for good over a few cents.
// - The day's cost is spread over the day: each time the balance dips below the threshold, one
//   reload of `reloadTo − threshold` (the balance is at the threshold at that moment). So a big
//   day means several reloads, as it would for real, not one giant one.
// - A reload happens only whole, and only if this month's reloads plus it stay within the limit.
//   The first refused reload of a month is remembered (`limitReachedOn`).
//
// Reloads before the recorded balance are unknown (the billing page balance already includes
// them), so the month's reloaded total counts only those after it: headroom is optimistic right
// after recording a balance late in a month. Recording a balance moves the anchor past assumed
// reloads, which makes the balance "recorded" again.
import type { AutoRecharge } from '../../shared/settings'
import type { AutoRechargeStatus } from '../../shared/status'
import { addDays, dayStartSeconds, utcDay } from './dates'
import { costOf, type BalanceEntry, type CostLookup } from './ledger'

/** How far ahead the projection looks: a year and a bit covers every month reset that matters. */
export const PROJECTION_HORIZON_DAYS = 400
/** Money comparisons forgive float dust far below a cent. */
const EPSILON = 1e-9

export interface AutoRechargeInput {
  settings: AutoRecharge
  /** The recorded balance the estimate starts from. */
  anchor: BalanceEntry
  /** Top-ups recorded after the anchor. */
  topUps: readonly { day: string; amount: number }[]
  costs: CostLookup
  /** Today's UTC day, "YYYY-MM-DD" (its cost so far counts). */
  today: string
  /** Expected spend per day from now on (projections.ts). */
  burnRatePerDay: number
}

/** The reloads assumed on one day. */
export interface AssumedReload {
  day: string
  count: number
  amount: number
}

/** What the status shows of the model (AutoRechargeStatus), plus the balance, reloads and run-out. */
export interface AutoRechargeModel extends AutoRechargeStatus {
  /** The modelled balance now: recorded + top-ups + assumed reloads − costs since. */
  balance: number
  reloads: AssumedReload[]
  /**
   * Days the credit lasts at the burn rate, counting the reloads the limit still allows (and the
   * limit resetting each month). 0 when it ran out; null when it does not run out within the
   * projection horizon (or nothing is being spent).
   */
  daysLeft: number | null
  /** today + floor(daysLeft), or null. */
  runOutDate: string | null
}

/** The running state of the walk: balance and this month's reloads. */
interface Wallet {
  balance: number
  month: string
  monthReloaded: number
  /** First day this month a reload was refused by the limit. */
  blockedOn: string | null
}

interface DayOutcome {
  reloads: number
  reloaded: number
  /** Money available during the day: the starting balance plus what was reloaded that day. */
  available: number
}

/** True when the settings describe reloads that can happen at all. */
export function autoRechargeActive(s: AutoRecharge): boolean {
  return s.enabled && Number.isFinite(s.threshold) && s.reloadTo - s.threshold > EPSILON
}

export function modelAutoRecharge(input: AutoRechargeInput): AutoRechargeModel {
  const { settings: s, anchor, costs, today } = input
  const wallet: Wallet = {
    balance: anchor.amount,
    month: monthOf(anchor.day),
    monthReloaded: 0,
    blockedOn: null
  }
  const topUpsByDay = new Map<string, number>()
  for (const t of input.topUps) topUpsByDay.set(t.day, (topUpsByDay.get(t.day) ?? 0) + t.amount)

  const reloads: AssumedReload[] = []
  // The anchor's day counts only the growth of its bucket since the balance was read.
  for (const day of daysFrom(anchor.day, today)) {
    const cost =
      day === anchor.day ? costOf(costs, day) - anchor.baselineDayCost : costOf(costs, day)
    const outcome = spendDay(wallet, day, cost, s, topUpsByDay.get(day) ?? 0)
    if (outcome.reloads > 0) reloads.push({ day, count: outcome.reloads, amount: outcome.reloaded })
  }
  if (monthOf(today) !== wallet.month) newMonth(wallet, monthOf(today)) // anchor in the future

  const limit = s.monthlyLimit
  const headroom = limit === null ? null : Math.max(0, limit - wallet.monthReloaded)
  const projection = project(wallet, s, today, input.burnRatePerDay)
  return {
    balance: wallet.balance,
    reloads,
    reloadsAssumed: reloads.reduce((n, r) => n + r.count, 0),
    assumedTotal: reloads.reduce((sum, r) => sum + r.amount, 0),
    monthReloaded: wallet.monthReloaded,
    monthlyLimit: limit,
    headroom,
    limitReachedOn: wallet.blockedOn ?? projection.blockedOn,
    daysLeft: projection.daysLeft,
    runOutDate:
      projection.daysLeft === null ? null : addDays(today, Math.floor(projection.daysLeft))
  }
}

/**
 * Where the credit goes at `burn` per day from now: projected day k (k = 1, 2, …) is the UTC day
 * today + k, for the monthly resets; its spend is one day's burn. The rest of today is counted as
 * part of day 1, like balance / burn rate does without auto-recharge.
 */
function project(
  current: Wallet,
  s: AutoRecharge,
  today: string,
  burn: number
): { daysLeft: number | null; blockedOn: string | null } {
  if (current.balance <= 0) return { daysLeft: 0, blockedOn: null }
  if (!(burn > 0)) return { daysLeft: null, blockedOn: null }
  // Without a limit every reload succeeds: the credit never runs out at this pace.
  if (s.monthlyLimit === null) return { daysLeft: null, blockedOn: null }
  const wallet: Wallet = { ...current, blockedOn: null }
  let blockedOn: string | null = null
  let k = 0
  for (const day of daysFrom(addDays(today, 1), addDays(today, PROJECTION_HORIZON_DAYS))) {
    k++
    const outcome = spendDay(wallet, day, burn, s, 0)
    blockedOn ??= wallet.blockedOn
    if (wallet.balance < 0) {
      return { daysLeft: k - 1 + Math.max(0, outcome.available) / burn, blockedOn }
    }
  }
  return { daysLeft: null, blockedOn }
}

/** One UTC day of the walk: month reset, top-ups, reloads, spend. Mutates the wallet. */
function spendDay(
  w: Wallet,
  day: string,
  cost: number,
  s: AutoRecharge,
  topUps: number
): DayOutcome {
  if (monthOf(day) !== w.month) newMonth(w, monthOf(day))
  w.balance += topUps
  const out: DayOutcome = { reloads: 0, reloaded: 0, available: 0 }
  const step = s.reloadTo - s.threshold

  // Still below the threshold from before (recorded that low, or last month's limit refused it):
  // the next charge triggers a reload up to reloadTo.
  if (w.balance < s.threshold - EPSILON) {
    const amount = roundToCents(s.reloadTo - w.balance)
    const room = s.monthlyLimit === null ? amount : roundToCents(s.monthlyLimit - w.monthReloaded)
    if (amount <= room + EPSILON) add(w, out, 1, amount)
    else {
      w.blockedOn ??= day
      if (room > 0) add(w, out, 1, room)
    }
  }
  out.available = w.balance
  if (!(cost > 0)) {
    w.balance -= cost // a credit or refund (negative cost) adds to the balance
    return out
  }

  const after = w.balance - cost
  // No crossing: stays at or above the threshold, or was already below it (the reload above was
  // refused, so nothing new can trigger today).
  if (after >= s.threshold - EPSILON || w.balance < s.threshold - EPSILON) {
    w.balance = after
    return out
  }
  const needed = Math.ceil((s.threshold - after) / step - EPSILON)
  const allowed =
    s.monthlyLimit === null
      ? needed
      : Math.max(
          0,
          Math.min(needed, Math.floor((s.monthlyLimit - w.monthReloaded) / step + EPSILON))
        )
  if (allowed < needed) w.blockedOn ??= day
  w.balance = after
  add(w, out, allowed, allowed * step)
  out.available += allowed * step
  return out
}

function add(w: Wallet, out: DayOutcome, count: number, amount: number): void {
  if (count <= 0) return
  w.balance += amount
  w.monthReloaded += amount
  out.reloads += count
  out.reloaded += amount
}

function newMonth(w: Wallet, month: string): void {
  w.month = month
  w.monthReloaded = 0
  w.blockedOn = null
}

/** The UTC days from `from` through `to`, by epoch arithmetic (this runs for every status). */
function* daysFrom(from: string, to: string): Generator<string> {
  const end = dayStartSeconds(to) * 1000
  for (let ms = dayStartSeconds(from) * 1000; ms <= end; ms += 86_400_000) yield utcDay(ms)
}

/** "YYYY-MM" of a "YYYY-MM-DD" day. */
function monthOf(day: string): string {
  return day.slice(0, 7)
}

/** Reload amounts are card charges: whole cents. */
function roundToCents(value: number): number {
  return Math.round(value * 100) / 100
}

// The ledger: what the user told Credit Tray about money. OpenAI has no balance API, so the
// estimate starts from the last balance the user read off the billing page, adds the top-ups
// recorded since, and subtracts what the Costs API says was spent since.
//
// Spend "since" a balance is counted in whole UTC day buckets, because that is all the Costs API
// gives. When a balance is recorded, the cost today's bucket already shows is stored with it
// (`baselineDayCost`): that much was already taken out of the balance the user saw, so only the
// growth of that day's bucket beyond the baseline is subtracted later.
//
// The baseline is read live when the balance is recorded (engine.ts). When that read fails the
// cached figure is used instead, and the entry says so (`baselineSource: 'cache'`, how old the
// figure was and why the live read failed), so the status can warn until a later balance replaces
// it. The fields are optional: files written before they existed still load (and an older Credit
// Tray reading a newer file ignores them), so the format version stays 1.
import { z } from 'zod'
import { roundCents } from '../../shared/status'
import { utcDay } from './dates'

export const LEDGER_VERSION = 1

/** Largest amount accepted: keeps typos ("50000000") out and all sums exact to the cent. */
export const MAX_AMOUNT = 1_000_000

const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const amountSchema = z.number().finite()

const balanceEntrySchema = z.object({
  id: z.string().min(1),
  type: z.literal('balance'),
  amount: amountSchema.nonnegative(),
  at: z.iso.datetime(),
  day: daySchema,
  baselineDayCost: amountSchema,
  /** 'live': read from the Costs API when recorded; 'cache': the live read failed. */
  baselineSource: z.enum(['live', 'cache']).optional(),
  /** For 'cache': when the cached figure was fetched (ISO); null when nothing was cached. */
  baselineAsOf: z.iso.datetime().nullable().optional(),
  /** For 'cache': why the live read failed, in words. */
  baselineProblem: z.string().optional(),
  note: z.string().optional()
})

const topUpEntrySchema = z.object({
  id: z.string().min(1),
  type: z.literal('topup'),
  amount: amountSchema.positive(),
  at: z.iso.datetime(),
  day: daySchema,
  note: z.string().optional()
})

export const ledgerEntrySchema = z.discriminatedUnion('type', [
  balanceEntrySchema,
  topUpEntrySchema
])
export const ledgerSchema = z.object({ entries: z.array(ledgerEntrySchema) })

/** A balance read off the billing page. `day`/`baselineDayCost`: see the file comment. */
export type BalanceEntry = z.infer<typeof balanceEntrySchema>
/** Credit bought after a balance was recorded. */
export type TopUpEntry = z.infer<typeof topUpEntrySchema>
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>
/** Entries in the order they were recorded. Nothing is ever dropped implicitly. */
export type Ledger = z.infer<typeof ledgerSchema>

export const EMPTY_LEDGER: Ledger = { entries: [] }

/** Cost of a UTC day ("YYYY-MM-DD"); days without data cost 0. */
export type CostLookup = ((day: string) => number) | ReadonlyMap<string, number>

export function costOf(costs: CostLookup, day: string): number {
  const value = typeof costs === 'function' ? costs(day) : costs.get(day)
  return value !== undefined && Number.isFinite(value) ? value : 0
}

/** Today's cost when a balance is recorded, and where that figure came from. */
export type Baseline =
  | { cost: number; source: 'live' }
  | { cost: number; source: 'cache'; asOf: string | null; problem: string }

/**
 * Records the balance the billing page shows now. `today` is what today's cost bucket shows at
 * this moment (already deducted from that balance by OpenAI): a number, or a Baseline that also
 * says where it came from.
 */
export function recordBalance(
  ledger: Ledger,
  amount: number,
  now: Date,
  today: number | Baseline,
  note?: string
): Ledger {
  const baseline = typeof today === 'number' ? null : today
  const cost = baseline ? baseline.cost : (today as number)
  const entry: BalanceEntry = {
    id: nextId(ledger, 'balance', now),
    type: 'balance',
    amount,
    at: now.toISOString(),
    day: utcDay(now.getTime()),
    baselineDayCost: Number.isFinite(cost) ? cost : 0,
    ...(baseline === null ? {} : { baselineSource: baseline.source }),
    ...(baseline?.source === 'cache'
      ? { baselineAsOf: baseline.asOf, baselineProblem: baseline.problem }
      : {}),
    ...(note === undefined ? {} : { note })
  }
  return { ...ledger, entries: [...ledger.entries, entry] }
}

/** Records credit bought at `now`. */
export function recordTopUp(ledger: Ledger, amount: number, now: Date, note?: string): Ledger {
  const entry: TopUpEntry = {
    id: nextId(ledger, 'topup', now),
    type: 'topup',
    amount,
    at: now.toISOString(),
    day: utcDay(now.getTime()),
    ...(note === undefined ? {} : { note })
  }
  return { ...ledger, entries: [...ledger.entries, entry] }
}

/** Removes one entry the user asked to delete (a typo); unknown ids change nothing. */
export function removeEntry(ledger: Ledger, id: string): Ledger {
  return { ...ledger, entries: ledger.entries.filter((e) => e.id !== id) }
}

/** Ids are readable, deterministic and unique within the ledger ("balance-2024-...Z-2"). */
function nextId(ledger: Ledger, type: LedgerEntry['type'], now: Date): string {
  const base = `${type}-${now.toISOString()}`
  const taken = new Set(ledger.entries.map((e) => e.id))
  if (!taken.has(base)) return base
  let n = 2
  while (taken.has(`${base}-${n}`)) n++
  return `${base}-${n}`
}

/** Entries sorted by time; entries with the same time keep the order they were recorded in. */
function chronological(ledger: Ledger): LedgerEntry[] {
  return ledger.entries
    .map((entry, index) => ({ entry, index, ms: Date.parse(entry.at) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map((x) => x.entry)
}

/** The newest balance entry (the anchor of the estimate), or null when none was recorded. */
export function latestBalance(ledger: Ledger): BalanceEntry | null {
  const balances = chronological(ledger).filter((e): e is BalanceEntry => e.type === 'balance')
  return balances.at(-1) ?? null
}

/** Time of the newest top-up (ISO), or null. */
export function lastTopUpAt(ledger: Ledger): string | null {
  const topUps = chronological(ledger).filter((e) => e.type === 'topup')
  return topUps.at(-1)?.at ?? null
}

export interface BalanceEstimate {
  balance: number
  anchor: BalanceEntry
  /** Top-ups counted on top of the anchor (recorded after it), and their sum. */
  topUps: TopUpEntry[]
  topUpsSince: number
  /** Spend subtracted from the anchor: growth of the anchor day's bucket plus later days. */
  spentSince: number
}

/**
 * balance = X + top-ups recorded after X
 *             − (cost of X's day now − baselineDayCost)
 *             − costs of the days after X's day, up to and including today
 * where X is the newest balance entry. Top-ups at or before X's time are part of X already.
 * Earlier balance entries are superseded but stay in the history. Null without any balance.
 * Not rounded: money is rounded for display (roundCents), not in the maths.
 */
export function estimateBalance(
  ledger: Ledger,
  costs: CostLookup,
  now: Date
): BalanceEstimate | null {
  const anchor = latestBalance(ledger)
  if (!anchor) return null
  const anchorMs = Date.parse(anchor.at)
  const today = utcDay(now.getTime())

  const topUps = ledger.entries.filter(
    (e): e is TopUpEntry => e.type === 'topup' && Date.parse(e.at) > anchorMs
  )
  const topUpsSince = topUps.reduce((sum, e) => sum + e.amount, 0)

  let spentSince = costOf(costs, anchor.day) - anchor.baselineDayCost
  // Later days up to today. Compared as strings: "YYYY-MM-DD" sorts like the dates it names.
  for (let day = nextDay(anchor.day); day <= today; day = nextDay(day)) {
    spentSince += costOf(costs, day)
  }

  return {
    balance: anchor.amount + topUpsSince - spentSince,
    anchor,
    topUps,
    topUpsSince,
    spentSince
  }
}

function nextDay(day: string): string {
  return utcDay(Date.parse(day + 'T00:00:00Z') + 86_400_000)
}

/** `limit`: a spend limit or alert amount, which like a top-up must be more than 0. */
export type AmountKind = 'balance' | 'topup' | 'limit'
export type AmountResult = { ok: true; value: number } | { ok: false; error: string }

/**
 * Checks an amount a person typed (or a number from the UI/CLI) and returns it rounded to cents.
 * Accepted: plain decimal numbers with an optional leading "$", and thousands separators in the
 * billing page's style ("$1,250.00"). A decimal comma ("12,50") is refused with a hint, since
 * "1,250" would otherwise be ambiguous. Balances may be 0; top-ups must be more than 0.
 */
export function validateAmount(raw: unknown, kind: AmountKind): AmountResult {
  const what = kind === 'balance' ? 'The balance' : kind === 'topup' ? 'The top-up' : 'The amount'
  let value: number
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, error: `${what} must be a number of dollars.` }
    value = raw
  } else if (typeof raw === 'string') {
    const parsed = parseAmountText(raw, what)
    if (!parsed.ok) return parsed
    value = parsed.value
  } else {
    return { ok: false, error: `Enter an amount in dollars, for example 25.00.` }
  }

  if (value < 0) return { ok: false, error: `${what} cannot be negative.` }
  if (value >= MAX_AMOUNT) {
    return { ok: false, error: `${what} must be less than $1,000,000. Check for a typo.` }
  }
  const cents = roundCents(value)
  if (kind !== 'balance' && cents <= 0) {
    return {
      ok: false,
      error:
        kind === 'topup' ? 'A top-up must be more than $0.00.' : `${what} must be more than $0.00.`
    }
  }
  return { ok: true, value: cents === 0 ? 0 : cents } // never -0
}

function parseAmountText(raw: string, what: string): AmountResult {
  const text = raw.trim()
  if (text === '') return { ok: false, error: 'Enter an amount in dollars, for example 25.00.' }
  const negative = /^-\s*\$?|^\$\s*-/.test(text)
  const body = text.replace(/^-?\s*\$?\s*-?/, '')
  if (/^\d+,\d{1,2}$/.test(body)) {
    return {
      ok: false,
      error: `Use a dot for cents: write ${body.replace(',', '.')} instead of ${body}.`
    }
  }
  // 1234.5 | 1,234.56 | .50
  if (!/^(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?$/.test(body) || !/\d/.test(body)) {
    return {
      ok: false,
      error: `"${text.slice(0, 40)}" is not an amount. Type dollars and cents, for example 25.00.`
    }
  }
  const value = Number(body.replace(/,/g, ''))
  if (!Number.isFinite(value)) return { ok: false, error: `${what} is too large.` }
  return { ok: true, value: negative ? -value : value }
}

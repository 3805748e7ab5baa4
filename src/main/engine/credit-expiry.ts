// Prepaid credit expires one year after purchase. OpenAI does not say which credit a request
// uses, so Credit Tray models the usual rule, oldest first: credit behind the recorded balance
// counts as older than any later top-up, and within the balance the most recent top-ups recorded
// before it are what is left (the older ones were used first). Pure: clock and figures passed in.
//
// Only recorded top-ups have a purchase date; the part of a balance that no recorded top-up
// explains has none, so it is used first and never listed. Assumed auto-recharge reloads are not
// purchases anybody recorded and are left out.
import type { ExpiringCredit } from '../../shared/status'
import { daysBetween, utcDay } from './dates'
import type { BalanceEstimate, Ledger, TopUpEntry } from './ledger'

/** Days before an expiry at which a notice (and one notification) is due. */
export const EXPIRY_STAGES = [30, 7] as const
export type ExpiryStage = (typeof EXPIRY_STAGES)[number]
const CENT = 0.005

/** The same calendar day one year later (Feb 29 becomes Mar 1). */
export function expiryOf(purchasedOn: string): string {
  const [y, m, d] = purchasedOn.split('-').map(Number) as [number, number, number]
  return utcDay(Date.UTC(y + 1, m - 1, d))
}

interface Lot {
  purchasedOn: string | null
  amount: number
}

/** Every lot with what is left of it, oldest first (the undated part of the balance first). */
export function creditLots(ledger: Ledger, estimate: BalanceEstimate): Lot[] {
  const anchorMs = Date.parse(estimate.anchor.at)
  const before = ledger.entries
    .filter((e): e is TopUpEntry => e.type === 'topup' && Date.parse(e.at) <= anchorMs)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
  // The balance is made of the newest top-ups before it, as far as they go.
  let unexplained = estimate.anchor.amount
  const inBalance: Lot[] = []
  for (const t of [...before].reverse()) {
    if (unexplained <= 0) break
    const part = Math.min(unexplained, t.amount)
    inBalance.unshift({ purchasedOn: t.day, amount: part })
    unexplained -= part
  }
  const after = [...estimate.topUps]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((t) => ({ purchasedOn: t.day, amount: t.amount }))
  const lots: Lot[] = [{ purchasedOn: null, amount: unexplained }, ...inBalance, ...after]
  // Spend since the balance uses the oldest first.
  let spend = Math.max(0, estimate.spentSince)
  return lots.map((lot) => {
    const used = Math.min(spend, lot.amount)
    spend -= used
    return { purchasedOn: lot.purchasedOn, amount: lot.amount - used }
  })
}

/** Dated lots with credit left that have not expired yet, soonest expiry first. */
export function expiringCredit(lots: readonly Lot[], today: string): ExpiringCredit[] {
  return lots
    .filter((l): l is Lot & { purchasedOn: string } => l.purchasedOn !== null && l.amount >= CENT)
    .map((l) => ({
      purchasedOn: l.purchasedOn,
      expiresOn: expiryOf(l.purchasedOn),
      remaining: l.amount
    }))
    .filter((c) => c.expiresOn > today)
    .sort((a, b) => (a.expiresOn < b.expiresOn ? -1 : a.expiresOn > b.expiresOn ? 1 : 0))
}

/** Dated lots with credit left whose expiry day has come: OpenAI no longer counts them. */
export function expiredCredit(lots: readonly Lot[], today: string): ExpiringCredit[] {
  return lots
    .filter((l): l is Lot & { purchasedOn: string } => l.purchasedOn !== null && l.amount >= CENT)
    .map((l) => ({
      purchasedOn: l.purchasedOn,
      expiresOn: expiryOf(l.purchasedOn),
      remaining: l.amount
    }))
    .filter((c) => c.expiresOn <= today)
}

export interface ExpiryWarning {
  credit: ExpiringCredit
  stage: ExpiryStage
  /** Of this purchase, what the burn rate uses before it expires (older credit goes first). */
  usedByThen: number
  leftAtExpiry: number
}

/**
 * Purchases expiring within 30 (or 7) days that would still have credit left then at the
 * current burn rate. `lots` is oldest first, as creditLots returns it.
 */
export function expiryWarnings(
  lots: readonly Lot[],
  burnRatePerDay: number,
  today: string
): ExpiryWarning[] {
  const burn = Number.isFinite(burnRatePerDay) && burnRatePerDay > 0 ? burnRatePerDay : 0
  const warnings: ExpiryWarning[] = []
  let older = 0
  for (const lot of lots) {
    const left = Math.max(0, lot.amount)
    // A lot below half a cent cannot leave half a cent at its expiry: the check below skips it.
    if (lot.purchasedOn !== null) {
      const expiresOn = expiryOf(lot.purchasedOn)
      const days = daysBetween(today, expiresOn)
      if (days > 0 && days <= EXPIRY_STAGES[0]) {
        const usedByThen = Math.min(left, Math.max(0, burn * days - older))
        const leftAtExpiry = left - usedByThen
        if (leftAtExpiry >= CENT) {
          warnings.push({
            credit: { purchasedOn: lot.purchasedOn, expiresOn, remaining: left },
            stage: days <= EXPIRY_STAGES[1] ? 7 : 30,
            usedByThen,
            leftAtExpiry
          })
        }
      }
    }
    older += left
  }
  return warnings
}

/** "Dec 16, 2025" for a UTC day. */
export function longDay(day: string): string {
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC'
  }).format(new Date(`${day}T00:00:00Z`))
}

const usd = (n: number): string => {
  const cents = Math.round(n * 100) / 100
  return `$${Number.isInteger(cents) ? String(cents) : cents.toFixed(2)}`
}

/** "≈ $40 bought Dec 16, 2025 expires Dec 16, 2026; about $25 of it will be used by then." */
export function expiryNotice(w: ExpiryWarning): string {
  const used =
    w.usedByThen >= CENT
      ? `about ${usd(w.usedByThen)} of it will be used by then`
      : 'none of it will be used by then at the current spend'
  return `≈ ${usd(w.credit.remaining)} bought ${longDay(w.credit.purchasedOn)} expires ${longDay(w.credit.expiresOn)}; ${used}.`
}

export function expiredNotice(c: ExpiringCredit): string {
  return (
    `≈ ${usd(c.remaining)} bought ${longDay(c.purchasedOn)} expired on ${longDay(c.expiresOn)} ` +
    '(prepaid credit lasts a year), so the balance estimate may be that much too high: record the ' +
    'balance from the billing page again.'
  )
}

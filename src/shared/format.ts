// Money and age in words, for the places outside the React window that show them: the tray
// (tooltip, menu, menu-bar title) and the CLI. Pure Intl: runs in main, the CLI and the renderer.

const MINUTE_MS = 60_000

/** "$41.20" in the status currency; "41.20 XYZ" when Intl does not know the code. */
export function formatMoney(
  amount: number,
  currency: string,
  locale?: string,
  fractionDigits = 2
): string {
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits
    }).format(amount)
  } catch {
    return `${amount.toFixed(fractionDigits)} ${currency.toUpperCase()}`
  }
}

/** "just now", "3 min ago", "5 h ago", "2 days ago" (whole units, rounded down). */
export function describeAge(iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - Date.parse(iso)) / MINUTE_MS)
  if (!Number.isFinite(minutes) || minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return `${Math.floor(hours / 24)} days ago`
}

/**
 * The burn-rate rule in words: the mean of the last 7 complete UTC days (today is partial);
 * with less history (a new organization), of the complete days since the first day with spend.
 */
export function burnRateRule(days: number): string {
  if (days >= 7) return 'mean of the last 7 complete UTC days'
  if (days === 0) return 'no complete day with spend yet'
  return (
    `mean of the ${days} complete UTC day${days === 1 ? '' : 's'} since the first day with spend ` +
    '(fewer than 7 days of history)'
  )
}

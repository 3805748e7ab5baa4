// What the engine offers to its two front ends: the Electron shell and the CLI.
// The shell only displays and forwards; every decision lives behind this interface.
import type { KeyCheckResult } from '../../shared/ipc'
import type { KeyInfo, Settings } from '../../shared/settings'
import type { Status } from '../../shared/status'

/** `budget`: month-to-date spend reached 80% / 100% of the monthly budget (alert-policy.ts). */
/** `limit`: an OpenAI hard spend limit reached or projected to be; `expiry`: credit expiring. */
export type AlertKind =
  'low' | 'critical' | 'key_rejected' | 'stale' | 'budget' | 'limit' | 'expiry'

/** A desktop notification the alert policy decided to raise (once per episode). */
export interface Alert {
  kind: AlertKind
  title: string
  body: string
}

export interface CreditEngine {
  /** The current snapshot (cheap; computed from cached data). */
  getStatus(): Status
  /**
   * Fetch now (coalesces with a poll in flight) and return the new snapshot. Never throws for API
   * errors: they land in `status.error`. `manual` (the user asked): the spend limits are read
   * too, whatever their age; otherwise only every 6 hours.
   */
  refresh(options?: { manual?: boolean }): Promise<Status>
  /**
   * Record "the billing page shows X now". Reads today's cost live first (the baseline; on
   * failure the cached figure, and the status says so). Resolves once the entry is durably on
   * disk. Rejects
   * with InputError on nonsense amounts, or a `storage` CreditTrayError when the data folder
   * cannot be written; either way nothing changes.
   */
  recordBalance(amount: number): Promise<Status>
  /** Record "I added Y". Same guarantees as recordBalance. */
  recordTopUp(amount: number): Promise<Status>
  getSettings(): Settings
  /** Validates the whole result; rejects with InputError and changes nothing when invalid. */
  updateSettings(patch: Partial<Settings>): Promise<Settings>
  getKeyInfo(): Promise<KeyInfo>
  /** Normalizes the pasted key, checks it live, stores it only if it works. */
  setKey(key: string): Promise<KeyCheckResult>
  clearKey(): Promise<KeyInfo>
  /**
   * Writes to the OpenAI organization, only after the user confirmed (CLI --yes, the window's
   * confirm step): set the monthly hard spend limit, add an email spend alert. A key that may
   * not write throws CreditTrayError('permission') and nothing is changed.
   */
  setOrgLimit(amount: number): Promise<Status>
  addOrgAlert(amount: number, recipients: string[]): Promise<Status>
  /** Listeners get every new snapshot / every alert. Return an unsubscribe function. */
  onStatus(listener: (status: Status) => void): () => void
  onAlert(listener: (alert: Alert) => void): () => void
  /** Polling control: start/stop the scheduler; pause/resume for sleep and offline. */
  start(): void
  stop(): void
  pause(): void
  resume(): void
}

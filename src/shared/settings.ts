// User settings: persisted by the engine, edited in the tray window's settings view.
import { DEFAULT_THRESHOLDS, type Thresholds } from './status'

export interface Settings {
  thresholds: Thresholds
  /** Minutes between polls of the Costs API (5–1440). */
  pollIntervalMinutes: number
  notificationsEnabled: boolean
  launchAtLogin: boolean
  /** macOS: show the short balance ("$41") next to the menu-bar icon. */
  showAmountInMenuBar: boolean
  /** OpenAI's auto-recharge as the user set it up on the billing page (the API cannot tell). */
  autoRecharge: AutoRecharge
  /** Dollars the user means to spend per UTC calendar month (useful without a balance), or null. */
  monthlyBudget: number | null
}

/**
 * Auto-recharge: when the balance falls below `threshold`, OpenAI charges the card to bring it
 * back up to `reloadTo`, at most `monthlyLimit` dollars per calendar month (null = no limit).
 */
export interface AutoRecharge {
  enabled: boolean
  threshold: number
  reloadTo: number
  monthlyLimit: number | null
}

export const DEFAULT_AUTO_RECHARGE: AutoRecharge = {
  enabled: false,
  threshold: 10,
  reloadTo: 20,
  monthlyLimit: null
}

export const DEFAULT_SETTINGS: Settings = {
  thresholds: DEFAULT_THRESHOLDS,
  pollIntervalMinutes: 15,
  notificationsEnabled: true,
  launchAtLogin: false,
  showAmountInMenuBar: true,
  autoRecharge: DEFAULT_AUTO_RECHARGE,
  monthlyBudget: null
}

export const POLL_INTERVAL_MIN = 5
export const POLL_INTERVAL_MAX = 1440

/** What kind of OpenAI key a string looks like, from its prefix. */
export type KeyType = 'admin' | 'project' | 'service_account' | 'user' | 'unknown'

/** Where the Admin key lives. `env` = OPENAI_ADMIN_KEY; `memory` = not persisted (warning shown). */
export type KeyStorage = 'keychain' | 'safeStorage' | 'memory' | 'env'

/** What the renderer may know about the key: never the key itself. */
export interface KeyInfo {
  present: boolean
  /** e.g. "sk-admin-…9f2c" */
  masked: string | null
  type: KeyType | null
  storage: KeyStorage | null
  /** Shown to the user, e.g. "No keychain available: the key is kept in memory until you quit." */
  warning: string | null
  /** The host the key is sent to when it is not api.openai.com (OPENAI_BASE_URL); else absent. */
  sentTo?: string
}

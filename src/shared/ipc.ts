// The one IPC contract, written once and used by main (handlers), preload (bridge) and renderer
// (window.creditTray). Channel maps in the style of GitHub Desktop's ipc-shared.ts.
// Payloads are plain data; main validates every payload and sender (src/main/electron/ipc.ts).
import type { AccountsState } from './accounts'
import type { KeyInfo, Settings } from './settings'
import type { Status, StatusError } from './status'
import type { TeamCheckResult, TeamServerInput, TeamServerInfo } from './team'

/** Pages the renderer may ask main to open. Main maps ids to URLs; the renderer never sends URLs. */
export const EXTERNAL_PAGES = {
  login: 'https://platform.openai.com/login',
  settings: 'https://platform.openai.com/settings/organization/general',
  billing: 'https://platform.openai.com/settings/organization/billing/overview',
  paymentMethods: 'https://platform.openai.com/settings/organization/billing/payment-methods',
  usage: 'https://platform.openai.com/usage',
  adminKeys: 'https://platform.openai.com/settings/organization/admin-keys',
  limits: 'https://platform.openai.com/settings/organization/limits',
  apiKeys: 'https://platform.openai.com/api-keys'
} as const
export type ExternalPage = keyof typeof EXTERNAL_PAGES

export type View = 'main' | 'settings' | 'onboarding'

export type KeyCheckResult = { ok: true; info: KeyInfo } | { ok: false; error: StatusError }

/** Amount the user typed. Main validates (finite, > 0 for top-ups, >= 0 for balances, < 1e7). */
export interface AmountPayload {
  amount: number
}

/** What the CSV export did: `saved` is false when the user cancelled the save dialog. */
export interface CsvExportResult {
  saved: boolean
  /** Where the file was written. */
  path?: string
}

/** Request/response channels: renderer -> main (ipcRenderer.invoke / ipcMain.handle). */
export interface InvokeChannels {
  'status:get': { request: void; response: Status }
  'status:refresh': { request: void; response: Status }
  'key:info': { request: void; response: KeyInfo }
  /** Checks the key live against the Costs API, stores it only if it works. */
  'key:set': { request: { key: string }; response: KeyCheckResult }
  'key:clear': { request: void; response: KeyInfo }
  'ledger:balance': { request: AmountPayload; response: Status }
  'ledger:topup': { request: AmountPayload; response: Status }
  'settings:get': { request: void; response: Settings }
  'settings:set': { request: Partial<Settings>; response: Settings }
  'external:open': { request: { page: ExternalPage }; response: void }
  'window:topup': { request: void; response: void }
  'window:hide': { request: void; response: void }
  /** Closes the calling window (the top-up window); the tray window hides instead. */
  'window:close': { request: void; response: void }
  /** Asks where to save (native save dialog), then writes the daily costs as CSV there. */
  'export:csv': { request: void; response: CsvExportResult }
  /** The accounts (OpenAI organizations) and which one the window shows. */
  'accounts:get': { request: void; response: AccountsState }
  'accounts:switch': { request: { name: string }; response: AccountsState }
  /** Adds an account and makes it active (its key is then set up through onboarding). */
  'accounts:add': { request: { name: string; projectIds: string[] }; response: AccountsState }
  /** Forgets an account; its data folder stays on disk. */
  'accounts:remove': { request: { name: string }; response: AccountsState }
  /** The team server the active account reads from, or null (it uses an Admin key). */
  'team:get': { request: void; response: TeamServerInfo | null }
  /** Checks the server with the token, then keeps both (the token in the keychain). */
  'team:set': { request: TeamServerInput; response: TeamCheckResult }
  /** Back to an Admin key: forgets the server and its token. */
  'team:clear': { request: void; response: null }
  /**
   * Writes to the OpenAI organization, sent only after the window's confirm step: set the
   * monthly hard spend limit, add an email spend alert (dollars).
   */
  'limits:set': { request: AmountPayload; response: Status }
  'limits:alert-add': { request: { amount: number; recipients: string[] }; response: Status }
}
export type InvokeChannel = keyof InvokeChannels

/** Events: main -> renderer (webContents.send / ipcRenderer.on). */
export interface EventChannels {
  'status:changed': Status
  'view:show': { view: View }
  /** The accounts list or the active account changed (or an account's level did). */
  'accounts:changed': AccountsState
}
export type EventChannel = keyof EventChannels

export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'status:get',
  'status:refresh',
  'key:info',
  'key:set',
  'key:clear',
  'ledger:balance',
  'ledger:topup',
  'settings:get',
  'settings:set',
  'external:open',
  'window:topup',
  'window:hide',
  'window:close',
  'export:csv',
  'accounts:get',
  'accounts:switch',
  'accounts:add',
  'accounts:remove',
  'team:get',
  'team:set',
  'team:clear',
  'limits:set',
  'limits:alert-add'
]
export const EVENT_CHANNELS: readonly EventChannel[] = [
  'status:changed',
  'view:show',
  'accounts:changed'
]

/** The app's pages: the tray window (index.html) and the guided top-up window (topup.html). */
export type AppPage = 'tray' | 'topup'

/**
 * Which invoke channels each page may use; main refuses every other one from that page. The
 * tray window is the app's whole UI. The top-up window only reads the status, records the
 * balance or top-up it walks the user through, opens the billing pages and closes itself: it
 * can never touch the key, settings, accounts or files.
 */
export const PAGE_CHANNELS = {
  tray: INVOKE_CHANNELS,
  // team:get: in team mode the last step says recording happens on the server (no token in it).
  topup: [
    'status:get',
    'ledger:topup',
    'ledger:balance',
    'external:open',
    'window:close',
    'team:get'
  ]
} as const satisfies Record<AppPage, readonly InvokeChannel[]>

/** May `page` invoke `channel`? */
export function pageMayInvoke(page: AppPage, channel: InvokeChannel): boolean {
  return (PAGE_CHANNELS[page] as readonly InvokeChannel[]).includes(channel)
}

/** The API the preload exposes as `window.creditTray`: one method per channel, payloads only. */
export interface CreditTrayApi {
  getStatus(): Promise<Status>
  refresh(): Promise<Status>
  getKeyInfo(): Promise<KeyInfo>
  setKey(key: string): Promise<KeyCheckResult>
  clearKey(): Promise<KeyInfo>
  recordBalance(amount: number): Promise<Status>
  recordTopUp(amount: number): Promise<Status>
  getSettings(): Promise<Settings>
  setSettings(patch: Partial<Settings>): Promise<Settings>
  openExternal(page: ExternalPage): Promise<void>
  openTopUp(): Promise<void>
  hideWindow(): Promise<void>
  closeWindow(): Promise<void>
  exportCsv(): Promise<CsvExportResult>
  getAccounts(): Promise<AccountsState>
  switchAccount(name: string): Promise<AccountsState>
  addAccount(name: string, projectIds: string[]): Promise<AccountsState>
  removeAccount(name: string): Promise<AccountsState>
  getTeamServer(): Promise<TeamServerInfo | null>
  setTeamServer(input: TeamServerInput): Promise<TeamCheckResult>
  clearTeamServer(): Promise<null>
  setSpendLimit(amount: number): Promise<Status>
  addSpendAlert(amount: number, recipients: string[]): Promise<Status>
  /** Returns an unsubscribe function. */
  onStatus(listener: (status: Status) => void): () => void
  onShowView(listener: (view: View) => void): () => void
  onAccounts(listener: (state: AccountsState) => void): () => void
}

/** Which channel each API method uses (the preload and the test bridge both follow this map). */
export const API_CHANNELS = {
  getStatus: 'status:get',
  refresh: 'status:refresh',
  getKeyInfo: 'key:info',
  setKey: 'key:set',
  clearKey: 'key:clear',
  recordBalance: 'ledger:balance',
  recordTopUp: 'ledger:topup',
  getSettings: 'settings:get',
  setSettings: 'settings:set',
  openExternal: 'external:open',
  openTopUp: 'window:topup',
  hideWindow: 'window:hide',
  closeWindow: 'window:close',
  exportCsv: 'export:csv',
  getAccounts: 'accounts:get',
  switchAccount: 'accounts:switch',
  addAccount: 'accounts:add',
  removeAccount: 'accounts:remove',
  getTeamServer: 'team:get',
  setTeamServer: 'team:set',
  clearTeamServer: 'team:clear',
  setSpendLimit: 'limits:set',
  addSpendAlert: 'limits:alert-add'
} as const satisfies Record<string, InvokeChannel>

declare global {
  interface Window {
    creditTray: CreditTrayApi
  }
}

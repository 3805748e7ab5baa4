// Main-process side of the IPC contract (src/shared/ipc.ts): one ipcMain.handle per invoke
// channel. Every call is checked in the same order — who is asking (one of the app's own pages
// in a top-level frame, nothing else), whether that page may use this channel (PAGE_CHANNELS),
// then what they sent (ipc-validate.ts) — before the engine sees it. Refusals carry a generic
// message; details go to the log, without payloads.
import { CreditTrayError, InputError, redactSecrets } from '../engine/errors'
import type { CreditEngine } from '../engine/engine-api'
import {
  INVOKE_CHANNELS,
  pageMayInvoke,
  type AppPage,
  type CsvExportResult,
  type EventChannel,
  type EventChannels,
  type ExternalPage,
  type InvokeChannel,
  type InvokeChannels
} from '../../shared/ipc'
import type { AccountsState } from '../../shared/accounts'
import type { TeamCheckResult, TeamServerInfo, TeamServerInput } from '../../shared/team'
import { validatePayload } from './ipc-validate'
import { isAppUrl, type RendererTargets } from './security'

/** The parts of an invoke event we look at (Electron's IpcMainInvokeEvent has more). */
export interface InvokeEventLike {
  senderFrame: { url: string; parent?: unknown } | null | undefined
  /** The calling webContents (window:close closes the window it belongs to). */
  sender?: { id: number } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface IpcDeps {
  ipcMain: IpcMainLike
  engine: CreditEngine
  /** Which of the app's pages sent `event`, or null for anything else (createSenderCheck). */
  senderPage: (event: InvokeEventLike) => AppPage | null
  openExternalPage: (page: ExternalPage) => Promise<void>
  openTopUp: () => void
  hideWindow: () => void
  /** Close the window that sent `event` (the top-up window; the tray window only hides). */
  closeWindow: (event: InvokeEventLike) => void
  /** The accounts the app watches (account-hub.ts). Absent: account calls are refused. */
  accounts?: {
    state(): AccountsState
    switchTo(name: string): Promise<AccountsState>
    add(name: string, projectIds: string[]): Promise<AccountsState>
    remove(name: string): Promise<AccountsState>
  }
  /** Team mode of the active account (team-setup.ts). Absent: team calls are refused. */
  team?: {
    get(): Promise<TeamServerInfo | null>
    set(input: TeamServerInput): Promise<TeamCheckResult>
    clear(): Promise<null>
  }
  /** Save dialog + atomic write of the costs CSV (csv-save.ts). Absent: export is refused. */
  exportCsv?: () => Promise<CsvExportResult>
  log?: (message: string) => void
}

/** What the renderer sees when a call is refused or fails unexpectedly. */
export const REFUSED_MESSAGE = 'Credit Tray refused this request.'
export const FAILED_MESSAGE = 'Something went wrong inside Credit Tray. Please try again.'

/**
 * Which page sent a call: the tray window's index.html or the top-up window's topup.html (and
 * nothing else, not even a sibling file), in a top-level frame. `senderFrame` is null when the
 * frame navigated or was destroyed before the message arrived; such calls are refused too.
 */
export function createSenderCheck(
  pages: Partial<Record<AppPage, RendererTargets>>
): (event: InvokeEventLike) => AppPage | null {
  const entries = Object.entries(pages) as [AppPage, RendererTargets][]
  return (event) => {
    const frame = event.senderFrame
    if (!frame) return null
    if (frame.parent !== null && frame.parent !== undefined) return null
    for (const [page, target] of entries) if (isAppUrl(frame.url, target)) return page
    return null
  }
}

type Handlers = {
  [C in InvokeChannel]: (
    payload: InvokeChannels[C]['request'],
    event: InvokeEventLike
  ) => InvokeChannels[C]['response'] | Promise<InvokeChannels[C]['response']>
}

function accountsOf(deps: IpcDeps): NonNullable<IpcDeps['accounts']> {
  if (!deps.accounts) throw new InputError('Accounts are not available in this window.')
  return deps.accounts
}

function teamOf(deps: IpcDeps): NonNullable<IpcDeps['team']> {
  if (!deps.team) throw new InputError('Team mode is not available in this window.')
  return deps.team
}

function createHandlers(deps: IpcDeps): Handlers {
  const { engine } = deps
  return {
    'status:get': () => engine.getStatus(),
    'status:refresh': () => engine.refresh({ manual: true }),
    'key:info': () => engine.getKeyInfo(),
    'key:set': ({ key }) => engine.setKey(key),
    'key:clear': () => engine.clearKey(),
    'ledger:balance': ({ amount }) => engine.recordBalance(amount),
    'ledger:topup': ({ amount }) => engine.recordTopUp(amount),
    'settings:get': () => engine.getSettings(),
    'settings:set': (patch) => engine.updateSettings(patch),
    'external:open': ({ page }) => deps.openExternalPage(page),
    'window:topup': () => deps.openTopUp(),
    'window:hide': () => deps.hideWindow(),
    'window:close': (_payload, event) => deps.closeWindow(event),
    'export:csv': () => {
      if (!deps.exportCsv) throw new InputError('Export is not available in this window.')
      return deps.exportCsv()
    },
    'accounts:get': () => accountsOf(deps).state(),
    'accounts:switch': ({ name }) => accountsOf(deps).switchTo(name),
    'accounts:add': ({ name, projectIds }) => accountsOf(deps).add(name, projectIds),
    'accounts:remove': ({ name }) => accountsOf(deps).remove(name),
    'team:get': () => teamOf(deps).get(),
    'team:set': (input) => teamOf(deps).set(input),
    'team:clear': () => teamOf(deps).clear(),
    // Sent only from the window's confirm step (LimitChange.tsx); the engine writes once.
    'limits:set': ({ amount }) => engine.setOrgLimit(amount),
    'limits:alert-add': ({ amount, recipients }) => engine.addOrgAlert(amount, recipients)
  }
}

/**
 * Register one handler per invoke channel. Returns a disposer that removes them all (for tests
 * and for a clean quit). Errors crossing IPC keep only their message, so each one is chosen here:
 * InputError and CreditTrayError (written for a person, e.g. "the keychain did not answer") pass
 * through; anything else (a bug) becomes a generic message and is logged.
 */
export function registerIpcHandlers(deps: IpcDeps): () => void {
  const log = deps.log ?? ((message: string) => console.warn(message))
  const handlers = createHandlers(deps)

  const register = <C extends InvokeChannel>(channel: C): void => {
    const handler = handlers[channel]
    deps.ipcMain.handle(channel, async (event, ...args) => {
      const page = pageOf(deps, event)
      if (page === null) {
        log(`IPC ${channel}: refused a call from an untrusted sender (${describeSender(event)}).`)
        throw new Error(REFUSED_MESSAGE)
      }
      if (!pageMayInvoke(page, channel)) {
        log(`IPC ${channel}: refused: the ${page} page may not use this channel.`)
        throw new Error(REFUSED_MESSAGE)
      }
      const checked = validatePayload(channel, args)
      if (!checked.ok) {
        // Field names and rule codes only: the payload of key:set is the key itself.
        log(`IPC ${channel}: refused an invalid payload (${checked.problems.join('; ')}).`)
        throw new Error(REFUSED_MESSAGE)
      }
      try {
        return await handler(checked.payload, event)
      } catch (error) {
        const secret =
          channel === 'key:set'
            ? (checked.payload as { key: string }).key
            : channel === 'team:set'
              ? (checked.payload as { token: string }).token
              : undefined
        // Both kinds carry messages written for a person (redacted once more, to be sure).
        if (error instanceof InputError || error instanceof CreditTrayError) {
          throw new Error(redactSecrets(error.message, secret))
        }
        log(`IPC ${channel}: failed: ${redactSecrets(describeError(error), secret)}`)
        throw new Error(FAILED_MESSAGE)
      }
    })
  }

  const registered: InvokeChannel[] = []
  try {
    for (const channel of INVOKE_CHANNELS) {
      register(channel)
      registered.push(channel)
    }
  } catch (error) {
    // Leave nothing half-registered (a second registration throws in Electron).
    for (const channel of registered) deps.ipcMain.removeHandler(channel)
    throw error
  }

  let disposed = false
  return () => {
    if (disposed) return
    disposed = true
    for (const channel of registered) deps.ipcMain.removeHandler(channel)
  }
}

function pageOf(deps: IpcDeps, event: InvokeEventLike): AppPage | null {
  try {
    return deps.senderPage(event)
  } catch {
    return null
  }
}

function describeSender(event: InvokeEventLike): string {
  const frame = event.senderFrame
  if (!frame) return 'no frame'
  try {
    const url = new URL(frame.url)
    return url.protocol === 'file:' ? 'a local file' : url.origin
  } catch {
    return 'unparseable URL'
  }
}

/** "TypeError: message" for an Error (its own toString), the value itself otherwise. */
function describeError(error: unknown): string {
  return String(error)
}

/** The parts of a window sendToRenderer needs. */
export interface RendererWindowLike {
  isDestroyed(): boolean
  webContents: { send(channel: string, ...args: unknown[]): void; isDestroyed(): boolean }
}

/** Send a typed event to the renderer; a no-op once the window is gone (quit, crash). */
export function sendToRenderer<C extends EventChannel>(
  win: RendererWindowLike | null | undefined,
  channel: C,
  payload: EventChannels[C]
): boolean {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return false
  win.webContents.send(channel, payload)
  return true
}

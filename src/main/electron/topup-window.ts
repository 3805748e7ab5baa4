// The guided top-up window: a small, normal (framed) window that walks the user through adding
// credit on the OpenAI platform. Unlike the tray popover it is created on demand (most sessions
// never open it), stays put when it loses focus (the user switches to the browser and back), and
// is closed — not hidden — when done. It shows our renderer, so it gets the same hardening.
import type { BrowserWindowConstructorOptions } from 'electron'
import type { Status } from '../../shared/status'
import {
  hardenAppWindow,
  loadRenderer,
  warnToConsole,
  type AppBrowserWindowLike,
  type AppWindowOptions,
  type WindowConstructorLike
} from './app-window'
import { sendToRenderer } from './ipc'
import { secureWebPreferences } from './security'

export const TOP_UP_WINDOW_WIDTH = 420
export const TOP_UP_WINDOW_HEIGHT = 600
export const TOP_UP_WINDOW_TITLE = 'Top up credit — Credit Tray'

export interface TopUpBrowserWindowLike extends AppBrowserWindowLike {
  webContents: AppBrowserWindowLike['webContents'] & { id: number }
  close(): void
  isMinimized?(): boolean
  restore?(): void
  /** Linux/Windows: drop the default File/Edit/View menu bar (not on macOS, nor in the fake). */
  removeMenu?(): void
  once(event: 'ready-to-show', listener: () => void): unknown
  on(event: 'closed', listener: () => void): unknown
}

export type TopUpBrowserWindowConstructorLike = WindowConstructorLike<TopUpBrowserWindowLike>

/** `renderer` is topup.html. */
export interface TopUpWindowOptions extends AppWindowOptions {
  BrowserWindow: TopUpBrowserWindowConstructorLike
  /** The page failed to load (the window is closed again); the shell falls back to the billing page. */
  onLoadFailed?: () => void
  /** Just before the window is shown (macOS: bring the dock-less app to the front). */
  onShow?: () => void
}

export interface TopUpWindow {
  /** Create and show the window, or bring the open one to the front. */
  open(): void
  /** Close the window if it is open (it is created anew next time). */
  close(): void
  isOpen(): boolean
  /** Is `sender` (an IPC event's sender) this window's webContents? */
  isSender(sender: { id: number } | null | undefined): boolean
  sendStatus(status: Status): boolean
  /** The current window, or null when closed. */
  readonly window: TopUpBrowserWindowLike | null
}

/** The constructor options of the top-up window (exported so tests can pin them down). */
export function topUpWindowOptions(opts: {
  preloadPath: string
  devTools: boolean
}): BrowserWindowConstructorOptions {
  return {
    width: TOP_UP_WINDOW_WIDTH,
    height: TOP_UP_WINDOW_HEIGHT,
    // Shown on ready-to-show, once the page has painted: no blank frame.
    show: false,
    frame: true,
    resizable: false,
    maximizable: false,
    fullscreenable: false,
    minimizable: true,
    autoHideMenuBar: true,
    center: true,
    title: TOP_UP_WINDOW_TITLE,
    webPreferences: secureWebPreferences(opts.preloadPath, { devTools: opts.devTools })
  }
}

export function createTopUpWindow(opts: TopUpWindowOptions): TopUpWindow {
  const log = opts.log ?? warnToConsole
  let current: TopUpBrowserWindowLike | null = null

  const alive = (): TopUpBrowserWindowLike | null =>
    current && !current.isDestroyed() ? current : null

  const bringToFront = (win: TopUpBrowserWindowLike): void => {
    opts.onShow?.()
    if (win.isMinimized?.()) win.restore?.()
    win.show()
    win.focus()
  }

  const create = (): void => {
    const win = new opts.BrowserWindow(topUpWindowOptions(opts))
    current = win
    win.removeMenu?.()
    hardenAppWindow(win, { renderer: opts.renderer, shell: opts.shell, log })
    win.on('closed', () => {
      if (current === win) current = null
    })

    let shown = false
    const showOnce = (): void => {
      if (shown || win.isDestroyed()) return
      shown = true
      bringToFront(win)
    }
    win.once('ready-to-show', showOnce)
    loadRenderer(win, opts.renderer).then(
      // ready-to-show normally comes first; this is the fallback if it never fires.
      showOnce,
      () => {
        log('The top-up window could not load its page.')
        if (!win.isDestroyed()) win.close()
        opts.onLoadFailed?.()
      }
    )
  }

  return {
    open() {
      const win = alive()
      if (win) bringToFront(win)
      else create()
    },
    close() {
      alive()?.close()
    },
    isOpen: () => alive() !== null,
    isSender(sender) {
      const win = alive()
      return (
        win !== null &&
        sender !== null &&
        sender !== undefined &&
        !win.webContents.isDestroyed() &&
        sender.id === win.webContents.id
      )
    },
    sendStatus: (status) => sendToRenderer(alive(), 'status:changed', status),
    get window() {
      return alive()
    }
  }
}

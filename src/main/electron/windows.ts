// The tray window: one small frameless window, created once at startup and then only shown and
// hidden (creating a BrowserWindow per click is slow and flickers). It hides when it loses focus,
// like a menu. Position comes from the tray controller; this module only moves and shows it.
import type { BrowserWindowConstructorOptions } from 'electron'
import type { View } from '../../shared/ipc'
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

export const TRAY_WINDOW_WIDTH = 360
export const TRAY_WINDOW_HEIGHT = 540
/**
 * A click on the tray icon while the window is open first blurs (and hides) the window, then
 * delivers the click, which would show it again at once. A toggle this soon after a blur-hide is
 * taken as "close it", which is what the user meant.
 */
export const BLUR_TOGGLE_GRACE_MS = 300

export interface TrayBrowserWindowLike extends AppBrowserWindowLike {
  hide(): void
  isVisible(): boolean
  destroy(): void
  setPosition(x: number, y: number): void
  setVisibleOnAllWorkspaces(visible: boolean, options?: { visibleOnFullScreen?: boolean }): void
  on(event: 'blur', listener: () => void): unknown
}

export type BrowserWindowConstructorLike = WindowConstructorLike<TrayBrowserWindowLike>

export interface TrayWindowOptions extends AppWindowOptions {
  BrowserWindow: BrowserWindowConstructorLike
  platform: NodeJS.Platform
  /** Called after the window hid itself because it lost focus. */
  onBlur?: () => void
  now?: () => number
}

export interface TrayWindow {
  readonly window: TrayBrowserWindowLike
  /** Resolves when the renderer finished its first load (rejects if it failed). */
  readonly loaded: Promise<void>
  show(position?: { x: number; y: number }): void
  hide(): void
  /** Show if hidden, hide if shown. Returns whether the window is visible afterwards. */
  toggle(position?: { x: number; y: number }): boolean
  isVisible(): boolean
  sendView(view: View): boolean
  sendStatus(status: Status): boolean
  destroy(): void
}

/** The constructor options of the tray window (exported so tests can pin them down). */
export function trayWindowOptions(opts: {
  preloadPath: string
  platform: NodeJS.Platform
  devTools: boolean
}): BrowserWindowConstructorOptions {
  return {
    width: TRAY_WINDOW_WIDTH,
    height: TRAY_WINDOW_HEIGHT,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    // Opaque on purpose: transparent frameless windows misbehave on some Linux compositors.
    transparent: false,
    backgroundColor: '#1f2124',
    title: 'Credit Tray',
    // A tray popover should not grab the macOS dock/app switcher.
    ...(opts.platform === 'darwin' ? { hiddenInMissionControl: true } : {}),
    webPreferences: secureWebPreferences(opts.preloadPath, { devTools: opts.devTools })
  }
}

export function createTrayWindow(opts: TrayWindowOptions): TrayWindow {
  const now = opts.now ?? Date.now
  const log = opts.log ?? warnToConsole
  const win = new opts.BrowserWindow(trayWindowOptions(opts))

  hardenAppWindow(win, { renderer: opts.renderer, shell: opts.shell, log })
  if (opts.platform === 'darwin') {
    // Open on whichever Space is active, including over full-screen apps, like a menu-bar menu.
    win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true })
  }

  let hiddenByBlurAt: number | null = null
  win.on('blur', () => {
    if (win.isDestroyed() || !win.isVisible()) return
    win.hide()
    hiddenByBlurAt = now()
    opts.onBlur?.()
  })

  const loaded = loadRenderer(win, opts.renderer)
  // Report, but do not crash: the tray icon still works and a reload can be tried.
  loaded.catch(() => log('The tray window could not load its page.'))

  const alive = (): boolean => !win.isDestroyed()

  const show = (position?: { x: number; y: number }): void => {
    if (!alive()) return
    if (position) win.setPosition(Math.round(position.x), Math.round(position.y))
    hiddenByBlurAt = null
    win.show()
    win.focus()
  }
  const hide = (): void => {
    if (alive() && win.isVisible()) win.hide()
  }

  return {
    window: win,
    loaded,
    show,
    hide,
    toggle(position) {
      if (!alive()) return false
      if (win.isVisible()) {
        hide()
        return false
      }
      const justHidByBlur = hiddenByBlurAt !== null && now() - hiddenByBlurAt < BLUR_TOGGLE_GRACE_MS
      hiddenByBlurAt = null
      if (justHidByBlur) return false
      show(position)
      return true
    },
    isVisible: () => alive() && win.isVisible(),
    sendView: (view) => sendToRenderer(win, 'view:show', { view }),
    sendStatus: (status) => sendToRenderer(win, 'status:changed', status),
    destroy() {
      if (alive()) win.destroy()
    }
  }
}

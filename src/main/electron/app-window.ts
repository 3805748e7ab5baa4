// What the tray window and the top-up window have in common: both show our renderer in a
// BrowserWindow, locked down the same way and loaded from the dev server or the app scheme.
import type { BrowserWindowConstructorOptions } from 'electron'
import type { ShellLike } from './external-links'
import type { RendererWindowLike } from './ipc'
import {
  hardenSession,
  hardenWebContents,
  type RendererTarget,
  type SessionLike,
  type WebContentsLike
} from './security'

/** The parts of an Electron BrowserWindow both windows use (tests pass the fake one). */
export interface AppBrowserWindowLike extends RendererWindowLike {
  webContents: WebContentsLike & {
    send(channel: string, ...args: unknown[]): void
    isDestroyed(): boolean
    session: SessionLike
  }
  loadURL(url: string): Promise<void>
  show(): void
  focus(): void
  isDestroyed(): boolean
}

/** Electron's BrowserWindow class, as a window factory sees it. */
export type WindowConstructorLike<W extends AppBrowserWindowLike> = new (
  options: BrowserWindowConstructorOptions
) => W

/** The options both window factories take. */
export interface AppWindowOptions {
  preloadPath: string
  /** The window's own page: the dev server page or the built page on the app scheme. */
  renderer: RendererTarget
  /** `!app.isPackaged`: DevTools only in development. */
  devTools: boolean
  shell: ShellLike
  log?: (message: string) => void
}

export const warnToConsole = (message: string): void => console.warn(message)

/**
 * Lock down a new window: its webContents may only show its own page; the session denies
 * permissions. (The CSP header comes with every response of the app scheme.)
 */
export function hardenAppWindow(
  win: AppBrowserWindowLike,
  opts: {
    renderer: RendererTarget
    shell: ShellLike
    log: (message: string) => void
  }
): void {
  hardenWebContents(win.webContents, { target: opts.renderer, shell: opts.shell, log: opts.log })
  hardenSession(win.webContents.session)
}

/** Load the window's page: the dev server URL or the built page's credit-tray://app/ URL. */
export function loadRenderer(win: AppBrowserWindowLike, renderer: RendererTarget): Promise<void> {
  return win.loadURL(renderer.url)
}

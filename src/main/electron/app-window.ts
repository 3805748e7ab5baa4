// What the tray window and the top-up window have in common: both show our renderer in a
// BrowserWindow, locked down the same way and loaded from the dev server or the built files.
import type { BrowserWindowConstructorOptions } from 'electron'
import type { ShellLike } from './external-links'
import type { RendererWindowLike } from './ipc'
import {
  hardenSession,
  hardenWebContents,
  type RendererTarget,
  type RendererTargets,
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
  loadFile(filePath: string): Promise<void>
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
  /** The window's own page: the dev server page or the built file. */
  renderer: RendererTarget
  /** `!app.isPackaged`: DevTools only in development. */
  devTools: boolean
  shell: ShellLike
  log?: (message: string) => void
}

export const warnToConsole = (message: string): void => console.warn(message)

/**
 * Lock down a new window: its webContents may only show its own page; the session denies
 * permissions and, for built files, adds the CSP header to every page in `sessionPages` (the
 * windows share one session, see hardenSession).
 */
export function hardenAppWindow(
  win: AppBrowserWindowLike,
  opts: {
    renderer: RendererTarget
    sessionPages: RendererTargets
    shell: ShellLike
    log: (message: string) => void
  }
): void {
  hardenWebContents(win.webContents, { target: opts.renderer, shell: opts.shell, log: opts.log })
  hardenSession(win.webContents.session, {
    target: opts.sessionPages,
    cspHeader: opts.renderer.kind === 'file'
  })
}

/** Load the window's page from the dev server or from the built file. */
export function loadRenderer(win: AppBrowserWindowLike, renderer: RendererTarget): Promise<void> {
  return renderer.kind === 'url' ? win.loadURL(renderer.url) : win.loadFile(renderer.path)
}

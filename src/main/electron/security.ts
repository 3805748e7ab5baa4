// Hardening for every window that shows our renderer, following Electron's security checklist:
// isolated, sandboxed renderers with no Node; no new windows, no navigation away from the app,
// no <webview>, no permissions (camera, notifications from the page, ...); a CSP header on top of
// the meta tag. The page is our own code, but a single XSS (or a poisoned API string rendered
// unsafely) should still leave the attacker inside a locked box.
import type { WebPreferences } from 'electron'
import { openAllowedExternalUrl, type ShellLike } from './external-links'

/**
 * Where a page comes from: the dev server (electron-vite sets ELECTRON_RENDERER_URL), or the
 * built files served by our own scheme (`app`, a credit-tray://app/… URL, see app-protocol.ts).
 */
export type RendererTarget = { kind: 'url'; url: string } | { kind: 'app'; url: string }

/** One page of the app, or all of them (index.html and topup.html). */
export type RendererTargets = RendererTarget | readonly RendererTarget[]

/**
 * Dev server only when unpackaged and electron-vite said so; otherwise the built page at
 * `appUrl` (credit-tray://app/index.html or …/topup.html). `devPage` names a page other than
 * the dev server's root ("topup.html").
 */
export function rendererTargetFromEnv(opts: {
  isPackaged: boolean
  env: Record<string, string | undefined>
  appUrl: string
  devPage?: string
}): RendererTarget {
  const devUrl = opts.env.ELECTRON_RENDERER_URL
  if (!opts.isPackaged && devUrl) {
    if (!opts.devPage) return { kind: 'url', url: devUrl }
    const base = devUrl.endsWith('/') ? devUrl : devUrl + '/'
    return { kind: 'url', url: new URL(opts.devPage, base).href }
  }
  return { kind: 'app', url: opts.appUrl }
}

/**
 * Is `url` exactly this page of the app (its credit-tray://app/ URL, or its dev-server URL)?
 * Same scheme, host (and port) and path: not a sibling file, not another host — so the tray
 * page and the top-up page, which share an origin, are told apart. Query and fragment are
 * ignored (they do not change which document runs).
 */
export function isAppUrl(url: string, target: RendererTargets): boolean {
  if (isTargetList(target)) return target.some((t) => isAppUrl(url, t))
  let parsed: URL
  let expected: URL
  try {
    parsed = new URL(url)
    expected = new URL(target.url)
  } catch {
    return false
  }
  return (
    parsed.protocol === expected.protocol &&
    parsed.host === expected.host &&
    parsed.pathname === expected.pathname
  )
}

function isTargetList(target: RendererTargets): target is readonly RendererTarget[] {
  return Array.isArray(target)
}

/** The renderer's Content-Security-Policy; must match the meta tag in src/renderer/index.html. */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'"

/**
 * The header (sent with every page by app-protocol.ts) adds what only works as a header:
 * browsers ignore frame-ancestors in a meta tag.
 */
export const RENDERER_CSP_HEADER = RENDERER_CSP + "; frame-ancestors 'none'"

/** The webPreferences every window of ours uses. DevTools only in development. */
export function secureWebPreferences(
  preloadPath: string,
  opts: { devTools: boolean }
): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: opts.devTools
  }
}

// Structural types for what hardening touches, so tests can pass the fake electron objects.
export interface NavigationEventLike {
  preventDefault(): void
  url?: string
}
export interface SessionLike {
  setPermissionRequestHandler(
    handler:
      | ((webContents: unknown, permission: unknown, callback: (granted: boolean) => void) => void)
      | null
  ): void
  setPermissionCheckHandler(handler: ((...args: unknown[]) => boolean) | null): void
}
export interface WebContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: NavigationEventLike, url?: string) => void
  ): unknown
  on(event: 'will-attach-webview', listener: (event: NavigationEventLike) => void): unknown
}

export interface HardenOptions {
  target: RendererTarget
  shell: ShellLike
  log?: (message: string) => void
}

/** Describe a URL for logs without query strings or fragments (they can carry tokens). */
function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return u.protocol === 'file:' ? 'a local file' : `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return 'an unparseable URL'
  }
}

/**
 * Lock down one webContents: window.open is always denied (allowlisted platform.openai.com pages
 * open in the browser instead); navigation and redirects away from the app are blocked (a link to
 * an allowlisted page goes to the browser); <webview> can never attach.
 */
export function hardenWebContents(webContents: WebContentsLike, opts: HardenOptions): void {
  const log = opts.log ?? (() => undefined)
  const openInBrowser = (url: string): void => {
    openAllowedExternalUrl(url, opts.shell).then(
      (opened) => {
        if (!opened) log(`Blocked opening ${describeUrl(url)}: not on the allowlist.`)
      },
      () => log(`The browser could not be opened for ${describeUrl(url)}.`)
    )
  }

  webContents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url)
    return { action: 'deny' }
  })

  webContents.on('will-navigate', (event, url) => {
    const to = url ?? event.url ?? ''
    if (isAppUrl(to, opts.target)) return
    event.preventDefault()
    openInBrowser(to)
  })

  webContents.on('will-redirect', (event, url) => {
    const to = url ?? event.url ?? ''
    if (isAppUrl(to, opts.target)) return
    event.preventDefault()
    log(`Blocked a redirect to ${describeUrl(to)}.`)
  })

  webContents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log('Blocked a <webview>.')
  })
}

/**
 * Lock down a session: deny every permission request and check (the windows need none; desktop
 * notifications come from main, not the page). The CSP header of the built pages comes with
 * every response of the app scheme (app-protocol.ts); the meta tag in each page is the same
 * policy, for the dev server too.
 */
export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

// The tray window and the hardening every window of ours gets, against the fake BrowserWindow.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  RENDERER_CSP,
  RENDERER_CSP_HEADER,
  hardenSession,
  isAppUrl,
  rendererTargetFromEnv,
  secureWebPreferences,
  type RendererTarget
} from '../src/main/electron/security'
import {
  BLUR_TOGGLE_GRACE_MS,
  createTrayWindow,
  type TrayWindowOptions
} from '../src/main/electron/windows'
import type { Status } from '../src/shared/status'
import {
  BrowserWindow,
  FakeSession,
  resetElectronWebFake,
  session,
  shell
} from './fakes/electron-web'

const APP_URL = 'credit-tray://app/index.html'
const PROD: RendererTarget = { kind: 'app', url: APP_URL }
const DEV: RendererTarget = { kind: 'url', url: 'http://localhost:5173' }

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function makeWindow(overrides: Partial<TrayWindowOptions> = {}) {
  let clock = 1_000_000
  const blurs: number[] = []
  const logs: string[] = []
  const tray = createTrayWindow({
    BrowserWindow,
    preloadPath: '/opt/credit-tray/out/preload/index.js',
    renderer: PROD,
    platform: 'linux',
    devTools: false,
    shell,
    onBlur: () => void blurs.push(clock),
    now: () => clock,
    log: (message) => void logs.push(message),
    ...overrides
  })
  const win = tray.window as unknown as BrowserWindow
  return {
    tray,
    win,
    blurs,
    logs,
    advance: (ms: number) => void (clock += ms)
  }
}

beforeEach(() => {
  resetElectronWebFake()
})

describe('tray window options', () => {
  it('is a small hidden frameless popover with locked-down web preferences', () => {
    const { win } = makeWindow()
    expect(BrowserWindow.instances).toHaveLength(1)
    expect(win.options).toMatchObject({
      width: 360,
      height: 540,
      show: false,
      frame: false,
      resizable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      transparent: false
    })
    expect(win.options.webPreferences).toMatchObject({
      preload: '/opt/credit-tray/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: false
    })
    expect(win.isVisible()).toBe(false)
  })

  it('sets every hardening preference, not just the famous ones', () => {
    expect(secureWebPreferences('/p.js', { devTools: false })).toEqual({
      preload: '/p.js',
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
      devTools: false
    })
  })

  it('allows DevTools only when asked (development)', () => {
    expect(secureWebPreferences('/p.js', { devTools: true }).devTools).toBe(true)
    expect(secureWebPreferences('/p.js', { devTools: false }).devTools).toBe(false)
  })

  it('on macOS it follows the active Space; elsewhere it does not touch workspaces', () => {
    expect(makeWindow({ platform: 'darwin' }).win.visibleOnAllWorkspaces).toBe(true)
    expect(makeWindow({ platform: 'win32' }).win.visibleOnAllWorkspaces).toBeNull()
  })

  it('loads the built page from the app scheme in production, the dev server in development', async () => {
    const prod = makeWindow()
    await prod.tray.loaded
    expect(prod.win.webContents.loaded).toMatchObject({ kind: 'url', target: APP_URL })
    const dev = makeWindow({ renderer: DEV })
    await dev.tray.loaded
    expect(dev.win.webContents.loaded).toMatchObject({
      kind: 'url',
      target: 'http://localhost:5173'
    })
  })
})

describe('show, hide, toggle, blur', () => {
  it('shows at the given position and hides again', () => {
    const { tray, win } = makeWindow()
    tray.show({ x: 100.4, y: 20.6 })
    expect(tray.isVisible()).toBe(true)
    expect(win.getPosition()).toEqual([100, 21])
    expect(win.isFocused()).toBe(true)
    tray.hide()
    expect(tray.isVisible()).toBe(false)
  })

  it('toggle flips visibility', () => {
    const { tray } = makeWindow()
    expect(tray.toggle({ x: 1, y: 2 })).toBe(true)
    expect(tray.toggle()).toBe(false)
    expect(tray.isVisible()).toBe(false)
  })

  it('hides itself when it loses focus and reports it', () => {
    const { tray, win, blurs } = makeWindow()
    tray.show()
    win.blur()
    expect(tray.isVisible()).toBe(false)
    expect(blurs).toHaveLength(1)
  })

  it('a tray click right after the blur it caused closes the window instead of reopening it', () => {
    const { tray, win, advance } = makeWindow()
    tray.show()
    win.blur() // clicking the tray icon blurs the window first...
    advance(BLUR_TOGGLE_GRACE_MS - 1)
    expect(tray.toggle()).toBe(false) // ...then delivers the click
    expect(tray.isVisible()).toBe(false)
    expect(tray.toggle()).toBe(true) // the next click opens it again
  })

  it('a tray click well after a blur opens the window', () => {
    const { tray, win, advance } = makeWindow()
    tray.show()
    win.blur()
    advance(BLUR_TOGGLE_GRACE_MS)
    expect(tray.toggle()).toBe(true)
  })

  it('blur while hidden does nothing', () => {
    const { win, blurs } = makeWindow()
    win.blur()
    expect(blurs).toEqual([])
  })

  it('is safe to use after being destroyed', () => {
    const { tray } = makeWindow()
    tray.destroy()
    tray.show()
    expect(tray.toggle()).toBe(false)
    expect(tray.isVisible()).toBe(false)
    expect(tray.sendView('main')).toBe(false)
  })
})

describe('events to the renderer', () => {
  it('sendView and sendStatus use the contract channels with plain payloads', () => {
    const { tray, win } = makeWindow()
    const status = { level: 'ok' } as unknown as Status
    tray.sendView('onboarding')
    tray.sendStatus(status)
    expect(win.webContents.sent).toEqual([
      { channel: 'view:show', args: [{ view: 'onboarding' }] },
      { channel: 'status:changed', args: [status] }
    ])
  })
})

describe('web contents hardening', () => {
  it('denies every window.open; allowlisted pages open in the browser instead', async () => {
    const { win, logs } = makeWindow()
    const contents = win.webContents
    expect(contents.simulateWindowOpen('https://platform.openai.com/usage')).toEqual({
      action: 'deny'
    })
    expect(contents.simulateWindowOpen('https://evil.example/')).toEqual({ action: 'deny' })
    expect(contents.simulateWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(contents.simulateWindowOpen(APP_URL)).toEqual({ action: 'deny' })
    await flush()
    expect(shell.opened).toEqual(['https://platform.openai.com/usage'])
    expect(logs.filter((l) => l.startsWith('Blocked opening'))).toHaveLength(3)
    expect(logs.join('\n')).not.toContain('/etc/passwd')
  })

  it('blocks navigation away from the app; an allowlisted link goes to the browser', async () => {
    const { win } = makeWindow()
    const contents = win.webContents
    expect(contents.simulateNavigation('will-navigate', APP_URL)).toBe(false)
    expect(contents.simulateNavigation('will-navigate', APP_URL + '#settings')).toBe(false)
    expect(contents.simulateNavigation('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.simulateNavigation('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(
      contents.simulateNavigation('will-navigate', 'https://platform.openai.com/api-keys')
    ).toBe(true)
    await flush()
    expect(shell.opened).toEqual(['https://platform.openai.com/api-keys'])
  })

  it('blocks redirects away from the app without opening anything', async () => {
    const { win } = makeWindow()
    expect(
      win.webContents.simulateNavigation('will-redirect', 'https://platform.openai.com/usage')
    ).toBe(true)
    expect(win.webContents.simulateNavigation('will-redirect', APP_URL)).toBe(false)
    await flush()
    expect(shell.opened).toEqual([])
  })

  it('in development only the dev server page itself may be navigated to', () => {
    const { win } = makeWindow({ renderer: DEV })
    expect(
      win.webContents.simulateNavigation('will-navigate', 'http://localhost:5173/#settings')
    ).toBe(false)
    expect(
      win.webContents.simulateNavigation('will-navigate', 'http://localhost:5173/evil.html')
    ).toBe(true)
    expect(win.webContents.simulateNavigation('will-navigate', 'http://localhost:5174/')).toBe(true)
    expect(win.webContents.simulateNavigation('will-navigate', APP_URL)).toBe(true)
  })

  it('logs what it blocked without query, fragment or local paths', async () => {
    const { win, logs } = makeWindow()
    const contents = win.webContents
    contents.simulateWindowOpen('https://evil.example/path?token=abc#frag')
    contents.simulateWindowOpen('file:///home/me/secret.txt')
    contents.simulateWindowOpen('not a url')
    contents.simulateNavigation('will-redirect', 'https://evil.example/r?code=1')
    contents.simulateAttachWebview('https://evil.example/')
    shell.failWith = new Error('no browser')
    contents.simulateWindowOpen('https://platform.openai.com/usage')
    await flush()
    expect(logs).toEqual([
      'Blocked a redirect to https://evil.example/r.',
      'Blocked a <webview>.',
      'Blocked opening https://evil.example/path: not on the allowlist.',
      'Blocked opening a local file: not on the allowlist.',
      'Blocked opening an unparseable URL: not on the allowlist.',
      'The browser could not be opened for https://platform.openai.com/usage.'
    ])
  })

  it('a navigation event without a url argument is judged by event.url', () => {
    const { win } = makeWindow()
    const blocked = (url: string): boolean => {
      const event = {
        url,
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true
        }
      }
      win.webContents.emit('will-navigate', event)
      return event.defaultPrevented
    }
    expect(blocked(APP_URL)).toBe(false)
    expect(blocked('https://evil.example/')).toBe(true)
    const redirect = {
      url: APP_URL,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true
      }
    }
    win.webContents.emit('will-redirect', redirect)
    expect(redirect.defaultPrevented).toBe(false)
  })

  it('never lets a <webview> attach', () => {
    const { win } = makeWindow()
    expect(win.webContents.simulateAttachWebview('https://platform.openai.com/usage')).toBe(true)
  })

  it('denies every permission request and check', async () => {
    const { win } = makeWindow()
    const session = win.webContents.session
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal'
    ]) {
      await expect(session.requestPermission(permission)).resolves.toBe(false)
      expect(session.permissionCheckHandler?.(null, permission, 'credit-tray://app')).toBe(false)
    }
  })
})

describe('Content-Security-Policy header', () => {
  it('matches the meta tag in the renderer index.html', () => {
    const html = readFileSync(path.resolve(__dirname, '../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(RENDERER_CSP)
  })

  it('matches the meta tag in topup.html too, with the same justified scanner note', () => {
    const read = (name: string): string =>
      readFileSync(path.resolve(__dirname, '../src/renderer', name), 'utf8')
    const topup = read('topup.html')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(topup)
    expect(meta?.[1]).toBe(RENDERER_CSP)
    // The eng-disable comment lines at the top are the same as index.html's.
    const head = (html: string): string => html.slice(0, html.indexOf('<!doctype html>'))
    expect(head(topup)).toBe(head(read('index.html')))
    expect(head(topup)).toContain('eng-disable CSP_GLOBAL_CHECK')
  })

  it('the header is the meta policy plus frame-ancestors (app-protocol.ts sends it)', () => {
    expect(RENDERER_CSP_HEADER).toBe(RENDERER_CSP + "; frame-ancestors 'none'")
  })

  it('no onHeadersReceived rewriting: the app scheme sends the header itself', () => {
    makeWindow()
    makeWindow({ renderer: DEV })
    expect(session.defaultSession.headersReceived).toEqual([])
  })

  it('hardenSession alone denies permissions', async () => {
    const fresh = new FakeSession()
    hardenSession(fresh)
    await expect(fresh.requestPermission('media')).resolves.toBe(false)
    expect(fresh.permissionCheckHandler?.(null, 'media', APP_URL)).toBe(false)
  })
})

describe('isAppUrl and rendererTargetFromEnv', () => {
  it('matches only the exact built page on the app scheme (any query or fragment)', () => {
    expect(isAppUrl(APP_URL, PROD)).toBe(true)
    expect(isAppUrl(APP_URL + '?a=1#b', PROD)).toBe(true)
    for (const url of [
      'credit-tray://app/other.html',
      'credit-tray://app/',
      'credit-tray://app',
      'credit-tray://host/index.html',
      'credit-tray://app:1/index.html',
      'credit-tray://app/assets%2Findex.html',
      'credit-tray://app/sub/index.html',
      'https://app/index.html',
      'file:///opt/credit-tray/out/renderer/index.html',
      'not a url'
    ]) {
      expect(isAppUrl(url, PROD), url).toBe(false)
    }
  })

  it('with both app pages listed, matches index.html and topup.html and no other page', () => {
    const topupUrl = 'credit-tray://app/topup.html'
    const pages: RendererTarget[] = [PROD, { kind: 'app', url: topupUrl }]
    expect(isAppUrl(APP_URL, pages)).toBe(true)
    expect(isAppUrl(topupUrl, pages)).toBe(true)
    expect(isAppUrl(topupUrl + '?x#y', pages)).toBe(true)
    expect(isAppUrl(topupUrl, PROD)).toBe(false)
    expect(isAppUrl('credit-tray://app/other.html', pages)).toBe(false)
    expect(isAppUrl('credit-tray://evil/topup.html', pages)).toBe(false)
    expect(isAppUrl(APP_URL, [])).toBe(false)
  })

  it('a target that is not a URL matches nothing', () => {
    expect(isAppUrl(APP_URL, { kind: 'url', url: 'not a url' })).toBe(false)
  })

  it('uses the dev server only when unpackaged, else the page on the app scheme', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    expect(rendererTargetFromEnv({ isPackaged: false, env, appUrl: APP_URL })).toEqual(DEV)
    expect(rendererTargetFromEnv({ isPackaged: true, env, appUrl: APP_URL })).toEqual(PROD)
    expect(rendererTargetFromEnv({ isPackaged: false, env: {}, appUrl: APP_URL })).toEqual(PROD)
    expect(
      rendererTargetFromEnv({ isPackaged: false, env, appUrl: APP_URL, devPage: 'topup.html' })
    ).toEqual({ kind: 'url', url: 'http://localhost:5173/topup.html' })
    expect(
      rendererTargetFromEnv({
        isPackaged: false,
        env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' },
        appUrl: APP_URL,
        devPage: 'topup.html'
      })
    ).toEqual({ kind: 'url', url: 'http://localhost:5173/topup.html' })
    // A dev server under a path keeps it (the page sits beside the root page, not above it).
    expect(
      rendererTargetFromEnv({
        isPackaged: false,
        env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/app' },
        appUrl: APP_URL,
        devPage: 'topup.html'
      })
    ).toEqual({ kind: 'url', url: 'http://localhost:5173/app/topup.html' })
    expect(
      rendererTargetFromEnv({
        isPackaged: false,
        env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/app/' },
        appUrl: APP_URL,
        devPage: 'topup.html'
      })
    ).toEqual({ kind: 'url', url: 'http://localhost:5173/app/topup.html' })
  })
})

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
import { BrowserWindow, FakeSession, resetElectronWebFake, shell } from './fakes/electron-web'

const RENDERER_FILE = '/opt/credit-tray/out/renderer/index.html'
const APP_URL = 'file:///opt/credit-tray/out/renderer/index.html'
const PROD: RendererTarget = { kind: 'file', path: RENDERER_FILE }
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

  it('allows DevTools only when asked (development)', () => {
    expect(secureWebPreferences('/p.js', { devTools: true }).devTools).toBe(true)
    expect(secureWebPreferences('/p.js', { devTools: false }).devTools).toBe(false)
  })

  it('on macOS it follows the active Space; elsewhere it does not touch workspaces', () => {
    expect(makeWindow({ platform: 'darwin' }).win.visibleOnAllWorkspaces).toBe(true)
    expect(makeWindow({ platform: 'win32' }).win.visibleOnAllWorkspaces).toBeNull()
  })

  it('loads the built file in production and the dev server in development', async () => {
    const prod = makeWindow()
    await prod.tray.loaded
    expect(prod.win.webContents.loaded).toMatchObject({ kind: 'file', target: RENDERER_FILE })
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

  it('in development only the dev server origin may be navigated to', () => {
    const { win } = makeWindow({ renderer: DEV })
    expect(
      win.webContents.simulateNavigation('will-navigate', 'http://localhost:5173/index.html')
    ).toBe(false)
    expect(win.webContents.simulateNavigation('will-navigate', 'http://localhost:5174/')).toBe(true)
    expect(win.webContents.simulateNavigation('will-navigate', APP_URL)).toBe(true)
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
      expect(session.permissionCheckHandler?.(null, permission, 'file://')).toBe(false)
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

  it('is added to the app document in production, replacing any other CSP', async () => {
    const { win } = makeWindow()
    const result = await win.webContents.session.receiveHeaders(APP_URL, {
      'content-security-policy': ['default-src *'],
      'x-other': ['kept']
    })
    expect(result.responseHeaders).toEqual({
      'Content-Security-Policy': [RENDERER_CSP_HEADER],
      'x-other': ['kept']
    })
    expect(RENDERER_CSP_HEADER.startsWith(RENDERER_CSP + ';')).toBe(true)
  })

  it('leaves other responses alone', async () => {
    const { win } = makeWindow()
    const result = await win.webContents.session.receiveHeaders(
      'https://platform.openai.com/usage',
      { a: ['b'] }
    )
    expect(result).toEqual({})
  })

  it('is not installed in development (the dev server needs its own rules)', () => {
    const { win } = makeWindow({ renderer: DEV })
    expect(win.webContents.session.headersReceived).toEqual([])
  })

  it('hardenSession alone still denies permissions without the header', async () => {
    const session = new FakeSession()
    hardenSession(session, { target: PROD, cspHeader: false })
    await expect(session.requestPermission('media')).resolves.toBe(false)
    expect(session.headersReceived).toEqual([])
  })
})

describe('isAppUrl and rendererTargetFromEnv', () => {
  it('matches only the exact built file (any query or fragment)', () => {
    expect(isAppUrl(APP_URL, PROD)).toBe(true)
    expect(isAppUrl(APP_URL + '?a=1#b', PROD)).toBe(true)
    expect(isAppUrl('file:///opt/credit-tray/out/renderer/other.html', PROD)).toBe(false)
    expect(isAppUrl('file:///opt/credit-tray/out/renderer/', PROD)).toBe(false)
    expect(isAppUrl('file://host/opt/credit-tray/out/renderer/index.html', PROD)).toBe(false)
    expect(isAppUrl('file:///opt/credit-tray/out/renderer%2Findex.html', PROD)).toBe(false)
    expect(isAppUrl('https://opt/credit-tray/out/renderer/index.html', PROD)).toBe(false)
  })

  it('with both app pages listed, matches index.html and topup.html and no other file', () => {
    const pages: RendererTarget[] = [
      PROD,
      { kind: 'file', path: RENDERER_FILE.replace('index.html', 'topup.html') }
    ]
    const topupUrl = 'file:///opt/credit-tray/out/renderer/topup.html'
    expect(isAppUrl(APP_URL, pages)).toBe(true)
    expect(isAppUrl(topupUrl, pages)).toBe(true)
    expect(isAppUrl(topupUrl + '?x#y', pages)).toBe(true)
    expect(isAppUrl(topupUrl, PROD)).toBe(false)
    expect(isAppUrl('file:///opt/credit-tray/out/renderer/other.html', pages)).toBe(false)
    expect(isAppUrl('file:///tmp/topup.html', pages)).toBe(false)
    expect(isAppUrl('file://host/opt/credit-tray/out/renderer/topup.html', pages)).toBe(false)
    expect(isAppUrl(APP_URL, [])).toBe(false)
  })

  it('decodes escapes in the file URL (spaces in the install path)', () => {
    const target: RendererTarget = {
      kind: 'file',
      path: '/Applications/Credit Tray.app/out/renderer/index.html'
    }
    expect(isAppUrl('file:///Applications/Credit%20Tray.app/out/renderer/index.html', target)).toBe(
      true
    )
  })

  it('uses the dev server only when unpackaged', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    expect(rendererTargetFromEnv({ isPackaged: false, env, rendererFile: RENDERER_FILE })).toEqual(
      DEV
    )
    expect(rendererTargetFromEnv({ isPackaged: true, env, rendererFile: RENDERER_FILE })).toEqual(
      PROD
    )
    expect(
      rendererTargetFromEnv({ isPackaged: false, env: {}, rendererFile: RENDERER_FILE })
    ).toEqual(PROD)
  })
})

// The top-up window factory against the fake BrowserWindow: created on demand, focused when
// already open, closed (not hidden), hardened like the tray window.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  RENDERER_CSP_HEADER,
  rendererTargetFromEnv,
  type RendererTarget
} from '../src/main/electron/security'
import {
  TOP_UP_WINDOW_HEIGHT,
  TOP_UP_WINDOW_WIDTH,
  createTopUpWindow,
  type TopUpWindowOptions
} from '../src/main/electron/topup-window'
import type { Status } from '../src/shared/status'
import { BrowserWindow, resetElectronWebFake, shell } from './fakes/electron-web'

const INDEX_FILE = '/opt/credit-tray/out/renderer/index.html'
const TOPUP_FILE = '/opt/credit-tray/out/renderer/topup.html'
const INDEX: RendererTarget = { kind: 'file', path: INDEX_FILE }
const TOPUP: RendererTarget = { kind: 'file', path: TOPUP_FILE }

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function make(overrides: Partial<TopUpWindowOptions> = {}) {
  const events = { loadFailed: 0, shown: 0 }
  const logs: string[] = []
  const topUp = createTopUpWindow({
    BrowserWindow,
    preloadPath: '/opt/credit-tray/out/preload/index.js',
    renderer: TOPUP,
    appPages: [INDEX, TOPUP],
    devTools: false,
    shell,
    onLoadFailed: () => void events.loadFailed++,
    onShow: () => void events.shown++,
    log: (m) => void logs.push(m),
    ...overrides
  })
  const win = () => topUp.window as unknown as BrowserWindow
  return { topUp, win, events, logs }
}

beforeEach(() => resetElectronWebFake())

describe('the top-up window', () => {
  it('is not created until asked for', () => {
    const { topUp } = make()
    expect(BrowserWindow.instances).toHaveLength(0)
    expect(topUp.isOpen()).toBe(false)
  })

  it('is a normal framed, fixed-size window loading topup.html, shown once it is ready', async () => {
    const { topUp, win, events } = make()
    topUp.open()
    expect(BrowserWindow.instances).toHaveLength(1)
    expect(win().options).toMatchObject({
      width: TOP_UP_WINDOW_WIDTH,
      height: TOP_UP_WINDOW_HEIGHT,
      frame: true,
      resizable: false,
      show: false
    })
    expect(win().webContents.loaded).toMatchObject({ kind: 'file', target: TOPUP_FILE })
    win().emit('ready-to-show')
    expect(win().isVisible()).toBe(true)
    expect(win().isFocused()).toBe(true)
    await flush()
    expect(events.shown).toBe(1) // the load resolving afterwards does not show it twice
  })

  it('is hardened: sandboxed, isolated, no Node, window.open denied, navigation away blocked', () => {
    const { topUp, win } = make()
    topUp.open()
    expect(win().options.webPreferences).toMatchObject({
      preload: '/opt/credit-tray/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: false
    })
    expect(win().webContents.simulateWindowOpen('https://evil.example/')).toEqual({
      action: 'deny'
    })
    expect(win().webContents.simulateNavigation('will-navigate', 'https://evil.example/')).toBe(
      true
    )
    expect(win().webContents.simulateNavigation('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(win().webContents.simulateAttachWebview('https://evil.example/')).toBe(true)
  })

  it('denies permissions and sends the CSP header for both app pages (the session is shared)', async () => {
    const { topUp, win } = make()
    topUp.open()
    const session = win().webContents.session
    await expect(session.requestPermission('media')).resolves.toBe(false)
    for (const url of [
      'file:///opt/credit-tray/out/renderer/topup.html',
      'file:///opt/credit-tray/out/renderer/index.html'
    ]) {
      const result = await session.receiveHeaders(url, {})
      expect(result.responseHeaders).toEqual({ 'Content-Security-Policy': [RENDERER_CSP_HEADER] })
    }
    expect(await session.receiveHeaders('file:///opt/credit-tray/out/renderer/x.html')).toEqual({})
  })

  it('a second open focuses the same window instead of creating another', () => {
    const { topUp, win } = make()
    topUp.open()
    const first = win()
    first.emit('ready-to-show')
    first.blur()
    topUp.open()
    expect(BrowserWindow.instances).toHaveLength(1)
    expect(first.isFocused()).toBe(true)
  })

  it('closes (destroyed, not hidden) and is created anew next time', () => {
    const { topUp, win } = make()
    topUp.open()
    const first = win()
    topUp.close()
    expect(first.isDestroyed()).toBe(true)
    expect(topUp.isOpen()).toBe(false)
    topUp.open()
    expect(BrowserWindow.instances).toHaveLength(2)
    expect(win()).not.toBe(first)
  })

  it('knows its own webContents among IPC senders', () => {
    const { topUp, win } = make()
    expect(topUp.isSender({ id: 1 })).toBe(false)
    topUp.open()
    const opened = win()
    expect(topUp.isSender(opened.webContents)).toBe(true)
    expect(topUp.isSender({ id: win().webContents.id + 1000 })).toBe(false)
    expect(topUp.isSender(null)).toBe(false)
    topUp.close()
    expect(topUp.isSender(opened.webContents)).toBe(false)
  })

  it('gets each new status while open; nothing is sent once closed', () => {
    const { topUp, win } = make()
    const status = { balance: 10 } as unknown as Status
    expect(topUp.sendStatus(status)).toBe(false)
    topUp.open()
    const opened = win()
    expect(topUp.sendStatus(status)).toBe(true)
    expect(opened.webContents.sent).toEqual([{ channel: 'status:changed', args: [status] }])
    topUp.close()
    expect(topUp.sendStatus(status)).toBe(false)
  })

  it('when the page cannot load, closes again and lets the shell fall back', async () => {
    const { topUp, win, events, logs } = make()
    const original = BrowserWindow.prototype.loadFile
    BrowserWindow.prototype.loadFile = () => Promise.reject(new Error('ENOENT'))
    try {
      topUp.open()
      const opened = win()
      await flush()
      expect(opened.isDestroyed()).toBe(true)
      expect(events.loadFailed).toBe(1)
      expect(logs.join('\n')).toMatch(/could not load/)
    } finally {
      BrowserWindow.prototype.loadFile = original
    }
  })
})

describe('the top-up page target', () => {
  it('is topup.html on the dev server in development and the built file in production', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    expect(
      rendererTargetFromEnv({
        isPackaged: false,
        env,
        rendererFile: TOPUP_FILE,
        devPage: 'topup.html'
      })
    ).toEqual({ kind: 'url', url: 'http://localhost:5173/topup.html' })
    expect(
      rendererTargetFromEnv({
        isPackaged: false,
        env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' },
        rendererFile: TOPUP_FILE,
        devPage: 'topup.html'
      })
    ).toEqual({ kind: 'url', url: 'http://localhost:5173/topup.html' })
    expect(
      rendererTargetFromEnv({
        isPackaged: true,
        env,
        rendererFile: TOPUP_FILE,
        devPage: 'topup.html'
      })
    ).toEqual(TOPUP)
  })

  it('loads the dev server page in development (no CSP header: the dev server sets its own)', () => {
    const { topUp, win } = make({
      renderer: { kind: 'url', url: 'http://localhost:5173/topup.html' }
    })
    topUp.open()
    expect(win().webContents.loaded).toMatchObject({
      kind: 'url',
      target: 'http://localhost:5173/topup.html'
    })
    expect(win().webContents.session.headersReceived).toEqual([])
  })
})

// The top-up window factory against the fake BrowserWindow: created on demand, focused when
// already open, closed (not hidden), hardened like the tray window.
import { beforeEach, describe, expect, it } from 'vitest'
import { rendererTargetFromEnv, type RendererTarget } from '../src/main/electron/security'
import {
  TOP_UP_WINDOW_HEIGHT,
  TOP_UP_WINDOW_WIDTH,
  createTopUpWindow,
  type TopUpWindowOptions
} from '../src/main/electron/topup-window'
import type { Status } from '../src/shared/status'
import { BrowserWindow, resetElectronWebFake, shell } from './fakes/electron-web'

const TOPUP_URL = 'credit-tray://app/topup.html'
const TOPUP: RendererTarget = { kind: 'app', url: TOPUP_URL }

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function make(overrides: Partial<TopUpWindowOptions> = {}) {
  const events = { loadFailed: 0, shown: 0 }
  const logs: string[] = []
  const topUp = createTopUpWindow({
    BrowserWindow,
    preloadPath: '/opt/credit-tray/out/preload/index.js',
    renderer: TOPUP,
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
    expect(win().webContents.loaded).toMatchObject({ kind: 'url', target: TOPUP_URL })
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
    // Not even to the tray page: each window stays on its own page.
    expect(
      win().webContents.simulateNavigation('will-navigate', 'credit-tray://app/index.html')
    ).toBe(true)
    expect(win().webContents.simulateNavigation('will-navigate', TOPUP_URL + '#step-2')).toBe(false)
    expect(win().webContents.loaded).toMatchObject({ kind: 'url', target: TOPUP_URL })
    expect(win().webContents.simulateAttachWebview('https://evil.example/')).toBe(true)
  })

  it('denies permissions', async () => {
    const { topUp, win } = make()
    topUp.open()
    await expect(win().webContents.session.requestPermission('media')).resolves.toBe(false)
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
    const original = BrowserWindow.prototype.loadURL
    BrowserWindow.prototype.loadURL = () => Promise.reject(new Error('ERR_FILE_NOT_FOUND'))
    try {
      topUp.open()
      const opened = win()
      await flush()
      expect(opened.isDestroyed()).toBe(true)
      expect(events.loadFailed).toBe(1)
      expect(logs.join('\n')).toMatch(/could not load/)
    } finally {
      BrowserWindow.prototype.loadURL = original
    }
  })
})

describe('the top-up page target', () => {
  it('is topup.html on the dev server in development and on the app scheme in production', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    const target = (isPackaged: boolean) =>
      rendererTargetFromEnv({ isPackaged, env, appUrl: TOPUP_URL, devPage: 'topup.html' })
    expect(target(false)).toEqual({ kind: 'url', url: 'http://localhost:5173/topup.html' })
    expect(target(true)).toEqual(TOPUP)
  })

  it('loads the dev server page in development', () => {
    const { topUp, win } = make({
      renderer: { kind: 'url', url: 'http://localhost:5173/topup.html' }
    })
    topUp.open()
    expect(win().webContents.loaded).toMatchObject({
      kind: 'url',
      target: 'http://localhost:5173/topup.html'
    })
  })
})

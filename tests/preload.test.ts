// The preload bridge: exactly `window.creditTray`, one method per channel, payloads only.
// The source is imported against the fake electron; the bundle electron-vite produces is then
// executed in a bare VM context whose `require` knows only `electron` — like a sandboxed preload.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { API_CHANNELS, type CreditTrayApi } from '../src/shared/ipc'
import { contextBridge, ipcRenderer, resetElectronWebFake } from './fakes/electron-web'

// The preload needs only the renderer-side half of the fake.
vi.mock('electron', async () => await import('./fakes/electron-web'))

const ROOT = path.resolve(__dirname, '..')

describe('preload bridge (source, fake electron)', () => {
  let api: CreditTrayApi
  beforeAll(async () => {
    resetElectronWebFake()
    // Importing the preload is what exposes the bridge (it runs once per renderer).
    await import('../src/preload/index')
    api = contextBridge.exposed.get('creditTray') as CreditTrayApi
  })
  beforeEach(() => {
    ipcRenderer.invocations.length = 0
    ipcRenderer.responses.clear()
    ipcRenderer.listeners.clear()
  })

  it('exposes exactly one global, creditTray, with one method per channel plus the three subscriptions', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['creditTray'])
    expect(Object.keys(api).sort()).toEqual(
      [...Object.keys(API_CHANNELS), 'onAccounts', 'onShowView', 'onStatus'].sort()
    )
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('does not hand the page ipcRenderer or anything holding it', () => {
    const values: unknown[] = Object.values(api)
    expect(values).not.toContain(ipcRenderer)
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send/i)
  })

  const withPayload: [
    keyof typeof API_CHANNELS,
    (a: CreditTrayApi) => Promise<unknown>,
    unknown
  ][] = [
    ['setKey', (a) => a.setKey('sk-admin-abc'), { key: 'sk-admin-abc' }],
    ['recordBalance', (a) => a.recordBalance(41.5), { amount: 41.5 }],
    ['recordTopUp', (a) => a.recordTopUp(20), { amount: 20 }],
    ['setSettings', (a) => a.setSettings({ pollIntervalMinutes: 30 }), { pollIntervalMinutes: 30 }],
    ['openExternal', (a) => a.openExternal('billing'), { page: 'billing' }]
  ]
  it.each(withPayload)(
    '%s invokes its channel with a single plain payload',
    async (method, call, payload) => {
      await call(api)
      expect(ipcRenderer.invocations).toEqual([{ channel: API_CHANNELS[method], args: [payload] }])
    }
  )

  const withoutPayload: [keyof typeof API_CHANNELS, (a: CreditTrayApi) => Promise<unknown>][] = [
    ['getStatus', (a) => a.getStatus()],
    ['refresh', (a) => a.refresh()],
    ['getKeyInfo', (a) => a.getKeyInfo()],
    ['clearKey', (a) => a.clearKey()],
    ['getSettings', (a) => a.getSettings()],
    ['openTopUp', (a) => a.openTopUp()],
    ['hideWindow', (a) => a.hideWindow()],
    ['closeWindow', (a) => a.closeWindow()]
  ]
  it.each(withoutPayload)(
    '%s invokes its channel with no argument at all',
    async (method, call) => {
      await call(api)
      expect(ipcRenderer.invocations).toEqual([{ channel: API_CHANNELS[method], args: [] }])
    }
  )

  it('ignores extra arguments a page might pass', async () => {
    const loose = api as unknown as { recordTopUp: (...args: unknown[]) => Promise<unknown> }
    await loose.recordTopUp(5, { evil: true })
    expect(ipcRenderer.invocations).toEqual([{ channel: 'ledger:topup', args: [{ amount: 5 }] }])
  })

  it('resolves with what main answered', async () => {
    ipcRenderer.responses.set('settings:get', { pollIntervalMinutes: 15 })
    await expect(api.getSettings()).resolves.toEqual({ pollIntervalMinutes: 15 })
  })

  it('onStatus delivers the status only, never the IPC event', () => {
    const received: unknown[][] = []
    api.onStatus((...args: unknown[]) => received.push(args))
    ipcRenderer.emitFromMain('status:changed', { level: 'low' })
    expect(received).toEqual([[{ level: 'low' }]])
  })

  it('onShowView unwraps the view name', () => {
    const views: unknown[][] = []
    api.onShowView((...args: unknown[]) => views.push(args))
    ipcRenderer.emitFromMain('view:show', { view: 'settings' })
    expect(views).toEqual([['settings']])
  })

  it('unsubscribe removes exactly that listener, and only once', () => {
    const a: unknown[] = []
    const b: unknown[] = []
    const offA = api.onStatus((s) => a.push(s))
    api.onStatus((s) => b.push(s))
    expect(ipcRenderer.listenerCount('status:changed')).toBe(2)

    offA()
    offA()
    expect(ipcRenderer.listenerCount('status:changed')).toBe(1)
    ipcRenderer.emitFromMain('status:changed', { n: 1 })
    expect(a).toEqual([])
    expect(b).toEqual([{ n: 1 }])
  })

  it('the same listener subscribed twice is removed one subscription at a time', () => {
    const got: unknown[] = []
    const listener = (v: unknown): void => void got.push(v)
    const off1 = api.onShowView(listener)
    api.onShowView(listener)
    off1()
    ipcRenderer.emitFromMain('view:show', { view: 'main' })
    expect(got).toEqual(['main'])
  })
})

// ---------------------------------------------------------------------------------------------

/** Run a CommonJS bundle the way a sandboxed preload runs: `require` offers only `electron`. */
function runSandboxed(code: string): { required: string[]; exposed: Map<string, unknown> } {
  const required: string[] = []
  const exposed = new Map<string, unknown>()
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async () => undefined,
      on: () => undefined,
      removeListener: () => undefined
    }
  }
  const sandboxRequire = (id: string): unknown => {
    required.push(id)
    if (id === 'electron') return fakeElectron
    throw new Error(`Cannot find module '${id}'`)
  }
  const module = { exports: {} }
  const context = vm.createContext({
    require: sandboxRequire,
    module,
    exports: module.exports,
    console
  })
  vm.runInContext(code, context, { filename: 'preload.js' })
  return { required, exposed }
}

function expectSandboxSafeBundle(code: string): void {
  // CommonJS: no ES module syntax at the top level, and no dynamic import().
  expect(code).not.toMatch(/^\s*(import|export)\s/m)
  expect(code).not.toMatch(/\bimport\s*\(/)
  const requires = [...code.matchAll(/\brequire\(\s*(['"`])(.*?)\1\s*\)/g)].map((m) => m[2])
  expect(new Set(requires)).toEqual(new Set(['electron']))
  const { required, exposed } = runSandboxed(code)
  expect(required).toEqual(['electron'])
  expect([...exposed.keys()]).toEqual(['creditTray'])
  expect(Object.keys(exposed.get('creditTray') as object).sort()).toEqual(
    [...Object.keys(API_CHANNELS), 'onAccounts', 'onShowView', 'onStatus'].sort()
  )
}

describe('preload bundle (built with the project config)', () => {
  let workDir: string
  let bundle: string

  beforeAll(async () => {
    // Build just the preload with the project's own electron.vite.config.ts into a temp folder,
    // so this test does not depend on (or disturb) the shared out/ folder.
    // Inside the project (.tmp is git-ignored) so the config can resolve electron-vite.
    mkdirSync(path.join(ROOT, '.tmp'), { recursive: true })
    workDir = mkdtempSync(path.join(ROOT, '.tmp', 'preload-build-'))
    const configFile = path.join(workDir, 'preload-only.config.mjs')
    const projectConfig = path.join(ROOT, 'electron.vite.config.ts')
    writeFileSync(
      configFile,
      `import base from ${JSON.stringify(projectConfig)}\nexport default { preload: base.preload }\n`
    )
    const { build } = await import('electron-vite')
    await build({
      configFile,
      root: ROOT,
      logLevel: 'silent',
      build: { outDir: path.join(workDir, 'out') }
    })
    bundle = readFileSync(path.join(workDir, 'out', 'preload', 'index.js'), 'utf8')
  })

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true })
  })

  it('is CommonJS, requires nothing but electron, and exposes the bridge when run sandboxed', () => {
    expectSandboxSafeBundle(bundle)
  })

  const built = path.join(ROOT, 'out', 'preload', 'index.js')
  const haveBuilt = existsSync(built) && statSync(built).size > 0
  it.skipIf(!haveBuilt)('out/preload/index.js from the last full build is sandbox-safe too', () => {
    expectSandboxSafeBundle(readFileSync(built, 'utf8'))
  })
})

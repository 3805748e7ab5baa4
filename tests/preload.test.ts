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

  // Channels written out literally (not looked up in API_CHANNELS), so a method wired to the
  // wrong channel fails here even if the map itself were wrong.
  const withPayload: [
    keyof CreditTrayApi,
    string,
    (a: CreditTrayApi) => Promise<unknown>,
    unknown
  ][] = [
    ['setKey', 'key:set', (a) => a.setKey('sk-admin-abc'), { key: 'sk-admin-abc' }],
    ['recordBalance', 'ledger:balance', (a) => a.recordBalance(41.5), { amount: 41.5 }],
    ['recordTopUp', 'ledger:topup', (a) => a.recordTopUp(20), { amount: 20 }],
    [
      'setSettings',
      'settings:set',
      (a) => a.setSettings({ pollIntervalMinutes: 30 }),
      { pollIntervalMinutes: 30 }
    ],
    ['openExternal', 'external:open', (a) => a.openExternal('billing'), { page: 'billing' }],
    ['switchAccount', 'accounts:switch', (a) => a.switchAccount('Shop'), { name: 'Shop' }],
    [
      'addAccount',
      'accounts:add',
      (a) => a.addAccount('Shop', ['proj_a']),
      { name: 'Shop', projectIds: ['proj_a'] }
    ],
    ['removeAccount', 'accounts:remove', (a) => a.removeAccount('Shop'), { name: 'Shop' }],
    [
      'setTeamServer',
      'team:set',
      (a) => a.setTeamServer({ url: 'https://team.example.com', token: 't0k3n', account: null }),
      { url: 'https://team.example.com', token: 't0k3n', account: null }
    ],
    ['setSpendLimit', 'limits:set', (a) => a.setSpendLimit(250), { amount: 250 }],
    [
      'addSpendAlert',
      'limits:alert-add',
      (a) => a.addSpendAlert(150, ['ops@example.com']),
      { amount: 150, recipients: ['ops@example.com'] }
    ]
  ]
  it.each(withPayload)(
    '%s invokes %s with a single plain payload',
    async (_method, channel, call, payload) => {
      await call(api)
      expect(ipcRenderer.invocations).toEqual([{ channel, args: [payload] }])
    }
  )

  const withoutPayload: [keyof CreditTrayApi, string, (a: CreditTrayApi) => Promise<unknown>][] = [
    ['getStatus', 'status:get', (a) => a.getStatus()],
    ['refresh', 'status:refresh', (a) => a.refresh()],
    ['getKeyInfo', 'key:info', (a) => a.getKeyInfo()],
    ['clearKey', 'key:clear', (a) => a.clearKey()],
    ['getSettings', 'settings:get', (a) => a.getSettings()],
    ['openTopUp', 'window:topup', (a) => a.openTopUp()],
    ['hideWindow', 'window:hide', (a) => a.hideWindow()],
    ['closeWindow', 'window:close', (a) => a.closeWindow()],
    ['exportCsv', 'export:csv', (a) => a.exportCsv()],
    ['getAccounts', 'accounts:get', (a) => a.getAccounts()],
    ['getTeamServer', 'team:get', (a) => a.getTeamServer()],
    ['clearTeamServer', 'team:clear', (a) => a.clearTeamServer()]
  ]
  it.each(withoutPayload)(
    '%s invokes %s with no argument at all',
    async (_method, channel, call) => {
      await call(api)
      expect(ipcRenderer.invocations).toEqual([{ channel, args: [] }])
    }
  )

  it('the tables above cover every invoking method of the API', () => {
    const covered = [...withPayload, ...withoutPayload].map(([method]) => method).sort()
    expect(covered).toEqual(Object.keys(API_CHANNELS).sort())
  })

  it('ignores extra arguments a page might pass', async () => {
    const loose = api as unknown as { recordTopUp: (...args: unknown[]) => Promise<unknown> }
    await loose.recordTopUp(5, { evil: true })
    expect(ipcRenderer.invocations).toEqual([{ channel: 'ledger:topup', args: [{ amount: 5 }] }])
  })

  it('resolves with what main answered', async () => {
    ipcRenderer.responses.set('settings:get', { pollIntervalMinutes: 15 })
    await expect(api.getSettings()).resolves.toEqual({ pollIntervalMinutes: 15 })
  })

  // Each subscription hands its listener exactly one argument, the payload (or the view name):
  // never the IPC event, whose `sender` would give the page an ipcRenderer.
  const subscriptions: [
    string,
    (a: CreditTrayApi, l: (...args: unknown[]) => void) => void,
    unknown,
    unknown
  ][] = [
    ['onStatus', (a, l) => a.onStatus(l), { level: 'low' }, { level: 'low' }],
    ['onShowView', (a, l) => a.onShowView(l), { view: 'settings' }, 'settings'],
    [
      'onAccounts',
      (a, l) => a.onAccounts(l),
      { active: 'Shop', accounts: [] },
      { active: 'Shop', accounts: [] }
    ]
  ]
  it.each(subscriptions)(
    '%s delivers the payload only, never the IPC event',
    (name, subscribe, sent, delivered) => {
      const channel = {
        onStatus: 'status:changed',
        onShowView: 'view:show',
        onAccounts: 'accounts:changed'
      }[name]!
      const received: unknown[][] = []
      subscribe(api, (...args: unknown[]) => received.push(args))
      ipcRenderer.emitFromMain(channel, sent)
      expect(received).toEqual([[delivered]])
    }
  )

  it('the subscription table covers every on* method', () => {
    const subscribers = Object.keys(api).filter((k) => k.startsWith('on'))
    expect(subscriptions.map(([name]) => name).sort()).toEqual(subscribers.sort())
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

// The composed Electron shell against the fake `electron` module (vitest alias), with the real
// engine talking to the loopback fake Admin API: what a user would see and what main allows.
import * as electron from 'electron'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApp, type AppShell, type ElectronDeps } from '../src/main/electron/app-shell'
import { APP_ID } from '../src/main/electron/app-id'
import { createMemoryStore, type SecretStore } from '../src/main/engine/secrets'
import { utcDay } from '../src/main/engine/dates'
import { CreditTrayError } from '../src/main/engine/errors'
import { RENDERER_CSP_HEADER } from '../src/main/electron/security'
import { KEYCHAIN_FALLBACK_NOTE } from '../src/main/electron/key-store-chain'
import type { Status } from '../src/shared/status'
import {
  BrowserWindow,
  Notification,
  Tray,
  app,
  fakeInvokeEvent,
  ipcMain,
  net,
  powerMonitor,
  protocol,
  resetElectronShellFake,
  resetElectronWebFake,
  safeStorage,
  shell
} from './fakes/electron'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ADMIN = 'sk-admin-SHELLTESTKEY0123456789abcd'
const MAIN_DIR = '/app/out/main'
const APP_URL = 'credit-tray://app/index.html'
const TOPUP_URL = 'credit-tray://app/topup.html'
const trusted = () => fakeInvokeEvent(APP_URL)

let server: FakeOpenAIServer
let home: string
let shellApp: AppShell | null
let keychain: SecretStore

beforeEach(async () => {
  resetElectronShellFake()
  resetElectronWebFake()
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN] })
  home = mkdtempSync(join(tmpdir(), 'ct-shell-'))
  keychain = createMemoryStore()
  shellApp = null
})
afterEach(async () => {
  await shellApp?.dispose()
  await server.close()
  rmSync(home, { recursive: true, force: true })
})

async function start(
  opts: {
    platform?: NodeJS.Platform
    keychain?: () => SecretStore
    env?: NodeJS.ProcessEnv
    mainDir?: string
  } = {}
) {
  // Windows path rules would turn the test folder into a relative "\tmp\…" folder here.
  const dataDir = opts.platform === 'win32' ? { dataDir: join(home, 'data') } : {}
  shellApp = await startApp(electron as unknown as ElectronDeps, {
    platform: opts.platform ?? 'linux',
    env: {
      CREDIT_TRAY_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      OPENAI_BASE_URL: server.baseURL,
      ...opts.env
    },
    execPath: '/opt/Credit Tray/credit-tray',
    homeDir: home,
    ...dataDir,
    mainDir: opts.mainDir ?? MAIN_DIR,
    resourcesDir: join(__dirname, '..', 'resources'),
    keychain: opts.keychain ?? (() => keychain),
    log: () => {}
  })
  return shellApp
}

/** Start with a key and wait until the first poll has finished (refresh joins it). */
async function startPolled(opts: Parameters<typeof start>[0] = {}): Promise<AppShell> {
  await keychain.set('default', ADMIN)
  const s = (await start(opts))!
  await s.engine.refresh()
  return s
}
const tray = () => Tray.instances[0]!
const win = () => BrowserWindow.instances[0]!
/** Top-up windows the shell created (they load topup.html), oldest first. */
const topUpWindows = () =>
  BrowserWindow.instances.filter((w) => w.webContents.loaded?.target === TOPUP_URL)
/** An invoke event sent from `w`'s page, the way Electron fills in sender and senderFrame. */
const fromWindow = (w: BrowserWindow) => ({
  senderFrame: { url: w.webContents.getURL(), parent: null },
  sender: w.webContents
})

describe('starting up', () => {
  it('dispose waits for the poll in flight: its write has landed when dispose resolves', async () => {
    await keychain.set('default', ADMIN)
    const shell = (await start())!
    // start() has begun the first poll; quitting now must not leave it writing behind us.
    await shell.dispose()
    expect(server.requests.length).toBeGreaterThan(0)
    expect(existsSync(join(home, 'data', 'costs-cache.json'))).toBe(true)
  })

  it('a second instance quits at once and creates nothing', async () => {
    app.singleInstanceLock = false
    expect(await start()).toBeNull()
    expect(app.quitCalls).toBe(1)
    expect(Tray.instances).toHaveLength(0)
    expect(BrowserWindow.instances).toHaveLength(0)
  })

  it('on Windows the AppUserModelID equals the packaging appId; on macOS there is no dock icon', async () => {
    await start({ platform: 'win32' })
    expect(app.appUserModelId).toBe(APP_ID)
    await shellApp!.dispose()
    resetElectronShellFake()
    resetElectronWebFake()
    await start({ platform: 'darwin' })
    expect(app.dock.hidden).toBe(true)
  })

  it('creates one hidden, sandboxed tray window and a tray icon with a context menu', async () => {
    await keychain.set('default', ADMIN)
    await start()
    expect(BrowserWindow.instances).toHaveLength(1)
    const prefs = win().options.webPreferences!
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
    expect(prefs.preload).toBe('/app/out/preload/index.js')
    expect(Tray.instances).toHaveLength(1)
    expect(tray().contextMenu?.items.map((i) => i.label)).toEqual(
      expect.arrayContaining(['Open', 'Refresh now', 'Quit'])
    )
  })

  it('opens onto onboarding on first run (no key)', async () => {
    await start()
    await vi.waitFor(() => expect(win().isVisible()).toBe(true))
    expect(win().webContents.sent).toContainEqual({
      channel: 'view:show',
      args: [{ view: 'onboarding' }]
    })
  })
})

describe('the pages come from the app scheme', () => {
  it('registers credit-tray:// before ready, serves out/renderer, and loads the window from it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ct-shell-out-'))
    try {
      mkdirSync(join(out, 'main'))
      mkdirSync(join(out, 'renderer'))
      writeFileSync(join(out, 'renderer', 'index.html'), '<!doctype html><title>tray</title>')
      writeFileSync(join(out, 'secret.txt'), 'outside')
      await start({ mainDir: join(out, 'main') })
      expect(protocol.calls).toEqual(['registerSchemesAsPrivileged', 'handle:credit-tray'])
      expect(protocol.privileged[0]).toMatchObject({
        scheme: 'credit-tray',
        privileges: { standard: true, secure: true }
      })
      expect(win().webContents.loaded).toEqual({ kind: 'url', target: APP_URL, options: undefined })
      const page = await protocol.request(APP_URL)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER)
      expect((await protocol.request('credit-tray://app/..%2fsecret.txt')).status).toBe(404)
      app.quit()
      expect(protocol.isProtocolHandled('credit-tray')).toBe(false)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})

describe('where the key is sent', () => {
  it('plain http to another host: the window shows the refusal and the key is not checked or stored', async () => {
    await start({ env: { OPENAI_BASE_URL: 'http://api.example.com/v1' } })
    const status = (await ipcMain.invoke('status:get', trusted())) as {
      error: { kind: string; message: string }
    }
    expect(status.error.kind).toBe('insecure_url')
    expect(status.error.message).toMatch(/https is required/)
    const result = (await ipcMain.invoke('key:set', trusted(), { key: ADMIN })) as {
      ok: boolean
      error: { kind: string }
    }
    expect(result).toMatchObject({ ok: false, error: { kind: 'insecure_url' } })
    expect(await keychain.get('default')).toBeNull()
  })

  it('a non-default host is named in the key settings', async () => {
    await startPolled()
    const info = (await ipcMain.invoke('key:info', trusted())) as { sentTo?: string }
    expect(info.sentTo).toBe(new URL(server.baseURL).host)
  })
})

describe('showing the state', () => {
  it('pushes each new status to the window and the tray tooltip', async () => {
    server.dataset.costs[utcDay(Date.now())] = [{ line_item: 'x', project_id: null, value: 2 }]
    await keychain.set('default', ADMIN)
    const s = (await start())!
    await s.engine.refresh()
    const sent = win().webContents.sent.filter((m) => m.channel === 'status:changed')
    expect(sent.length).toBeGreaterThan(0)
    expect((sent.at(-1)!.args[0] as { spend: { today: number } }).spend.today).toBe(2)

    await ipcMain.invoke('ledger:balance', trusted(), { amount: 40 })
    expect(tray().toolTip).toContain('$40.00')
  })

  it("the window's balance form reads today's costs live before recording (issue 7 §3)", async () => {
    server.dataset.costs[utcDay(Date.now())] = [{ line_item: 'x', project_id: null, value: 5 }]
    await keychain.set('default', ADMIN)
    const s = (await start())!
    server.resetRecords()
    const status = (await ipcMain.invoke('ledger:balance', trusted(), { amount: 100 })) as {
      balance: number
      notices: string[]
    }
    expect(status.balance).toBe(100)
    // No baseline notice; the loopback server's own "key is sent to" notice aside.
    expect(status.notices.filter((n) => !n.startsWith('The Admin key is sent to'))).toEqual([])
    expect(server.requests.some((r) => r.path.endsWith('/organization/costs'))).toBe(true)
    expect(s.engine.getLedger().at(-1)).toMatchObject({
      baselineDayCost: 5,
      baselineSource: 'live'
    })
  })

  it('a left click toggles the window next to the icon', async () => {
    await startPolled()
    tray().simulateClick({ x: 1800, y: 1040, width: 24, height: 24 })
    expect(win().isVisible()).toBe(true)
    const [x, y] = win().getPosition()
    expect(x).toBeGreaterThan(1400)
    expect(y).toBeGreaterThan(400)
    tray().simulateClick({ x: 1800, y: 1040, width: 24, height: 24 })
    expect(win().isVisible()).toBe(false)
  })
})

describe('IPC', () => {
  it('answers the app page and refuses any other sender', async () => {
    await start()
    const status = (await ipcMain.invoke('status:get', trusted())) as { level: string }
    expect(status.level).toBe('unknown')
    await expect(
      ipcMain.invoke('status:get', fakeInvokeEvent('https://evil.example/'))
    ).rejects.toThrow(/refused/)
    await expect(ipcMain.invoke('ledger:topup', trusted(), { amount: -5 })).rejects.toThrow()
  })

  it('opens only allowlisted OpenAI pages; Top up opens the guided top-up window', async () => {
    await start()
    await ipcMain.invoke('external:open', trusted(), { page: 'usage' })
    await ipcMain.invoke('window:topup', trusted())
    expect(shell.opened).toEqual(['https://platform.openai.com/usage'])
    expect(topUpWindows()).toHaveLength(1)
    await expect(
      ipcMain.invoke('external:open', trusted(), { page: 'https://evil.example' })
    ).rejects.toThrow()
  })

  it('stores a key checked live, and never sends it back to the renderer', async () => {
    await start()
    const result = (await ipcMain.invoke('key:set', trusted(), { key: ADMIN })) as { ok: boolean }
    expect(result.ok).toBe(true)
    expect(await keychain.get('default')).toBe(ADMIN)
    expect(JSON.stringify(result)).not.toContain(ADMIN)
    expect(JSON.stringify(win().webContents.sent)).not.toContain(ADMIN)
  })

  it('launch at login from settings writes the XDG autostart entry on Linux', async () => {
    await start()
    const entry = join(home, 'config', 'autostart', 'credit-tray.desktop')
    await ipcMain.invoke('settings:set', trusted(), { launchAtLogin: true })
    await vi.waitFor(() => expect(existsSync(entry)).toBe(true))
    expect(readFileSync(entry, 'utf8')).toMatch(/^Exec=.*credit-tray/m)
    await ipcMain.invoke('settings:set', trusted(), { launchAtLogin: false })
    await vi.waitFor(() => expect(existsSync(entry)).toBe(false))
  })

  it('an unpackaged run (npm start) registers Electron together with the app folder', async () => {
    app.setPath('appPath', '/src/credit-tray')
    await start()
    await ipcMain.invoke('settings:set', trusted(), { launchAtLogin: true })
    const entry = join(home, 'config', 'autostart', 'credit-tray.desktop')
    await vi.waitFor(() => expect(existsSync(entry)).toBe(true))
    const exec = readFileSync(entry, 'utf8')
    expect(exec).toContain(
      'Exec="/opt/Credit Tray/credit-tray" /src/credit-tray --launched-at-login\n'
    )
  })

  it('a packaged app registers only its own executable', async () => {
    app.isPackaged = true
    app.setPath('appPath', '/opt/Credit Tray/resources/app.asar')
    await start()
    await ipcMain.invoke('settings:set', trusted(), { launchAtLogin: true })
    const entry = join(home, 'config', 'autostart', 'credit-tray.desktop')
    await vi.waitFor(() => expect(existsSync(entry)).toBe(true))
    const exec = readFileSync(entry, 'utf8')
    expect(exec).not.toContain('app.asar')
  })
})

describe('the top-up window', () => {
  it('the tray menu’s Top up opens it once; asking again focuses the same window', async () => {
    await startPolled()
    expect(topUpWindows()).toHaveLength(0) // created on demand only
    tray().contextMenu!.click('Top up…')
    expect(topUpWindows()).toHaveLength(1)
    const topUp = topUpWindows()[0]!
    topUp.emit('ready-to-show')
    expect(topUp.isVisible()).toBe(true)
    expect(win().isVisible()).toBe(false) // the popover makes way
    topUp.blur()
    await ipcMain.invoke('window:topup', trusted()) // the tray window's Top up button
    expect(topUpWindows()).toHaveLength(1)
    expect(topUp.isFocused()).toBe(true)
    expect(shell.opened).toEqual([])
  })

  it('is hardened like the tray window', async () => {
    await start()
    await ipcMain.invoke('window:topup', trusted())
    const topUp = topUpWindows()[0]!
    expect(topUp.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false
    })
    expect(topUp.options).toMatchObject({ frame: true, resizable: false })
    expect(topUp.webContents.simulateWindowOpen('https://evil.example/')).toEqual({
      action: 'deny'
    })
    expect(topUp.webContents.simulateNavigation('will-navigate', 'https://evil.example/')).toBe(
      true
    )
  })

  it('its page may call main; window:close from it closes it, from the tray page only hides', async () => {
    await startPolled()
    await ipcMain.invoke('ledger:balance', trusted(), { amount: 40 })
    await ipcMain.invoke('window:topup', trusted())
    const topUp = topUpWindows()[0]!
    const status = (await ipcMain.invoke('status:get', fromWindow(topUp))) as { balance: number }
    expect(status.balance).toBe(40)
    // The tray window asking to close hides itself and leaves the top-up window alone.
    win().show()
    await ipcMain.invoke('window:close', fromWindow(win()))
    expect(win().isVisible()).toBe(false)
    expect(win().isDestroyed()).toBe(false)
    expect(topUp.isDestroyed()).toBe(false)
    await ipcMain.invoke('window:close', fromWindow(topUp))
    expect(topUp.isDestroyed()).toBe(true)
    // Opening again creates a fresh window.
    await ipcMain.invoke('window:topup', trusted())
    expect(topUpWindows()).toHaveLength(2)
  })

  it('a recorded top-up reaches the tray and the open top-up window at once', async () => {
    await keychain.set('default', ADMIN)
    await start()
    await ipcMain.invoke('status:refresh', trusted())
    await ipcMain.invoke('ledger:balance', trusted(), { amount: 40 })
    await ipcMain.invoke('window:topup', trusted())
    const topUp = topUpWindows()[0]!
    await ipcMain.invoke('ledger:topup', fromWindow(topUp), { amount: 102 })
    const pushed = topUp.webContents.sent.filter((m) => m.channel === 'status:changed')
    expect((pushed.at(-1)!.args[0] as { balance: number }).balance).toBe(142)
    expect(tray().toolTip).toContain('$142.00')
  })

  it('a sibling file of the app pages, or the old file:// page, is refused', async () => {
    await start()
    for (const url of ['credit-tray://app/other.html', 'file:///app/out/renderer/index.html']) {
      await expect(ipcMain.invoke('status:get', fakeInvokeEvent(url))).rejects.toThrow(/refused/)
    }
  })

  it('its page is refused the key, settings, accounts and export channels', async () => {
    await startPolled()
    await ipcMain.invoke('window:topup', trusted())
    const topUp = fromWindow(topUpWindows()[0]!)
    await expect(ipcMain.invoke('key:set', topUp, { key: ADMIN })).rejects.toThrow(/refused/)
    await expect(ipcMain.invoke('key:clear', topUp)).rejects.toThrow(/refused/)
    await expect(ipcMain.invoke('key:info', topUp)).rejects.toThrow(/refused/)
    await expect(
      ipcMain.invoke('settings:set', topUp, { notificationsEnabled: false })
    ).rejects.toThrow(/refused/)
    await expect(ipcMain.invoke('accounts:remove', topUp, { name: 'default' })).rejects.toThrow(
      /refused/
    )
    await expect(ipcMain.invoke('export:csv', topUp)).rejects.toThrow(/refused/)
    // Nothing happened: the key is still there, settings unchanged.
    expect(await keychain.get('default')).toBe(ADMIN)
    const settings = (await ipcMain.invoke('settings:get', trusted())) as {
      notificationsEnabled: boolean
    }
    expect(settings.notificationsEnabled).toBe(true)
  })

  it('closes on quit', async () => {
    await start()
    await ipcMain.invoke('window:topup', trusted())
    const topUp = topUpWindows()[0]!
    app.quit()
    expect(topUp.isDestroyed()).toBe(true)
  })
})

describe('notifications', () => {
  it('a low balance raises one notification; clicking it opens the top-up window', async () => {
    await keychain.set('default', ADMIN)
    await start()
    await ipcMain.invoke('ledger:balance', trusted(), { amount: 4 })
    await ipcMain.invoke('status:refresh', trusted())
    const shown = Notification.shownInstances()
    expect(shown).toHaveLength(1)
    expect(shown[0]!.options.title).toMatch(/critical|credit/i)
    shown[0]!.simulateClick()
    expect(topUpWindows()).toHaveLength(1)
    expect(shell.opened).toEqual([])
  })

  it('stay silent when switched off in settings', async () => {
    await keychain.set('default', ADMIN)
    await start()
    await ipcMain.invoke('settings:set', trusted(), { notificationsEnabled: false })
    await ipcMain.invoke('ledger:balance', trusted(), { amount: 4 })
    expect(Notification.shownInstances()).toHaveLength(0)
  })
})

describe('sleep and connectivity', () => {
  it('refreshes at once when the machine wakes up', async () => {
    await startPolled()
    const before = server.requestCount
    powerMonitor.emit('suspend')
    powerMonitor.emit('resume')
    await vi.waitFor(() => expect(server.requestCount).toBeGreaterThan(before))
  })

  it('does not poll while offline, and catches up when back online', async () => {
    // Only the connectivity check's interval is faked: the engine's own timers stay real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      const s = await startPolled()
      const pause = vi.spyOn(s.engine, 'pause')
      const resume = vi.spyOn(s.engine, 'resume')
      net.online = false
      vi.advanceTimersByTime(30_000)
      expect(pause).toHaveBeenCalledTimes(1)
      powerMonitor.emit('resume') // waking up while offline does not poll
      expect(resume).not.toHaveBeenCalled()
      const before = server.requestCount
      net.online = true
      vi.advanceTimersByTime(30_000)
      expect(resume).toHaveBeenCalledTimes(1)
      await vi.waitFor(() => expect(server.requestCount).toBeGreaterThan(before))
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('where the key is kept', () => {
  const brokenKeychain = (): SecretStore => ({
    kind: 'keychain',
    get: async () => {
      throw new CreditTrayError('keychain', 'no keyring')
    },
    set: async () => {
      throw new CreditTrayError('keychain', 'no keyring')
    },
    delete: async () => false
  })

  it('falls back to an encrypted safeStorage file when no keychain answers', async () => {
    await start({ keychain: brokenKeychain })
    await ipcMain.invoke('key:set', trusted(), { key: ADMIN })
    const file = join(home, 'data', 'secrets.json')
    expect(existsSync(file)).toBe(true)
    expect(readFileSync(file, 'utf8')).not.toContain(ADMIN)
    const info = (await ipcMain.invoke('key:info', trusted())) as {
      storage: string
      warning: string | null
    }
    expect(info.storage).toBe('safeStorage')
    // Visible in the key settings: the keychain was not used.
    expect(info.warning).toBe(KEYCHAIN_FALLBACK_NOTE)
  })

  it('refuses basic_text encryption on Linux and keeps the key in memory with a visible warning', async () => {
    safeStorage.backend = 'basic_text'
    await start({ keychain: brokenKeychain })
    await ipcMain.invoke('key:set', trusted(), { key: ADMIN })
    expect(existsSync(join(home, 'data', 'secrets.json'))).toBe(false)
    const info = (await ipcMain.invoke('key:info', trusted())) as {
      storage: string
      warning: string
    }
    expect(info.storage).toBe('memory')
    expect(info.warning).toMatch(/memory/)
  })
})

describe('quitting', () => {
  it('removes the tray, the IPC handlers and the window', async () => {
    await start()
    app.quit()
    expect(tray().isDestroyed()).toBe(true)
    expect(ipcMain.handlers.size).toBe(0)
    expect(win().isDestroyed()).toBe(true)
  })
})

describe('several accounts', () => {
  it('the window switches between accounts; the tray shows the worst one; notifications name it', async () => {
    await keychain.set('default', ADMIN)
    await start()
    await ipcMain.invoke('ledger:balance', trusted(), { amount: 500 })
    const added = (await ipcMain.invoke('accounts:add', trusted(), {
      name: 'Shop',
      projectIds: ['proj_shop']
    })) as { active: string; accounts: { name: string }[] }
    expect(added.active).toBe('Shop')
    expect(added.accounts.map((a) => a.name)).toEqual(['default', 'Shop'])
    expect(win().webContents.sent.some((m) => m.channel === 'accounts:changed')).toBe(true)

    // The new account has no key yet: its own, not the default one's.
    const info = (await ipcMain.invoke('key:info', trusted())) as { present: boolean }
    expect(info.present).toBe(false)
    await keychain.set('Shop', ADMIN)
    await ipcMain.invoke('ledger:balance', trusted(), { amount: 3 })
    await ipcMain.invoke('status:refresh', trusted())
    expect(Notification.shownInstances().at(-1)!.options.title).toMatch(/^Shop: /)

    await ipcMain.invoke('accounts:switch', trusted(), { name: 'default' })
    const shown = (await ipcMain.invoke('status:get', trusted())) as { balance: number }
    expect(shown.balance).toBe(500)
    // The tray still warns about Shop's critical credit.
    expect(tray().toolTip).toContain('$3.00')
  })

  it('refuses account names that could escape the data folder', async () => {
    await start()
    await expect(
      ipcMain.invoke('accounts:add', trusted(), { name: '../x', projectIds: [] })
    ).rejects.toThrow(/refused/)
    await expect(ipcMain.invoke('accounts:switch', trusted(), { name: 'Nope' })).rejects.toThrow(
      /no account named/
    )
  })

  it('refuses, in words, a name whose data folder another account uses, or that breaks on Windows', async () => {
    await start()
    await ipcMain.invoke('accounts:add', trusted(), { name: 'Agency X', projectIds: [] })
    await expect(
      ipcMain.invoke('accounts:add', trusted(), { name: 'agency-x', projectIds: ['proj_zzz'] })
    ).rejects.toThrow(/same data folder \(accounts\/agency-x\) as the account "Agency X"/)
    await expect(
      ipcMain.invoke('accounts:add', trusted(), { name: 'COM1', projectIds: [] })
    ).rejects.toThrow(/reserved device name on Windows/)
    const state = (await ipcMain.invoke('accounts:get', trusted())) as {
      accounts: { name: string }[]
    }
    expect(state.accounts.map((a) => a.name)).toEqual(['default', 'Agency X'])
  })

  it('shows accounts.json problems in the window (status notices), not only in the log', async () => {
    mkdirSync(join(home, 'data'), { recursive: true })
    writeFileSync(join(home, 'data', 'accounts.json'), '{oops')
    await start()
    const status = (await ipcMain.invoke('status:get', trusted())) as Status
    expect(status.notices.join(' ')).toMatch(/accounts\.json is damaged/)
  })
})

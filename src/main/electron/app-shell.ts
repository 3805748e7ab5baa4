// The Electron shell, composed. Every Electron object comes in through `ElectronDeps`, so this
// wiring runs under vitest against a fake `electron` (tests/app-shell.test.ts). index.ts only
// passes the real module in. The engine does the work; this file routes events.
import { join } from 'node:path'
import type { ExternalPage, View } from '../../shared/ipc'
import type { Settings } from '../../shared/settings'
import { activeEngineView, createAccountHub } from '../engine/account-hub'
import { accountDataDir, createAccountRegistry } from '../engine/accounts'
import { createEngine, type CliEngine, type EngineOptions } from '../engine/engine'
import type { CreditEngine } from '../engine/engine-api'
import { appDataDir } from '../engine/paths'
import {
  createKeytarStore,
  createMemoryStore,
  probeKeychain,
  type SecretStore
} from '../engine/secrets'
import { writeTextFileAtomic } from '../engine/text-file'
import type { FetchLike } from '../engine/team-client'
import { createTeamEngine } from '../engine/team-engine'
import {
  clearTeamServer,
  readTeamServer,
  saveTeamServer,
  teamServerInfo,
  type TeamSetupDeps
} from '../engine/team-setup'
import { APP_ID } from './app-id'
import {
  APP_SCHEME,
  appPageUrl,
  handleAppProtocol,
  registerAppScheme,
  type ProtocolLike
} from './app-protocol'
import { createCsvSaver, type SaveDialogOptionsLike, type SaveDialogResultLike } from './csv-save'
import { openExternalPage, type ShellLike } from './external-links'
import { createSenderCheck, registerIpcHandlers, sendToRenderer, type IpcMainLike } from './ipc'
import { chooseKeyStore } from './key-store-chain'
import { createLoginItem, type LoginItemAppLike } from './login-item'
import {
  alertClickTarget,
  createNotifier,
  type NotificationLike,
  type NotificationOptionsLike
} from './notifier'
import { createSafeStorageStore, type SafeStorageLike } from './safe-storage-store'
import { rendererTargetFromEnv } from './security'
import { createTopUpWindow, type TopUpBrowserWindowConstructorLike } from './topup-window'
import {
  createTrayController,
  type Rectangle,
  type TrayLike,
  type TrayMenuItem
} from './tray-controller'
import { displayForTray, positionTrayWindow, type ScreenLike } from './window-position'
import {
  TRAY_WINDOW_HEIGHT,
  TRAY_WINDOW_WIDTH,
  createTrayWindow,
  type BrowserWindowConstructorLike,
  type TrayWindow
} from './windows'

/** The slice of the `electron` module the shell uses. */
export interface ElectronDeps {
  app: LoginItemAppLike & {
    isPackaged: boolean
    requestSingleInstanceLock(): boolean
    whenReady(): Promise<void>
    setAppUserModelId(id: string): void
    getLocale(): string
    quit(): void
    on(event: string, listener: (...args: unknown[]) => void): unknown
    dock?: { hide(): void } | undefined
    /** Where the CSV save dialog starts ("downloads"). */
    getPath?(name: 'downloads'): string
    /** The app folder; an unpackaged run (npm start) is `electron <app folder>`. */
    getAppPath?(): string
    /** macOS: bring the (dock-less) app to the front when the top-up window opens. */
    focus?(options?: { steal: boolean }): void
  }
  Tray: new (image: unknown) => TrayLike<unknown, unknown>
  Menu: { buildFromTemplate(template: TrayMenuItem[]): unknown }
  nativeImage: { createFromPath(path: string): unknown }
  screen: ScreenLike & { getCursorScreenPoint(): { x: number; y: number } }
  Notification: (new (options: NotificationOptionsLike) => NotificationLike) & {
    isSupported(): boolean
  }
  BrowserWindow: BrowserWindowConstructorLike & TopUpBrowserWindowConstructorLike
  ipcMain: IpcMainLike
  shell: ShellLike
  safeStorage: SafeStorageLike
  powerMonitor: { on(event: string, listener: () => void): unknown }
  net: { isOnline(): boolean }
  dialog: {
    showSaveDialog(options: SaveDialogOptionsLike): Promise<SaveDialogResultLike>
  }
  protocol: ProtocolLike
}

export interface ShellOptions {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  execPath: string
  homeDir: string
  /**
   * The data folder (default: appDataDir of env, platform and homeDir). Tests that pretend to be
   * another OS pass one, since that OS's path rules would name a folder this one cannot place.
   */
  dataDir?: string
  /** Folder of the built main bundle (out/main): preload and renderer are found beside it. */
  mainDir: string
  /** Folder with the tray icons (resources/). */
  resourcesDir: string
  now?: () => Date
  log?: (line: string) => void
  /** For tests: swap in an engine built with other options (e.g. a fake API base URL). */
  engineOptions?: Partial<EngineOptions>
  /** How often to check for connectivity while running (ms). */
  onlineCheckMs?: number
  /** For tests: the OS keychain store (default: keytar, service "Credit Tray"). */
  keychain?: () => SecretStore
  /** How team mode reaches the team server (default: the global fetch). */
  teamFetch?: FetchLike
}

export interface AppShell {
  engine: CliEngine
  window: TrayWindow
  /** Open the tray window (near the tray or the cursor) on a view. */
  openWindow(view?: View): void
  /** Tear down the tray, windows and IPC, stop polling; resolves once the last write landed. */
  dispose(): Promise<void>
}

/** Refresh when the window opens if the data is older than this. */
export const REFRESH_ON_OPEN_AFTER_MS = 60_000

function downloadsDir(e: ElectronDeps, homeDir: string): string {
  try {
    return e.app.getPath?.('downloads') ?? join(homeDir, 'Downloads')
  } catch {
    return join(homeDir, 'Downloads')
  }
}

export async function startApp(e: ElectronDeps, o: ShellOptions): Promise<AppShell | null> {
  const now = o.now ?? (() => new Date())
  const log = o.log ?? ((line: string) => console.log(`[credit-tray] ${line}`))

  // One tray icon per user session: a second launch only opens the first one's window.
  if (!e.app.requestSingleInstanceLock()) {
    e.app.quit()
    return null
  }
  if (o.platform === 'win32') e.app.setAppUserModelId(APP_ID)
  // The built pages come from credit-tray://app/ (app-protocol.ts); the scheme's privileges
  // must be registered before the app is ready, its handler after.
  registerAppScheme(e.protocol)
  await e.app.whenReady()
  handleAppProtocol(e.protocol, { rootDir: join(o.mainDir, '../renderer'), log })
  // A menu-bar app: no dock icon, no app switcher entry.
  if (o.platform === 'darwin') e.app.dock?.hide()

  const dataDir = o.dataDir ?? appDataDir(o.env, o.platform, o.homeDir)

  // Keychain first; else Electron safeStorage in an encrypted file; else memory with a warning.
  const keyStore = await chooseKeyStore({
    keytar: o.keychain ?? (() => createKeytarStore()),
    probe: probeKeychain,
    safeStorage: () =>
      createSafeStorageStore({
        safeStorage: e.safeStorage,
        filePath: join(dataDir, 'secrets.json'),
        allowBasicText: o.env.CREDIT_TRAY_ALLOW_BASIC_TEXT === '1',
        platform: o.platform,
        optInHint:
          'To accept this weaker protection, start Credit Tray with CREDIT_TRAY_ALLOW_BASIC_TEXT=1.'
      }),
    memory: createMemoryStore
  })
  for (const reason of keyStore.skipped) log(`key store skipped: ${reason}`)

  // Every account (OpenAI organization) gets its own engine; all of them poll. The window and
  // IPC talk to the active one through `engine`; the tray shows the worst of them.
  const registry = createAccountRegistry({ dataDir, now })
  for (const notice of registry.notices()) log(notice)
  const teamFetch: FetchLike = o.teamFetch ?? ((url, init) => fetch(url, init))
  const hub = createAccountHub({
    registry,
    engineFor: (account) => {
      // Team mode: this account reads the team server's status and holds no Admin key.
      const server = readTeamServer(accountDataDir(dataDir, account.name), now)
      if (server)
        return createTeamEngine({
          dataDir: accountDataDir(dataDir, account.name),
          account: account.name,
          server,
          secretStore: keyStore.store,
          now,
          fetch: teamFetch,
          alerts: true,
          log,
          ...(o.engineOptions?.timers ? { timers: o.engineOptions.timers } : {})
        })
      return createEngine({
        dataDir: accountDataDir(dataDir, account.name),
        account: account.name,
        projectIds: account.projectIds,
        secretStore: keyStore.store,
        envKey: o.env.OPENAI_ADMIN_KEY,
        baseURL: o.env.OPENAI_BASE_URL,
        now,
        alerts: true,
        keyStorageWarning: keyStore.warning,
        // accounts.json problems show in the window (status notices), not only in the log.
        notices: () => registry.notices(),
        log,
        ...o.engineOptions
      })
    }
  })
  const engine = activeEngineView(hub)
  const teamDeps = (): TeamSetupDeps => {
    const account = registry.active().name
    return {
      dataDir: accountDataDir(dataDir, account),
      account,
      secretStore: keyStore.store,
      fetch: teamFetch,
      now
    }
  }
  const team = {
    get: () => teamServerInfo(teamDeps()),
    async set(input: Parameters<typeof saveTeamServer>[1]) {
      const d = teamDeps()
      const result = await saveTeamServer(d, input)
      if (result.ok) hub.reload(d.account)
      return result
    },
    async clear() {
      const d = teamDeps()
      await clearTeamServer(d)
      hub.reload(d.account)
      return null
    }
  }

  const renderer = rendererTargetFromEnv({
    isPackaged: e.app.isPackaged,
    env: o.env,
    appUrl: appPageUrl('index.html')
  })
  const trayWindow = createTrayWindow({
    BrowserWindow: e.BrowserWindow,
    preloadPath: join(o.mainDir, '../preload/index.js'),
    renderer,
    platform: o.platform,
    devTools: !e.app.isPackaged,
    shell: e.shell,
    log
  })

  const loginItem = createLoginItem({
    platform: o.platform,
    app: e.app,
    execPath: o.execPath,
    env: o.env,
    homeDir: o.homeDir,
    // Unpackaged (npm start), the executable is Electron itself: it must be told which app.
    ...(!e.app.isPackaged && e.app.getAppPath ? { args: [e.app.getAppPath()] } : {})
  })

  let lastTrayBounds: Rectangle | undefined
  const placeWindow = (bounds?: Rectangle): { x: number; y: number } => {
    const cursor = e.screen.getCursorScreenPoint()
    const display = displayForTray(e.screen, bounds ?? null, cursor)
    return positionTrayWindow({
      windowSize: { width: TRAY_WINDOW_WIDTH, height: TRAY_WINDOW_HEIGHT },
      trayBounds: bounds ?? null,
      cursor,
      display,
      platform: o.platform
    })
  }
  const refreshIfOld = (): void => {
    const last = engine.getStatus().lastUpdated
    if (last === null || now().getTime() - Date.parse(last) > REFRESH_ON_OPEN_AFTER_MS) {
      void engine.refresh()
    }
  }
  const openWindow = (view?: View): void => {
    trayWindow.show(placeWindow(lastTrayBounds))
    if (view) trayWindow.sendView(view)
    refreshIfOld()
  }
  const openPage = (page: ExternalPage): Promise<void> => openExternalPage(page, e.shell)

  // The guided top-up window (topup.html beside index.html), created when first asked for.
  const topUpRenderer = rendererTargetFromEnv({
    isPackaged: e.app.isPackaged,
    env: o.env,
    appUrl: appPageUrl('topup.html'),
    devPage: 'topup.html'
  })
  const topUpWindow = createTopUpWindow({
    BrowserWindow: e.BrowserWindow,
    preloadPath: join(o.mainDir, '../preload/index.js'),
    renderer: topUpRenderer,
    devTools: !e.app.isPackaged,
    shell: e.shell,
    // Without the guide the user still needs the page where credit is added.
    onLoadFailed: () => void openPage('billing').catch(() => undefined),
    onShow: () => {
      if (o.platform === 'darwin') e.app.focus?.({ steal: true })
    },
    log
  })
  const openTopUp = (): void => {
    // The popover would hide behind the new window anyway (it hides on blur).
    trayWindow.hide()
    topUpWindow.open()
  }

  // Settings that live outside the engine (the OS login item) are applied here, then stored.
  const applySettings = async (patch: Partial<Settings>): Promise<Settings> => {
    const next = await engine.updateSettings(patch)
    if (patch.launchAtLogin !== undefined && patch.launchAtLogin !== loginItem.isEnabled()) {
      void Promise.resolve(loginItem.setEnabled(patch.launchAtLogin)).catch((err: unknown) =>
        log(`launch at login not changed: ${String((err as Error)?.message ?? err)}`)
      )
    }
    tray.update()
    return next
  }
  const ipcEngine: CreditEngine = {
    ...engine,
    // Launch at login is a fact of the OS, whichever account's settings are shown.
    getSettings: () => ({ ...engine.getSettings(), launchAtLogin: loginItem.isEnabled() }),
    updateSettings: applySettings
  }

  const disposeIpc = registerIpcHandlers({
    ipcMain: e.ipcMain,
    engine: ipcEngine,
    // Each page gets only its own channels (PAGE_CHANNELS in src/shared/ipc.ts).
    senderPage: createSenderCheck({ tray: renderer, topup: topUpRenderer }),
    openExternalPage: openPage,
    openTopUp,
    hideWindow: () => trayWindow.hide(),
    exportCsv: createCsvSaver({
      showSaveDialog: (options) => e.dialog.showSaveDialog(options),
      csv: () => engine.exportCsv(),
      writeFile: writeTextFileAtomic,
      defaultDir: downloadsDir(e, o.homeDir),
      now
    }),
    accounts: {
      state: () => hub.state(),
      switchTo: (name) => hub.switchTo(name),
      add: (name, projectIds) => hub.add(name, projectIds),
      remove: (name) => hub.remove(name)
    },
    team,
    // The top-up window closes; the tray window is never closed, only hidden.
    closeWindow: (event) => {
      if (topUpWindow.isSender(event.sender)) topUpWindow.close()
      else trayWindow.hide()
    },
    log
  })

  const tray = createTrayController({
    createTray: (image) => new e.Tray(image),
    loadImage: (path) => e.nativeImage.createFromPath(path),
    buildMenu: (template) => e.Menu.buildFromTemplate(template),
    platform: o.platform,
    resourcesDir: o.resourcesDir,
    // The worst state across accounts, so trouble in any organization shows in the tray.
    source: {
      getStatus: () => hub.worstStatus(),
      getSettings: () => engine.getSettings(),
      onStatus: (listener) => hub.onChange(() => listener(hub.worstStatus()))
    },
    actions: {
      toggleWindow(bounds) {
        if (bounds && bounds.width > 0) lastTrayBounds = bounds
        if (trayWindow.toggle(placeWindow(bounds && bounds.width > 0 ? bounds : undefined)))
          refreshIfOld()
      },
      openWindow: (view) =>
        openWindow(view === 'settings' || view === 'onboarding' ? view : 'main'),
      refresh: () => engine.refresh({ manual: true }),
      openTopUp,
      openSettings: () => openWindow('settings'),
      setLaunchAtLogin: (on) => applySettings({ launchAtLogin: on }),
      quit: () => e.app.quit()
    },
    getLaunchAtLogin: () => loginItem.isEnabled(),
    now,
    locale: e.app.getLocale(),
    onError: (err) => log(`tray action failed: ${String((err as Error)?.message ?? err)}`)
  })

  const notifier = createNotifier({
    createNotification: (options) => new e.Notification(options),
    isSupported: () => e.Notification.isSupported(),
    enabled: () => engine.getSettings().notificationsEnabled,
    onClick: (alert) => (alertClickTarget(alert) === 'top-up' ? openTopUp() : openWindow('main'))
  })

  const unsubscribe = [
    engine.onStatus((status) => {
      trayWindow.sendStatus(status)
      topUpWindow.sendStatus(status)
    }),
    engine.onAlert((alert) => notifier.notify(alert)),
    hub.onChange(() => sendToRenderer(trayWindow.window, 'accounts:changed', hub.state()))
  ]

  // No polling while asleep or offline; catch up at once when back.
  let offline = false
  e.powerMonitor.on('suspend', () => engine.pause())
  e.powerMonitor.on('lock-screen', () => {})
  e.powerMonitor.on('resume', () => {
    if (!offline) engine.resume()
  })
  const onlineTimer = setInterval(() => {
    const online = e.net.isOnline()
    if (online === !offline) return
    offline = !online
    if (offline) engine.pause()
    else engine.resume()
  }, o.onlineCheckMs ?? 30_000)
  onlineTimer.unref?.()

  e.app.on('second-instance', () => openWindow())
  // A tray app keeps running with its window hidden or closed.
  e.app.on('window-all-closed', () => {})

  let disposed: Promise<void> | null = null
  const dispose = (): Promise<void> => {
    if (disposed) return disposed
    clearInterval(onlineTimer)
    engine.stop()
    for (const u of unsubscribe) u()
    disposeIpc()
    notifier.closeAll()
    tray.dispose()
    topUpWindow.close()
    trayWindow.destroy()
    e.protocol.unhandle?.(APP_SCHEME)
    // Every data write is atomic, so quitting mid-poll loses nothing; waiting only lets a caller
    // (tests, a restart) know the folder is no longer being written.
    disposed = hub.settled()
    return disposed
  }
  e.app.on('before-quit', () => void dispose())

  void loginItem.refresh()
  // First run: no key yet, so open straight onto the onboarding view.
  void Promise.all([engine.getKeyInfo(), team.get()]).then(([info, server]) => {
    if (!info.present && server === null) openWindow('onboarding')
  })
  engine.start()

  return { engine, window: trayWindow, openWindow, dispose }
}

import { join } from 'node:path'
import type * as Electron from 'electron'
import { DEFAULT_THRESHOLDS, NO_LIMITS, type Status } from '../src/shared/status'
import type { CreditEngine } from '../src/main/engine/engine-api'
import {
  TRAY_MENU_LABELS,
  WINDOWS_TOOLTIP_MAX,
  createTrayController,
  describeAge,
  shortBalance,
  trayIconState,
  traySummary,
  trayTitle,
  type TrayActions,
  type TrayLike,
  type TrayMenuItem,
  type TrayStatusSource
} from '../src/main/electron/tray-controller'
import {
  FakeMenu,
  FakeNativeImage,
  Menu,
  Tray,
  nativeImage,
  resetElectronShellFake
} from './fakes/electron-shell'

// The real Electron Tray / Menu must fit the injected interfaces (checked by tsc, not at runtime).
type _RealTrayFits =
  Electron.Tray extends TrayLike<Electron.NativeImage, Electron.Menu> ? true : never
const _realTrayFits: _RealTrayFits = true
const _realBuildMenuFits: (t: TrayMenuItem[]) => Electron.Menu = (t) =>
  (null as unknown as typeof Electron.Menu).buildFromTemplate(t)
void _realTrayFits
void _realBuildMenuFits
// …and so must the engine facade as the status source.
const _engineFits = (engine: CreditEngine): TrayStatusSource => engine
void _engineFits

const RESOURCES = join(__dirname, '..', 'resources')
const NOW = new Date('2025-03-10T12:00:00Z')
const minutesAgo = (m: number): string => new Date(NOW.getTime() - m * 60_000).toISOString()

function makeStatus(overrides: Partial<Status> = {}): Status {
  return {
    notices: [],
    limits: NO_LIMITS,
    expiringCredit: [],
    currency: 'usd',
    balance: 41.2,
    balanceRecordedAt: '2025-03-01T09:00:00Z',
    balanceComplete: true,
    burnRateDays: 7,
    spend: { today: 1.1, last7Days: 23.8, monthToDate: 30.5 },
    daily: [],
    burnRatePerDay: 3.4,
    daysLeft: 12.1,
    runOutDate: '2025-03-22',
    level: 'ok',
    thresholds: DEFAULT_THRESHOLDS,
    lastUpdated: minutesAgo(3),
    stale: false,
    error: null,
    topLineItems: [],
    topProjects: [],
    topModels: [],
    balanceBasis: 'recorded',
    autoRecharge: null,
    budget: null,
    ...overrides
  }
}

/** An engine stand-in: the test pushes snapshots, the controller listens. */
function fakeSource(initial: Status): TrayStatusSource & {
  push(s: Status): void
  settings: { showAmountInMenuBar: boolean }
  listeners: number
} {
  let status = initial
  const listeners = new Set<(s: Status) => void>()
  return {
    settings: { showAmountInMenuBar: true },
    get listeners() {
      return listeners.size
    },
    getStatus: () => status,
    getSettings() {
      return this.settings
    },
    onStatus(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    push(s) {
      status = s
      for (const l of listeners) l(s)
    }
  }
}

function setup(
  opts: {
    platform?: NodeJS.Platform
    status?: Status
    launchAtLogin?: boolean
    setLaunchAtLogin?: (on: boolean) => unknown
  } = {}
) {
  const platform = opts.platform ?? 'linux'
  const source = fakeSource(opts.status ?? makeStatus())
  let now = NOW
  let launchAtLogin = opts.launchAtLogin ?? false
  let tick: (() => void) | null = null
  const calls: string[] = []
  const errors: unknown[] = []
  const actions: TrayActions = {
    toggleWindow: vi.fn((bounds?: { x: number }) => calls.push(`toggle@${bounds?.x}`)),
    openWindow: vi.fn(() => calls.push('open')),
    refresh: vi.fn(async () => calls.push('refresh')),
    openTopUp: vi.fn(() => calls.push('topUp')),
    openSettings: vi.fn(() => calls.push('settings')),
    setLaunchAtLogin: vi.fn(
      opts.setLaunchAtLogin ??
        ((on: boolean) => {
          launchAtLogin = on
        })
    ),
    quit: vi.fn(() => calls.push('quit'))
  }
  const controller = createTrayController<FakeNativeImage, FakeMenu>({
    createTray: (image) => new Tray(image),
    loadImage: (path) => nativeImage.createFromPath(path),
    buildMenu: (template) => Menu.buildFromTemplate(template),
    platform,
    resourcesDir: RESOURCES,
    source,
    actions,
    getLaunchAtLogin: () => launchAtLogin,
    now: () => now,
    locale: 'en-US',
    every: (_ms, fn) => {
      tick = fn
      return () => {
        tick = null
      }
    },
    onError: (e) => errors.push(e)
  })
  const tray = Tray.instances[0]!
  const menu = (): FakeMenu => {
    // On macOS the menu is popped up on right-click rather than attached.
    if (platform === 'darwin') {
      tray.simulateRightClick()
      const pop = tray.calls.filter((c) => c.method === 'popUpContextMenu').at(-1)
      if (!pop || pop.method !== 'popUpContextMenu' || !pop.menu) throw new Error('no menu')
      return pop.menu
    }
    if (!tray.contextMenu) throw new Error('no context menu attached')
    return tray.contextMenu
  }
  const imageSource = (): string => {
    const image = tray.image
    return typeof image === 'string' ? image : image.source
  }
  return {
    controller,
    source,
    tray,
    actions,
    calls,
    errors,
    menu,
    imageSource,
    advance(minutes: number) {
      now = new Date(now.getTime() + minutes * 60_000)
      tick?.()
    },
    timerRunning: () => tick !== null,
    setLaunchAtLoginState(on: boolean) {
      launchAtLogin = on
    }
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r))

beforeEach(() => resetElectronShellFake())

describe('tray icon state', () => {
  it('follows the credit level when data is fresh', () => {
    expect(trayIconState(makeStatus({ level: 'ok' }))).toBe('ok')
    expect(trayIconState(makeStatus({ level: 'low' }))).toBe('low')
    expect(trayIconState(makeStatus({ level: 'critical' }))).toBe('critical')
    expect(trayIconState(makeStatus({ level: 'unknown', balance: null }))).toBe('unknown')
  })

  it('shows error for problems only the user can fix, whatever the level', () => {
    for (const kind of ['auth', 'permission', 'no_key', 'keychain', 'storage'] as const) {
      const status = makeStatus({ level: 'ok', error: { kind, message: 'x' } })
      expect(trayIconState(status), kind).toBe('error')
    }
  })

  it('shows error for stale data, but keeps the level through a passing network error', () => {
    expect(trayIconState(makeStatus({ level: 'low', stale: true }))).toBe('error')
    const offline = makeStatus({ level: 'low', error: { kind: 'network', message: 'x' } })
    expect(trayIconState(offline)).toBe('low')
  })

  it('shows unknown before any data arrived (not error, although "never fetched" is stale)', () => {
    expect(trayIconState(makeStatus({ lastUpdated: null, stale: true }))).toBe('unknown')
    const noKey = makeStatus({
      lastUpdated: null,
      stale: true,
      error: { kind: 'no_key', message: 'x' }
    })
    expect(trayIconState(noKey)).toBe('error')
  })
})

describe('money and time words', () => {
  it('shortens the balance to whole units rounded down, cents under one unit', () => {
    expect(shortBalance(41.99, 'usd', 'en-US')).toBe('$41')
    expect(shortBalance(1234.5, 'usd', 'en-US')).toBe('$1,234')
    expect(shortBalance(0.8, 'usd', 'en-US')).toBe('$0.80')
    expect(shortBalance(-2.5, 'usd', 'en-US')).toBe('-$3')
    expect(shortBalance(41.2, 'eur', 'en-US')).toBe('€41')
  })

  it('says how long ago in minutes, hours, then days', () => {
    expect(describeAge(minutesAgo(0.5), NOW)).toBe('just now')
    expect(describeAge(minutesAgo(3), NOW)).toBe('3 min ago')
    expect(describeAge(minutesAgo(125), NOW)).toBe('2 h ago')
    expect(describeAge(minutesAgo(3 * 24 * 60), NOW)).toBe('3 days ago')
  })
})

describe('tray controller', () => {
  it('starts with the icon, tooltip and menu for the current status', () => {
    const t = setup()
    expect(t.imageSource()).toBe(join(RESOURCES, 'tray', 'ok-tray-linux.png'))
    expect((t.tray.image as FakeNativeImage).isEmpty()).toBe(false)
    expect(t.tray.toolTip).toBe(
      'Credit Tray — ≈ $41.20 left · 12 days at $3.40/day · updated 3 min ago'
    )
    expect(t.menu().labels()).toEqual([
      '≈ $41.20 left · 12 days at $3.40/day',
      '---',
      'Open',
      'Refresh now',
      'Top up…',
      'Settings…',
      '---',
      'Launch at login',
      '---',
      'Quit'
    ])
    expect(t.menu().item('≈ $41.20 left · 12 days at $3.40/day').enabled).toBe(false)
  })

  it('changes icon, tooltip and menu summary when the engine reports a new status', () => {
    const t = setup()
    t.source.push(
      makeStatus({ balance: 8.5, daysLeft: 2.5, level: 'low', lastUpdated: minutesAgo(0) })
    )
    expect(t.imageSource()).toBe(join(RESOURCES, 'tray', 'low-tray-linux.png'))
    expect(t.tray.toolTip).toBe(
      'Credit Tray — low: ≈ $8.50 left · 2 days at $3.40/day · updated just now'
    )
    expect(t.menu().labels()[0]).toBe('≈ $8.50 left · 2 days at $3.40/day')
  })

  it('does not touch the tray when nothing visible changed', () => {
    const t = setup()
    const before = t.tray.calls.length
    t.source.push(makeStatus()) // same numbers, same age
    t.controller.update()
    expect(t.tray.calls.length).toBe(before)
  })

  it('sets a new image only when the icon state changes, not for every new number', () => {
    const t = setup()
    t.source.push(makeStatus({ balance: 40.1 }))
    t.source.push(makeStatus({ balance: 39.7 }))
    expect(t.tray.count('setImage')).toBe(0) // still "ok": the icon it was created with
    t.source.push(makeStatus({ balance: 4, level: 'critical' }))
    t.source.push(makeStatus({ balance: 3.9, level: 'critical' }))
    expect(t.tray.count('setImage')).toBe(1)
    expect(t.imageSource()).toContain('critical-tray-linux.png')
    // Each new balance rebuilt the menu summary once, and only once.
    expect(t.tray.count('setContextMenu')).toBe(5)
  })

  it('keeps "updated N min ago" moving between polls, once per changed minute', () => {
    const t = setup()
    const tips = (): number => t.tray.count('setToolTip')
    expect(tips()).toBe(1)
    t.advance(0.5) // same minute: same words
    expect(tips()).toBe(1)
    t.advance(1)
    expect(t.tray.toolTip).toMatch(/updated 4 min ago$/)
    expect(tips()).toBe(2)
    expect(t.tray.count('setContextMenu')).toBe(1) // the menu has no clock in it
  })

  it('puts problems into words: rejected key, no key, no data yet, offline, stale', () => {
    const t = setup()
    t.source.push(
      makeStatus({ error: { kind: 'auth', message: 'OpenAI rejected the Admin key (401)…' } })
    )
    expect(t.tray.toolTip).toBe('Credit Tray — the Admin key was rejected: open to fix')
    expect(t.menu().labels()[0]).toBe('The Admin key was rejected')
    expect(t.imageSource()).toContain('error-tray-linux.png')

    t.source.push(makeStatus({ lastUpdated: null, stale: true, balance: null, level: 'unknown' }))
    expect(t.tray.toolTip).toBe('Credit Tray — no data yet')
    expect(t.imageSource()).toContain('unknown-tray-linux.png')

    t.source.push(
      makeStatus({ lastUpdated: null, stale: true, error: { kind: 'network', message: 'x' } })
    )
    expect(t.tray.toolTip).toBe('Credit Tray — no data yet (offline)')

    t.source.push(
      makeStatus({
        lastUpdated: minutesAgo(300),
        stale: true,
        error: { kind: 'network', message: 'x' }
      })
    )
    expect(t.tray.toolTip).toBe(
      'Credit Tray — ≈ $41.20 left · 12 days at $3.40/day · stale, updated 5 h ago (offline)'
    )
    expect(t.imageSource()).toContain('error-tray-linux.png')
  })

  it('without a recorded balance, shows spend instead of what is left', () => {
    const t = setup({ status: makeStatus({ balance: null, daysLeft: null, level: 'unknown' }) })
    expect(t.tray.toolTip).toBe('Credit Tray — $1.10 spent today · $3.40/day · updated 3 min ago')
  })

  it('a negative balance stays negative and is called an overage; the icon is critical', () => {
    const t = setup({ status: makeStatus({ balance: -4.5, daysLeft: 0, level: 'critical' }) })
    expect(t.tray.toolTip).toBe('Credit Tray — critical: ≈ -$4.50, overage · updated 3 min ago')
    // Whole units rounded down: never less owed than the estimate says.
    expect(trayTitle(makeStatus({ balance: -4.5 }), true)).toBe('-$5')
    expect(trayTitle(makeStatus({ balance: -0.4 }), true)).toBe('-$0.40')
    expect(t.imageSource()).toContain('critical')
  })

  it('the tooltip names a reached or projected spend limit, enforcing or not', () => {
    const org = {
      amount: 200,
      currency: 'USD',
      enforcement: 'enforcing',
      reached: true,
      monthToDate: 212,
      projectedMonthEnd: 300,
      reachOn: null
    }
    const limits = { ...NO_LIMITS, checkedAt: NOW.toISOString(), organization: org }
    const reached = setup({ status: makeStatus({ level: 'critical', limits }) })
    expect(reached.tray.toolTip).toContain('· spend limit reached ·')
    const inactive = { ...limits, organization: { ...org, enforcement: 'inactive' } }
    expect(traySummary(makeStatus({ limits: inactive }))).toContain(
      'spend limit passed, not enforced'
    )
    const projected = { ...limits, organization: { ...org, reached: false, reachOn: '2025-03-24' } }
    expect(traySummary(makeStatus({ limits: projected }))).toContain('spend limit ≈ Mar 24')
  })

  it('formats money in the status currency', () => {
    const t = setup({ status: makeStatus({ currency: 'eur' }) })
    expect(t.tray.toolTip).toContain('≈ €41.20 left')
    expect(t.tray.toolTip).toContain('€3.40/day')
  })

  it('keeps Windows tooltips within 127 characters', () => {
    const t = setup({
      platform: 'win32',
      status: makeStatus({
        balance: 123456789.12,
        burnRatePerDay: 98765.43,
        daysLeft: 1249.9,
        level: 'critical',
        lastUpdated: minutesAgo(59),
        error: { kind: 'bad_response', message: 'x' }
      })
    })
    expect(t.tray.toolTip.length).toBeLessThanOrEqual(WINDOWS_TOOLTIP_MAX)
    expect(t.tray.toolTip.endsWith('…')).toBe(true)
    expect(t.imageSource()).toBe(join(RESOURCES, 'tray', 'critical-tray.ico'))
  })

  describe('menu', () => {
    it('routes each item to its action', async () => {
      const t = setup()
      t.menu().click(TRAY_MENU_LABELS.open)
      t.menu().click(TRAY_MENU_LABELS.refresh)
      t.menu().click(TRAY_MENU_LABELS.topUp)
      t.menu().click(TRAY_MENU_LABELS.settings)
      t.menu().click(TRAY_MENU_LABELS.quit)
      await flush()
      expect(t.calls).toEqual(['open', 'refresh', 'topUp', 'settings', 'quit'])
    })

    it('shows launch-at-login as a checkbox with the current state, and toggles it', async () => {
      const t = setup({ launchAtLogin: false })
      const item = t.menu().item(TRAY_MENU_LABELS.launchAtLogin)
      expect(item.type).toBe('checkbox')
      expect(item.checked).toBe(false)

      t.menu().click(TRAY_MENU_LABELS.launchAtLogin)
      await flush()
      expect(t.actions.setLaunchAtLogin).toHaveBeenLastCalledWith(true)
      expect(t.menu().item(TRAY_MENU_LABELS.launchAtLogin).checked).toBe(true)

      t.menu().click(TRAY_MENU_LABELS.launchAtLogin)
      await flush()
      expect(t.actions.setLaunchAtLogin).toHaveBeenLastCalledWith(false)
      expect(t.menu().item(TRAY_MENU_LABELS.launchAtLogin).checked).toBe(false)
    })

    it('puts the checkmark back when turning launch-at-login on fails', async () => {
      const t = setup({
        launchAtLogin: false,
        setLaunchAtLogin: async () => {
          throw new Error('read-only autostart folder')
        }
      })
      const menuBefore = t.menu()
      menuBefore.click(TRAY_MENU_LABELS.launchAtLogin) // the OS menu flips its checkmark
      expect(menuBefore.item(TRAY_MENU_LABELS.launchAtLogin).checked).toBe(true)
      await flush()
      expect(t.menu()).not.toBe(menuBefore)
      expect(t.menu().item(TRAY_MENU_LABELS.launchAtLogin).checked).toBe(false)
      expect(t.errors).toHaveLength(1)
    })

    it('reports a failing refresh instead of leaving an unhandled rejection', async () => {
      const t = setup()
      vi.mocked(t.actions.refresh).mockRejectedValueOnce(new Error('boom'))
      t.menu().click(TRAY_MENU_LABELS.refresh)
      await flush()
      expect(t.errors.map(String)).toEqual(['Error: boom'])
    })

    it('is rebuilt when the login item changes outside the menu (update after settings)', () => {
      const t = setup({ launchAtLogin: false })
      t.setLaunchAtLoginState(true)
      t.controller.update()
      expect(t.menu().item(TRAY_MENU_LABELS.launchAtLogin).checked).toBe(true)
    })
  })

  describe('clicks', () => {
    it('left click toggles the window next to the icon', () => {
      const t = setup({ platform: 'win32' })
      t.tray.simulateClick({ x: 1700, y: 1050, width: 24, height: 24 })
      expect(t.actions.toggleWindow).toHaveBeenCalledWith({
        x: 1700,
        y: 1050,
        width: 24,
        height: 24
      })
    })

    it('on Windows and Linux the menu is attached to the icon', () => {
      for (const platform of ['win32', 'linux'] as const) {
        resetElectronShellFake()
        const t = setup({ platform })
        expect(t.tray.contextMenu, platform).not.toBeNull()
        expect(t.tray.count('popUpContextMenu')).toBe(0)
      }
    })

    it('on macOS the menu opens on right-click only, so left click can toggle the window', () => {
      const t = setup({ platform: 'darwin' })
      expect(t.tray.count('setContextMenu')).toBe(0)
      t.tray.simulateRightClick()
      expect(t.tray.count('popUpContextMenu')).toBe(1)
      t.tray.simulateClick()
      expect(t.actions.toggleWindow).toHaveBeenCalledTimes(1)
      expect(t.tray.calls).toContainEqual({ method: 'setIgnoreDoubleClickEvents', ignore: true })
    })
  })

  describe('macOS', () => {
    it('uses template images, which Electron recognises by name', () => {
      const t = setup({ platform: 'darwin' })
      expect(t.imageSource()).toBe(join(RESOURCES, 'tray', 'ok-trayTemplate.png'))
      expect((t.tray.image as FakeNativeImage).isTemplateImage()).toBe(true)
    })

    it('shows the short balance in the menu bar when the setting is on, and clears it when off', () => {
      const t = setup({ platform: 'darwin' })
      expect(t.tray.title).toBe('$41')
      t.source.push(makeStatus({ balance: 0.8, daysLeft: 0.2, level: 'critical' }))
      expect(t.tray.title).toBe('$0.80')
      t.source.settings.showAmountInMenuBar = false
      t.controller.update()
      expect(t.tray.title).toBe('')
      const titles = t.tray.count('setTitle')
      t.controller.update()
      expect(t.tray.count('setTitle')).toBe(titles)
    })

    it('marks the amount as doubtful while the data cannot be trusted', () => {
      const t = setup({ platform: 'darwin', status: makeStatus({ stale: true }) })
      expect(t.tray.title).toBe('$41?')
    })

    it('has no title without a balance', () => {
      const t = setup({
        platform: 'darwin',
        status: makeStatus({ balance: null, level: 'unknown' })
      })
      expect(t.tray.title).toBe('')
      expect(t.tray.count('setTitle')).toBe(0)
    })

    it('never sets a title on other platforms', () => {
      const t = setup({ platform: 'linux' })
      t.source.push(makeStatus({ balance: 12 }))
      expect(t.tray.count('setTitle')).toBe(0)
    })
  })

  it('stops listening and removes the icon when disposed', () => {
    const t = setup()
    expect(t.source.listeners).toBe(1)
    t.controller.dispose()
    expect(t.source.listeners).toBe(0)
    expect(t.timerRunning()).toBe(false)
    expect(t.tray.isDestroyed()).toBe(true)
    t.controller.update() // late callers must not hit the destroyed Tray (it would throw)
  })
})

// The tray icon: turns each status snapshot into an icon, a tooltip, a macOS menu-bar title and
// a context menu, and turns clicks into actions. Electron objects are injected (createTray,
// loadImage, buildMenu) so all of this runs in plain Node under test.
//
// Platform notes that shaped this:
// - macOS: a Tray with a context menu set opens that menu on *left* click as well, which would
//   fight the click-to-toggle window. So on macOS the menu is popped up on right-click instead;
//   on Windows and Linux it is attached with setContextMenu (Windows shows it on right-click;
//   many Linux panels never deliver clicks at all, so the menu's "Open" is the way in there).
// - Linux (AppIndicator/StatusNotifierItem) usually shows no tooltip: the first, disabled menu
//   item repeats the headline numbers so they can be seen there too.
// - Windows truncates tooltips at 127 characters.
// - Rebuilding a menu closes it if it is open, and every setImage repaints: only what actually
//   changed is pushed to the Tray.
import { describeAge, formatMoney } from '../../shared/format'
import { limitTrayNote } from '../../shared/limit-words'
import type { Settings } from '../../shared/settings'
import type { ErrorKind, Status } from '../../shared/status'
import { trayIconPath, type TrayIconState } from './tray-icons'

// Exported from here too: the tray's tests and callers know them as tray helpers.
export { describeAge, formatMoney }

export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

/** A context-menu item; a subset of Electron's MenuItemConstructorOptions. */
export interface TrayMenuItem {
  label?: string
  type?: 'normal' | 'separator' | 'checkbox'
  checked?: boolean
  enabled?: boolean
  click?: () => void
}

/** The parts of Electron's Tray used here. */
export interface TrayLike<Image, Menu> {
  setImage(image: Image): void
  setToolTip(toolTip: string): void
  setTitle(title: string, options?: { fontType?: 'monospaced' | 'monospacedDigit' }): void
  setContextMenu(menu: Menu | null): void
  popUpContextMenu(menu?: Menu): void
  setIgnoreDoubleClickEvents?(ignore: boolean): void
  on(event: 'click', listener: (event: unknown, bounds: Rectangle) => void): unknown
  on(event: 'right-click', listener: (event: unknown, bounds: Rectangle) => void): unknown
  destroy(): void
}

/** What the tray reads from the engine (a subset of CreditEngine). */
export interface TrayStatusSource {
  getStatus(): Status
  getSettings(): Pick<Settings, 'showAmountInMenuBar'>
  onStatus(listener: (status: Status) => void): () => void
}

/** What the tray can ask the shell to do. Promises are awaited only to report failures. */
export interface TrayActions {
  toggleWindow(bounds?: Rectangle): void
  openWindow(view?: string): void
  refresh(): unknown
  openTopUp(): void
  openSettings(): void
  setLaunchAtLogin(on: boolean): unknown
  quit(): void
}

export interface TrayControllerDeps<Image, Menu> {
  createTray(image: Image): TrayLike<Image, Menu>
  loadImage(path: string): Image
  buildMenu(template: TrayMenuItem[]): Menu
  platform: NodeJS.Platform
  resourcesDir: string
  source: TrayStatusSource
  actions: TrayActions
  getLaunchAtLogin(): boolean
  now(): Date
  /** Locale for money formatting (Electron: app.getLocale()); the runtime default when absent. */
  locale?: string
  /** Repeat `fn` every `ms` until the returned function is called. Defaults to setInterval. */
  every?: (ms: number, fn: () => void) => () => void
  /** Called when an action throws or rejects (e.g. the login item could not be written). */
  onError?: (error: unknown) => void
}

export interface TrayView {
  icon: TrayIconState
  toolTip: string
  /** The macOS menu-bar text ('' = none). */
  title: string
  /** First, disabled line of the menu. */
  summary: string
  launchAtLogin: boolean
}

export interface TrayController {
  /** Re-read status and settings and push what changed (call after settings change). */
  update(): void
  /** What the tray shows now. */
  view(): TrayView
  dispose(): void
}

export const TRAY_MENU_LABELS = {
  open: 'Open',
  refresh: 'Refresh now',
  topUp: 'Top up…',
  settings: 'Settings…',
  launchAtLogin: 'Launch at login',
  quit: 'Quit'
} as const

/** Windows' NOTIFYICONDATA tooltip holds 128 UTF-16 units including the terminator. */
export const WINDOWS_TOOLTIP_MAX = 127

/** Errors that no amount of waiting fixes: the icon says "something is wrong" at once. */
const BLOCKING_ERRORS: ReadonlySet<ErrorKind> = new Set([
  'auth',
  'permission',
  'no_key',
  'keychain',
  'insecure_url',
  'storage'
])

const ERROR_WORDS: Record<ErrorKind, string> = {
  auth: 'the Admin key was rejected',
  permission: 'the key may not read costs',
  no_key: 'no Admin key set up',
  keychain: 'the keychain did not answer',
  network: 'offline',
  rate_limit: 'rate-limited',
  server: 'OpenAI server error',
  bad_response: 'unexpected answer from OpenAI',
  insecure_url: 'refused a plain-http API address',
  storage: 'cannot save its data'
}

const APP = 'Credit Tray'
const MINUTE_MS = 60_000

/**
 * The icon for a snapshot: `error` for problems that need the user (bad or missing key,
 * keychain, data folder not writable) and for stale data; `unknown` before any data arrived; else the credit level.
 */
export function trayIconState(status: Status): TrayIconState {
  if (status.error && BLOCKING_ERRORS.has(status.error.kind)) return 'error'
  if (status.lastUpdated === null) return 'unknown'
  if (status.stale) return 'error'
  return status.level
}

/**
 * The short menu-bar balance: whole units ("$41"), rounded down so it never shows more than
 * is left; cents below one unit ("$0.80") where whole units would say nothing.
 */
export function shortBalance(balance: number, currency: string, locale?: string): string {
  if (Math.abs(balance) < 1) return formatMoney(balance, currency, locale, 2)
  return formatMoney(Math.floor(balance), currency, locale, 0)
}

function describeDays(daysLeft: number): string {
  if (daysLeft < 1) return 'under a day'
  const days = Math.floor(daysLeft)
  return days === 1 ? '1 day' : `${days} days`
}

/** The headline numbers without any time-relative words (so it changes only with the data). */
export function traySummary(status: Status, locale?: string): string {
  const money = (n: number): string => formatMoney(n, status.currency, locale)
  if (status.error && BLOCKING_ERRORS.has(status.error.kind)) {
    const words = ERROR_WORDS[status.error.kind]
    return words.charAt(0).toUpperCase() + words.slice(1)
  }
  if (status.lastUpdated === null) return 'No data yet'
  const parts: string[] = []
  if (status.balance !== null && status.balance < 0) {
    // Overage: spend passed the credit; OpenAI takes it from the next purchase.
    parts.push(`≈ ${money(status.balance)}, overage`)
  } else if (status.balance !== null) {
    parts.push(`≈ ${money(status.balance)} left`)
    if (status.daysLeft !== null)
      parts.push(`${describeDays(status.daysLeft)} at ${money(status.burnRatePerDay)}/day`)
  } else {
    parts.push(`${money(status.spend.today)} spent today`, `${money(status.burnRatePerDay)}/day`)
  }
  const limit = limitTrayNote(status.limits)
  if (limit) parts.push(limit)
  return parts.join(' · ')
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1).trimEnd() + '…'
}

/** The tooltip: the numbers, how fresh they are, and what is wrong in words. */
export function trayToolTip(
  status: Status,
  now: Date,
  platform: NodeJS.Platform,
  locale?: string
): string {
  let text: string
  if (status.error && BLOCKING_ERRORS.has(status.error.kind)) {
    text = `${APP} — ${ERROR_WORDS[status.error.kind]}: open to fix`
  } else if (status.lastUpdated === null) {
    text = `${APP} — no data yet` + (status.error ? ` (${ERROR_WORDS[status.error.kind]})` : '')
  } else {
    const level = status.level === 'low' ? 'low: ' : status.level === 'critical' ? 'critical: ' : ''
    const age = describeAge(status.lastUpdated, now)
    const freshness = status.stale ? `stale, updated ${age}` : `updated ${age}`
    const problem = status.error ? ` (${ERROR_WORDS[status.error.kind]})` : ''
    text = `${APP} — ${level}${traySummary(status, locale)} · ${freshness}${problem}`
  }
  return platform === 'win32' ? truncate(text, WINDOWS_TOOLTIP_MAX) : text
}

/** The macOS menu-bar text: the short balance (with "?" when it cannot be trusted), or ''. */
export function trayTitle(status: Status, showAmount: boolean, locale?: string): string {
  if (!showAmount || status.balance === null) return ''
  const doubtful = trayIconState(status) === 'error'
  return shortBalance(status.balance, status.currency, locale) + (doubtful ? '?' : '')
}

export function computeTrayView(
  status: Status,
  settings: Pick<Settings, 'showAmountInMenuBar'>,
  opts: { now: Date; platform: NodeJS.Platform; launchAtLogin: boolean; locale?: string }
): TrayView {
  return {
    icon: trayIconState(status),
    toolTip: trayToolTip(status, opts.now, opts.platform, opts.locale),
    title:
      opts.platform === 'darwin'
        ? trayTitle(status, settings.showAmountInMenuBar, opts.locale)
        : '',
    summary: traySummary(status, opts.locale),
    launchAtLogin: opts.launchAtLogin
  }
}

function defaultEvery(ms: number, fn: () => void): () => void {
  const timer = setInterval(fn, ms)
  timer.unref?.()
  return () => clearInterval(timer)
}

export function createTrayController<Image, Menu>(
  deps: TrayControllerDeps<Image, Menu>
): TrayController {
  const { platform, actions } = deps
  const reportError = (error: unknown): void => deps.onError?.(error)
  /** Run an action; report a throw or a rejected promise instead of letting it escape. */
  const run = (action: () => unknown, after?: () => void): void => {
    let result: unknown
    try {
      result = action()
    } catch (error) {
      reportError(error)
      after?.()
      return
    }
    void Promise.resolve(result)
      .catch(reportError)
      .finally(() => after?.())
  }

  const computeView = (status: Status): TrayView =>
    computeTrayView(status, deps.source.getSettings(), {
      now: deps.now(),
      platform,
      launchAtLogin: deps.getLaunchAtLogin(),
      locale: deps.locale
    })

  let current = computeView(deps.source.getStatus())
  const iconPath = (state: TrayIconState): string =>
    trayIconPath(state, platform, deps.resourcesDir)

  const tray = deps.createTray(deps.loadImage(iconPath(current.icon)))
  let shown = { iconPath: iconPath(current.icon), toolTip: '', title: '', menuKey: '' }
  let menu: Menu | null = null
  let disposed = false

  const buildMenu = (view: TrayView): Menu =>
    deps.buildMenu([
      { label: view.summary, enabled: false },
      { type: 'separator' },
      { label: TRAY_MENU_LABELS.open, click: () => run(() => actions.openWindow()) },
      { label: TRAY_MENU_LABELS.refresh, click: () => run(() => actions.refresh()) },
      { label: TRAY_MENU_LABELS.topUp, click: () => run(() => actions.openTopUp()) },
      { label: TRAY_MENU_LABELS.settings, click: () => run(() => actions.openSettings()) },
      { type: 'separator' },
      {
        label: TRAY_MENU_LABELS.launchAtLogin,
        type: 'checkbox',
        checked: view.launchAtLogin,
        click: () => {
          // The menu already flipped its checkbox; whatever happens, redraw it from the real
          // state (a failed write must not leave a lying checkmark).
          shown = { ...shown, menuKey: '' }
          run(
            () => actions.setLaunchAtLogin(!deps.getLaunchAtLogin()),
            () => update()
          )
        }
      },
      { type: 'separator' },
      { label: TRAY_MENU_LABELS.quit, click: () => run(() => actions.quit()) }
    ])

  const apply = (view: TrayView): void => {
    const path = iconPath(view.icon)
    if (path !== shown.iconPath) {
      tray.setImage(deps.loadImage(path))
      shown = { ...shown, iconPath: path }
    }
    if (view.toolTip !== shown.toolTip) {
      tray.setToolTip(view.toolTip)
      shown = { ...shown, toolTip: view.toolTip }
    }
    if (platform === 'darwin' && view.title !== shown.title) {
      tray.setTitle(view.title, { fontType: 'monospacedDigit' })
      shown = { ...shown, title: view.title }
    }
    const menuKey = JSON.stringify([view.summary, view.launchAtLogin])
    if (menuKey !== shown.menuKey) {
      menu = buildMenu(view)
      if (platform !== 'darwin') tray.setContextMenu(menu)
      shown = { ...shown, menuKey }
    }
  }

  function update(status: Status = deps.source.getStatus()): void {
    if (disposed) return
    current = computeView(status)
    apply(current)
  }

  tray.on('click', (_event, bounds) => run(() => actions.toggleWindow(bounds)))
  if (platform === 'darwin') {
    tray.on('right-click', () => {
      if (menu !== null) tray.popUpContextMenu(menu)
    })
    // Without this macOS waits to rule out a double click before it reports a click.
    tray.setIgnoreDoubleClickEvents?.(true)
  }

  apply(current)
  const unsubscribe = deps.source.onStatus((status) => update(status))
  // "updated 3 min ago" must keep moving between polls.
  const stopTimer = (deps.every ?? defaultEvery)(MINUTE_MS, () => update())

  return {
    update: () => update(),
    view: () => current,
    dispose: () => {
      if (disposed) return
      disposed = true
      unsubscribe()
      stopTimer()
      tray.destroy()
    }
  }
}

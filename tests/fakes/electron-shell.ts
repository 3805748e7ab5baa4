// Fake of the desktop-shell half of `electron`: Tray, Menu, nativeImage, screen, Notification,
// app, powerMonitor, net. Each fake records what was asked of it and lets a test drive events
// (tray clicks, notification clicks, resume/suspend, second instances). Only the behaviour the
// shell relies on is modelled, but that behaviour follows Electron's documentation (e.g. a
// `…Template.png` file loads as a template image; createFromPath on a missing file gives an
// empty image rather than throwing). `resetElectronShellFake()` restores the initial state.
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { basename } from 'node:path'

export interface ShellRectangle {
  x: number
  y: number
  width: number
  height: number
}
export interface ShellPoint {
  x: number
  y: number
}

/** The Event object Electron passes to listeners that may veto ('before-quit', 'will-quit'). */
class PreventableEvent {
  defaultPrevented = false
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

// ---------------------------------------------------------------------------------------------
// nativeImage

export class FakeNativeImage {
  private template: boolean
  constructor(
    /** Where the image came from: a path, or 'buffer' / 'empty'. */
    readonly source: string,
    private readonly empty: boolean,
    template = false
  ) {
    this.template = template
  }
  isEmpty(): boolean {
    return this.empty
  }
  setTemplateImage(option: boolean): void {
    this.template = option
  }
  isTemplateImage(): boolean {
    return this.template
  }
  getSize(): { width: number; height: number } {
    return this.empty ? { width: 0, height: 0 } : { width: 16, height: 16 }
  }
}

/** Electron marks `fooTemplate.png` / `fooTemplate@2x.png` as template images by name. */
function isTemplateName(path: string): boolean {
  return /Template(@\d+(\.\d+)?x)?\.[a-z]+$/i.test(basename(path))
}

export const nativeImage = {
  createFromPath(path: string): FakeNativeImage {
    const exists = existsSync(path)
    return new FakeNativeImage(path, !exists, exists && isTemplateName(path))
  },
  createFromBuffer(buffer: Buffer): FakeNativeImage {
    return new FakeNativeImage('buffer', buffer.length === 0)
  },
  createEmpty(): FakeNativeImage {
    return new FakeNativeImage('empty', true)
  }
}

// ---------------------------------------------------------------------------------------------
// Menu

export interface FakeMenuItemOptions {
  label?: string
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio'
  checked?: boolean
  enabled?: boolean
  visible?: boolean
  role?: string
  accelerator?: string
  click?: (...args: unknown[]) => void
  submenu?: FakeMenuItemOptions[]
}

export class FakeMenu {
  constructor(readonly template: FakeMenuItemOptions[]) {}

  get items(): FakeMenuItemOptions[] {
    return this.template
  }

  /** The item with this label; throws so a test fails loudly on a missing item. */
  item(label: string): FakeMenuItemOptions {
    const found = this.template.find((i) => i.label === label)
    if (!found) throw new Error(`no menu item "${label}" in [${this.labels().join(', ')}]`)
    return found
  }

  /** Labels in order; separators as '---'. */
  labels(): string[] {
    return this.template.map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')))
  }

  /** Click like Electron does: a checkbox flips its `checked` before the handler runs. */
  click(label: string): void {
    const item = this.item(label)
    if (item.enabled === false) throw new Error(`menu item "${label}" is disabled`)
    if (item.type === 'checkbox') item.checked = !item.checked
    item.click?.(item, undefined, {})
  }
}

export const Menu = {
  built: [] as FakeMenu[],
  applicationMenu: null as FakeMenu | null,
  buildFromTemplate(template: FakeMenuItemOptions[]): FakeMenu {
    // Copy the items so later edits by the code under test do not rewrite history.
    const menu = new FakeMenu(template.map((item) => ({ ...item })))
    Menu.built.push(menu)
    return menu
  },
  setApplicationMenu(menu: FakeMenu | null): void {
    Menu.applicationMenu = menu
  }
}

// ---------------------------------------------------------------------------------------------
// Tray

type TrayCall =
  | { method: 'setImage'; image: FakeNativeImage | string }
  | { method: 'setPressedImage'; image: FakeNativeImage | string }
  | { method: 'setToolTip'; toolTip: string }
  | { method: 'setTitle'; title: string }
  | { method: 'setContextMenu'; menu: FakeMenu | null }
  | { method: 'popUpContextMenu'; menu: FakeMenu | undefined }
  | { method: 'setIgnoreDoubleClickEvents'; ignore: boolean }
  | { method: 'destroy' }

export class Tray extends EventEmitter {
  static instances: Tray[] = []

  image: FakeNativeImage | string
  toolTip = ''
  title = ''
  contextMenu: FakeMenu | null = null
  calls: TrayCall[] = []
  bounds: ShellRectangle = { x: 0, y: 0, width: 0, height: 0 }
  private destroyed = false

  constructor(
    image: FakeNativeImage | string,
    readonly guid?: string
  ) {
    super()
    this.image = image
    Tray.instances.push(this)
  }

  private check(): void {
    // Electron throws on any call to a destroyed Tray; so does the fake.
    if (this.destroyed) throw new TypeError('Object has been destroyed')
  }
  setImage(image: FakeNativeImage | string): void {
    this.check()
    this.image = image
    this.calls.push({ method: 'setImage', image })
  }
  setPressedImage(image: FakeNativeImage | string): void {
    this.check()
    this.calls.push({ method: 'setPressedImage', image })
  }
  setToolTip(toolTip: string): void {
    this.check()
    this.toolTip = toolTip
    this.calls.push({ method: 'setToolTip', toolTip })
  }
  setTitle(title: string): void {
    this.check()
    this.title = title
    this.calls.push({ method: 'setTitle', title })
  }
  getTitle(): string {
    return this.title
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.check()
    this.contextMenu = menu
    this.calls.push({ method: 'setContextMenu', menu })
  }
  popUpContextMenu(menu?: FakeMenu): void {
    this.check()
    this.calls.push({ method: 'popUpContextMenu', menu })
  }
  setIgnoreDoubleClickEvents(ignore: boolean): void {
    this.check()
    this.calls.push({ method: 'setIgnoreDoubleClickEvents', ignore })
  }
  getBounds(): ShellRectangle {
    return { ...this.bounds }
  }
  destroy(): void {
    this.destroyed = true
    this.calls.push({ method: 'destroy' })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }

  /** How often `method` was called. */
  count(method: TrayCall['method']): number {
    return this.calls.filter((c) => c.method === method).length
  }
  /** Simulate a left click at the icon (Electron passes the icon's bounds). */
  simulateClick(bounds: ShellRectangle = this.bounds): void {
    this.emit('click', { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false }, bounds, {
      x: bounds.x + bounds.width / 2,
      y: bounds.y + bounds.height / 2
    })
  }
  simulateRightClick(bounds: ShellRectangle = this.bounds): void {
    this.emit(
      'right-click',
      { altKey: false, shiftKey: false, ctrlKey: false, metaKey: false },
      bounds
    )
  }
}

// ---------------------------------------------------------------------------------------------
// screen

export interface FakeDisplay {
  id: number
  bounds: ShellRectangle
  workArea: ShellRectangle
  scaleFactor: number
  size: { width: number; height: number }
  workAreaSize: { width: number; height: number }
  rotation: number
  internal: boolean
  label: string
}

/** A display; the work area defaults to the full bounds (no taskbar). */
export function makeDisplay(
  id: number,
  bounds: ShellRectangle,
  workArea: ShellRectangle = bounds,
  scaleFactor = 1
): FakeDisplay {
  return {
    id,
    bounds: { ...bounds },
    workArea: { ...workArea },
    scaleFactor,
    size: { width: bounds.width, height: bounds.height },
    workAreaSize: { width: workArea.width, height: workArea.height },
    rotation: 0,
    internal: false,
    label: `Display ${id}`
  }
}

const DEFAULT_DISPLAY = (): FakeDisplay =>
  makeDisplay(
    1,
    { x: 0, y: 0, width: 1920, height: 1080 },
    { x: 0, y: 0, width: 1920, height: 1040 }
  )

function contains(r: ShellRectangle, p: ShellPoint): boolean {
  return p.x >= r.x && p.x < r.x + r.width && p.y >= r.y && p.y < r.y + r.height
}
function distanceTo(r: ShellRectangle, p: ShellPoint): number {
  const dx = Math.max(r.x - p.x, 0, p.x - (r.x + r.width - 1))
  const dy = Math.max(r.y - p.y, 0, p.y - (r.y + r.height - 1))
  return Math.hypot(dx, dy)
}
function overlapArea(a: ShellRectangle, b: ShellRectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

class FakeScreen extends EventEmitter {
  displays: FakeDisplay[] = [DEFAULT_DISPLAY()]
  primaryId = 1
  cursor: ShellPoint = { x: 0, y: 0 }

  /** Configure the displays; the first one is primary unless `primaryId` says otherwise. */
  setDisplays(displays: FakeDisplay[], primaryId = displays[0]?.id ?? 1): void {
    this.displays = displays
    this.primaryId = primaryId
  }
  setCursor(point: ShellPoint): void {
    this.cursor = { ...point }
  }

  getAllDisplays(): FakeDisplay[] {
    return this.displays
  }
  getPrimaryDisplay(): FakeDisplay {
    const primary = this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0]
    if (!primary) throw new Error('fake screen has no displays')
    return primary
  }
  getCursorScreenPoint(): ShellPoint {
    return { ...this.cursor }
  }
  /** The display containing the point, else the closest one (as Electron does). */
  getDisplayNearestPoint(point: ShellPoint): FakeDisplay {
    const inside = this.displays.find((d) => contains(d.bounds, point))
    if (inside) return inside
    let best = this.getPrimaryDisplay()
    for (const d of this.displays)
      if (distanceTo(d.bounds, point) < distanceTo(best.bounds, point)) best = d
    return best
  }
  /** The display that most closely intersects the rectangle. */
  getDisplayMatching(rect: ShellRectangle): FakeDisplay {
    let best: FakeDisplay | undefined
    let bestArea = 0
    for (const d of this.displays) {
      const area = overlapArea(d.bounds, rect)
      if (area > bestArea) {
        best = d
        bestArea = area
      }
    }
    return (
      best ??
      this.getDisplayNearestPoint({ x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 })
    )
  }
}

export const screen = new FakeScreen()

// ---------------------------------------------------------------------------------------------
// Notification

export interface FakeNotificationOptions {
  title?: string
  subtitle?: string
  body?: string
  silent?: boolean
  icon?: string | FakeNativeImage
  urgency?: 'normal' | 'critical' | 'low'
  timeoutType?: 'default' | 'never'
  hasReply?: boolean
  closeButtonText?: string
  toastXml?: string
}

export class Notification extends EventEmitter {
  static supported = true
  static instances: Notification[] = []
  static isSupported(): boolean {
    return Notification.supported
  }

  shown = false
  closed = false
  readonly title: string
  readonly body: string

  constructor(readonly options: FakeNotificationOptions = {}) {
    super()
    this.title = options.title ?? ''
    this.body = options.body ?? ''
    Notification.instances.push(this)
  }
  show(): void {
    this.shown = true
    this.emit('show', {})
  }
  close(): void {
    if (this.closed) return
    this.closed = true
    this.emit('close', {})
  }
  /** What the OS does when the user clicks the notification. */
  simulateClick(): void {
    this.emit('click', {})
  }
  /** Notifications actually put on screen. */
  static shownInstances(): Notification[] {
    return Notification.instances.filter((n) => n.shown)
  }
}

// ---------------------------------------------------------------------------------------------
// app

export interface FakeLoginItemSettings {
  openAtLogin: boolean
  openAsHidden: boolean
  wasOpenedAtLogin: boolean
  wasOpenedAsHidden: boolean
  restoreState: boolean
  status: 'not-registered' | 'enabled' | 'requires-approval' | 'not-found'
  executableWillLaunchAtLogin: boolean
  launchItems: unknown[]
}

class FakeApp extends EventEmitter {
  name = 'Credit Tray'
  version = '0.1.0'
  isPackaged = false
  ready = true
  paths: Record<string, string> = {}
  singleInstanceLock = true
  hasLock = false
  appUserModelId: string | null = null
  activationPolicy: string | null = null
  quitCalls = 0
  exitCode: number | null = null
  loginItemSettingsCalls: Record<string, unknown>[] = []
  loginItem: FakeLoginItemSettings = FakeApp.defaultLoginItem()
  readonly dock = {
    hidden: false,
    hide: (): void => {
      this.dock.hidden = true
    },
    show: (): Promise<void> => {
      this.dock.hidden = false
      return Promise.resolve()
    },
    isVisible: (): boolean => !this.dock.hidden,
    setBadge: (_text: string): void => {}
  }

  static defaultLoginItem(): FakeLoginItemSettings {
    return {
      openAtLogin: false,
      openAsHidden: false,
      wasOpenedAtLogin: false,
      wasOpenedAsHidden: false,
      restoreState: false,
      status: 'not-registered',
      executableWillLaunchAtLogin: false,
      launchItems: []
    }
  }

  getName(): string {
    return this.name
  }
  locale = 'en-US'
  getLocale(): string {
    return this.locale
  }
  getVersion(): string {
    return this.version
  }
  /** Paths default to /tmp/credit-tray-fake/<name>; tests may override `paths`. */
  getPath(name: string): string {
    return this.paths[name] ?? `/tmp/credit-tray-fake/${name}`
  }
  setPath(name: string, path: string): void {
    this.paths[name] = path
  }
  getAppPath(): string {
    return this.paths['appPath'] ?? process.cwd()
  }
  isReady(): boolean {
    return this.ready
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
  requestSingleInstanceLock(): boolean {
    this.hasLock = this.singleInstanceLock
    return this.singleInstanceLock
  }
  hasSingleInstanceLock(): boolean {
    return this.hasLock
  }
  releaseSingleInstanceLock(): void {
    this.hasLock = false
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id
  }
  setActivationPolicy(policy: string): void {
    this.activationPolicy = policy
  }
  setLoginItemSettings(settings: Record<string, unknown>): void {
    this.loginItemSettingsCalls.push({ ...settings })
    const on = settings['openAtLogin'] === true
    const enabled = settings['enabled'] !== false
    this.loginItem = {
      ...this.loginItem,
      openAtLogin: on,
      status: on ? 'enabled' : 'not-registered',
      executableWillLaunchAtLogin: on && enabled
    }
  }
  getLoginItemSettings(_options?: Record<string, unknown>): FakeLoginItemSettings {
    return { ...this.loginItem }
  }
  /** Like Electron: 'before-quit' then 'will-quit' (either may veto), then 'quit'. */
  quit(): void {
    this.quitCalls++
    const before = new PreventableEvent()
    this.emit('before-quit', before)
    if (before.defaultPrevented) return
    const will = new PreventableEvent()
    this.emit('will-quit', will)
    if (will.defaultPrevented) return
    this.emit('quit', new PreventableEvent(), 0)
  }
  exit(code = 0): void {
    this.exitCode = code
  }
  relaunch(): void {}
  focus(): void {}
  /** What Electron emits in the first instance when a second one starts. */
  simulateSecondInstance(argv: string[] = [], cwd = process.cwd()): void {
    this.emit('second-instance', new PreventableEvent(), argv, cwd, {})
  }
}

export const app = new FakeApp()

// ---------------------------------------------------------------------------------------------
// powerMonitor, net

class FakePowerMonitor extends EventEmitter {
  idleState: 'active' | 'idle' | 'locked' | 'unknown' = 'active'
  onBatteryPower = false
  getSystemIdleState(_threshold: number): string {
    return this.idleState
  }
  isOnBatteryPower(): boolean {
    return this.onBatteryPower
  }
}

export const powerMonitor = new FakePowerMonitor()

export const net = {
  online: true,
  isOnline(): boolean {
    return net.online
  }
}

// ---------------------------------------------------------------------------------------------

/** Restore every fake in this file to its initial state (call in beforeEach). */
export function resetElectronShellFake(): void {
  Menu.built = []
  Menu.applicationMenu = null
  Tray.instances = []
  screen.removeAllListeners()
  screen.setDisplays([DEFAULT_DISPLAY()])
  screen.setCursor({ x: 0, y: 0 })
  Notification.supported = true
  Notification.instances = []
  app.removeAllListeners()
  app.name = 'Credit Tray'
  app.version = '0.1.0'
  app.isPackaged = false
  app.ready = true
  app.paths = {}
  app.singleInstanceLock = true
  app.hasLock = false
  app.appUserModelId = null
  app.activationPolicy = null
  app.quitCalls = 0
  app.exitCode = null
  app.loginItemSettingsCalls = []
  app.loginItem = FakeApp.defaultLoginItem()
  app.dock.hidden = false
  powerMonitor.removeAllListeners()
  powerMonitor.idleState = 'active'
  powerMonitor.onBatteryPower = false
  net.online = true
}

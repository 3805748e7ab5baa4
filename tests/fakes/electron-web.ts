// The web side of the fake `electron`: windows and their webContents, IPC on both ends, shell,
// safeStorage, session and contextBridge. Every object records what the code under test did to
// it, so tests assert on behaviour (which handler was installed, what was sent, what was opened)
// rather than on implementation details. `resetElectronWebFake()` puts everything back.
import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions } from 'electron'

// ---------------------------------------------------------------------------------------------
// session

export type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: unknown
) => void
export type PermissionCheckHandler = (
  webContents: unknown,
  permission: string,
  requestingOrigin: string,
  details?: unknown
) => boolean
export interface HeadersReceivedDetails {
  url: string
  resourceType?: string
  responseHeaders?: Record<string, string[]>
}
export type HeadersReceivedListener = (
  details: HeadersReceivedDetails,
  callback: (response: {
    cancel?: boolean
    responseHeaders?: Record<string, string | string[]>
  }) => void
) => void

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null
  permissionCheckHandler: PermissionCheckHandler | null = null
  headersReceived: { filter: { urls: string[] } | null; listener: HeadersReceivedListener }[] = []
  readonly webRequest = {
    onHeadersReceived: (
      filterOrListener: { urls: string[] } | HeadersReceivedListener | null,
      maybeListener?: HeadersReceivedListener | null
    ): void => {
      // Like Electron, passing null removes the listener.
      if (filterOrListener === null || maybeListener === null) {
        this.headersReceived = []
      } else if (typeof filterOrListener === 'function') {
        this.headersReceived.push({ filter: null, listener: filterOrListener })
      } else if (maybeListener) {
        this.headersReceived.push({ filter: filterOrListener, listener: maybeListener })
      }
    }
  }

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler
  }

  /** Ask the installed request handler, like Chromium would; resolves with its answer. */
  requestPermission(permission: string, webContents: unknown = null): Promise<boolean> {
    const handler = this.permissionRequestHandler
    if (!handler) return Promise.resolve(true) // Electron's default grants everything
    return new Promise((resolve) => handler(webContents, permission, resolve, {}))
  }

  /** Run a response through every onHeadersReceived listener; returns the final headers. */
  async receiveHeaders(
    url: string,
    responseHeaders: Record<string, string[]> = {},
    resourceType = 'mainFrame'
  ): Promise<{ cancel?: boolean; responseHeaders?: Record<string, string | string[]> }> {
    let result: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> } = {
      responseHeaders
    }
    for (const { listener } of this.headersReceived) {
      result = await new Promise((resolve) =>
        listener({ url, resourceType, responseHeaders }, (response) => resolve(response))
      )
    }
    return result
  }
}

export const session = {
  defaultSession: new FakeSession(),
  fromPartition(_partition: string): FakeSession {
    return session.defaultSession
  }
}

// ---------------------------------------------------------------------------------------------
// BrowserWindow and webContents

export interface FakeFrame {
  url: string
  parent: FakeFrame | null
  /** Lets tests put frames on the same origin at different depths. */
  name?: string
}

export interface WindowOpenDetails {
  url: string
  frameName?: string
  features?: string
  disposition?: string
}
export type WindowOpenResponse =
  { action: 'deny' } | { action: 'allow'; overrideBrowserWindowOptions?: unknown }

/** A cancellable event like Electron's: `preventDefault()` sets `defaultPrevented`. */
export class FakeEvent {
  defaultPrevented = false
  constructor(readonly url?: string) {}
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

let nextWebContentsId = 1

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++
  readonly sent: { channel: string; args: unknown[] }[] = []
  windowOpenHandler: ((details: WindowOpenDetails) => WindowOpenResponse) | null = null
  readonly session: FakeSession
  readonly mainFrame: FakeFrame = { url: '', parent: null }
  loaded: { kind: 'url' | 'file'; target: string; options?: unknown } | null = null
  devToolsOpened = false
  private destroyed = false

  constructor(sessionForContents: FakeSession = session.defaultSession) {
    super()
    this.session = sessionForContents
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, args })
  }

  setWindowOpenHandler(handler: (details: WindowOpenDetails) => WindowOpenResponse): void {
    this.windowOpenHandler = handler
  }

  getURL(): string {
    return this.mainFrame.url
  }

  async loadURL(url: string, options?: unknown): Promise<void> {
    this.loaded = { kind: 'url', target: url, options }
    this.mainFrame.url = url
  }

  async loadFile(filePath: string, options?: unknown): Promise<void> {
    this.loaded = { kind: 'file', target: filePath, options }
    // Electron turns the path into a file: URL (posix-style paths in tests).
    this.mainFrame.url = 'file://' + encodeURI(filePath.startsWith('/') ? filePath : '/' + filePath)
  }

  openDevTools(): void {
    this.devToolsOpened = true
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  destroy(): void {
    this.destroyed = true
  }

  /** Simulate `window.open(url)` from the page: returns what the installed handler decided. */
  simulateWindowOpen(url: string): WindowOpenResponse {
    // Electron's default without a handler: allow a new window.
    if (!this.windowOpenHandler) return { action: 'allow' }
    return this.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window' })
  }

  /** Simulate a navigation event ('will-navigate', 'will-redirect', ...); true if it was blocked. */
  simulateNavigation(
    eventName: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    url: string
  ): boolean {
    const event = new FakeEvent(url)
    this.emit(eventName, event, url)
    return event.defaultPrevented
  }

  /** Simulate a page adding a <webview>; true if it was prevented. */
  simulateAttachWebview(src: string): boolean {
    const event = new FakeEvent(src)
    const webPreferences: Record<string, unknown> = { preload: '/evil/preload.js' }
    this.emit('will-attach-webview', event, webPreferences, { src })
    return event.defaultPrevented
  }
}

export interface Bounds {
  x: number
  y: number
  width: number
  height: number
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = []
  readonly options: BrowserWindowConstructorOptions
  readonly webContents: FakeWebContents
  private visible = false
  private destroyed = false
  private bounds: Bounds
  focused = false
  alwaysOnTop: { flag: boolean; level?: string } | null = null
  visibleOnAllWorkspaces: boolean | null = null

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super()
    this.options = options
    this.webContents = new FakeWebContents()
    this.bounds = {
      x: 0,
      y: 0,
      width: typeof options.width === 'number' ? options.width : 800,
      height: typeof options.height === 'number' ? options.height : 600
    }
    this.visible = options.show !== false
    BrowserWindow.instances.push(this)
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed)
  }

  loadURL(url: string, options?: unknown): Promise<void> {
    return this.webContents.loadURL(url, options)
  }

  loadFile(filePath: string, options?: unknown): Promise<void> {
    return this.webContents.loadFile(filePath, options)
  }

  show(): void {
    this.visible = true
    this.focused = true
    this.emit('show')
    this.emit('focus')
  }

  showInactive(): void {
    this.visible = true
    this.emit('show')
  }

  hide(): void {
    if (!this.visible) return
    this.visible = false
    this.focused = false
    this.emit('hide')
  }

  focus(): void {
    this.focused = true
    this.emit('focus')
  }

  /** Simulate the user clicking elsewhere. */
  blur(): void {
    this.focused = false
    this.emit('blur')
  }

  isVisible(): boolean {
    return this.visible
  }

  isFocused(): boolean {
    return this.focused
  }

  setPosition(x: number, y: number): void {
    this.bounds = { ...this.bounds, x, y }
  }

  getPosition(): [number, number] {
    return [this.bounds.x, this.bounds.y]
  }

  getBounds(): Bounds {
    return { ...this.bounds }
  }

  setBounds(bounds: Partial<Bounds>): void {
    this.bounds = { ...this.bounds, ...bounds }
  }

  getSize(): [number, number] {
    return [this.bounds.width, this.bounds.height]
  }

  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.alwaysOnTop = { flag, level }
  }

  setVisibleOnAllWorkspaces(flag: boolean): void {
    this.visibleOnAllWorkspaces = flag
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  destroy(): void {
    this.destroyed = true
    this.visible = false
    this.webContents.destroy()
    this.emit('closed')
  }

  close(): void {
    const event = new FakeEvent()
    this.emit('close', event)
    if (!event.defaultPrevented) this.destroy()
  }
}

// ---------------------------------------------------------------------------------------------
// ipcMain

export interface FakeInvokeEvent {
  senderFrame: FakeFrame | null | undefined
  sender?: FakeWebContents | { id: number }
}
type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>()

  handle(channel: string, handler: InvokeHandler): void {
    // Real Electron refuses a second handler for the same channel.
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    }
    this.handlers.set(channel, handler)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  /** What `ipcRenderer.invoke(channel, ...args)` from `event`'s frame would resolve to. */
  async invoke(channel: string, event: FakeInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return await handler(event, ...args)
  }
}

export const ipcMain = new FakeIpcMain()

/** A fake invoke event from a top-level frame at `url` (the common case in tests). */
export function fakeInvokeEvent(
  url: string,
  opts: { parent?: FakeFrame | null } = {}
): FakeInvokeEvent {
  return { senderFrame: { url, parent: opts.parent ?? null }, sender: { id: 1 } }
}

// ---------------------------------------------------------------------------------------------
// shell

export const shell = {
  opened: [] as string[],
  /** Set to make the next openExternal calls reject (no browser, etc.). */
  failWith: null as Error | null,
  async openExternal(url: string, _options?: unknown): Promise<void> {
    if (shell.failWith) throw shell.failWith
    shell.opened.push(url)
  }
}

// ---------------------------------------------------------------------------------------------
// dialog

export interface FakeSaveDialogResult {
  canceled: boolean
  filePath?: string
}

export const dialog = {
  /** Options of every showSaveDialog call, in order. */
  saveDialogs: [] as unknown[],
  /** What the next save dialogs answer: the user picks this path, or cancels (null). */
  savePath: null as string | null,
  async showSaveDialog(
    windowOrOptions: unknown,
    maybeOptions?: unknown
  ): Promise<FakeSaveDialogResult> {
    // Like Electron: an optional parent window comes first.
    dialog.saveDialogs.push(maybeOptions ?? windowOrOptions)
    return dialog.savePath === null
      ? { canceled: true, filePath: '' }
      : { canceled: false, filePath: dialog.savePath }
  }
}

// ---------------------------------------------------------------------------------------------
// safeStorage

export type StorageBackend =
  'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'

const FAKE_CIPHER_PREFIX = Buffer.from('fake-v10:')

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as StorageBackend,
  encryptCalls: 0,
  isEncryptionAvailable(): boolean {
    return safeStorage.available
  },
  /** Reversible, but not the plain text: so tests can check the file never holds the secret. */
  encryptString(plainText: string): Buffer {
    if (!safeStorage.available) throw new Error('Encryption is not available.')
    safeStorage.encryptCalls++
    const body = Buffer.from(plainText, 'utf8').map((b) => b ^ 0x5a)
    return Buffer.concat([FAKE_CIPHER_PREFIX, body])
  },
  decryptString(encrypted: Buffer): string {
    if (!safeStorage.available) throw new Error('Decryption is not available.')
    if (!encrypted.subarray(0, FAKE_CIPHER_PREFIX.length).equals(FAKE_CIPHER_PREFIX)) {
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.'
      )
    }
    return Buffer.from(encrypted.subarray(FAKE_CIPHER_PREFIX.length).map((b) => b ^ 0x5a)).toString(
      'utf8'
    )
  },
  getSelectedStorageBackend(): StorageBackend {
    return safeStorage.backend
  }
}

// ---------------------------------------------------------------------------------------------
// Renderer side: contextBridge and ipcRenderer

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (contextBridge.exposed.has(apiKey))
      throw new Error(`Cannot bind an API on top of an existing property on the window object`)
    contextBridge.exposed.set(apiKey, api)
  }
}

type RendererListener = (event: unknown, ...args: unknown[]) => void

interface FakeIpcRenderer {
  invocations: { channel: string; args: unknown[] }[]
  responses: Map<string, unknown>
  listeners: Map<string, RendererListener[]>
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: RendererListener): FakeIpcRenderer
  removeListener(channel: string, listener: RendererListener): FakeIpcRenderer
  listenerCount(channel: string): number
  emitFromMain(channel: string, ...args: unknown[]): void
}

export const ipcRenderer: FakeIpcRenderer = {
  invocations: [] as { channel: string; args: unknown[] }[],
  /** What `invoke` resolves to, per channel (default: undefined). */
  responses: new Map<string, unknown>(),
  listeners: new Map<string, RendererListener[]>(),
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    ipcRenderer.invocations.push({ channel, args })
    return Promise.resolve(ipcRenderer.responses.get(channel))
  },
  on(channel: string, listener: RendererListener): FakeIpcRenderer {
    const list = ipcRenderer.listeners.get(channel) ?? []
    list.push(listener)
    ipcRenderer.listeners.set(channel, list)
    return ipcRenderer
  },
  removeListener(channel: string, listener: RendererListener): FakeIpcRenderer {
    const list = ipcRenderer.listeners.get(channel) ?? []
    const index = list.indexOf(listener)
    if (index >= 0) list.splice(index, 1)
    return ipcRenderer
  },
  listenerCount(channel: string): number {
    return ipcRenderer.listeners.get(channel)?.length ?? 0
  },
  /** Simulate main calling `webContents.send(channel, ...args)`. */
  emitFromMain(channel: string, ...args: unknown[]): void {
    const event = { sender: ipcRenderer, senderId: 0, ports: [] }
    for (const listener of [...(ipcRenderer.listeners.get(channel) ?? [])]) listener(event, ...args)
  }
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// protocol

type ProtocolHandler = (request: Request) => Response | Promise<Response>

export const protocol = {
  /** Every scheme registered as privileged, with its privileges. */
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, ProtocolHandler>(),
  /** Calls in order, so tests can check privileges came before the handler. */
  calls: [] as string[],
  registerSchemesAsPrivileged(
    schemes: { scheme: string; privileges: Record<string, boolean> }[]
  ): void {
    protocol.calls.push('registerSchemesAsPrivileged')
    // Electron only accepts this before the app is ready, i.e. before any handler exists.
    if (protocol.handlers.size > 0) {
      throw new Error('protocol.registerSchemesAsPrivileged must be called before app is ready')
    }
    protocol.privileged.push(...schemes)
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (protocol.handlers.has(scheme)) throw new Error(`scheme ${scheme} is already handled`)
    protocol.calls.push(`handle:${scheme}`)
    protocol.handlers.set(scheme, handler)
  },
  unhandle(scheme: string): void {
    protocol.handlers.delete(scheme)
  },
  isProtocolHandled(scheme: string): boolean {
    return protocol.handlers.has(scheme)
  },
  /** What Chromium would get for a request to `url` on a handled scheme. */
  async request(url: string, init?: RequestInit): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'))
    const handler = protocol.handlers.get(scheme)
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${scheme})`)
    return await handler(new Request(url, init))
  }
}

export function resetElectronWebFake(): void {
  session.defaultSession = new FakeSession()
  BrowserWindow.instances.length = 0
  ipcMain.handlers.clear()
  ipcMain.removeAllListeners()
  shell.opened.length = 0
  shell.failWith = null
  dialog.saveDialogs.length = 0
  dialog.savePath = null
  safeStorage.available = true
  safeStorage.backend = 'gnome_libsecret'
  safeStorage.encryptCalls = 0
  contextBridge.exposed.clear()
  ipcRenderer.invocations.length = 0
  ipcRenderer.responses.clear()
  ipcRenderer.listeners.clear()
  protocol.privileged.length = 0
  protocol.handlers.clear()
  protocol.calls.length = 0
}

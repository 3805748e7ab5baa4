// Main-side IPC: who may call (sender frame), what they may send (payload schemas), what comes
// back when something is refused (generic, no secrets), and that every channel reaches the engine.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { CreditEngine } from '../src/main/engine/engine-api'
import { CreditTrayError, InputError } from '../src/main/engine/errors'
import {
  FAILED_MESSAGE,
  REFUSED_MESSAGE,
  createSenderCheck,
  registerIpcHandlers,
  sendToRenderer
} from '../src/main/electron/ipc'
import { AMOUNT_LIMIT, KEY_MAX_LENGTH } from '../src/main/electron/ipc-validate'
import type { RendererTarget } from '../src/main/electron/security'
import { INVOKE_CHANNELS, PAGE_CHANNELS, type ExternalPage } from '../src/shared/ipc'
import { DEFAULT_SETTINGS } from '../src/shared/settings'
import type { Status } from '../src/shared/status'
import {
  BrowserWindow,
  fakeInvokeEvent,
  ipcMain,
  resetElectronWebFake,
  type FakeInvokeEvent
} from './fakes/electron-web'

const APP_URL = 'credit-tray://app/index.html'
const TOPUP_URL = 'credit-tray://app/topup.html'
const PROD: RendererTarget = { kind: 'app', url: APP_URL }
/** Both pages of the built app: the tray window's index.html and the top-up window's topup.html. */
const PROD_PAGES: SenderPages = { tray: PROD, topup: { kind: 'app', url: TOPUP_URL } }
const DEV: RendererTarget = { kind: 'url', url: 'http://localhost:5173/' }
const DEV_PAGES: SenderPages = {
  tray: DEV,
  topup: { kind: 'url', url: 'http://localhost:5173/topup.html' }
}
type SenderPages = Parameters<typeof createSenderCheck>[0]
const ADMIN_KEY = 'sk-admin-' + 'Zx9'.repeat(40)

function sampleStatus(tag: string): Status {
  return { currency: 'usd', balance: null, level: 'unknown', lastUpdated: tag } as unknown as Status
}

function fakeEngine() {
  return {
    getStatus: vi.fn(() => sampleStatus('get')),
    refresh: vi.fn(async () => sampleStatus('refresh')),
    recordBalance: vi.fn(async (amount: number) => ({
      ...sampleStatus('balance'),
      balance: amount
    })),
    recordTopUp: vi.fn(async (_amount: number) => sampleStatus('topup')),
    getSettings: vi.fn(() => DEFAULT_SETTINGS),
    updateSettings: vi.fn(async (patch: object) => ({ ...DEFAULT_SETTINGS, ...patch })),
    getKeyInfo: vi.fn(async () => ({
      present: false,
      masked: null,
      type: null,
      storage: null,
      warning: null
    })),
    setKey: vi.fn(async (_key: string) => ({
      ok: true as const,
      info: {
        present: true,
        masked: 'sk-admin-…',
        type: 'admin' as const,
        storage: 'keychain' as const,
        warning: null
      }
    })),
    clearKey: vi.fn(async () => ({
      present: false,
      masked: null,
      type: null,
      storage: null,
      warning: null
    })),
    onStatus: vi.fn(() => () => undefined),
    onAlert: vi.fn(() => () => undefined),
    setOrgLimit: vi.fn(async (_amount: number) => sampleStatus('limit')),
    addOrgAlert: vi.fn(async (_amount: number, _recipients: string[]) => sampleStatus('alert')),
    start: vi.fn(),
    stop: vi.fn(),
    pause: vi.fn(),
    resume: vi.fn()
  } satisfies CreditEngine
}

type Engine = ReturnType<typeof fakeEngine>

function setup(pages: SenderPages = PROD_PAGES) {
  const engine: Engine = fakeEngine()
  const logs: string[] = []
  const opened: ExternalPage[] = []
  const calls = { topUp: 0, hide: 0, close: 0 }
  const closedBy: unknown[] = []
  const dispose = registerIpcHandlers({
    ipcMain,
    engine,
    senderPage: createSenderCheck(pages),
    openExternalPage: async (page) => void opened.push(page),
    openTopUp: () => void calls.topUp++,
    hideWindow: () => void calls.hide++,
    closeWindow: (event) => {
      calls.close++
      closedBy.push(event.sender)
    },
    log: (message) => void logs.push(message)
  })
  const appEvent = fakeInvokeEvent(pages === DEV_PAGES ? 'http://localhost:5173/' : APP_URL)
  const invoke = (channel: string, ...args: unknown[]) => ipcMain.invoke(channel, appEvent, ...args)
  const engineCalls = () => Object.values(engine).reduce((n, fn) => n + fn.mock.calls.length, 0)
  return { engine, logs, opened, calls, closedBy, appEvent, dispose, invoke, engineCalls }
}

beforeEach(() => {
  resetElectronWebFake()
})

describe('registration', () => {
  it('registers exactly one handler per invoke channel and the disposer removes them all', () => {
    const { dispose } = setup()
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
    dispose()
    expect(ipcMain.handlers.size).toBe(0)
  })

  it('registering twice fails loudly and leaves the first set intact', () => {
    setup()
    expect(() => setup()).toThrow(/second handler/)
    expect(ipcMain.handlers.size).toBe(INVOKE_CHANNELS.length)
  })
})

describe('trusted calls reach the engine with the validated payload', () => {
  it('status, refresh and key info', async () => {
    const { invoke, engine } = setup()
    await expect(invoke('status:get')).resolves.toMatchObject({ lastUpdated: 'get' })
    await expect(invoke('status:refresh')).resolves.toMatchObject({ lastUpdated: 'refresh' })
    await expect(invoke('key:info')).resolves.toMatchObject({ present: false })
    expect(engine.refresh).toHaveBeenCalledTimes(1)
    // The user asked: the spend limits are read too, whatever their age.
    expect(engine.refresh).toHaveBeenCalledWith({ manual: true })
  })

  it('limit writes reach the engine once each, with the confirmed amounts', async () => {
    const { invoke, engine } = setup()
    await expect(invoke('limits:set', { amount: 250 })).resolves.toMatchObject({
      lastUpdated: 'limit'
    })
    await invoke('limits:alert-add', { amount: 150, recipients: ['ops@example.com'] })
    expect(engine.setOrgLimit.mock.calls).toEqual([[250]])
    expect(engine.addOrgAlert.mock.calls).toEqual([[150, ['ops@example.com']]])
  })

  it('key:set and key:clear', async () => {
    const { invoke, engine } = setup()
    await expect(invoke('key:set', { key: ADMIN_KEY })).resolves.toMatchObject({ ok: true })
    expect(engine.setKey).toHaveBeenCalledWith(ADMIN_KEY)
    await invoke('key:clear')
    expect(engine.clearKey).toHaveBeenCalledTimes(1)
  })

  it('balances (zero allowed) and top-ups', async () => {
    const { invoke, engine } = setup()
    await expect(invoke('ledger:balance', { amount: 0 })).resolves.toMatchObject({ balance: 0 })
    await invoke('ledger:balance', { amount: 41.37 })
    await invoke('ledger:topup', { amount: 20 })
    expect(engine.recordBalance.mock.calls).toEqual([[0], [41.37]])
    expect(engine.recordTopUp.mock.calls).toEqual([[20]])
  })

  it('settings get and a partial, strict patch', async () => {
    const { invoke, engine } = setup()
    await expect(invoke('settings:get')).resolves.toEqual(DEFAULT_SETTINGS)
    const patch = {
      pollIntervalMinutes: 30,
      notificationsEnabled: false,
      thresholds: { lowBalance: 25, lowDays: 10, criticalBalance: 5, criticalDays: 3 }
    }
    await expect(invoke('settings:set', patch)).resolves.toMatchObject(patch)
    expect(engine.updateSettings).toHaveBeenCalledWith(patch)
  })

  it('external pages and window actions go to their callbacks', async () => {
    const { invoke, opened, calls, closedBy, appEvent } = setup()
    await invoke('external:open', { page: 'billing' })
    await invoke('window:topup')
    await invoke('window:hide')
    await invoke('window:hide', undefined)
    await invoke('window:close')
    expect(opened).toEqual(['billing'])
    expect(calls).toEqual({ topUp: 1, hide: 2, close: 1 })
    // window:close is told who asked, so main closes the calling window and no other.
    expect(closedBy).toEqual([appEvent.sender])
  })

  it('the dev server origin is trusted in development', async () => {
    const { engine } = setup(DEV_PAGES)
    await ipcMain.invoke('settings:get', fakeInvokeEvent('http://localhost:5173/#/settings'))
    expect(engine.getSettings).toHaveBeenCalledTimes(1)
  })
})

describe('untrusted senders are refused before anything runs', () => {
  const untrusted: [string, FakeInvokeEvent, SenderPages][] = [
    ['no sender frame (navigated or destroyed)', { senderFrame: null }, PROD_PAGES],
    ['a web page', fakeInvokeEvent('https://evil.example/'), PROD_PAGES],
    [
      'a local file',
      fakeInvokeEvent('file:///opt/credit-tray/out/renderer/index.html'),
      PROD_PAGES
    ],
    ['a sibling file of the pages', fakeInvokeEvent('credit-tray://app/x.html'), PROD_PAGES],
    ['a built asset', fakeInvokeEvent('credit-tray://app/assets/index.js'), PROD_PAGES],
    [
      'another host on the app scheme',
      fakeInvokeEvent('credit-tray://evil/index.html'),
      PROD_PAGES
    ],
    ['the app path on https', fakeInvokeEvent('https://app/index.html'), PROD_PAGES],
    [
      'a subframe of the app',
      fakeInvokeEvent(APP_URL, { parent: { url: APP_URL, parent: null } }),
      PROD_PAGES
    ],
    ['another port in dev', fakeInvokeEvent('http://localhost:5174/'), DEV_PAGES],
    [
      'another path on the dev server',
      fakeInvokeEvent('http://localhost:5173/evil.html'),
      DEV_PAGES
    ],
    ['the dev origin in production', fakeInvokeEvent('http://localhost:5173/'), PROD_PAGES],
    ['the app scheme in development', fakeInvokeEvent(APP_URL), DEV_PAGES],
    ['about:blank', fakeInvokeEvent('about:blank'), PROD_PAGES]
  ]

  it.each(untrusted)('%s', async (_name, event, pages) => {
    const { engineCalls, logs } = setup(pages)
    for (const channel of INVOKE_CHANNELS) {
      await expect(ipcMain.invoke(channel, event)).rejects.toThrow(REFUSED_MESSAGE)
    }
    expect(engineCalls()).toBe(0)
    expect(logs).toHaveLength(INVOKE_CHANNELS.length)
    expect(logs[0]).toMatch(/untrusted sender/)
  })

  it('logs who was refused without paths or queries', async () => {
    const { logs } = setup()
    const senders: FakeInvokeEvent[] = [
      { senderFrame: null },
      fakeInvokeEvent('file:///home/me/evil.html'),
      fakeInvokeEvent('https://evil.example/page?token=abc'),
      fakeInvokeEvent('not a url')
    ]
    for (const event of senders) {
      await ipcMain.invoke('status:get', event).catch(() => undefined)
    }
    expect(logs).toEqual([
      'IPC status:get: refused a call from an untrusted sender (no frame).',
      'IPC status:get: refused a call from an untrusted sender (a local file).',
      'IPC status:get: refused a call from an untrusted sender (https://evil.example).',
      'IPC status:get: refused a call from an untrusted sender (unparseable URL).'
    ])
  })

  it('a sender check that throws counts as untrusted', async () => {
    const engine = fakeEngine()
    registerIpcHandlers({
      ipcMain,
      engine,
      senderPage: () => {
        throw new Error('boom')
      },
      openExternalPage: async () => undefined,
      openTopUp: () => undefined,
      hideWindow: () => undefined,
      closeWindow: () => undefined,
      log: () => undefined
    })
    await expect(ipcMain.invoke('status:get', fakeInvokeEvent(APP_URL))).rejects.toThrow(
      REFUSED_MESSAGE
    )
    expect(engine.getStatus).not.toHaveBeenCalled()
  })
})

describe('invalid payloads are refused and never reach the engine', () => {
  const invalid: [string, string, unknown[]][] = [
    ['NaN top-up', 'ledger:topup', [{ amount: Number.NaN }]],
    ['infinite balance', 'ledger:balance', [{ amount: Number.POSITIVE_INFINITY }]],
    ['zero top-up', 'ledger:topup', [{ amount: 0 }]],
    ['negative balance', 'ledger:balance', [{ amount: -1 }]],
    ['absurd amount', 'ledger:balance', [{ amount: AMOUNT_LIMIT }]],
    ['amount as string', 'ledger:topup', [{ amount: '20' }]],
    ['extra field', 'ledger:topup', [{ amount: 20, note: 'x' }]],
    ['bare number', 'ledger:topup', [20]],
    ['two arguments', 'ledger:topup', [{ amount: 20 }, { amount: 30 }]],
    ['no payload', 'ledger:balance', []],
    ['empty key', 'key:set', [{ key: '' }]],
    ['huge key', 'key:set', [{ key: 'sk-admin-' + 'a'.repeat(KEY_MAX_LENGTH) }]],
    ['key as number', 'key:set', [{ key: 12345 }]],
    ['key with extra field', 'key:set', [{ key: 'sk-admin-abc', store: 'plain' }]],
    ['unknown setting', 'settings:set', [{ devMode: true }]],
    ['poll interval below 5', 'settings:set', [{ pollIntervalMinutes: 4 }]],
    ['poll interval above 1440', 'settings:set', [{ pollIntervalMinutes: 1441 }]],
    ['fractional poll interval', 'settings:set', [{ pollIntervalMinutes: 15.5 }]],
    [
      'negative threshold',
      'settings:set',
      [{ thresholds: { lowBalance: -1, lowDays: 7, criticalBalance: 5, criticalDays: 2 } }]
    ],
    ['incomplete thresholds', 'settings:set', [{ thresholds: { lowBalance: 10 } }]],
    [
      'extra threshold',
      'settings:set',
      [{ thresholds: { lowBalance: 10, lowDays: 7, criticalBalance: 5, criticalDays: 2, x: 1 } }]
    ],
    ['boolean as string', 'settings:set', [{ launchAtLogin: 'true' }]],
    ['explicit undefined setting', 'settings:set', [{ launchAtLogin: undefined }]],
    ['settings as array', 'settings:set', [[]]],
    ['prototype pollution', 'settings:set', [JSON.parse('{"__proto__": {"polluted": true}}')]],
    ['unknown page', 'external:open', [{ page: 'evil' }]],
    ['URL instead of page id', 'external:open', [{ page: 'https://platform.openai.com/usage' }]],
    ['inherited property as page', 'external:open', [{ page: 'toString' }]],
    ['payload on a no-payload channel', 'status:refresh', [{}]],
    ['payload on window:hide', 'window:hide', [{ force: true }]],
    ['payload on window:close', 'window:close', [{ window: 'tray' }]],
    ['zero spend limit', 'limits:set', [{ amount: 0 }]],
    ['spend limit as string', 'limits:set', [{ amount: '250' }]],
    ['alert without recipients', 'limits:alert-add', [{ amount: 150, recipients: [] }]],
    ['alert to a non-address', 'limits:alert-add', [{ amount: 150, recipients: ['ops'] }]],
    [
      'alert with an extra field',
      'limits:alert-add',
      [{ amount: 150, recipients: ['ops@example.com'], subject_prefix: 'x' }]
    ]
  ]

  it.each(invalid)('%s', async (_name, channel, args) => {
    const { invoke, engineCalls, opened, calls, logs } = setup()
    await expect(invoke(channel, ...args)).rejects.toThrow(REFUSED_MESSAGE)
    expect(engineCalls()).toBe(0)
    expect(opened).toEqual([])
    expect(calls).toEqual({ topUp: 0, hide: 0, close: 0 })
    expect(logs.join('\n')).toMatch(new RegExp(`IPC ${channel}: refused an invalid payload`))
  })

  it('logs each problem by field path and rule, joined', async () => {
    const { invoke, logs } = setup()
    await invoke('ledger:topup', { amount: 20 }, { amount: 30 }).catch(() => undefined)
    await invoke('ledger:topup', 'x').catch(() => undefined)
    await invoke('settings:set', { thresholds: { lowBalance: 'x', lowDays: 'y' } }).catch(
      () => undefined
    )
    expect(logs[0]).toBe(
      'IPC ledger:topup: refused an invalid payload (expected at most 1 argument, got 2).'
    )
    expect(logs[1]).toBe('IPC ledger:topup: refused an invalid payload ((payload): invalid_type).')
    expect(logs[2]).toMatch(
      /^IPC settings:set: refused an invalid payload \(thresholds\.lowBalance: [a-z_]+; thresholds\.lowDays: [a-z_]+/
    )
  })

  it('a refused key:set logs field names only, never the key', async () => {
    const { invoke, logs } = setup()
    const tooLong = ADMIN_KEY + 'q'.repeat(KEY_MAX_LENGTH)
    await expect(invoke('key:set', { key: tooLong, extra: ADMIN_KEY })).rejects.toThrow(
      REFUSED_MESSAGE
    )
    const logged = logs.join('\n')
    expect(logged).toMatch(/key: too_big/)
    expect(logged).not.toContain('Zx9Zx9')
  })
})

describe('errors from the engine', () => {
  it('InputError messages pass through: they are written for the person', async () => {
    const { invoke, engine } = setup()
    engine.recordTopUp.mockRejectedValue(new InputError('A top-up must be more than $0.'))
    await expect(invoke('ledger:topup', { amount: 1 })).rejects.toThrow(
      'A top-up must be more than $0.'
    )
  })

  it('CreditTrayError messages pass through too (e.g. the keychain did not answer)', async () => {
    const { invoke, engine } = setup()
    engine.clearKey.mockRejectedValue(
      new CreditTrayError('keychain', 'The system keychain did not answer.')
    )
    await expect(invoke('key:clear')).rejects.toThrow('The system keychain did not answer.')
  })

  it('redacts the pasted key from messages even when it does not look like an OpenAI key', async () => {
    const { invoke, engine } = setup()
    const pasted = 'my-secret-token-0123456789'
    engine.setKey.mockRejectedValue(new InputError(`"${pasted}" is not an Admin key.`))
    const error = (await invoke('key:set', { key: pasted }).catch((e: unknown) => e)) as Error
    expect(error.message).toBe('"[redacted]" is not an Admin key.')
  })

  it('logs to console.warn when no log is given', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      registerIpcHandlers({
        ipcMain,
        engine: fakeEngine(),
        senderPage: createSenderCheck(PROD_PAGES),
        openExternalPage: async () => undefined,
        openTopUp: () => undefined,
        hideWindow: () => undefined,
        closeWindow: () => undefined
      })
      await ipcMain.invoke('status:get', fakeInvokeEvent('https://evil.example/')).catch(() => 0)
      expect(warn).toHaveBeenCalledWith(
        'IPC status:get: refused a call from an untrusted sender (https://evil.example).'
      )
    } finally {
      warn.mockRestore()
    }
  })

  it('logs what a non-Error throw was', async () => {
    const { invoke, engine, logs } = setup()
    engine.getStatus.mockImplementation(() => {
      throw 'plain string'
    })
    await expect(invoke('status:get')).rejects.toThrow(FAILED_MESSAGE)
    expect(logs).toEqual(['IPC status:get: failed: plain string'])
  })

  it('anything else becomes a generic message, and the key never reaches the renderer or the log', async () => {
    const { invoke, engine, logs } = setup()
    engine.setKey.mockRejectedValue(new TypeError(`cannot read property of ${ADMIN_KEY}`))
    const error = await invoke('key:set', { key: ADMIN_KEY }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe(FAILED_MESSAGE)
    expect(logs.join('\n')).toMatch(/IPC key:set: failed: TypeError/)
    expect(logs.join('\n')).not.toContain(ADMIN_KEY)
  })

  it('an InputError that echoes the key is redacted before it crosses', async () => {
    const { invoke, engine } = setup()
    engine.setKey.mockRejectedValue(new InputError(`"${ADMIN_KEY}" is not an Admin key.`))
    const error = (await invoke('key:set', { key: ADMIN_KEY }).catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/is not an Admin key/)
    expect(error.message).not.toContain(ADMIN_KEY)
  })
})

describe('createSenderCheck', () => {
  it('no frame, or a frame without a parent field, is judged without throwing', () => {
    const check = createSenderCheck(PROD_PAGES)
    expect(check({ senderFrame: null })).toBeNull()
    expect(check({ senderFrame: undefined })).toBeNull()
    expect(check({ senderFrame: { url: APP_URL } })).toBe('tray')
  })

  it('names the page: the built index.html is the tray, with a fragment or query', () => {
    const check = createSenderCheck(PROD_PAGES)
    expect(check(fakeInvokeEvent(APP_URL))).toBe('tray')
    expect(check(fakeInvokeEvent(APP_URL + '#settings'))).toBe('tray')
    expect(check(fakeInvokeEvent(APP_URL + '?view=onboarding'))).toBe('tray')
    expect(check(fakeInvokeEvent(TOPUP_URL))).toBe('topup')
    expect(check(fakeInvokeEvent(TOPUP_URL + '#step-3'))).toBe('topup')
    expect(check(fakeInvokeEvent('not a url'))).toBeNull()
  })

  it('trusts index.html and topup.html on the app scheme — and no other URL', () => {
    const check = createSenderCheck(PROD_PAGES)
    const refused = [
      'credit-tray://app/x.html',
      'credit-tray://app/topup.htm',
      'credit-tray://app/assets/topup.html',
      'credit-tray://app/',
      'credit-tray://app/index.html/',
      'credit-tray://app/%69ndex.html',
      'credit-tray://other/index.html',
      'credit-tray://app:8080/index.html',
      'other-scheme://app/index.html',
      'file:///tmp/evil/topup.html',
      'https://app/topup.html',
      'https://evil.example/topup.html'
    ]
    for (const url of refused) expect(check(fakeInvokeEvent(url)), url).toBeNull()
    // A topup.html inside a frame is refused like any subframe.
    expect(check(fakeInvokeEvent(TOPUP_URL, { parent: { url: APP_URL, parent: null } }))).toBeNull()
  })

  it('a check for one page does not trust the other', () => {
    expect(createSenderCheck({ tray: PROD })(fakeInvokeEvent(TOPUP_URL))).toBeNull()
    expect(createSenderCheck({ topup: PROD_PAGES.topup! })(fakeInvokeEvent(APP_URL))).toBeNull()
  })

  it('tells the two dev-server pages apart (they share an origin)', () => {
    const check = createSenderCheck(DEV_PAGES)
    expect(check(fakeInvokeEvent('http://localhost:5173/'))).toBe('tray')
    expect(check(fakeInvokeEvent('http://localhost:5173/topup.html'))).toBe('topup')
    expect(check(fakeInvokeEvent('http://localhost:5173/other.html'))).toBeNull()
  })
})

describe('each page gets only its own channels', () => {
  // A valid payload for every channel, so only the page decides whether a call gets through.
  const payloads: Record<string, unknown[]> = {
    'key:set': [{ key: ADMIN_KEY }],
    'ledger:balance': [{ amount: 10 }],
    'ledger:topup': [{ amount: 10 }],
    'settings:set': [{ notificationsEnabled: false }],
    'external:open': [{ page: 'billing' }],
    'accounts:switch': [{ name: 'default' }],
    'accounts:add': [{ name: 'Agency', projectIds: [] }],
    'accounts:remove': [{ name: 'Agency' }],
    'team:set': [
      { url: 'https://team.example.com', token: 'read-token-0123456789', account: null }
    ],
    'limits:set': [{ amount: 250 }],
    'limits:alert-add': [{ amount: 150, recipients: ['ops@example.com'] }]
  }

  it('the top-up page may read the status, record, open OpenAI pages and close itself: nothing else', () => {
    expect([...PAGE_CHANNELS.topup].sort()).toEqual(
      [
        'external:open',
        'ledger:balance',
        'ledger:topup',
        'status:get',
        'team:get',
        'window:close'
      ].sort()
    )
    expect(PAGE_CHANNELS.tray).toEqual(INVOKE_CHANNELS)
  })

  it('the top-up page is refused every channel outside its list, before anything runs', async () => {
    const { engineCalls, logs, opened, calls } = setup()
    const topUp = fakeInvokeEvent(TOPUP_URL)
    const outside = INVOKE_CHANNELS.filter(
      (c) => !(PAGE_CHANNELS.topup as readonly string[]).includes(c)
    )
    expect(outside).toHaveLength(INVOKE_CHANNELS.length - PAGE_CHANNELS.topup.length)
    for (const channel of outside) {
      await expect(
        ipcMain.invoke(channel, topUp, ...(payloads[channel] ?? [])),
        channel
      ).rejects.toThrow(REFUSED_MESSAGE)
    }
    expect(engineCalls()).toBe(0)
    expect(opened).toEqual([])
    expect(calls).toEqual({ topUp: 0, hide: 0, close: 0 })
    expect(logs).toEqual(
      outside.map((c) => `IPC ${c}: refused: the topup page may not use this channel.`)
    )
  })

  it('the top-up page reaches the engine on each of its own channels', async () => {
    const { engine, opened, calls } = setup()
    const topUp = fakeInvokeEvent(TOPUP_URL)
    await ipcMain.invoke('status:get', topUp)
    await ipcMain.invoke('ledger:topup', topUp, { amount: 25 })
    await ipcMain.invoke('ledger:balance', topUp, { amount: 40 })
    await ipcMain.invoke('external:open', topUp, { page: 'billing' })
    await ipcMain.invoke('window:close', topUp)
    expect(engine.getStatus).toHaveBeenCalledTimes(1)
    expect(engine.recordTopUp).toHaveBeenCalledWith(25)
    expect(engine.recordBalance).toHaveBeenCalledWith(40)
    expect(opened).toEqual(['billing'])
    expect(calls.close).toBe(1)
  })

  it('the tray page may use every channel', async () => {
    const { logs } = setup()
    const tray = fakeInvokeEvent(APP_URL)
    for (const channel of INVOKE_CHANNELS) {
      await ipcMain.invoke(channel, tray, ...(payloads[channel] ?? [])).catch(() => undefined)
    }
    expect(logs.filter((l) => /refused/.test(l))).toEqual([])
  })
})

describe('accounts and the disposer', () => {
  it('account calls reach the account hub, and are refused where there is none', async () => {
    const { invoke } = setup()
    await expect(invoke('accounts:get')).rejects.toThrow(
      'Accounts are not available in this window.'
    )
    resetElectronWebFake()
    const calls: unknown[][] = []
    const state = { active: 'default', accounts: [] }
    registerIpcHandlers({
      ipcMain,
      engine: fakeEngine(),
      senderPage: createSenderCheck(PROD_PAGES),
      openExternalPage: async () => undefined,
      openTopUp: () => undefined,
      hideWindow: () => undefined,
      closeWindow: () => undefined,
      accounts: {
        state: () => (calls.push(['state']), state),
        switchTo: (name) => (calls.push(['switch', name]), Promise.resolve(state)),
        add: (name, ids) => (calls.push(['add', name, ids]), Promise.resolve(state)),
        remove: (name) => (calls.push(['remove', name]), Promise.resolve(state))
      },
      log: () => undefined
    })
    const tray = fakeInvokeEvent(APP_URL)
    await expect(ipcMain.invoke('accounts:get', tray)).resolves.toBe(state)
    await ipcMain.invoke('accounts:switch', tray, { name: 'Shop' })
    await ipcMain.invoke('accounts:add', tray, { name: 'Shop', projectIds: ['proj_a'] })
    await ipcMain.invoke('accounts:remove', tray, { name: 'Shop' })
    expect(calls).toEqual([
      ['state'],
      ['switch', 'Shop'],
      ['add', 'Shop', ['proj_a']],
      ['remove', 'Shop']
    ])
  })

  it('the disposer removes exactly the registered channels, once', () => {
    const removed: string[] = []
    const original = ipcMain.removeHandler.bind(ipcMain)
    ipcMain.removeHandler = (channel: string) => {
      removed.push(channel)
      original(channel)
    }
    try {
      const { dispose } = setup()
      dispose()
      dispose()
      expect(removed).toEqual([...INVOKE_CHANNELS])
    } finally {
      ipcMain.removeHandler = original
    }
  })
})

describe('sendToRenderer', () => {
  it('sends the typed payload, and does nothing once the window is gone', () => {
    const win = new BrowserWindow({ show: false })
    expect(sendToRenderer(win, 'view:show', { view: 'settings' })).toBe(true)
    expect(win.webContents.sent).toEqual([{ channel: 'view:show', args: [{ view: 'settings' }] }])
    win.destroy()
    expect(sendToRenderer(win, 'status:changed', sampleStatus('x'))).toBe(false)
    expect(sendToRenderer(null, 'status:changed', sampleStatus('x'))).toBe(false)
    expect(win.webContents.sent).toHaveLength(1)
  })
})

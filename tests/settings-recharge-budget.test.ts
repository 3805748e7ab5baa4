// Settings for auto-recharge and the monthly budget: defaults, older files, the engine's checks
// (messages for a person) and the IPC layer's strict shape checks, plus the export:csv channel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSenderCheck, registerIpcHandlers } from '../src/main/electron/ipc'
import { validatePayload } from '../src/main/electron/ipc-validate'
import type { CreditEngine } from '../src/main/engine/engine-api'
import { createEngine } from '../src/main/engine/engine'
import { InputError } from '../src/main/engine/errors'
import { createMemoryStore } from '../src/main/engine/secrets'
import { applySettingsPatch, storedSettingsSchema } from '../src/main/engine/settings-store'
import { API_CHANNELS, INVOKE_CHANNELS } from '../src/shared/ipc'
import { DEFAULT_AUTO_RECHARGE, DEFAULT_SETTINGS } from '../src/shared/settings'
import { fakeInvokeEvent, ipcMain, resetElectronWebFake } from './fakes/electron-web'

const ON = { enabled: true, threshold: 10, reloadTo: 50, monthlyLimit: 200 }

describe('auto-recharge and budget settings', () => {
  it('are off by default', () => {
    expect(DEFAULT_SETTINGS.autoRecharge.enabled).toBe(false)
    expect(DEFAULT_SETTINGS.monthlyBudget).toBeNull()
  })

  it('older settings files without them still load, with the defaults filled in', () => {
    const old = {
      thresholds: { lowBalance: 20, lowDays: 7, criticalBalance: 5, criticalDays: 2 },
      pollIntervalMinutes: 30,
      notificationsEnabled: true,
      launchAtLogin: false,
      showAmountInMenuBar: true
    }
    const loaded = storedSettingsSchema.parse(old)
    expect(loaded.autoRecharge).toEqual(DEFAULT_AUTO_RECHARGE)
    expect(loaded.monthlyBudget).toBeNull()
    expect(loaded.pollIntervalMinutes).toBe(30)
  })

  it('a partly written auto-recharge section is completed from the defaults', () => {
    const loaded = storedSettingsSchema.parse({ autoRecharge: { enabled: true } })
    expect(loaded.autoRecharge).toEqual({ ...DEFAULT_AUTO_RECHARGE, enabled: true })
  })

  it('accept a sensible auto-recharge and budget', () => {
    const next = applySettingsPatch(DEFAULT_SETTINGS, { autoRecharge: ON, monthlyBudget: 250 })
    expect(next.autoRecharge).toEqual(ON)
    expect(next.monthlyBudget).toBe(250)
    // No limit and no budget are allowed too.
    const open = applySettingsPatch(next, {
      autoRecharge: { ...ON, monthlyLimit: null },
      monthlyBudget: null
    })
    expect(open.autoRecharge.monthlyLimit).toBeNull()
    expect(open.monthlyBudget).toBeNull()
  })

  const refusals: [string, Parameters<typeof applySettingsPatch>[1], RegExp][] = [
    [
      'a reload-to amount not above the threshold',
      { autoRecharge: { ...ON, reloadTo: 10 } },
      /The reload-to amount \(\$10\.00\) must be more than the threshold \(\$10\.00\)/
    ],
    [
      'a monthly limit smaller than one reload',
      { autoRecharge: { ...ON, monthlyLimit: 30 } },
      /monthly reload limit \(\$30\.00\) must allow at least one reload of \$40\.00/
    ],
    [
      'a negative threshold',
      { autoRecharge: { ...ON, threshold: -1 } },
      /The auto-recharge threshold must be a number of dollars/
    ],
    [
      'a negative limit',
      { autoRecharge: { ...ON, monthlyLimit: -5 } },
      /The monthly reload limit must be a number of dollars .* or empty for no limit/
    ],
    ['a zero budget', { monthlyBudget: 0 }, /monthly budget must be more than \$0/],
    ['a huge budget', { monthlyBudget: 5_000_000 }, /at most \$1,000,000/]
  ]

  it.each(refusals)('refuse %s with a message for a person', (_name, patch, message) => {
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, patch)).toThrow(InputError)
    expect(() => applySettingsPatch(DEFAULT_SETTINGS, patch)).toThrow(message)
  })

  it('the engine stores them, and a refused change leaves the file as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-settings-'))
    try {
      const make = () =>
        createEngine({ dataDir: dir, secretStore: createMemoryStore(), now: () => new Date() })
      const engine = make()
      await engine.updateSettings({ autoRecharge: ON, monthlyBudget: 120 })
      await expect(engine.updateSettings({ autoRecharge: { ...ON, reloadTo: 5 } })).rejects.toThrow(
        InputError
      )
      const reloaded = make().getSettings()
      expect(reloaded.autoRecharge).toEqual(ON)
      expect(reloaded.monthlyBudget).toBe(120)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an old settings file on disk loads in the engine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-settings-'))
    try {
      writeFileSync(
        join(dir, 'settings.json'),
        JSON.stringify({
          schemaVersion: 1,
          data: { ...DEFAULT_SETTINGS, autoRecharge: undefined, monthlyBudget: undefined }
        })
      )
      const engine = createEngine({
        dataDir: dir,
        secretStore: createMemoryStore(),
        now: () => new Date()
      })
      expect(engine.getSettings().autoRecharge).toEqual(DEFAULT_AUTO_RECHARGE)
      expect(engine.problems()).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('IPC: the new settings fields are checked strictly', () => {
  it('accepts a whole auto-recharge object and a budget or null', () => {
    expect(validatePayload('settings:set', [{ autoRecharge: ON }]).ok).toBe(true)
    expect(validatePayload('settings:set', [{ monthlyBudget: 99.5 }]).ok).toBe(true)
    expect(validatePayload('settings:set', [{ monthlyBudget: null }]).ok).toBe(true)
  })

  const bad: [string, unknown][] = [
    ['a partial auto-recharge', { autoRecharge: { enabled: true } }],
    ['an extra field in auto-recharge', { autoRecharge: { ...ON, card: '4242' } }],
    ['a NaN threshold', { autoRecharge: { ...ON, threshold: Number.NaN } }],
    ['an absurd reload-to', { autoRecharge: { ...ON, reloadTo: 1e12 } }],
    ['enabled as a string', { autoRecharge: { ...ON, enabled: 'yes' } }],
    ['a negative budget', { monthlyBudget: -1 }],
    ['a zero budget', { monthlyBudget: 0 }],
    ['a budget as text', { monthlyBudget: '100' }],
    ['an explicit undefined budget', { monthlyBudget: undefined }]
  ]
  it.each(bad)('refuses %s', (_name, patch) => {
    expect(validatePayload('settings:set', [patch]).ok).toBe(false)
  })

  it('export:csv takes no payload', () => {
    expect(validatePayload('export:csv', []).ok).toBe(true)
    expect(validatePayload('export:csv', [{ path: '/etc/passwd' }]).ok).toBe(false)
  })
})

describe('IPC: export:csv', () => {
  const APP_URL = 'credit-tray://app/index.html'
  const target = { kind: 'app' as const, url: APP_URL }
  beforeEach(() => resetElectronWebFake())

  function register(exportCsv?: () => Promise<{ saved: boolean; path?: string }>) {
    const log: string[] = []
    registerIpcHandlers({
      ipcMain,
      engine: {} as CreditEngine,
      senderPage: createSenderCheck({ tray: target }),
      openExternalPage: async () => undefined,
      openTopUp: () => undefined,
      hideWindow: () => undefined,
      closeWindow: () => undefined,
      ...(exportCsv ? { exportCsv } : {}),
      log: (m) => void log.push(m)
    })
    return log
  }

  it('is part of the contract, with its API method', () => {
    expect(INVOKE_CHANNELS).toContain('export:csv')
    expect(API_CHANNELS.exportCsv).toBe('export:csv')
  })

  it('runs the saver for the app window and returns where the file went', async () => {
    let runs = 0
    register(async () => {
      runs++
      return { saved: true, path: '/home/me/Downloads/openai-costs-2024-11-03.csv' }
    })
    await expect(ipcMain.invoke('export:csv', fakeInvokeEvent(APP_URL))).resolves.toEqual({
      saved: true,
      path: '/home/me/Downloads/openai-costs-2024-11-03.csv'
    })
    expect(runs).toBe(1)
  })

  it('refuses other senders and payloads before any dialog opens', async () => {
    let runs = 0
    register(async () => {
      runs++
      return { saved: false }
    })
    await expect(
      ipcMain.invoke('export:csv', fakeInvokeEvent('https://evil.example/'))
    ).rejects.toThrow(/refused/)
    await expect(
      ipcMain.invoke('export:csv', fakeInvokeEvent(APP_URL), { path: '/tmp/x' })
    ).rejects.toThrow(/refused/)
    expect(runs).toBe(0)
  })

  it('passes a write problem on in words', async () => {
    register(async () => {
      throw new InputError('Could not save costs.csv: the disk is full.')
    })
    await expect(ipcMain.invoke('export:csv', fakeInvokeEvent(APP_URL))).rejects.toThrow(
      'Could not save costs.csv: the disk is full.'
    )
  })

  it('says export is unavailable where no saver was wired', async () => {
    register()
    await expect(ipcMain.invoke('export:csv', fakeInvokeEvent(APP_URL))).rejects.toThrow(
      'Export is not available in this window.'
    )
  })
})

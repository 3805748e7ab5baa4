// "Export CSV" through the composed Electron shell (fake `electron`, real engine, loopback fake
// Admin API): the save dialog opens from the downloads folder, the file lands where the user chose.
import * as electron from 'electron'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApp, type AppShell, type ElectronDeps } from '../src/main/electron/app-shell'
import { addDays, utcDay } from '../src/main/engine/dates'
import { createMemoryStore } from '../src/main/engine/secrets'
import {
  app,
  dialog,
  fakeInvokeEvent,
  ipcMain,
  resetElectronShellFake,
  resetElectronWebFake
} from './fakes/electron'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ADMIN = 'sk-admin-EXPORTSHELLKEY0123456789ab'
const APP_URL = 'credit-tray://app/index.html'

let server: FakeOpenAIServer
let home: string
let shellApp: AppShell | null = null

beforeEach(async () => {
  resetElectronShellFake()
  resetElectronWebFake()
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN] })
  home = mkdtempSync(join(tmpdir(), 'ct-shell-export-'))
})
afterEach(async () => {
  await shellApp?.dispose()
  shellApp = null
  await server.close()
  rmSync(home, { recursive: true, force: true })
})

async function start(): Promise<AppShell> {
  const keychain = createMemoryStore()
  await keychain.set('default', ADMIN)
  app.setPath('downloads', join(home, 'Downloads'))
  shellApp = await startApp(electron as unknown as ElectronDeps, {
    platform: 'linux',
    env: { CREDIT_TRAY_HOME: join(home, 'data'), OPENAI_BASE_URL: server.baseURL },
    execPath: '/opt/Credit Tray/credit-tray',
    homeDir: home,
    mainDir: '/app/out/main',
    resourcesDir: join(__dirname, '..', 'resources'),
    keychain: () => keychain,
    log: () => {}
  })
  return shellApp!
}

describe('Export CSV in the app', () => {
  it('asks where to save, starting in Downloads, and writes the cached costs there', async () => {
    const yesterday = addDays(utcDay(Date.now()), -1)
    server.dataset.costs[yesterday] = [
      { line_item: 'gpt-4o, output', project_id: 'proj_a', value: 4.2 }
    ]
    const shell = await start()
    await shell.engine.refresh()
    const target = join(home, 'chosen.csv')
    dialog.savePath = target

    const result = await ipcMain.invoke('export:csv', fakeInvokeEvent(APP_URL))
    expect(result).toEqual({ saved: true, path: target })
    const csv = readFileSync(target, 'utf8')
    expect(csv.startsWith('date,kind,name,cost,currency\r\n')).toBe(true)
    expect(csv).toContain(`${yesterday},line_item,"gpt-4o, output",4.2,usd\r\n`)
    expect(dialog.saveDialogs).toHaveLength(1)
    expect(dialog.saveDialogs[0]).toMatchObject({
      defaultPath: expect.stringContaining(join(home, 'Downloads', 'openai-costs-'))
    })
  })

  it('writes nothing when the dialog is cancelled', async () => {
    await start()
    dialog.savePath = null
    await expect(ipcMain.invoke('export:csv', fakeInvokeEvent(APP_URL))).resolves.toEqual({
      saved: false
    })
    expect(existsSync(join(home, 'Downloads'))).toBe(false)
  })
})

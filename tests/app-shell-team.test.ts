// The tray in team mode, against the fake `electron` and a real read server (the HTTP server of
// `credit-tray serve`) on loopback: the desktop keeps only a read token, shows the server's
// figures, raises the same notifications, and refuses what only the server can do.
import * as electron from 'electron'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApp, type AppShell, type ElectronDeps } from '../src/main/electron/app-shell'
import { createMetrics } from '../src/main/engine/metrics'
import { createReadServer } from '../src/main/engine/read-server'
import { createMemoryStore, type SecretStore } from '../src/main/engine/secrets'
import { statusJsonText } from '../src/main/engine/status-json'
import { teamTokenEntry } from '../src/main/engine/team-engine'
import type { Status } from '../src/shared/status'
import {
  BrowserWindow,
  Notification,
  Tray,
  fakeInvokeEvent,
  ipcMain,
  resetElectronShellFake,
  resetElectronWebFake
} from './fakes/electron'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { makeStatus } from './support/fixtures'

const TOKEN = 'team-read-token-0123456789abcdef'
const APP_URL = 'credit-tray://app/index.html'
const trusted = () => fakeInvokeEvent(APP_URL)

let openai: FakeOpenAIServer
let home: string
let keychain: SecretStore
let shellApp: AppShell | null
let remote: Status
let teamServer: Server
let teamUrl: string
let teamRequests: number

beforeEach(async () => {
  resetElectronShellFake()
  resetElectronWebFake()
  openai = await startFakeOpenAIServer({ adminKeys: [] })
  home = mkdtempSync(join(tmpdir(), 'ct-team-'))
  keychain = createMemoryStore()
  shellApp = null
  remote = makeStatus({ balance: 64.3, daysLeft: 18.9, level: 'ok' })
  teamRequests = 0
  teamServer = createReadServer({
    token: TOKEN,
    source: {
      statusJson: (account) => {
        teamRequests++
        return account === null || account === 'Shop' ? statusJsonText(remote) : null
      },
      accountsJson: () => '[]\n',
      metrics: createMetrics({ statuses: () => [], defaultMetrics: false })
    }
  })
  await new Promise<void>((r) => teamServer.listen(0, '127.0.0.1', r))
  teamUrl = `http://127.0.0.1:${(teamServer.address() as AddressInfo).port}`
})
afterEach(async () => {
  await shellApp?.dispose()
  await openai.close()
  await new Promise((r) => {
    teamServer.close(r)
    teamServer.closeAllConnections()
  })
  rmSync(home, { recursive: true, force: true })
})

async function start() {
  shellApp = await startApp(electron as unknown as ElectronDeps, {
    platform: 'linux',
    env: {
      CREDIT_TRAY_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      OPENAI_BASE_URL: openai.baseURL
    },
    execPath: '/opt/Credit Tray/credit-tray',
    homeDir: home,
    mainDir: '/app/out/main',
    resourcesDir: join(__dirname, '..', 'resources'),
    keychain: () => keychain,
    log: () => {}
  })
  return shellApp!
}

const win = () => BrowserWindow.instances[0]!
const invoke = (channel: string, payload?: unknown) =>
  payload === undefined
    ? ipcMain.invoke(channel, trusted())
    : ipcMain.invoke(channel, trusted(), payload)
const lastPushed = () =>
  win()
    .webContents.sent.filter((m) => m.channel === 'status:changed')
    .at(-1)?.args[0] as Status | undefined

async function joinTeam(account: string | null = null) {
  return (await invoke('team:set', { url: teamUrl + '/', token: TOKEN, account })) as {
    ok: boolean
    info?: unknown
    error?: { kind: string; message: string }
  }
}

describe('team mode', () => {
  it('reads the server with a read token only and shows its figures', async () => {
    const shell = await start()
    expect(await invoke('team:get')).toBeNull()

    const result = await joinTeam()
    expect(result).toEqual({ ok: true, info: { url: teamUrl, account: null, tokenPresent: true } })
    expect(await keychain.get(teamTokenEntry('default'))).toBe(TOKEN)
    expect(await keychain.get('default')).toBeNull()

    const status = (await invoke('status:refresh')) as Status
    expect(status.balance).toBe(64.3)
    expect(status.level).toBe('ok')
    expect(status.error).toBeNull()
    expect(lastPushed()?.balance).toBe(64.3)
    expect(Tray.instances[0]!.toolTip).toContain('$64.30')
    expect(shell.engine.getStatus().daily).toHaveLength(30)

    // The server is the only one talking to OpenAI; the token never reaches the window.
    expect(openai.requestCount).toBe(0)
    expect(JSON.stringify(win().webContents.sent)).not.toContain(TOKEN)
    expect(JSON.stringify(await invoke('team:get'))).not.toContain(TOKEN)

    // Recording, the key and the export belong to the server.
    await expect(invoke('ledger:balance', { amount: 10 })).rejects.toThrow(/recorded on the server/)
    await expect(invoke('ledger:topup', { amount: 10 })).rejects.toThrow(/recorded on the server/)
    await expect(invoke('export:csv')).rejects.toThrow(/team server/)
    expect((await invoke('key:info')) as { present: boolean }).toMatchObject({ present: false })
  })

  it('refuses plain http beyond this computer and a rejected token, keeping nothing', async () => {
    await start()
    const http = (await invoke('team:set', {
      url: 'http://credit.example.com',
      token: TOKEN,
      account: null
    })) as { ok: boolean; error: { message: string } }
    expect(http.ok).toBe(false)
    expect(http.error.message).toMatch(/https:\/\//)
    const wrong = (await invoke('team:set', {
      url: teamUrl,
      token: 'not-the-token-0123456789',
      account: null
    })) as { ok: boolean; error: { kind: string; message: string } }
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'auth' } })
    expect(wrong.error.message).toMatch(/refused the read token/)
    const noAccount = (await joinTeam('Nope')) as { ok: boolean; error: { message: string } }
    expect(noAccount.error.message).toMatch(/no account named "Nope"/)
    expect(await invoke('team:get')).toBeNull()
    expect(await keychain.get(teamTokenEntry('default'))).toBeNull()
  })

  it('shows the server’s level and notifies once; an unreachable server keeps the last figures with an error', async () => {
    await start()
    expect((await joinTeam('Shop')).ok).toBe(true)
    remote = makeStatus({ balance: 3.1, daysLeft: 0.9, level: 'critical' })
    await invoke('status:refresh')
    await invoke('status:refresh')
    const shown = Notification.shownInstances()
    expect(shown).toHaveLength(1)
    expect(shown[0]!.options.title).toMatch(/critical/i)

    await new Promise((r) => {
      teamServer.close(r)
      teamServer.closeAllConnections()
    })
    const status = (await invoke('status:refresh')) as Status
    expect(status.error?.kind).toBe('network')
    expect(status.error?.message).toMatch(/Could not reach the team server at 127\.0\.0\.1/)
    expect(status.balance).toBe(3.1)
    expect(status.level).toBe('critical')
  })

  it('a restarted app reads from the server again without onboarding; leaving team mode forgets it', async () => {
    let shell = await start()
    expect((await joinTeam()).ok).toBe(true)
    await shell.dispose()
    resetElectronShellFake()
    resetElectronWebFake()
    const before = teamRequests
    shell = await start()
    expect(((await invoke('status:refresh')) as Status).balance).toBe(64.3)
    // The start-up check (key or team server?) has answered by now: no onboarding.
    expect(win().webContents.sent).not.toContainEqual({
      channel: 'view:show',
      args: [{ view: 'onboarding' }]
    })
    expect(teamRequests).toBeGreaterThan(before)

    expect(await invoke('team:clear')).toBeNull()
    expect(await invoke('team:get')).toBeNull()
    expect(await keychain.get(teamTokenEntry('default'))).toBeNull()
    const status = (await invoke('status:get')) as Status
    expect(status.balance).toBeNull()
  })
})

// The engine end to end in one process: real SDK -> loopback fake Admin API, real files in a temp
// folder, a memory secret store and a controlled clock.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { accountDataDir } from '../src/main/engine/accounts'
import type { EngineOptions } from '../src/main/engine/engine'
import type { Alert } from '../src/main/engine/engine-api'
import { withFileLock } from '../src/main/engine/file-lock'
import { createMemoryStore, type SecretStore } from '../src/main/engine/secrets'
import { CreditTrayError, InputError } from '../src/main/engine/errors'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { manualTimers } from './support/manual-timers'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
const PROJECT = 'sk-proj-PROJECTKEY0123456789abcdef'

let server: FakeOpenAIServer
let dir: string
let clock: Date

beforeEach(async () => {
  server = await startFakeOpenAIServer({
    adminKeys: [ADMIN],
    projectKeys: [PROJECT],
    nowMs: () => clock.getTime()
  })
  dir = mkdtempSync(join(tmpdir(), 'ct-engine-'))
  clock = new Date('2026-03-10T12:00:00Z')
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

function costs(day: string, ...values: number[]): void {
  server.dataset.costs[day] = values.map((value, i) => ({
    line_item: `item ${i}`,
    project_id: i % 2 ? 'proj_b' : 'proj_a',
    value
  }))
}

function engineWith(store?: SecretStore, extra: Partial<EngineOptions> = {}) {
  return testEngine({
    dir,
    server,
    now: () => clock,
    ...(store ? { secretStore: store } : { key: ADMIN }),
    ...extra
  })
}

describe('refreshing costs', () => {
  it('a cold start fetches 180 days (and model usage) in as few requests as the API allows', async () => {
    costs('2026-03-09', 2, 1)
    costs('2026-03-10', 0.5)
    const engine = await engineWith()
    const status = await engine.refresh()
    const costRequests = server.requests.filter((r) => r.path.endsWith('/organization/costs'))
    expect(costRequests).toHaveLength(1)
    expect(costRequests[0]!.query.limit).toEqual(['180'])
    // + completions usage by model; the spend limits and alerts (organization, and the two
    // projects with costs this month) are read on the first refresh too.
    const usage = server.requests.filter((r) => !/spend_(limit|alerts)$/.test(r.path))
    expect(usage).toHaveLength(2)
    expect(
      server.requests
        .map((r) => r.path)
        .filter((p) => /spend_/.test(p))
        .sort()
    ).toEqual([
      '/v1/organization/projects/proj_a/spend_alerts',
      '/v1/organization/projects/proj_a/spend_limit',
      '/v1/organization/projects/proj_b/spend_alerts',
      '/v1/organization/projects/proj_b/spend_limit',
      '/v1/organization/spend_alerts',
      '/v1/organization/spend_limit'
    ])
    expect(status.error).toBeNull()
    expect(status.spend.today).toBeCloseTo(0.5)
    expect(status.spend.last7Days).toBeCloseTo(3.5)
    expect(status.daily).toHaveLength(30)
    expect(status.daily.at(-1)).toEqual({ date: '2026-03-10', cost: 0.5 })
    expect(status.lastUpdated).toBe('2026-03-10T12:00:00.000Z')
    expect(status.stale).toBe(false)
    expect(status.topLineItems[0]).toEqual({ name: 'item 0', cost: 2.5 })
  })

  it('a steady-state poll asks only for the last few days, in one request', async () => {
    costs('2026-03-09', 2)
    const engine = await engineWith()
    await engine.refresh()
    server.resetRecords()
    clock = new Date('2026-03-10T12:15:00Z')
    await engine.refresh()
    expect(server.requestCount).toBe(1)
    const q = server.requests[0]!.query
    expect(q.start_time).toEqual([String(Date.parse('2026-03-08T00:00:00Z') / 1000)])
    expect(q.limit).toEqual(['3'])
  })

  it('keeps the last good data and reports the error in words when a refresh fails', async () => {
    costs('2026-03-09', 4)
    const engine = await engineWith()
    await engine.refresh()
    // A one-shot refresh retries twice: three failures in a row are reported.
    server.failNext(...Array.from({ length: 3 }, () => ({ type: 'status', status: 503 }) as const))
    clock = new Date('2026-03-10T12:15:00Z')
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('server')
    expect(status.spend.last7Days).toBeCloseTo(4)
    expect(status.lastUpdated).toBe('2026-03-10T12:00:00.000Z')
  })

  it('says plainly that no key is set up, without calling the API', async () => {
    const engine = await engineWith(createMemoryStore())
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('no_key')
    expect(status.error?.message).toContain('admin-keys')
    expect(server.requestCount).toBe(0)
  })

  it('goes stale when the last success is older than three poll intervals', async () => {
    const engine = await engineWith()
    await engine.refresh()
    clock = new Date(clock.getTime() + 3 * 15 * 60_000)
    expect(engine.getStatus().stale).toBe(false)
    clock = new Date(clock.getTime() + 60_000)
    expect(engine.getStatus().stale).toBe(true)
  })
})

describe('the balance estimate', () => {
  it('starts from the recorded balance and subtracts only spend after it', async () => {
    costs('2026-03-10', 1.25) // already spent today when the balance is read
    const engine = await engineWith()
    await engine.refresh()
    await engine.recordBalance(50)
    expect(engine.getStatus().balance).toBeCloseTo(50)

    costs('2026-03-10', 1.25, 0.75) // today's bucket grows by 0.75
    costs('2026-03-11', 2)
    clock = new Date('2026-03-11T09:00:00Z')
    const status = await engine.refresh()
    expect(status.balance).toBeCloseTo(50 - 0.75 - 2)
  })

  it('adds top-ups recorded after the balance', async () => {
    const engine = await engineWith()
    await engine.refresh()
    await engine.recordBalance(10)
    clock = new Date('2026-03-10T13:00:00Z')
    const status = await engine.recordTopUp(25)
    expect(status.balance).toBeCloseTo(35)
    expect(engine.getLedger().map((e) => e.type)).toEqual(['balance', 'topup'])
  })

  it('refuses nonsense amounts and changes nothing', async () => {
    const engine = await engineWith()
    await expect(engine.recordBalance(-3)).rejects.toThrow(InputError)
    await expect(engine.recordTopUp(0)).rejects.toThrow(InputError)
    await expect(engine.recordTopUp(Number.NaN)).rejects.toThrow(InputError)
    expect(engine.getLedger()).toEqual([])
    expect(readdirSync(dir)).not.toContain('ledger.json')
  })

  it('does not lose entries another process (the CLI) recorded meanwhile', async () => {
    const app = await engineWith()
    const cli = await engineWith()
    await app.recordBalance(20)
    await cli.recordTopUp(5)
    await app.recordTopUp(7)
    expect(app.getLedger().map((e) => e.amount)).toEqual([20, 5, 7])
  })
})

describe('settings', () => {
  it('validates thresholds as a whole and keeps the old settings on error', async () => {
    const engine = await engineWith()
    await expect(
      engine.updateSettings({
        thresholds: { ...engine.getSettings().thresholds, criticalBalance: 50 }
      })
    ).rejects.toThrow(/critical balance/)
    await expect(engine.updateSettings({ pollIntervalMinutes: 1 })).rejects.toThrow(/minutes/)
    const next = await engine.updateSettings({ pollIntervalMinutes: 30 })
    expect(next.pollIntervalMinutes).toBe(30)
    const reloaded = await engineWith()
    expect(reloaded.getSettings().pollIntervalMinutes).toBe(30)
  })

  it('a higher low threshold changes the level at once', async () => {
    const engine = await engineWith()
    await engine.refresh()
    await engine.recordBalance(15)
    expect(engine.getStatus().level).toBe('ok')
    await engine.updateSettings({
      thresholds: { lowBalance: 20, lowDays: 7, criticalBalance: 5, criticalDays: 2 }
    })
    expect(engine.getStatus().level).toBe('low')
  })
})

describe('the key', () => {
  it('refuses a project key with a message about Admin keys, without storing it', async () => {
    const store = createMemoryStore()
    const engine = await engineWith(store)
    const result = await engine.setKey(PROJECT)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('permission')
      expect(result.error.message).toContain(
        'https://platform.openai.com/settings/organization/admin-keys'
      )
      expect(result.error.message).not.toContain(PROJECT)
    }
    expect(await store.get('default')).toBeNull()
  })

  it('checks an Admin key live, then stores it and reports it masked', async () => {
    const store = createMemoryStore()
    const engine = await engineWith(store)
    const result = await engine.setKey(`  ${ADMIN}\n`)
    expect(result).toEqual({
      ok: true,
      info: {
        present: true,
        masked: 'sk-admin-…cdef',
        type: 'admin',
        storage: 'memory',
        warning: null,
        // The loopback fake server is not api.openai.com: the key info says where it goes.
        sentTo: new URL(server.baseURL).host
      }
    })
    expect(await store.get('default')).toBe(ADMIN)
    expect(server.requests[0]!.bearer).toBe(ADMIN)
  })

  it('does not store a revoked key', async () => {
    const store = createMemoryStore()
    const engine = await engineWith(store)
    const result = await engine.setKey('sk-admin-REVOKED0123456789abcdef')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.kind).toBe('auth')
    expect(await store.get('default')).toBeNull()
  })

  it('uses OPENAI_ADMIN_KEY without touching the secret store', async () => {
    const touched: string[] = []
    const spy: SecretStore = {
      kind: 'keychain',
      get: async () => (touched.push('get'), null),
      set: async () => void touched.push('set'),
      delete: async () => (touched.push('delete'), false)
    }
    const engine = await engineWith(spy, { envKey: ADMIN })
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect((await engine.checkKey()).ok).toBe(true)
    expect((await engine.getKeyInfo()).storage).toBe('env')
    expect(touched).toEqual([])
  })
})

describe('files on disk', () => {
  it('keeps a corrupt ledger aside, reports it, and never overwrites it with an empty one', async () => {
    writeFileSync(join(dir, 'ledger.json'), '{"schemaVersion":1,"data":{"entries":[{"broken"')
    const engine = await engineWith()
    const status = engine.getStatus()
    expect(status.notices.join(' ')).toMatch(/ledger/)
    const kept = readdirSync(dir).find((f) => f.startsWith('ledger.corrupt-'))
    expect(kept).toMatch(/^ledger\.corrupt-[\dT-]+Z\.json$/)
    expect(readFileSync(join(dir, kept!), 'utf8')).toContain('"broken"')
  })

  it.each([
    ['thresholds is not an object', { thresholds: 'high' }],
    ['thresholds is null', { thresholds: null }],
    ['autoRecharge is a number', { autoRecharge: 5 }],
    ['a threshold is a string', { thresholds: { lowBalance: '20' } }]
  ])(
    'a settings.json with a wrongly typed field (%s) is kept aside and noticed, not silently replaced',
    async (_what, data) => {
      writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, data }))
      const engine = await engineWith()
      expect(engine.getStatus().notices.join(' ')).toMatch(/settings\.json has unexpected contents/)
      const kept = readdirSync(dir).find((f) => f.startsWith('settings.corrupt-'))
      expect(kept).toBeDefined()
      expect(JSON.parse(readFileSync(join(dir, kept!), 'utf8')).data).toEqual(data)
    }
  )

  it('a settings.json missing newer fields is completed from the defaults, silently', async () => {
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({
        schemaVersion: 1,
        data: { pollIntervalMinutes: 30, thresholds: { lowBalance: 20 } }
      })
    )
    // The default API host, so no notice names another one.
    const engine = await engineWith(undefined, { baseURL: undefined })
    expect(engine.getSettings().pollIntervalMinutes).toBe(30)
    expect(engine.getSettings().thresholds.lowBalance).toBe(20)
    expect(engine.getSettings().thresholds.lowDays).toBe(7)
    expect(engine.getStatus().notices).toEqual([])
  })

  it('a data folder that cannot be written is a storage error (not bad_response) and changes nothing', async () => {
    const notAFolder = join(dir, 'home')
    writeFileSync(notAFolder, 'precious')
    costs('2026-03-10', 1)
    const engine = await engineWith(undefined, { dataDir: notAFolder, alerts: true })
    const err = await engine.recordTopUp(5).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CreditTrayError)
    expect((err as CreditTrayError).kind).toBe('storage')
    expect((err as Error).message).toMatch(
      /^Could not save ledger\.json in ".*home": a file stands where the data folder should be\. Nothing was changed\.$/
    )
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('storage')
    expect(status.error?.message).toMatch(/^Could not save costs-cache\.json/)
    expect(readFileSync(notAFolder, 'utf8')).toBe('precious')
  })

  it('never writes the key into any data file', async () => {
    const engine = await engineWith()
    await engine.refresh()
    await engine.recordBalance(12)
    await engine.updateSettings({ notificationsEnabled: false })
    for (const f of readdirSync(dir))
      expect(readFileSync(join(dir, f), 'utf8')).not.toContain('TESTKEY')
  })
})

describe('alerts', () => {
  it('raise one notification when credit turns low, and not again on the next poll', async () => {
    costs('2026-03-09', 3)
    const engine = await engineWith(undefined, { alerts: true })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    await engine.recordBalance(9)
    clock = new Date('2026-03-10T12:15:00Z')
    await engine.refresh()
    expect(alerts.map((a) => a.kind)).toEqual(['low'])

    // A restart (new engine, same folder) does not repeat it.
    const again = await engineWith(undefined, { alerts: true })
    const later: Alert[] = []
    again.onAlert((a) => later.push(a))
    await again.refresh()
    expect(later).toEqual([])
  })

  it('pause while their state cannot be saved, the status says so, and resume once it can', async () => {
    costs('2026-03-09', 3)
    const engine = await engineWith(undefined, { alerts: true, lock: { timeoutMs: 200 } })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    // Another process holds alerts.json's lock for longer than this engine waits.
    let release = () => {}
    const held = withFileLock(
      join(dir, 'alerts.json'),
      () => new Promise<void>((r) => (release = r))
    )
    const recorded = await engine.recordBalance(9)
    expect(alerts).toEqual([])
    expect(recorded.notices).toContainEqual(
      expect.stringMatching(/^Notifications are paused: .*alerts\.json/)
    )
    clock = new Date('2026-03-10T12:15:00Z')
    expect(
      (await engine.refresh()).notices.some((n) => n.startsWith('Notifications are paused'))
    ).toBe(true)

    release()
    await held
    clock = new Date('2026-03-10T12:30:00Z')
    const resumed = await engine.refresh()
    expect(alerts.map((a) => a.kind)).toEqual(['low'])
    expect(resumed.notices.some((n) => n.startsWith('Notifications are paused'))).toBe(false)
  })

  it('the CLI (alerts off) never uses up an alert', async () => {
    const cli = await engineWith()
    await cli.refresh()
    await cli.recordBalance(3)
    const app = await engineWith(undefined, { alerts: true })
    const alerts: Alert[] = []
    app.onAlert((a) => alerts.push(a))
    await app.refresh()
    expect(alerts.map((a) => a.kind)).toEqual(['critical'])
  })
})

describe('where the Admin key is sent', () => {
  it('plain http to another computer: every status carries the refusal and nothing is sent', async () => {
    const created: string[] = []
    const store = createMemoryStore()
    await store.set('default', ADMIN)
    const engine = await engineWith(store, {
      baseURL: 'http://api.example.com/v1',
      createClient: (o) => {
        created.push(o.baseURL ?? '')
        throw new Error('no client may be created for a refused address')
      }
    })
    expect(engine.getStatus().error).toEqual({
      kind: 'insecure_url',
      message: expect.stringMatching(
        /^OPENAI_BASE_URL points to api\.example\.com over plain http\. https is required/
      )
    })
    expect((await engine.refresh()).error?.kind).toBe('insecure_url')
    const check = await engine.checkKey()
    expect(check).toMatchObject({ ok: false, error: { kind: 'insecure_url' } })
    const other = 'sk-admin-OTHERKEY0123456789abcdef'
    const set = await engine.setKey(other)
    expect(set).toMatchObject({ ok: false, error: { kind: 'insecure_url' } })
    // The refused key was not stored; the old one is still there.
    expect(await store.get('default')).toBe(ADMIN)
    expect(created).toEqual([])
  })

  it('a loopback server over http works, and the key settings and notices name its host', async () => {
    costs('2026-03-10', 1)
    const engine = await engineWith()
    const host = new URL(server.baseURL).host
    const status = await engine.refresh()
    expect(status.error).toBeNull()
    expect(status.notices).toEqual([
      `The Admin key is sent to ${host} (OPENAI_BASE_URL), not to api.openai.com.`
    ])
    expect((await engine.getKeyInfo()).sentTo).toBe(host)
  })

  it('the default host adds no notice and no destination to the key info', async () => {
    const engine = await engineWith(undefined, {
      baseURL: undefined,
      createClient: () => {
        throw new Error('not called: no refresh here')
      }
    })
    expect(engine.getStatus().notices).toEqual([])
    expect(engine.getStatus().error).toBeNull()
    const info = await engine.getKeyInfo()
    expect(info.present).toBe(true)
    expect('sentTo' in info).toBe(false)
  })

  it('network errors name the host actually used', async () => {
    const closed = await startFakeOpenAIServer({ adminKeys: [ADMIN] })
    const baseURL = closed.baseURL
    await closed.close()
    const engine = await engineWith(undefined, { baseURL })
    const status = await engine.refresh()
    expect(status.error).toEqual({
      kind: 'network',
      // A one-shot refresh (no scheduler) says what it tried instead of promising a retry.
      message: `Could not reach ${new URL(baseURL).host}. Check the internet connection. Tried 3 times.`
    })
    const check = await engine.checkKey()
    expect(check).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining(new URL(baseURL).host) }
    })
  })
})

describe.skipIf(process.platform === 'win32')('folder and file modes', () => {
  const modeOf = (p: string): number => statSync(p).mode & 0o777

  it('tightens a pre-existing 0755 data folder and account folder to 0700; files are 0600', async () => {
    const shopDir = accountDataDir(dir, 'Shop')
    mkdirSync(shopDir, { recursive: true })
    chmodSync(dir, 0o755)
    chmodSync(shopDir, 0o755)
    for (const [dataDir, account] of [
      [dir, 'default'],
      [shopDir, 'Shop']
    ] as const) {
      const engine = await engineWith(undefined, { dataDir, account })
      await engine.recordBalance(10)
      expect(modeOf(dataDir)).toBe(0o700)
      expect(modeOf(join(dataDir, 'ledger.json'))).toBe(0o600)
    }
  })
})

describe('polling and the key', () => {
  it('setKey resumes polling that a rejected key halted, and the interval goes on', async () => {
    const { timers, planned } = manualTimers()
    const polls = (): number =>
      server.requests.filter((r) => r.path.endsWith('/organization/costs')).length
    const store = createMemoryStore()
    await store.set('default', 'sk-admin-REVOKEDKEY0123456789abcd')
    const engine = await engineWith(store, { timers })
    engine.start()
    await vi.waitFor(() => expect(engine.getStatus().error?.kind).toBe('auth'))
    // Halted: nothing is planned (a revoked key does not get better by waiting).
    expect(planned(15 * 60_000)).toEqual([])

    expect((await engine.setKey(ADMIN)).ok).toBe(true)
    // The next poll is planned when the run ends (after costs, model usage and limits), which
    // is later than the moment the status first shows the fresh costs.
    await vi.waitFor(() => expect(planned(15 * 60_000)).toHaveLength(1), { timeout: 5_000 })
    expect(engine.getStatus().error).toBeNull()
    expect(engine.getStatus().lastUpdated).not.toBeNull()
    const next = planned(15 * 60_000)
    const before = polls()
    next[0]!.fn()
    await vi.waitFor(() => expect(polls()).toBe(before + 1))
    engine.stop()
  })
})

describe('recording amounts', () => {
  it('stores top-ups and balances rounded to cents, as the ledger shows them', async () => {
    const engine = await engineWith()
    await engine.recordBalance(41.204)
    await engine.recordTopUp(20.126)
    expect(engine.getLedger().map((e) => [e.type, e.amount])).toEqual([
      ['balance', 41.2],
      ['topup', 20.13]
    ])
    const onDisk = JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8'))
    expect(onDisk.data.entries.map((e: { amount: number }) => e.amount)).toEqual([41.2, 20.13])
  })
})

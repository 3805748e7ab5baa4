// The engine of a team-mode account (no Admin key on this computer): what it refuses and how it
// says so, how the server's status is combined with this desktop's own view (errors, staleness,
// notices), when it asks the server, and its alerts. The server is a stand-in fetch answering
// `status --json` text; team-client.test.ts covers the wire.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Alert } from '../src/main/engine/engine-api'
import { InputError } from '../src/main/engine/errors'
import { createMemoryStore, type SecretStore } from '../src/main/engine/secrets'
import { statusJsonText } from '../src/main/engine/status-json'
import { TEAM_MESSAGES, type FetchLike } from '../src/main/engine/team-client'
import {
  createTeamEngine,
  TEAM_RECORDING_NOTE,
  teamTokenEntry,
  type TeamEngineOptions
} from '../src/main/engine/team-engine'
import type { Status } from '../src/shared/status'
import { makeStatus } from './support/fixtures'

const TOKEN = 'team-read-token-0123456789abcdef'
const SERVER = { url: 'https://credit.example.com', account: null }
const START = Date.parse('2026-12-01T12:00:00Z')

let dir: string
let clock: number
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-team-'))
  clock = START
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A team server answering with `answer()` each time, counting the requests. */
function teamServer(answer: () => { status: number; body: string }) {
  const seen = { requests: 0 }
  const fetch: FetchLike = async () => {
    seen.requests++
    const { status, body } = answer()
    return { status, text: async () => body }
  }
  return { fetch, seen }
}

const serving = (status: Status) => () => ({ status: 200, body: statusJsonText(status) })

async function storeWithToken(): Promise<SecretStore> {
  const store = createMemoryStore()
  await store.set(teamTokenEntry('default'), TOKEN)
  return store
}

async function engineWith(fetch: FetchLike, extra: Partial<TeamEngineOptions> = {}) {
  return createTeamEngine({
    dataDir: dir,
    account: 'default',
    server: SERVER,
    secretStore: await storeWithToken(),
    now: () => new Date(clock),
    fetch,
    ...extra
  })
}

/** Timers run by hand: `fire()` runs every timer due by then, like a clock moving on. */
function manualTimers() {
  const pending: { fn: () => void; ms: number; handle: number }[] = []
  let next = 1
  return {
    pending,
    timers: {
      setTimer: (fn: () => void, ms: number) => {
        const handle = next++
        pending.push({ fn, ms, handle })
        return handle
      },
      clearTimer: (h: unknown) => {
        const i = pending.findIndex((p) => p.handle === h)
        if (i >= 0) pending.splice(i, 1)
      },
      random: () => 0.5
    }
  }
}

const settle = () => new Promise((r) => setImmediate(r))

describe('what a team-mode account refuses, and how it says why', () => {
  it('refuses recording, limits and keys with the team-server note', async () => {
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch)
    const refusals: [Promise<unknown>, string][] = [
      [engine.recordBalance(5), 'Balances are not recorded here.'],
      [engine.recordTopUp(5), 'Top-ups are not recorded here.'],
      [engine.setOrgLimit(100), 'Spend limits are changed with the Admin key on the server.'],
      [
        engine.addOrgAlert(50, ['a@example.com']),
        'Spend alerts are changed with the Admin key on the server.'
      ],
      [engine.setKey('sk-admin-abc'), 'No Admin key is needed on this computer.']
    ]
    for (const [p, first] of refusals) {
      const err = await p.then(
        () => null,
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(InputError)
      expect((err as Error).message).toBe(`${first} ${TEAM_RECORDING_NOTE}`)
    }
    expect(() => engine.exportCsv()).toThrow(InputError)
    expect(() => engine.exportCsv()).toThrow(
      `The costs are exported on the team server (credit-tray export). ${TEAM_RECORDING_NOTE}`
    )
  })

  it('has no key, no ledger, and a key check that explains team mode', async () => {
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch)
    const noKey = { present: false, masked: null, type: null, storage: null, warning: null }
    expect(await engine.getKeyInfo()).toEqual(noKey)
    expect(await engine.clearKey()).toEqual(noKey)
    expect(await engine.checkKey()).toEqual({
      ok: false,
      error: { kind: 'no_key', message: TEAM_RECORDING_NOTE }
    })
    expect(engine.getLedger()).toEqual([])
    expect(engine.problems()).toEqual([])
  })
})

describe('the status of a team-mode account', () => {
  it('before the server answered: no figures, no budget, the currency of an empty engine', async () => {
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch)
    await engine.updateSettings({ monthlyBudget: 100 })
    const s = engine.getStatus()
    expect(s.balance).toBeNull()
    expect(s.level).toBe('unknown')
    expect(s.budget).toBeNull()
    expect(s.error).toBeNull()
    expect(engine.currency()).toBe('usd')
  })

  it('after it answered: the server figures and currency, its notices and error kept', async () => {
    const remote = makeStatus(
      {
        balance: 77,
        currency: 'eur',
        notices: ['from the server'],
        error: { kind: 'rate_limit', message: 'the server was slowed down' },
        lastUpdated: new Date(START).toISOString()
      },
      START
    )
    const engine = await engineWith(teamServer(serving(remote)).fetch)
    const s = await engine.refresh()
    expect(s.balance).toBe(77)
    expect(engine.currency()).toBe('eur')
    expect(s.notices).toEqual(['from the server'])
    expect(s.error).toEqual({ kind: 'rate_limit', message: 'the server was slowed down' })
    expect(s.stale).toBe(false)
  })

  it('our own error of reaching the server wins over the one the server reported', async () => {
    let answer = { status: 200, body: '' }
    const remote = makeStatus(
      {
        error: { kind: 'rate_limit', message: 'remote' },
        lastUpdated: new Date(START).toISOString()
      },
      START
    )
    answer.body = statusJsonText(remote)
    const engine = await engineWith(teamServer(() => answer).fetch)
    await engine.refresh()
    answer = { status: 503, body: '' }
    const s = await engine.refresh()
    expect(s.error?.kind).toBe('server')
    expect(s.error?.message).toMatch(/answered with an error \(503\)/)
    // Back again: our error is cleared, the server's shows.
    answer = { status: 200, body: statusJsonText(remote) }
    expect((await engine.refresh()).error).toEqual({ kind: 'rate_limit', message: 'remote' })
  })

  it('keeps the server stale flag, and turns stale by its own clock when the server is silent', async () => {
    const staleRemote = makeStatus(
      { stale: true, lastUpdated: new Date(START).toISOString() },
      START
    )
    const engine = await engineWith(teamServer(serving(staleRemote)).fetch)
    expect((await engine.refresh()).stale).toBe(true)

    const fresh = makeStatus({ stale: false, lastUpdated: null }, START)
    const other = await engineWith(teamServer(serving(fresh)).fetch)
    // Never a success by the server's account: stale at once.
    expect((await other.refresh()).stale).toBe(true)
  })

  it('turns stale exactly after three poll intervals of silence, by the settings interval', async () => {
    const remote = makeStatus({ lastUpdated: new Date(START).toISOString() }, START)
    const engine = await engineWith(teamServer(serving(remote)).fetch)
    await engine.updateSettings({ pollIntervalMinutes: 10 })
    await engine.refresh()
    clock = START + 30 * 60_000
    expect(engine.getStatus().stale).toBe(false)
    clock += 1
    expect(engine.getStatus().stale).toBe(true)
  })

  it('lists data files it could not read as problems and notices, once each', async () => {
    writeFileSync(join(dir, 'settings.json'), '{ not json')
    const lines: string[] = []
    const remote = makeStatus({ notices: ['server notice'] }, START)
    const engine = await engineWith(teamServer(serving(remote)).fetch, {
      log: (l) => lines.push(l)
    })
    expect(engine.problems()).toHaveLength(1)
    expect(engine.problems()[0]!.file).toMatch(/settings/)
    expect(lines).toEqual([engine.problems()[0]!.message])
    expect(engine.getStatus().notices).toEqual([engine.problems()[0]!.message])
    const s = await engine.refresh()
    expect(s.notices).toEqual(['server notice', engine.problems()[0]!.message])
  })
})

describe('when a team-mode account asks the server', () => {
  it('reads the token from the keychain once, not on every request', async () => {
    const store = await storeWithToken()
    let reads = 0
    const counting: SecretStore = {
      ...store,
      get: async (name) => {
        reads++
        return store.get(name)
      }
    }
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch, {
      secretStore: counting
    })
    await engine.refresh()
    await engine.refresh()
    expect(reads).toBe(1)
  })

  it('joins a refresh already in flight instead of asking twice, and asks again afterwards', async () => {
    const { fetch, seen } = teamServer(serving(makeStatus()))
    const engine = await engineWith(fetch)
    await Promise.all([engine.refresh(), engine.refresh()])
    expect(seen.requests).toBe(1)
    await engine.refresh()
    expect(seen.requests).toBe(2)
  })

  it('an unexpected failure reads as an answer it does not understand', async () => {
    const store: SecretStore = {
      ...createMemoryStore(),
      get: async () => {
        throw new Error('keyring daemon crashed')
      }
    }
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch, {
      secretStore: store
    })
    const s = await engine.refresh()
    expect(s.error).toEqual({ kind: 'bad_response', message: TEAM_MESSAGES.unreadable })
  })

  it('polls on its own schedule once started, once only, and stops when stopped', async () => {
    const { fetch, seen } = teamServer(serving(makeStatus()))
    const { timers, pending } = manualTimers()
    const engine = await engineWith(fetch, { timers, timeoutMs: 1_000 })
    const heard: Status[] = []
    engine.onStatus((s) => heard.push(s))
    engine.start()
    engine.start()
    await settle()
    expect(seen.requests).toBe(1)
    expect(heard).toHaveLength(1)
    // The next poll is one interval (15 minutes by default) away.
    expect(pending.map((p) => p.ms)).toContain(15 * 60_000)
    // A refresh while polling goes through the scheduler.
    await engine.refresh()
    expect(seen.requests).toBe(2)
    engine.stop()
    expect(pending.filter((p) => p.ms === 15 * 60_000)).toEqual([])
    await engine.refresh()
    expect(seen.requests).toBe(3)
  })

  it('pauses and resumes polling, and follows a new interval from the settings', async () => {
    const { fetch, seen } = teamServer(serving(makeStatus()))
    const { timers, pending } = manualTimers()
    const engine = await engineWith(fetch, { timers })
    // Without a scheduler these do nothing (and do not throw).
    engine.pause()
    engine.resume()
    engine.start()
    await settle()
    expect(seen.requests).toBe(1)
    engine.pause()
    expect(pending.filter((p) => p.ms === 15 * 60_000)).toEqual([])
    engine.resume()
    await settle()
    expect(seen.requests).toBe(2)
    const heard: Status[] = []
    engine.onStatus((s) => heard.push(s))
    const settings = await engine.updateSettings({ pollIntervalMinutes: 30 })
    expect(settings.pollIntervalMinutes).toBe(30)
    expect(engine.getSettings().pollIntervalMinutes).toBe(30)
    expect(heard).toHaveLength(1)
    expect(pending.map((p) => p.ms)).toContain(30 * 60_000)
    engine.stop()
  })

  it('keeps its settings in its data folder', async () => {
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch)
    await engine.updateSettings({ pollIntervalMinutes: 45 })
    const again = await engineWith(teamServer(serving(makeStatus())).fetch)
    expect(again.getSettings().pollIntervalMinutes).toBe(45)
  })

  it('stops telling a status listener after it unsubscribed', async () => {
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch)
    const heard: Status[] = []
    const off = engine.onStatus((s) => heard.push(s))
    await engine.refresh()
    off()
    await engine.refresh()
    expect(heard).toHaveLength(1)
  })
})

describe('alerts of a team-mode account', () => {
  it('alerts once on critical credit, and only with alerts on', async () => {
    const critical = makeStatus(
      { balance: 2, level: 'critical', daysLeft: 0.5, lastUpdated: new Date(START).toISOString() },
      START
    )
    const quiet = await engineWith(teamServer(serving(critical)).fetch)
    const none: Alert[] = []
    quiet.onAlert((a) => none.push(a))
    await quiet.refresh()
    expect(none).toEqual([])

    rmSync(join(dir, 'alerts.json'), { force: true })
    const engine = await engineWith(teamServer(serving(critical)).fetch, { alerts: true })
    const alerts: Alert[] = []
    const off = engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    await engine.refresh()
    expect(alerts.map((a) => a.kind)).toEqual(['critical'])
    // The alert state is on disk: a new engine (app restart) does not alert again.
    const restarted = await engineWith(teamServer(serving(critical)).fetch, { alerts: true })
    const after: Alert[] = []
    restarted.onAlert((a) => after.push(a))
    await restarted.refresh()
    expect(after).toEqual([])
    off()
  })

  it('says the read token was refused, not an Admin key, when the server answers 401', async () => {
    const engine = await engineWith(teamServer(() => ({ status: 401, body: '' })).fetch, {
      alerts: true
    })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    const s = await engine.refresh()
    expect(s.error?.kind).toBe('auth')
    expect(alerts).toEqual([
      {
        kind: 'key_rejected',
        title: 'The team server refused the read token',
        body: TEAM_MESSAGES.auth
      }
    ])
  })

  it("passes on the server's own rejected Admin key as it is", async () => {
    const remote = makeStatus(
      {
        error: { kind: 'auth', message: 'OpenAI rejected the key' },
        lastUpdated: new Date(START).toISOString()
      },
      START
    )
    const engine = await engineWith(teamServer(serving(remote)).fetch, { alerts: true })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    expect(alerts.map((a) => [a.kind, a.title])).toEqual([
      ['key_rejected', 'OpenAI rejected the Admin key']
    ])
  })
})

describe('team-mode engine details', () => {
  it('names the keychain entry of the read token after the account', () => {
    expect(teamTokenEntry('Shop')).toBe('Shop (team server read token)')
  })

  it('keeps its alert state in alerts.json in its data folder', async () => {
    const critical = makeStatus(
      { balance: 2, level: 'critical', daysLeft: 0.5, lastUpdated: new Date(START).toISOString() },
      START
    )
    const engine = await engineWith(teamServer(serving(critical)).fetch, { alerts: true })
    await engine.refresh()
    expect(existsSync(join(dir, 'alerts.json'))).toBe(true)
  })

  it('before the server answered, shows the thresholds of its own settings', async () => {
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch)
    const thresholds = { lowBalance: 30, lowDays: 9, criticalBalance: 10, criticalDays: 3 }
    await engine.updateSettings({ thresholds })
    expect(engine.getStatus().thresholds).toEqual(thresholds)
    expect(engine.getStatus().stale).toBe(true)
  })

  it('says how long the server has not updated, from its last success', async () => {
    const remote = makeStatus(
      { stale: true, lastUpdated: new Date(START - 7 * 3_600_000).toISOString() },
      START
    )
    const engine = await engineWith(teamServer(serving(remote)).fetch, { alerts: true })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    expect(alerts.map((a) => a.title)).toEqual(['Credit Tray has not updated for 7 hours'])
  })

  it('a server that never updated raises no stale alert', async () => {
    const remote = makeStatus({ stale: true, lastUpdated: null }, START)
    const engine = await engineWith(teamServer(serving(remote)).fetch, { alerts: true })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))
    await engine.refresh()
    expect(alerts.filter((a) => a.kind === 'stale')).toEqual([])
  })

  it('stops telling an alert listener after it unsubscribed', async () => {
    const critical = makeStatus(
      { balance: 2, level: 'critical', daysLeft: 0.5, lastUpdated: new Date(START).toISOString() },
      START
    )
    const engine = await engineWith(teamServer(serving(critical)).fetch, { alerts: true })
    const alerts: Alert[] = []
    engine.onAlert((a) => alerts.push(a))()
    await engine.refresh()
    expect(alerts).toEqual([])
  })

  it('a refresh after a refused token resumes polling once the server takes it again', async () => {
    let answer = { status: 401, body: '' }
    const { fetch } = teamServer(() => answer)
    const { timers, pending } = manualTimers()
    const engine = await engineWith(fetch, { timers })
    engine.start()
    await settle()
    // Halted on 401: no next poll planned.
    expect(pending.filter((p) => p.ms >= 60_000)).toEqual([])
    answer = { status: 200, body: statusJsonText(makeStatus()) }
    await engine.refresh()
    expect(pending.map((p) => p.ms)).toContain(15 * 60_000)
    engine.stop()
  })

  it('gives a request twice its timeout before the watchdog calls it stuck', async () => {
    const hanging: FetchLike = () => new Promise(() => {})
    const { timers, pending } = manualTimers()
    const engine = await engineWith(hanging, { timers, timeoutMs: 1_234 })
    engine.start()
    await settle()
    expect(pending.map((p) => p.ms)).toContain(2_468)
    engine.stop()
  })

  it('polls on real timers when none are given', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { fetch, seen } = teamServer(serving(makeStatus()))
      const engine = await engineWith(fetch)
      engine.start()
      await vi.advanceTimersByTimeAsync(0)
      expect(seen.requests).toBe(1)
      await vi.advanceTimersByTimeAsync(15 * 60_000 + 60_000)
      expect(seen.requests).toBe(2)
      engine.stop()
      await vi.advanceTimersByTimeAsync(60 * 60_000)
      expect(seen.requests).toBe(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('stopping an engine that never started is harmless', async () => {
    const engine = await engineWith(teamServer(serving(makeStatus())).fetch)
    expect(() => engine.stop()).not.toThrow()
  })

  it('lists each damaged data file once, in the order they were met', async () => {
    writeFileSync(join(dir, 'settings.json'), '{ not json')
    writeFileSync(join(dir, 'alerts.json'), '{ not json either')
    const critical = makeStatus(
      { balance: 2, level: 'critical', daysLeft: 0.5, lastUpdated: new Date(START).toISOString() },
      START
    )
    const engine = await engineWith(teamServer(serving(critical)).fetch, { alerts: true })
    await engine.refresh()
    await engine.refresh()
    expect(engine.problems().map((p) => p.file.split(/[\\/]/).pop())).toEqual([
      'settings.json',
      'alerts.json'
    ])
  })
})

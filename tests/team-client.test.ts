// Team mode's client and engine without Electron: which addresses may carry the read token,
// what a server answer must look like to be used, and staleness while the server is away.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreditTrayError } from '../src/main/engine/errors'
import { createMemoryStore } from '../src/main/engine/secrets'
import { statusJsonText } from '../src/main/engine/status-json'
import {
  fetchTeamStatus,
  normalizeTeamServerUrl,
  teamStatusUrl,
  type FetchLike
} from '../src/main/engine/team-client'
import { createTeamEngine, teamTokenEntry } from '../src/main/engine/team-engine'
import { makeStatus } from './support/fixtures'

const TOKEN = 'team-read-token-0123456789abcdef'
const SERVER = { url: 'https://credit.example.com', account: null }

function answering(status: number, body: string) {
  const calls: { url: string; init: Parameters<FetchLike>[1] }[] = []
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init })
    return { status, text: async () => body }
  }
  return { fetch, calls }
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'none'
  } catch (e) {
    return e instanceof CreditTrayError ? e.kind : 'other'
  }
}

describe('team server addresses', () => {
  it('keeps https anywhere and http to this computer, without credentials, query or slash', () => {
    expect(normalizeTeamServerUrl(' https://credit.example.com/ ')).toEqual({
      ok: true,
      url: 'https://credit.example.com'
    })
    expect(normalizeTeamServerUrl('https://example.com/credit/')).toEqual({
      ok: true,
      url: 'https://example.com/credit'
    })
    expect(normalizeTeamServerUrl('http://127.0.0.1:9464')).toEqual({
      ok: true,
      url: 'http://127.0.0.1:9464'
    })
    for (const bad of [
      'http://credit.example.com',
      'http://192.168.1.5:9464',
      'ftp://credit.example.com',
      'https://u:p@credit.example.com',
      'https://credit.example.com/?x=1',
      'credit.example.com'
    ])
      expect(normalizeTeamServerUrl(bad).ok, bad).toBe(false)
    expect(teamStatusUrl({ url: 'https://example.com/credit', account: 'Agency X' })).toBe(
      'https://example.com/credit/status.json?account=Agency+X'
    )
  })
})

describe('fetchTeamStatus', () => {
  it('sends the token, refuses redirects and returns a valid status', async () => {
    const status = makeStatus({ balance: 12.34 })
    const { fetch, calls } = answering(200, statusJsonText(status))
    const got = await fetchTeamStatus(SERVER, TOKEN, fetch, 1000)
    expect(got.balance).toBe(12.34)
    expect(calls[0]!.url).toBe('https://credit.example.com/status.json')
    expect(calls[0]!.init.headers.Authorization).toBe(`Bearer ${TOKEN}`)
    expect(calls[0]!.init.redirect).toBe('error')
  })

  it('turns every other answer into an error of the right kind, never a number', async () => {
    const good = JSON.parse(statusJsonText(makeStatus())) as Record<string, unknown>
    const cases: [number, string, string][] = [
      [401, '', 'auth'],
      [403, '', 'auth'],
      [429, '', 'rate_limit'],
      [502, '<html>Bad gateway</html>', 'server'],
      [200, '<html>Sign in to the proxy</html>', 'bad_response'],
      [200, JSON.stringify({ ...good, balance: '12.5' }), 'bad_response'],
      [200, JSON.stringify({ ...good, level: 'fine' }), 'bad_response'],
      [200, JSON.stringify({ ...good, daily: undefined }), 'bad_response'],
      [302, '', 'bad_response']
    ]
    for (const [status, body, kind] of cases)
      expect(
        await kindOf(fetchTeamStatus(SERVER, TOKEN, answering(status, body).fetch, 1000)),
        `${status} ${body.slice(0, 30)}`
      ).toBe(kind)
    const down: FetchLike = async () => {
      throw new TypeError('fetch failed')
    }
    expect(await kindOf(fetchTeamStatus(SERVER, TOKEN, down, 1000))).toBe('network')
  })
})

describe('team engine', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ct-team-engine-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps the last figures when the server goes away and turns stale after 3 intervals', async () => {
    let clock = Date.parse('2026-12-01T12:00:00Z')
    const remote = makeStatus({ balance: 20, lastUpdated: new Date(clock).toISOString() }, clock)
    let up = true
    const fetch: FetchLike = async () => {
      if (!up) throw new TypeError('fetch failed')
      return { status: 200, text: async () => statusJsonText(remote) }
    }
    const secretStore = createMemoryStore()
    await secretStore.set(teamTokenEntry('default'), TOKEN)
    const engine = createTeamEngine({
      dataDir: dir,
      account: 'default',
      server: SERVER,
      secretStore,
      now: () => new Date(clock),
      fetch
    })
    expect(engine.getStatus().balance).toBeNull()
    expect((await engine.refresh()).balance).toBe(20)

    up = false
    clock += 30 * 60_000 // two 15-minute intervals: not stale yet
    let s = await engine.refresh()
    expect(s.error?.kind).toBe('network')
    expect(s.balance).toBe(20)
    expect(s.stale).toBe(false)
    clock += 16 * 60_000 // past three intervals since the last success
    s = await engine.refresh()
    expect(s.stale).toBe(true)
    expect(s.balance).toBe(20)

    await expect(engine.recordBalance(5)).rejects.toThrow(/recorded on the server/)
    await expect(engine.recordTopUp(5)).rejects.toThrow(/recorded on the server/)
  })

  it('without a saved token it says so and asks nobody', async () => {
    const { fetch, calls } = answering(200, '')
    const engine = createTeamEngine({
      dataDir: dir,
      account: 'default',
      server: SERVER,
      secretStore: createMemoryStore(),
      now: () => new Date(),
      fetch
    })
    const s = await engine.refresh()
    expect(s.error?.kind).toBe('no_key')
    expect(s.error?.message).toMatch(/No read token/)
    expect(calls).toHaveLength(0)
  })
})

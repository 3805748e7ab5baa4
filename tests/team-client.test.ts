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
  TEAM_MESSAGES,
  TEAM_URL_RULE,
  teamServerSchema,
  teamStatusUrl,
  type FetchLike
} from '../src/main/engine/team-client'
import { NO_LIMITS } from '../src/shared/status'
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

describe('team server addresses, in detail', () => {
  it('says why an address cannot be used', () => {
    expect(normalizeTeamServerUrl('not an address')).toEqual({
      ok: false,
      message: 'That is not a web address (e.g. https://credit.example.com).'
    })
    expect(normalizeTeamServerUrl('https://user@credit.example.com')).toEqual({
      ok: false,
      message: 'Leave the user name and password out of the address.'
    })
    expect(normalizeTeamServerUrl('https://:secret@credit.example.com')).toEqual({
      ok: false,
      message: 'Leave the user name and password out of the address.'
    })
    expect(normalizeTeamServerUrl('http://credit.example.com')).toEqual({
      ok: false,
      message: TEAM_URL_RULE
    })
    for (const extra of ['https://credit.example.com/#top', 'https://credit.example.com/?a'])
      expect(normalizeTeamServerUrl(extra)).toEqual({
        ok: false,
        message: 'Give the server address only, without ? or #.'
      })
  })

  it('drops every trailing slash of the path, and asks the active account without a query', () => {
    expect(normalizeTeamServerUrl('https://example.com/a/b///')).toEqual({
      ok: true,
      url: 'https://example.com/a/b'
    })
    expect(teamStatusUrl({ url: 'https://example.com/credit//', account: null })).toBe(
      'https://example.com/credit/status.json'
    )
    expect(teamStatusUrl({ url: 'https://example.com', account: 'a&b=c' })).toBe(
      'https://example.com/status.json?account=a%26b%3Dc'
    )
  })
})

describe('fetchTeamStatus, in detail', () => {
  async function failureOf(p: Promise<unknown>): Promise<CreditTrayError> {
    const e = await p.then(
      () => null,
      (err: unknown) => err
    )
    expect(e).toBeInstanceOf(CreditTrayError)
    return e as CreditTrayError
  }

  it('asks for JSON for the account named, with a deadline', async () => {
    const { fetch, calls } = answering(200, statusJsonText(makeStatus()))
    await fetchTeamStatus({ ...SERVER, account: 'Shop' }, TOKEN, fetch, 1000)
    expect(calls[0]!.url).toBe('https://credit.example.com/status.json?account=Shop')
    expect(calls[0]!.init.headers).toEqual({
      Authorization: `Bearer ${TOKEN}`,
      Accept: 'application/json'
    })
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal)
    expect(calls[0]!.init.signal.aborted).toBe(false)
  })

  it('gives up at the deadline, as an unreachable server', async () => {
    const slow: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal.addEventListener('abort', () => reject(init.signal.reason))
      })
    const err = await failureOf(fetchTeamStatus(SERVER, TOKEN, slow, 20))
    expect(err.kind).toBe('network')
    expect(err.message).toBe(
      'Could not reach the team server at credit.example.com. Credit Tray will retry.'
    )
  })

  it('a body that cannot be read is an unreachable server too', async () => {
    const broken: FetchLike = async () => ({
      status: 200,
      text: async () => {
        throw new TypeError('terminated')
      }
    })
    expect((await failureOf(fetchTeamStatus(SERVER, TOKEN, broken, 1000))).kind).toBe('network')
  })

  it('names the server and the status in its messages, and keeps the status', async () => {
    const server = { url: 'https://credit.example.com:8443/base', account: 'Shop' }
    const at = (status: number) =>
      failureOf(fetchTeamStatus(server, TOKEN, answering(status, '').fetch, 1000))
    const auth = await at(403)
    expect([auth.kind, auth.message, auth.status]).toEqual(['auth', TEAM_MESSAGES.auth, 403])
    const missing = await at(404)
    expect([missing.kind, missing.message, missing.status]).toEqual([
      'bad_response',
      'The team server at credit.example.com:8443 has no account named "Shop".',
      404
    ])
    const slow = await at(429)
    expect([slow.kind, slow.message, slow.status]).toEqual([
      'rate_limit',
      'The team server at credit.example.com:8443 asks to slow down.',
      429
    ])
    const down = await at(500)
    expect([down.kind, down.message, down.status]).toEqual([
      'server',
      'The team server at credit.example.com:8443 answered with an error (500). Credit Tray will retry.',
      500
    ])
    const odd = await at(499)
    expect([odd.kind, odd.message, odd.status]).toEqual([
      'bad_response',
      TEAM_MESSAGES.unreadable,
      499
    ])
  })

  it('a 404 for the active account is an answer it does not understand', async () => {
    const err = await failureOf(fetchTeamStatus(SERVER, TOKEN, answering(404, '').fetch, 1000))
    expect([err.kind, err.message]).toEqual(['bad_response', TEAM_MESSAGES.unreadable])
  })

  it('reads a status of a server from before limits and expiring credit as "not read yet"', async () => {
    const full = JSON.parse(statusJsonText(makeStatus({ balance: 9 }))) as Record<string, unknown>
    delete full['limits']
    delete full['expiringCredit']
    const got = await fetchTeamStatus(
      SERVER,
      TOKEN,
      answering(200, JSON.stringify(full)).fetch,
      1000
    )
    expect(got.balance).toBe(9)
    expect(got.limits).toEqual(NO_LIMITS)
    expect(got.expiringCredit).toEqual([])
  })

  it('keeps fields a newer server adds', async () => {
    const full = JSON.parse(statusJsonText(makeStatus())) as Record<string, unknown>
    const got = await fetchTeamStatus(
      SERVER,
      TOKEN,
      answering(200, JSON.stringify({ ...full, newField: 1 })).fetch,
      1000
    )
    expect((got as unknown as Record<string, unknown>)['newField']).toBe(1)
  })
})

describe('teamServerSchema', () => {
  it('takes an https or loopback address and an account name or null', () => {
    expect(
      teamServerSchema.safeParse({ url: 'https://c.example.com', account: null }).success
    ).toBe(true)
    expect(teamServerSchema.safeParse({ url: 'http://127.0.0.1:9', account: 'Shop' }).success).toBe(
      true
    )
    for (const bad of [
      { url: 'http://c.example.com', account: null },
      { url: 'https://c.example.com', account: '' },
      { url: 'https://c.example.com', account: 'x'.repeat(101) }
    ])
      expect(teamServerSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 60)).toBe(false)
  })
})

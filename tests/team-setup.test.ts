// Choosing team mode for an account, without Electron: the server is checked with the token
// before anything is kept; the address lands in team-server.json and the token in the secret
// store; leaving team mode forgets both, even when the keychain does not answer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreditTrayError } from '../src/main/engine/errors'
import { createMemoryStore, type SecretStore } from '../src/main/engine/secrets'
import { statusJsonText } from '../src/main/engine/status-json'
import type { FetchLike } from '../src/main/engine/team-client'
import { teamTokenEntry } from '../src/main/engine/team-engine'
import {
  clearTeamServer,
  readTeamServer,
  saveTeamServer,
  teamServerInfo,
  TEAM_SERVER_VERSION,
  type TeamSetupDeps
} from '../src/main/engine/team-setup'
import { makeStatus } from './support/fixtures'

const TOKEN = 'team-read-token-0123456789abcdef'
const now = () => new Date('2026-03-10T12:00:00Z')

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-team-setup-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function answering(status: number, body = statusJsonText(makeStatus({ balance: 5 }))) {
  const calls: { url: string; timeoutSignal: boolean; auth: string | undefined }[] = []
  const fetch: FetchLike = async (url, init) => {
    calls.push({
      url,
      timeoutSignal: init.signal instanceof AbortSignal,
      auth: init.headers.Authorization
    })
    return { status, text: async () => body }
  }
  return { fetch, calls }
}

function deps(over: Partial<TeamSetupDeps> = {}): TeamSetupDeps {
  return {
    dataDir: dir,
    account: 'Agency',
    secretStore: createMemoryStore(),
    fetch: answering(200).fetch,
    now,
    ...over
  }
}

function failing(error: unknown): SecretStore {
  return {
    kind: 'keychain',
    get: async () => {
      throw error
    },
    set: async () => {
      throw error
    },
    delete: async () => {
      throw error
    }
  }
}

describe('saving a team server', () => {
  it('checks it with the token, then keeps the address (trimmed account) and the token', async () => {
    const store = createMemoryStore()
    const { fetch, calls } = answering(200)
    const d = deps({ secretStore: store, fetch })
    const result = await saveTeamServer(d, {
      url: ' https://credit.example.com/ ',
      token: `  ${TOKEN}\n`,
      account: '  Agency X  '
    })
    expect(result).toEqual({
      ok: true,
      info: { url: 'https://credit.example.com', account: 'Agency X', tokenPresent: true }
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.url).toBe('https://credit.example.com/status.json?account=Agency+X')
    expect(calls[0]!.auth).toBe(`Bearer ${TOKEN}`)
    expect(await store.get(teamTokenEntry('Agency'))).toBe(TOKEN)
    expect(readTeamServer(dir, now)).toEqual({
      url: 'https://credit.example.com',
      account: 'Agency X'
    })
    const onDisk = JSON.parse(readFileSync(join(dir, 'team-server.json'), 'utf8'))
    expect(onDisk).toEqual({
      schemaVersion: TEAM_SERVER_VERSION,
      data: { server: { url: 'https://credit.example.com', account: 'Agency X' } }
    })
    expect(await teamServerInfo(d)).toEqual({
      url: 'https://credit.example.com',
      account: 'Agency X',
      tokenPresent: true
    })
  })

  it('a blank account name means the server default', async () => {
    const result = await saveTeamServer(deps(), {
      url: 'https://credit.example.com',
      token: TOKEN,
      account: '   '
    })
    expect(result).toMatchObject({ ok: true, info: { account: null } })
    expect(readTeamServer(dir, now)?.account).toBeNull()
  })

  it('refuses an address that may not carry the token, asking nobody', async () => {
    const { fetch, calls } = answering(200)
    const result = await saveTeamServer(deps({ fetch }), {
      url: 'http://credit.example.com',
      token: TOKEN,
      account: null
    })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('bad_response')
      expect(result.error.message).toMatch(/https/)
    }
    expect(calls).toEqual([])
    expect(readTeamServer(dir, now)).toBeNull()
  })

  it.each(['', '   ', 'two words'])('refuses the token %j: one word, no spaces', async (token) => {
    const { fetch, calls } = answering(200)
    expect(
      await saveTeamServer(deps({ fetch }), { url: 'https://x.example', token, account: null })
    ).toEqual({
      ok: false,
      error: { kind: 'auth', message: 'Paste the read token: one word, no spaces.' }
    })
    expect(calls).toEqual([])
  })

  it('keeps nothing when the server refuses the token', async () => {
    const store = createMemoryStore()
    const result = await saveTeamServer(deps({ secretStore: store, fetch: answering(401).fetch }), {
      url: 'https://credit.example.com',
      token: TOKEN,
      account: null
    })
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth' } })
    expect(await store.get(teamTokenEntry('Agency'))).toBeNull()
    expect(readTeamServer(dir, now)).toBeNull()
  })

  it('a check that fails oddly is a failed check, in words', async () => {
    const fetch: FetchLike = () => {
      throw new RangeError('odd')
    }
    // fetchTeamStatus wraps what fetch throws; a non-CreditTrayError from elsewhere still reads
    // as a network failure.
    const result = await saveTeamServer(deps({ fetch }), {
      url: 'https://credit.example.com',
      token: TOKEN,
      account: null
    })
    expect(result).toMatchObject({ ok: false, error: { kind: 'network' } })
  })

  it('keeps nothing when the token cannot be stored, saying why', async () => {
    const odd = await saveTeamServer(deps({ secretStore: failing(new Error('dbus')) }), {
      url: 'https://credit.example.com',
      token: TOKEN,
      account: null
    })
    expect(odd).toEqual({
      ok: false,
      error: {
        kind: 'keychain',
        message: 'The system keychain did not answer, so the token could not be stored.'
      }
    })
    const locked = new CreditTrayError('keychain', 'The keychain is locked.')
    const known = await saveTeamServer(deps({ secretStore: failing(locked) }), {
      url: 'https://credit.example.com',
      token: TOKEN,
      account: null
    })
    expect(known).toEqual({
      ok: false,
      error: { kind: 'keychain', message: 'The keychain is locked.' }
    })
    expect(readTeamServer(dir, now)).toBeNull()
  })
})

describe('the team server of an account', () => {
  it('is none until one is saved', async () => {
    expect(readTeamServer(dir, now)).toBeNull()
    expect(await teamServerInfo(deps())).toBeNull()
  })

  it('says whether the token is there; a keychain that fails counts as no token', async () => {
    const store = createMemoryStore()
    await saveTeamServer(deps({ secretStore: store }), {
      url: 'https://credit.example.com',
      token: TOKEN,
      account: null
    })
    await store.delete(teamTokenEntry('Agency'))
    expect(await teamServerInfo(deps({ secretStore: store }))).toEqual({
      url: 'https://credit.example.com',
      account: null,
      tokenPresent: false
    })
    expect(await teamServerInfo(deps({ secretStore: failing(new Error('dbus')) }))).toMatchObject({
      tokenPresent: false
    })
  })

  it('leaving team mode forgets the server and the token', async () => {
    const store = createMemoryStore()
    await saveTeamServer(deps({ secretStore: store }), {
      url: 'https://credit.example.com',
      token: TOKEN,
      account: null
    })
    await clearTeamServer(deps({ secretStore: store }))
    expect(readTeamServer(dir, now)).toBeNull()
    expect(await store.get(teamTokenEntry('Agency'))).toBeNull()
  })

  it('leaving team mode with a keychain that fails still forgets the server', async () => {
    await saveTeamServer(deps(), { url: 'https://credit.example.com', token: TOKEN, account: null })
    await expect(
      clearTeamServer(deps({ secretStore: failing(new Error('dbus')) }))
    ).resolves.toBeUndefined()
    expect(readTeamServer(dir, now)).toBeNull()
  })
})

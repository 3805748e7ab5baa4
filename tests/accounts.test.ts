import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  accountDataDir,
  createAccountRegistry,
  parseProjectIds,
  validateAccountName
} from '../src/main/engine/accounts'
import { createEngine } from '../src/main/engine/engine'
import { InputError } from '../src/main/engine/errors'
import { createMemoryStore } from '../src/main/engine/secrets'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-accounts-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the account registry', () => {
  it('starts with one "default" account living in the app-data folder itself', () => {
    const r = createAccountRegistry({ dataDir: dir })
    expect(r.list()).toEqual([{ name: 'default', projectIds: [] }])
    expect(r.active().name).toBe('default')
    expect(accountDataDir(dir, 'default')).toBe(dir)
  })

  it('adds, switches and removes accounts, and remembers them', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('Agency X', ['proj_a'])
    await r.setActive('agency x')
    const again = createAccountRegistry({ dataDir: dir })
    expect(again.active()).toEqual({ name: 'Agency X', projectIds: ['proj_a'] })
    await again.remove('Agency X')
    expect(again.active().name).toBe('default')
    await expect(again.remove('default')).rejects.toThrow(/last account/)
  })

  it('refuses duplicate names (case-insensitive), bad names and unknown accounts', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('Shop')
    await expect(r.add('shop')).rejects.toThrow(/already exists/)
    await expect(r.add('../etc')).rejects.toThrow(InputError)
    await expect(r.add('')).rejects.toThrow(InputError)
    expect(() => r.get('nope')).toThrow(/Accounts: default, Shop/)
  })

  it('gives each account its own folder; names cannot escape the data folder', () => {
    expect(accountDataDir(dir, 'Agency X')).toBe(join(dir, 'accounts', 'agency-x'))
    expect(() => validateAccountName('a/b')).toThrow(InputError)
    expect(() => validateAccountName('..')).toThrow(InputError)
  })

  it('the data folder is the identity: a name whose folder is taken is refused, naming the other account', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('Agency X')
    for (const clash of ['agency-x', 'AGENCY-X', 'Agency-x']) {
      const err = await r.add(clash, ['proj_zzz']).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(InputError)
      expect((err as Error).message).toMatch(
        new RegExp(
          `^"${clash}" would use the same data folder \\(accounts/agency-x\\) as the account "Agency X"`
        )
      )
    }
    expect(r.list().map((a) => a.name)).toEqual(['default', 'Agency X'])
    // Different folders are fine, even when the names look alike.
    await r.add('Agency_X')
    expect(accountDataDir(dir, 'Agency_X')).toBe(join(dir, 'accounts', 'agency_x'))
  })

  it.each([
    'CON',
    'nul',
    'Aux',
    'prn',
    'COM1',
    'com9',
    'LPT1',
    'lpt0',
    'nul.txt',
    'CON.backup',
    'Com1.x'
  ])('refuses "%s": a reserved device name on Windows (also with an extension)', async (name) => {
    const r = createAccountRegistry({ dataDir: dir })
    expect(() => validateAccountName(name)).toThrow(/reserved device name on Windows/)
    await expect(r.add(name)).rejects.toThrow(InputError)
    expect(r.list()).toHaveLength(1)
  })

  it('refuses names ending with a dot (Windows drops it) and accepts look-alikes that are safe', () => {
    expect(() => validateAccountName('Shop.')).toThrow(/ends with a dot/)
    expect(() => validateAccountName('a..')).toThrow(/ends with a dot/)
    expect(() => validateAccountName('Shop ')).not.toThrow() // trimmed
    for (const ok of ['Console', 'COM10', 'lpt', 'Auxiliary', 'nullable', 'v1.2', 'Con-X'])
      expect(validateAccountName(ok)).toBe(ok)
  })

  it('notices accounts (from an older version) that share a folder or break on Windows', () => {
    writeFileSync(
      join(dir, 'accounts.json'),
      JSON.stringify({
        schemaVersion: 1,
        data: {
          accounts: [
            { name: 'default', projectIds: [] },
            { name: 'Agency X', projectIds: [] },
            { name: 'agency-x', projectIds: ['proj_zzz'] },
            { name: 'nul', projectIds: [] }
          ],
          active: 'default'
        }
      })
    )
    const notices = createAccountRegistry({ dataDir: dir }).notices()
    expect(notices).toHaveLength(2)
    expect(notices[0]).toMatch(
      /"Agency X" and "agency-x" share one data folder \(accounts\/agency-x\)/
    )
    expect(notices[1]).toMatch(/"nul" is a reserved device name on Windows/)
  })

  it('parses project filters and refuses nonsense', () => {
    expect(parseProjectIds('proj_a, proj_b,proj_a')).toEqual(['proj_a', 'proj_b'])
    expect(parseProjectIds(undefined)).toEqual([])
    expect(() => parseProjectIds('proj a')).toThrow(/not a project id/)
  })

  it('keeps a corrupt registry aside and falls back to the default account', () => {
    writeFileSync(join(dir, 'accounts.json'), '{oops')
    const r = createAccountRegistry({ dataDir: dir })
    expect(r.active().name).toBe('default')
    expect(r.problems()).toHaveLength(1)
    expect(readdirSync(dir).some((f) => f.startsWith('accounts.corrupt-'))).toBe(true)
  })

  it('accounts.json problems reach the status notices of an engine (and so the window)', () => {
    writeFileSync(join(dir, 'accounts.json'), '{oops')
    const registry = createAccountRegistry({ dataDir: dir })
    const engine = createEngine({
      dataDir: accountDataDir(dir, registry.active().name),
      secretStore: createMemoryStore(),
      now: () => new Date('2026-06-01T12:00:00Z'),
      notices: () => registry.notices()
    })
    expect(engine.getStatus().notices).toEqual([
      expect.stringMatching(/^accounts\.json is damaged \(it is not valid JSON\)\. It was kept as/)
    ])
  })
})

describe('accounts are isolated', () => {
  const KEY_A = 'sk-admin-ACCOUNTAKEY0123456789abcd'
  const KEY_B = 'sk-admin-ACCOUNTBKEY0123456789abcd'
  let server: FakeOpenAIServer
  beforeEach(async () => {
    server = await startFakeOpenAIServer({ adminKeys: [KEY_A, KEY_B] })
  })
  afterEach(() => server.close())

  it("one account's key, ledger and project filter never reach another", async () => {
    const keychain = createMemoryStore()
    const registry = createAccountRegistry({ dataDir: dir })
    await registry.add('B', ['proj_b'])
    const now = (): Date => new Date('2026-06-01T12:00:00Z')
    const engineFor = (name: string) => {
      const account = registry.get(name)
      return createEngine({
        dataDir: accountDataDir(dir, account.name),
        account: account.name,
        projectIds: account.projectIds,
        secretStore: keychain,
        baseURL: server.baseURL,
        now
      })
    }
    const a = engineFor('default')
    const b = engineFor('B')
    expect((await a.setKey(KEY_A)).ok).toBe(true)
    expect((await b.setKey(KEY_B)).ok).toBe(true)
    await a.recordBalance(100)
    await b.recordBalance(7)

    server.resetRecords()
    await a.refresh()
    expect(new Set(server.requests.map((r) => r.bearer))).toEqual(new Set([KEY_A]))
    expect(server.requests[0]!.query['project_ids[]']).toBeUndefined()
    server.resetRecords()
    await b.refresh()
    expect(new Set(server.requests.map((r) => r.bearer))).toEqual(new Set([KEY_B]))
    expect(server.requests[0]!.query['project_ids[]']).toEqual(['proj_b'])

    expect(a.getStatus().balance).toBe(100)
    expect(b.getStatus().balance).toBe(7)
    expect(a.getLedger()).toHaveLength(1)
    expect((await a.getKeyInfo()).masked).toBe('sk-admin-…abcd')
    await b.clearKey()
    expect((await a.getKeyInfo()).present).toBe(true)
  })
})

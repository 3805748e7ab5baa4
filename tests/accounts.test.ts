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

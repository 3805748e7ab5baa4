// The account registry's rules in their exact words and limits: names (length, characters,
// trimming), project filters, the 20-account cap, which account becomes active when the active
// one is removed, and the notices about accounts an older version wrote.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  accountDataDir,
  createAccountRegistry,
  folderName,
  MAX_ACCOUNTS,
  parseProjectIds,
  registrySchema,
  validateAccountName
} from '../src/main/engine/accounts'
import { InputError } from '../src/main/engine/errors'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-accounts-rules-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const NAME_RULE =
  'An account name is 1–40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.'

describe('account names', () => {
  it('take 1 to 40 characters starting with a letter or digit, trimmed', () => {
    expect(validateAccountName('  a  ')).toBe('a')
    expect(validateAccountName('9')).toBe('9')
    expect(validateAccountName('A'.repeat(40))).toBe('A'.repeat(40))
    expect(validateAccountName('a b_c.d-e')).toBe('a b_c.d-e')
    for (const bad of ['A'.repeat(41), '_shop', '-shop', ' ', 'shop!', 'shöp', 'a\nb'])
      expect(() => validateAccountName(bad), JSON.stringify(bad)).toThrow(NAME_RULE)
  })

  it('say why a reserved name or a final dot cannot be used', () => {
    expect(() => validateAccountName('lpt5.log')).toThrow(
      '"lpt5.log" is a reserved device name on Windows (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, with or without an extension), so its data folder could not move to a Windows machine.'
    )
    expect(() => validateAccountName('Shop.')).toThrow(
      '"Shop." ends with a dot, which Windows drops from folder names: choose a name ending with a letter or digit.'
    )
    // A space before the reserved part makes it another folder name.
    expect(validateAccountName('my con')).toBe('my con')
  })

  it('map to a lowercase folder with dashes for spaces', () => {
    expect(folderName('My Big Shop')).toBe('my-big-shop')
    expect(accountDataDir('/data', 'default')).toBe('/data')
    expect(accountDataDir('/data', 'My Shop')).toBe(join('/data', 'accounts', 'my-shop'))
  })
})

describe('project filters', () => {
  it('split on commas, trim, drop empties and duplicates, keep order', () => {
    expect(parseProjectIds('')).toEqual([])
    expect(parseProjectIds('   ')).toEqual([])
    expect(parseProjectIds(' proj_b , ,proj_a,proj_b ')).toEqual(['proj_b', 'proj_a'])
    expect(parseProjectIds('p-1')).toEqual(['p-1'])
    expect(parseProjectIds('x'.repeat(100))).toEqual(['x'.repeat(100)])
  })

  it('refuse anything that is not a project id, naming it', () => {
    expect(() => parseProjectIds('proj_a,proj.b')).toThrow(
      '"proj.b" is not a project id (they look like proj_abc123).'
    )
    expect(() => parseProjectIds('x'.repeat(101))).toThrow(InputError)
  })
})

describe('the registry', () => {
  it('refuses a 21st account and a duplicate, in words', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    for (let i = 1; i < MAX_ACCOUNTS; i++) await r.add(`Account ${i}`)
    expect(r.list()).toHaveLength(MAX_ACCOUNTS)
    await expect(r.add('One too many')).rejects.toThrow('At most 20 accounts.')
    await expect(r.add('ACCOUNT 3')).rejects.toThrow('An account named "ACCOUNT 3" already exists.')
    expect(r.list()).toHaveLength(20)
  })

  it('names the accounts there are when asked for one that is not', () => {
    const r = createAccountRegistry({ dataDir: dir })
    expect(() => r.get('Shop')).toThrow('There is no account named "Shop". Accounts: default.')
    expect(r.get('  DEFAULT ')).toEqual({ name: 'default', projectIds: [] })
  })

  it('removing the active account makes the first remaining one active; another stays active', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('A')
    await r.add('B')
    await r.setActive('B')
    expect(await r.remove('a')).toEqual({ name: 'A', projectIds: [] })
    expect(r.active().name).toBe('B')
    await r.setActive('default')
    await r.remove('default')
    expect(r.active().name).toBe('B')
    expect(r.list().map((a) => a.name)).toEqual(['B'])
    await expect(r.remove('B')).rejects.toThrow('The last account cannot be removed.')
  })

  it('setActive returns the account as stored, whatever the case asked', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('Shop', ['proj_a'])
    expect(await r.setActive('SHOP')).toEqual({ name: 'Shop', projectIds: ['proj_a'] })
    expect(await r.setActive('shop')).toEqual({ name: 'Shop', projectIds: ['proj_a'] })
    expect(r.active().name).toBe('Shop')
  })

  it('refuses a name that would share the default folder', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('Shop X')
    await expect(r.add('shop-x')).rejects.toThrow(
      '"shop-x" would use the same data folder (accounts/shop-x) as the account "Shop X", so ' +
        'both would share one ledger. Choose a name that differs in more than upper/lower case ' +
        'and spaces/dashes.'
    )
  })

  it('words the notice about two accounts sharing a folder, and one about a dotted name', () => {
    writeFileSync(
      join(dir, 'accounts.json'),
      JSON.stringify({
        schemaVersion: 1,
        data: {
          accounts: [
            { name: 'default', projectIds: [] },
            { name: 'Shop X', projectIds: [] },
            { name: 'shop-x', projectIds: [] },
            { name: 'Old.', projectIds: [] }
          ],
          active: 'default'
        }
      })
    )
    expect(createAccountRegistry({ dataDir: dir }).notices()).toEqual([
      'The accounts "Shop X" and "shop-x" share one data folder (accounts/shop-x), so their ' +
        'ledgers and costs are mixed. Remove one of them and add it again under a name of its own.',
      'Account "Old." ends with a dot, which Windows drops from folder names: choose a name ending with a letter or digit.'
    ])
  })

  it('has no notices for a healthy registry', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('Shop')
    expect(r.notices()).toEqual([])
    expect(r.problems()).toEqual([])
  })
})

describe('the registry file schema', () => {
  it('needs the active account to exist and names unique regardless of case', () => {
    const ok = { accounts: [{ name: 'default', projectIds: [] }], active: 'default' }
    expect(registrySchema.safeParse(ok).success).toBe(true)
    expect(registrySchema.safeParse({ ...ok, active: 'Shop' }).success).toBe(false)
    expect(
      registrySchema.safeParse({
        accounts: [
          { name: 'Shop', projectIds: [] },
          { name: 'shop', projectIds: [] }
        ],
        active: 'Shop'
      }).success
    ).toBe(false)
    expect(registrySchema.safeParse({ accounts: [], active: 'default' }).success).toBe(false)
  })
})

describe('the registry file', () => {
  it('choosing the account that is already active writes nothing', async () => {
    const r = createAccountRegistry({ dataDir: dir })
    await r.add('Shop')
    await r.setActive('Shop')
    const file = join(dir, 'accounts.json')
    const before = readFileSync(file, 'utf8')
    const stamp = statSync(file).mtimeMs
    await r.setActive('shop')
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(statSync(file).mtimeMs).toBe(stamp)
  })

  it('names a damaged registry kept aside by the clock it was given', () => {
    writeFileSync(join(dir, 'accounts.json'), '{oops')
    const r = createAccountRegistry({ dataDir: dir, now: () => new Date('2026-05-04T03:02:01Z') })
    expect(r.list()).toHaveLength(1)
    expect(r.problems()[0]!.keptAs).toMatch(/2026-05-04/)
  })
})

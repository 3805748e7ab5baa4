// Several OpenAI organizations ("accounts"), each with its own Admin key (a keychain entry named
// after the account), its own ledger, settings, cache and alert state (its own folder), and an
// optional project filter. The first account is "default" and lives in the app-data folder
// itself, so a single-account setup needs no migration.
import { join } from 'node:path'
import { z } from 'zod'
import { InputError } from './errors'
import { createJsonStore, type StoreProblem } from './store'

export const ACCOUNTS_VERSION = 1
export const DEFAULT_ACCOUNT_NAME = 'default'
export const MAX_ACCOUNTS = 20

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$/

export const accountSchema = z.object({
  name: z.string().regex(NAME_RE),
  /** Only costs of these projects count (empty: the whole organization). */
  projectIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/)).max(50)
})
export type Account = z.infer<typeof accountSchema>

export const registrySchema = z
  .object({ accounts: z.array(accountSchema).min(1).max(MAX_ACCOUNTS), active: z.string() })
  .refine((r) => r.accounts.some((a) => a.name === r.active), 'the active account must exist')
  .refine(
    (r) => new Set(r.accounts.map((a) => a.name.toLowerCase())).size === r.accounts.length,
    'account names must be unique'
  )
export type Registry = z.infer<typeof registrySchema>

export const DEFAULT_REGISTRY: Registry = {
  accounts: [{ name: DEFAULT_ACCOUNT_NAME, projectIds: [] }],
  active: DEFAULT_ACCOUNT_NAME
}

/** The folder of an account's documents. Names are validated, so they are safe as folder names. */
export function accountDataDir(root: string, name: string): string {
  return name === DEFAULT_ACCOUNT_NAME ? root : join(root, 'accounts', folderName(name))
}

/** Lowercase, spaces to dashes: the same on case-insensitive file systems (macOS, Windows). */
function folderName(name: string): string {
  return name.toLowerCase().replace(/ /g, '-')
}

export function validateAccountName(raw: string): string {
  const name = raw.trim()
  if (!NAME_RE.test(name)) {
    throw new InputError(
      'An account name is 1–40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.'
    )
  }
  return name
}

export function parseProjectIds(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return []
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const id of ids) {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) {
      throw new InputError(`"${id}" is not a project id (they look like proj_abc123).`)
    }
  }
  return [...new Set(ids)]
}

export interface AccountRegistry {
  list(): Account[]
  active(): Account
  /** The named account (case-insensitive), or an InputError naming the accounts that exist. */
  get(name: string): Account
  add(name: string, projectIds?: string[]): Account
  /** Forgets the account (its folder is kept on disk: history is never silently deleted). */
  remove(name: string): Account
  setActive(name: string): Account
  problems(): StoreProblem[]
}

export function createAccountRegistry(opts: {
  dataDir: string
  now?: () => Date
}): AccountRegistry {
  const store = createJsonStore<Registry>({
    dir: opts.dataDir,
    name: 'accounts',
    schema: registrySchema,
    version: ACCOUNTS_VERSION,
    defaults: () => DEFAULT_REGISTRY,
    ...(opts.now ? { now: opts.now } : {})
  })
  const problems: StoreProblem[] = []
  const load = (): Registry => {
    const { value, problem } = store.load()
    if (problem) problems.push(problem)
    return value
  }
  const find = (r: Registry, name: string): Account => {
    const wanted = name.trim().toLowerCase()
    const found = r.accounts.find((a) => a.name.toLowerCase() === wanted)
    if (!found) {
      throw new InputError(
        `There is no account named "${name}". Accounts: ${r.accounts.map((a) => a.name).join(', ')}.`
      )
    }
    return found
  }

  return {
    list: () => load().accounts,
    active() {
      const r = load()
      return find(r, r.active)
    },
    get: (name) => find(load(), name),
    add(rawName, projectIds = []) {
      const name = validateAccountName(rawName)
      const r = load()
      if (r.accounts.some((a) => a.name.toLowerCase() === name.toLowerCase())) {
        throw new InputError(`An account named "${name}" already exists.`)
      }
      if (r.accounts.length >= MAX_ACCOUNTS)
        throw new InputError(`At most ${MAX_ACCOUNTS} accounts.`)
      const account: Account = { name, projectIds }
      store.save({ ...r, accounts: [...r.accounts, account] })
      return account
    },
    remove(name) {
      const r = load()
      const account = find(r, name)
      if (r.accounts.length === 1) throw new InputError('The last account cannot be removed.')
      const accounts = r.accounts.filter((a) => a !== account)
      const active = r.active === account.name ? accounts[0]!.name : r.active
      store.save({ accounts, active })
      return account
    },
    setActive(name) {
      const r = load()
      const account = find(r, name)
      store.save({ ...r, active: account.name })
      return account
    },
    problems: () => [...problems]
  }
}

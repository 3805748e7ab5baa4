// Several OpenAI organizations ("accounts"), each with its own Admin key (a keychain entry named
// after the account), its own ledger, settings, cache and alert state (its own folder), and an
// optional project filter. The first account is "default" and lives in the app-data folder
// itself, so a single-account setup needs no migration.
import { join } from 'node:path'
import { z } from 'zod'
import { InputError } from './errors'
import type { FileLockOptions } from './file-lock'
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

/**
 * Lowercase, spaces to dashes: the same on case-insensitive file systems (macOS, Windows). This
 * is an account's identity: two names with one folder would share one ledger and one cache.
 */
export function folderName(name: string): string {
  return name.toLowerCase().replace(/ /g, '-')
}

/**
 * The data folder relative to the app-data folder, for messages ("accounts/agency-x"). Only asked
 * about names whose folder another account shares, which the default account's (the app-data
 * folder itself) never is: no other name maps to it.
 */
function folderLabel(name: string): string {
  return `accounts/${folderName(name)}`
}

/**
 * Windows refuses these as file or folder names, with any extension ("nul.txt", "COM1.x"), in
 * any case: a data folder named so could not be copied to a Windows machine.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i

/** Why a (syntactically valid) name would break a data folder on some OS, or null. */
function portabilityProblem(name: string): string | null {
  if (WINDOWS_RESERVED.test(folderName(name))) {
    return `"${name}" is a reserved device name on Windows (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, with or without an extension), so its data folder could not move to a Windows machine.`
  }
  if (/[.]$/.test(name)) {
    return `"${name}" ends with a dot, which Windows drops from folder names: choose a name ending with a letter or digit.`
  }
  return null
}

export function validateAccountName(raw: string): string {
  const name = raw.trim()
  if (!NAME_RE.test(name)) {
    throw new InputError(
      'An account name is 1–40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.'
    )
  }
  const problem = portabilityProblem(name)
  if (problem) throw new InputError(problem)
  return name
}

/** The account already using the data folder `name` would get, or undefined. */
function sharingFolder(accounts: Account[], name: string): Account | undefined {
  return accounts.find((a) => accountDataDir('', a.name) === accountDataDir('', name))
}

export function parseProjectIds(raw: string | undefined): string[] {
  if (raw === undefined) return []
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
  /**
   * Adds an account under the registry's inter-process lock (so concurrent adds are all kept).
   * Refuses (InputError) a name whose data folder another account already uses.
   */
  add(name: string, projectIds?: string[]): Promise<Account>
  /** Forgets the account (its folder is kept on disk: history is never silently deleted). */
  remove(name: string): Promise<Account>
  setActive(name: string): Promise<Account>
  problems(): StoreProblem[]
  /**
   * For a person: accounts.json could not be used, or accounts written by an older version share
   * a data folder or have names that break on another OS. Shown in every account's status.
   */
  notices(): string[]
}

export function createAccountRegistry(opts: {
  dataDir: string
  now?: () => Date
  lock?: FileLockOptions
}): AccountRegistry {
  const problems: StoreProblem[] = []
  const store = createJsonStore<Registry>({
    dir: opts.dataDir,
    name: 'accounts',
    schema: registrySchema,
    version: ACCOUNTS_VERSION,
    defaults: () => DEFAULT_REGISTRY,
    onProblem: (p) => problems.push(p),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.lock ? { lock: opts.lock } : {})
  })
  const load = (): Registry => store.load().value
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
    async add(rawName, projectIds = []) {
      const name = validateAccountName(rawName)
      const account: Account = { name, projectIds }
      // Checked against the registry as it is on disk under the lock: of two processes adding
      // names with one folder at once, the second is refused.
      await store.update((r) => {
        if (r.accounts.some((a) => a.name.toLowerCase() === name.toLowerCase())) {
          throw new InputError(`An account named "${name}" already exists.`)
        }
        const other = sharingFolder(r.accounts, name)
        if (other) {
          throw new InputError(
            `"${name}" would use the same data folder (${folderLabel(name)}) as the account ` +
              `"${other.name}", so both would share one ledger. Choose a name that differs in ` +
              'more than upper/lower case and spaces/dashes.'
          )
        }
        if (r.accounts.length >= MAX_ACCOUNTS)
          throw new InputError(`At most ${MAX_ACCOUNTS} accounts.`)
        return { ...r, accounts: [...r.accounts, account] }
      })
      return account
    },
    async remove(name) {
      let removed: Account | undefined
      await store.update((r) => {
        const account = find(r, name)
        if (r.accounts.length === 1) throw new InputError('The last account cannot be removed.')
        const accounts = r.accounts.filter((a) => a !== account)
        const active = r.active === account.name ? accounts[0]!.name : r.active
        removed = account
        return { accounts, active }
      })
      return removed!
    },
    async setActive(name) {
      let chosen: Account | undefined
      await store.update((r) => {
        const account = find(r, name)
        chosen = account
        return r.active === account.name ? r : { ...r, active: account.name }
      })
      return chosen!
    },
    problems: () => [...problems],
    notices() {
      const out = problems.map((p) => p.message)
      const accounts = load().accounts
      const seen = new Map<string, string>()
      for (const a of accounts) {
        const folder = accountDataDir('', a.name)
        const first = seen.get(folder)
        if (first === undefined) seen.set(folder, a.name)
        else
          out.push(
            `The accounts "${first}" and "${a.name}" share one data folder (${folderLabel(a.name)}), ` +
              'so their ledgers and costs are mixed. Remove one of them and add it again under a ' +
              'name of its own.'
          )
        const problem = portabilityProblem(a.name)
        if (problem && a.name !== DEFAULT_ACCOUNT_NAME) out.push(`Account ${problem}`)
      }
      return out
    }
  }
}

// Where the Admin key is kept: the OS keychain through keytar (macOS Keychain, Windows Credential
// Manager, the Secret Service on Linux), or memory when there is no keychain.
//
// keytar is a native module that talks to D-Bus on Linux, so it fails in ways plain code does
// not: the module may not load, there may be no Secret Service, the keyring may be locked and
// wait for a prompt nobody sees. It is therefore loaded on first use (never at import) and every
// call is wrapped: failures and hangs become `CreditTrayError('keychain')` with a message for a
// person, and the secret never appears in that message.
import type { KeyStorage } from '../../shared/settings'
import { CreditTrayError, redactSecrets } from './errors'

export const KEYCHAIN_SERVICE = 'Credit Tray'
/** The account the Admin key is stored under (one organization per install for now). */
export const DEFAULT_ACCOUNT = 'default'
/** How long a keychain call may take before it counts as "not answering" (e.g. stuck prompt). */
export const KEYCHAIN_TIMEOUT_MS = 5_000

export interface SecretStore {
  readonly kind: KeyStorage
  /** The stored secret, or null when there is none. */
  get(account: string): Promise<string | null>
  /** Store (or replace) the secret. */
  set(account: string, secret: string): Promise<void>
  /** Remove the secret; false when there was nothing to remove. */
  delete(account: string): Promise<boolean>
}

/** The part of keytar's API the store uses. */
interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export interface KeytarStoreOptions {
  /** Keychain service name; tests use their own so they never touch a real entry. */
  service?: string
  /** Loads keytar (sync or async). Injected by tests to simulate a missing or broken module. */
  loadKeytar?: () => unknown
  /** Per-call limit; a call that takes longer becomes a `keychain` error. */
  timeoutMs?: number
}

const LINUX_HINT =
  'On Linux install gnome-keyring or another Secret Service provider (such as KeePassXC) and ' +
  'make sure it is running and unlocked; on macOS and Windows the keychain is built in.'

function keychainError(reason: string, cause: unknown, secret?: string): CreditTrayError {
  // Native and D-Bus messages can be long; keep the gist, and never let the secret through.
  const clean = redactSecrets(reason, secret).replace(/\s+/g, ' ').trim().replace(/\.$/, '')
  const short = clean.length > 200 ? clean.slice(0, 197) + '…' : clean
  return new CreditTrayError(
    'keychain',
    `The system keychain is not available: ${short || 'unknown error'}. ${LINUX_HINT}`,
    { cause }
  )
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message
  return typeof err === 'string' ? err : String(err)
}

function asKeytar(mod: unknown): Keytar | null {
  const isKeytar = (m: unknown): m is Keytar =>
    typeof m === 'object' &&
    m !== null &&
    typeof (m as Keytar).getPassword === 'function' &&
    typeof (m as Keytar).setPassword === 'function' &&
    typeof (m as Keytar).deletePassword === 'function'
  if (isKeytar(mod)) return mod
  // `import()` of a CommonJS module puts module.exports on `default`.
  const inner =
    typeof mod === 'object' && mod !== null ? (mod as { default?: unknown }).default : undefined
  return isKeytar(inner) ? inner : null
}

/** A store backed by the OS keychain. Nothing native is loaded until the first call. */
export function createKeytarStore(opts: KeytarStoreOptions = {}): SecretStore {
  const service = opts.service ?? KEYCHAIN_SERVICE
  const load = opts.loadKeytar ?? (() => import('keytar'))
  const timeoutMs = opts.timeoutMs ?? KEYCHAIN_TIMEOUT_MS
  // Only a successful load is cached: a failed one is retried next time (cheap, and the user
  // may have started the keyring daemon in the meantime).
  let loaded: Keytar | null = null

  async function keytar(): Promise<Keytar> {
    if (loaded) return loaded
    let mod: unknown
    try {
      mod = await load()
    } catch (err) {
      throw keychainError(`keytar could not be loaded (${reasonOf(err)})`, err)
    }
    const k = asKeytar(mod)
    if (!k) throw keychainError('keytar loaded but does not look like keytar', undefined)
    loaded = k
    return k
  }

  async function call<T>(what: string, fn: (k: Keytar) => Promise<T>, secret?: string): Promise<T> {
    const k = await keytar()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            keychainError(
              `it did not answer within ${Math.round(timeoutMs / 100) / 10} s while trying to ${what} ` +
                '(it may be locked and waiting for an unlock prompt)',
              undefined
            )
          ),
        timeoutMs
      )
    })
    try {
      // The native call may settle after a timeout (say, once the user unlocks): its result is
      // then dropped, which is fine for reads and harmless for the idempotent set/delete.
      return await Promise.race([Promise.resolve().then(() => fn(k)), timeout])
    } catch (err) {
      if (err instanceof CreditTrayError) throw err
      throw keychainError(reasonOf(err), err, secret)
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    kind: 'keychain',
    get: (account) => call('read the key', (k) => k.getPassword(service, account)),
    set: (account, secret) =>
      call('store the key', (k) => k.setPassword(service, account, secret), secret),
    delete: (account) => call('remove the key', (k) => k.deletePassword(service, account))
  }
}

/** A store that forgets everything when the process ends (no keychain, or tests of callers). */
export function createMemoryStore(): SecretStore {
  const entries = new Map<string, string>()
  return {
    kind: 'memory',
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => {
      entries.set(account, secret)
    },
    delete: async (account) => entries.delete(account)
  }
}

const PROBE_ACCOUNT = 'credit-tray-probe'

export type ProbeResult = { ok: true } | { ok: false; message: string }

/**
 * Whether the store can actually keep a key: writes, reads back and removes a throwaway entry.
 * A read alone is not enough: on Linux a read succeeds without any keyring (it just finds
 * nothing) while storing fails. Never throws.
 */
export async function probeKeychain(store: SecretStore): Promise<ProbeResult> {
  const value = `probe-${Date.now().toString(36)}`
  try {
    await store.set(PROBE_ACCOUNT, value)
    const back = await store.get(PROBE_ACCOUNT)
    await store.delete(PROBE_ACCOUNT)
    if (back !== value) {
      return {
        ok: false,
        message: 'The system keychain accepted a test entry but did not give it back. ' + LINUX_HINT
      }
    }
    return { ok: true }
  } catch (err) {
    const message =
      err instanceof CreditTrayError ? err.message : keychainError(reasonOf(err), err).message
    return { ok: false, message }
  }
}

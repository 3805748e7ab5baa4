// The second place the Admin key can live when the OS keychain (keytar) does not work: a file in
// the app-data folder holding the key encrypted with Electron's safeStorage (Keychain-derived key
// on macOS, DPAPI on Windows, the Secret Service or KWallet on Linux).
//
// On Linux without any secret service, safeStorage silently falls back to "basic_text": a
// hard-coded password baked into Chromium, which is obfuscation, not encryption. The store refuses
// that backend unless the user explicitly opted in, and says so in words they can act on.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { z } from 'zod'
import { CreditTrayError } from '../engine/errors'
import type { ProbeResult, SecretStore } from '../engine/secrets'
import { ensurePrivateDir } from '../engine/store'

/** The part of Electron's safeStorage we use. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only in Electron; absent or ignored elsewhere. */
  getSelectedStorageBackend?(): string
}

export interface SafeStorageStoreOptions {
  safeStorage: SafeStorageLike
  /** e.g. `<userData>/secrets.json`. */
  filePath: string
  /** The user accepted basic_text (fixed-password) storage on Linux. */
  allowBasicText: boolean
  platform: NodeJS.Platform
  /** Appended to the basic_text refusal: how this user can opt in (a setting, a flag...). */
  optInHint?: string
}

export interface SafeStorageStore extends SecretStore {
  readonly kind: 'safeStorage'
  /** Can this store keep a key right now? Round-trips a test string in memory; never throws. */
  check(): ProbeResult
  /** Set when the store works but protects the key only weakly (basic_text opted in). */
  weaknessWarning(): string | null
}

export const FILE_MODE = 0o600
const WEAK_BACKENDS = new Set(['basic_text', 'unknown'])

export const BASIC_TEXT_REFUSAL =
  'No Secret Service (such as gnome-keyring or KWallet) is running, so Electron could only hide the ' +
  'key behind a fixed password that is the same on every computer ("basic_text"). Credit Tray does ' +
  'not store the key that way unless you allow it.'
export const BASIC_TEXT_WARNING =
  'The key is stored with a fixed-password encoding ("basic_text") because no Secret Service is ' +
  'running: anyone who can read your files can recover it.'
export const UNAVAILABLE_MESSAGE = 'Electron safeStorage cannot encrypt on this system.'

const fileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** account -> base64 of safeStorage.encryptString(secret) */
  secrets: z.record(z.string(), z.string())
})
type SecretsFile = z.infer<typeof fileSchema>

export function createSafeStorageStore(opts: SafeStorageStoreOptions): SafeStorageStore {
  const { safeStorage, filePath } = opts

  const backend = (): string | null =>
    opts.platform === 'linux' && typeof safeStorage.getSelectedStorageBackend === 'function'
      ? safeStorage.getSelectedStorageBackend()
      : null
  const isWeak = (): boolean => {
    const b = backend()
    return b !== null && WEAK_BACKENDS.has(b)
  }

  function check(): ProbeResult {
    try {
      if (!safeStorage.isEncryptionAvailable()) return { ok: false, message: UNAVAILABLE_MESSAGE }
      if (isWeak() && !opts.allowBasicText) {
        return {
          ok: false,
          message: opts.optInHint ? `${BASIC_TEXT_REFUSAL} ${opts.optInHint}` : BASIC_TEXT_REFUSAL
        }
      }
      const probe = 'credit-tray-probe'
      if (safeStorage.decryptString(safeStorage.encryptString(probe)) !== probe) {
        return { ok: false, message: UNAVAILABLE_MESSAGE }
      }
      return { ok: true }
    } catch {
      return { ok: false, message: UNAVAILABLE_MESSAGE }
    }
  }

  function ensureUsable(): void {
    const result = check()
    if (!result.ok) throw new CreditTrayError('keychain', result.message)
  }

  async function readFile(): Promise<SecretsFile> {
    let text: string
    try {
      text = await fs.readFile(filePath, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 1, secrets: {} }
      throw new CreditTrayError(
        'keychain',
        `The encrypted key file ${filePath} could not be read.`,
        { cause: err }
      )
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    const checked = fileSchema.safeParse(parsed)
    if (!checked.success) {
      // Left in place (not overwritten): it may be from a newer version; the user can delete it.
      throw new CreditTrayError(
        'keychain',
        `The encrypted key file ${filePath} is damaged or from a newer Credit Tray. Delete it and add the key again.`
      )
    }
    return checked.data
  }

  async function writeFile(data: SecretsFile): Promise<void> {
    ensurePrivateDir(path.dirname(filePath))
    await writeFileAtomic(filePath, JSON.stringify(data, null, 2) + '\n', { mode: FILE_MODE })
  }

  const has = (data: SecretsFile, account: string): boolean => Object.hasOwn(data.secrets, account)

  return {
    kind: 'safeStorage',
    check,
    weaknessWarning: () => (isWeak() && opts.allowBasicText ? BASIC_TEXT_WARNING : null),

    async get(account) {
      ensureUsable()
      const data = await readFile()
      if (!has(data, account)) return null
      try {
        return safeStorage.decryptString(Buffer.from(data.secrets[account] ?? '', 'base64'))
      } catch (err) {
        // Typically: encrypted under another OS user or keyring; the old key cannot be recovered.
        throw new CreditTrayError(
          'keychain',
          'The stored key could not be decrypted (the system keyring may have changed). Add the key again.',
          { cause: err }
        )
      }
    },

    async set(account, secret) {
      ensureUsable()
      let encrypted: Buffer
      try {
        encrypted = safeStorage.encryptString(secret)
      } catch {
        // No cause: an encryption error has no business carrying the input around.
        throw new CreditTrayError('keychain', UNAVAILABLE_MESSAGE)
      }
      const data = await readFile()
      const secrets: Record<string, string> = {
        ...data.secrets,
        [account]: encrypted.toString('base64')
      }
      await writeFile({ schemaVersion: 1, secrets })
    },

    async delete(account) {
      // Deleting needs no encryption, so it works even when the keyring went away.
      const data = await readFile()
      if (!has(data, account)) return false
      const secrets: Record<string, string> = { ...data.secrets }
      delete secrets[account]
      await writeFile({ schemaVersion: 1, secrets })
      return true
    }
  }
}

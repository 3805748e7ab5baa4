// Picking where the Admin key lives, best first: the OS keychain (keytar); else a file encrypted
// with Electron's safeStorage; else memory only, with a warning the user sees in the key panel.
// Chosen once at startup, after `app.whenReady()` (safeStorage needs it on Linux).
import type { ProbeResult, SecretStore } from '../engine/secrets'
import type { SafeStorageStore } from './safe-storage-store'

export const MEMORY_WARNING = 'No keychain is available: the key is kept in memory until you quit.'
/**
 * Shown with the key when the keychain was skipped (keytar did not load, which can happen now
 * that its upstream is archived, or no keyring answered) and the encrypted file is used.
 */
export const KEYCHAIN_FALLBACK_NOTE =
  "The system keychain could not be used, so the key is kept in a file encrypted with Electron's " +
  'safeStorage instead.'

export interface KeyStoreChainOptions {
  /** Creates the keytar store; may throw when the native module cannot be loaded. */
  keytar: () => SecretStore | Promise<SecretStore>
  /** `probeKeychain` from secrets.ts: write/read/delete round trip; never throws. */
  probe: (store: SecretStore) => Promise<ProbeResult>
  /** Creates the safeStorage store; null where Electron is absent. May throw. */
  safeStorage: (() => SafeStorageStore) | null
  memory: () => SecretStore
}

export interface KeyStoreChoice {
  store: SecretStore
  /** For KeyInfo.warning: shown to the user. Null when the key is stored properly. */
  warning: string | null
  /** Why better stores were skipped, for the log (no secrets: these are probe messages). */
  skipped: string[]
}

export async function chooseKeyStore(opts: KeyStoreChainOptions): Promise<KeyStoreChoice> {
  const skipped: string[] = []

  try {
    const keytar = await opts.keytar()
    const result = await opts.probe(keytar)
    if (result.ok) return { store: keytar, warning: null, skipped }
    skipped.push(`keychain: ${result.message}`)
  } catch (err) {
    skipped.push(`keychain: ${err instanceof Error ? err.message : String(err)}`)
  }

  if (opts.safeStorage) {
    try {
      const store = opts.safeStorage()
      const result = store.check()
      if (result.ok) {
        // Reached only when the keychain was skipped: say so, with any weakness of the file.
        const warning = [KEYCHAIN_FALLBACK_NOTE, store.weaknessWarning()].filter(Boolean).join(' ')
        return { store, warning, skipped }
      }
      skipped.push(`safeStorage: ${result.message}`)
    } catch (err) {
      skipped.push(`safeStorage: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  return { store: opts.memory(), warning: MEMORY_WARNING, skipped }
}

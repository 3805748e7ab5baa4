// Where the key lives when the keychain is missing: the safeStorage-encrypted file (refusing
// Linux's fixed-password "basic_text" unless opted in), and the keychain -> safeStorage -> memory
// chain with the warning the user sees.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CreditTrayError } from '../src/main/engine/errors'
import {
  createKeytarStore,
  createMemoryStore,
  probeKeychain,
  type SecretStore
} from '../src/main/engine/secrets'
import {
  KEYCHAIN_FALLBACK_NOTE,
  MEMORY_WARNING,
  chooseKeyStore
} from '../src/main/electron/key-store-chain'
import {
  BASIC_TEXT_REFUSAL,
  BASIC_TEXT_WARNING,
  UNAVAILABLE_MESSAGE,
  createSafeStorageStore,
  type SafeStorageStoreOptions
} from '../src/main/electron/safe-storage-store'
import { resetElectronWebFake, safeStorage } from './fakes/electron-web'

const KEY = 'sk-admin-' + 'Q7w'.repeat(30)
let dir: string
let filePath: string

beforeEach(() => {
  resetElectronWebFake()
  dir = mkdtempSync(path.join(tmpdir(), 'credit-tray-safe-'))
  filePath = path.join(dir, 'nested', 'secrets.json')
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function store(overrides: Partial<SafeStorageStoreOptions> = {}) {
  return createSafeStorageStore({
    safeStorage,
    filePath,
    allowBasicText: false,
    platform: 'linux',
    ...overrides
  })
}

async function rejection(promise: Promise<unknown>): Promise<CreditTrayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(CreditTrayError)
  return error as CreditTrayError
}

describe('safeStorage store', () => {
  it('round-trips a key through an encrypted file that never holds it in plain text', async () => {
    const s = store()
    expect(s.kind).toBe('safeStorage')
    await expect(s.get('default')).resolves.toBeNull()
    await s.set('default', KEY)
    await expect(s.get('default')).resolves.toBe(KEY)
    const text = readFileSync(filePath, 'utf8')
    expect(text).not.toContain(KEY)
    expect(text).not.toContain('Q7wQ7w')
    expect(JSON.parse(text)).toMatchObject({ schemaVersion: 1 })
    // A second store on the same file (next launch) reads it back.
    await expect(store().get('default')).resolves.toBe(KEY)
  })

  it.skipIf(process.platform === 'win32')('writes the file readable by the user only', async () => {
    await store().set('default', KEY)
    expect(statSync(filePath).mode & 0o777).toBe(0o600)
    expect(statSync(path.dirname(filePath)).mode & 0o777).toBe(0o700)
  })

  it.skipIf(process.platform === 'win32')(
    'tightens a pre-existing 0755 data folder to 0700',
    async () => {
      mkdirSync(path.dirname(filePath), { mode: 0o755 })
      chmodSync(path.dirname(filePath), 0o755)
      await store().set('default', KEY)
      expect(statSync(path.dirname(filePath)).mode & 0o777).toBe(0o700)
      expect(statSync(filePath).mode & 0o777).toBe(0o600)
    }
  )

  it('keeps accounts apart and deletes one without touching the other', async () => {
    const s = store()
    await s.set('a', 'sk-admin-aaaaaaaaaaaa')
    await s.set('b', 'sk-admin-bbbbbbbbbbbb')
    await expect(s.delete('a')).resolves.toBe(true)
    await expect(s.delete('a')).resolves.toBe(false)
    await expect(s.get('a')).resolves.toBeNull()
    await expect(s.get('b')).resolves.toBe('sk-admin-bbbbbbbbbbbb')
  })

  it('does not confuse inherited property names with accounts', async () => {
    const s = store()
    await s.set('default', KEY)
    await expect(s.get('toString')).resolves.toBeNull()
    await expect(s.delete('__proto__')).resolves.toBe(false)
  })

  it('on Linux refuses basic_text storage unless the user opted in, with a clear message', async () => {
    safeStorage.backend = 'basic_text'
    const s = store({ optInHint: 'Set "Allow weak key storage" to store it anyway.' })
    expect(s.check()).toEqual({
      ok: false,
      message: `${BASIC_TEXT_REFUSAL} Set "Allow weak key storage" to store it anyway.`
    })
    const error = await rejection(s.set('default', KEY))
    expect(error.kind).toBe('keychain')
    expect(error.message).toContain('basic_text')
    expect(error.message).not.toContain(KEY)
    expect(existsSync(filePath)).toBe(false)
    expect(safeStorage.encryptCalls).toBe(0)
  })

  it('treats an unknown Linux backend like basic_text', () => {
    safeStorage.backend = 'unknown'
    expect(store().check()).toEqual({ ok: false, message: BASIC_TEXT_REFUSAL })
  })

  it('stores with basic_text when opted in, and says the protection is weak', async () => {
    safeStorage.backend = 'basic_text'
    const s = store({ allowBasicText: true })
    expect(s.check()).toEqual({ ok: true })
    expect(s.weaknessWarning()).toBe(BASIC_TEXT_WARNING)
    await s.set('default', KEY)
    await expect(s.get('default')).resolves.toBe(KEY)
  })

  it.each(['gnome_libsecret', 'kwallet5', 'kwallet6'] as const)(
    'accepts the %s backend without a warning',
    (backend) => {
      safeStorage.backend = backend
      const s = store()
      expect(s.check()).toEqual({ ok: true })
      expect(s.weaknessWarning()).toBeNull()
    }
  )

  it('only asks for the backend on Linux (macOS and Windows have real encryption)', () => {
    safeStorage.backend = 'basic_text' // what the fake would say; ignored off Linux
    expect(store({ platform: 'darwin' }).check()).toEqual({ ok: true })
    expect(store({ platform: 'win32' }).check()).toEqual({ ok: true })
  })

  it('refuses when encryption is not available at all', async () => {
    safeStorage.available = false
    const s = store()
    expect(s.check()).toEqual({ ok: false, message: UNAVAILABLE_MESSAGE })
    expect((await rejection(s.get('default'))).kind).toBe('keychain')
  })

  it('can still delete a stored key after the keyring went away', async () => {
    const s = store()
    await s.set('default', KEY)
    safeStorage.available = false
    await expect(s.delete('default')).resolves.toBe(true)
  })

  it('reports a damaged file without overwriting it', async () => {
    const s = store()
    await s.set('default', KEY)
    writeFileSync(filePath, '{"schemaVersion": 2, "secrets": {}}')
    const error = await rejection(s.set('default', KEY))
    expect(error.message).toMatch(/damaged or from a newer Credit Tray/)
    expect(readFileSync(filePath, 'utf8')).toBe('{"schemaVersion": 2, "secrets": {}}')
  })

  it('reports a key that cannot be decrypted any more', async () => {
    await store().set('default', KEY)
    writeFileSync(
      filePath,
      JSON.stringify({
        schemaVersion: 1,
        secrets: { default: Buffer.from('garbage').toString('base64') }
      })
    )
    const error = await rejection(store().get('default'))
    expect(error.message).toMatch(/could not be decrypted/)
  })
})

// ---------------------------------------------------------------------------------------------

const working = (kind: SecretStore['kind']): SecretStore => ({ ...createMemoryStore(), kind })
const brokenKeytar = () =>
  createKeytarStore({
    loadKeytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file'))
  })

describe('chooseKeyStore', () => {
  it('uses the keychain when it answers', async () => {
    const keychain = working('keychain')
    const choice = await chooseKeyStore({
      keytar: () => keychain,
      probe: probeKeychain,
      safeStorage: () => store(),
      memory: createMemoryStore
    })
    expect(choice).toEqual({ store: keychain, warning: null, skipped: [] })
  })

  it('falls back to safeStorage when keytar cannot be loaded', async () => {
    const choice = await chooseKeyStore({
      keytar: brokenKeytar,
      probe: probeKeychain,
      safeStorage: () => store(),
      memory: createMemoryStore
    })
    expect(choice.store.kind).toBe('safeStorage')
    // The app keeps working, and the key panel says where the key went instead.
    expect(choice.warning).toBe(
      "The system keychain could not be used, so the key is kept in a file encrypted with Electron's " +
        'safeStorage instead.'
    )
    expect(choice.skipped).toHaveLength(1)
    expect(choice.skipped[0]).toMatch(/^keychain: .*could not be loaded/)
    // It really is the working file store.
    await choice.store.set('default', KEY)
    await expect(store().get('default')).resolves.toBe(KEY)
  })

  it('falls back to safeStorage when creating the keytar store throws', async () => {
    const choice = await chooseKeyStore({
      keytar: () => {
        throw new Error('no native module')
      },
      probe: probeKeychain,
      safeStorage: () => store(),
      memory: createMemoryStore
    })
    expect(choice.store.kind).toBe('safeStorage')
    expect(choice.skipped).toEqual(['keychain: no native module'])
  })

  it('falls back when no keyring answers the probe', async () => {
    const choice = await chooseKeyStore({
      keytar: () => working('keychain'),
      probe: async () => ({
        ok: false,
        message: 'The system keychain is not available: no Secret Service.'
      }),
      safeStorage: () => store(),
      memory: createMemoryStore
    })
    expect(choice.store.kind).toBe('safeStorage')
  })

  it('keeps the key in memory, with the visible warning, when safeStorage would be basic_text', async () => {
    safeStorage.backend = 'basic_text'
    const choice = await chooseKeyStore({
      keytar: brokenKeytar,
      probe: probeKeychain,
      safeStorage: () => store(),
      memory: createMemoryStore
    })
    expect(choice.store.kind).toBe('memory')
    expect(choice.warning).toBe(MEMORY_WARNING)
    expect(choice.warning).toBe(
      'No keychain is available: the key is kept in memory until you quit.'
    )
    expect(choice.skipped[1]).toBe(`safeStorage: ${BASIC_TEXT_REFUSAL}`)
  })

  it('uses basic_text when the user opted in, passing its weakness warning on', async () => {
    safeStorage.backend = 'basic_text'
    const choice = await chooseKeyStore({
      keytar: brokenKeytar,
      probe: probeKeychain,
      safeStorage: () => store({ allowBasicText: true }),
      memory: createMemoryStore
    })
    expect(choice.store.kind).toBe('safeStorage')
    expect(choice.warning).toBe(`${KEYCHAIN_FALLBACK_NOTE} ${BASIC_TEXT_WARNING}`)
  })

  it('goes straight to memory where there is no safeStorage (outside Electron)', async () => {
    const choice = await chooseKeyStore({
      keytar: brokenKeytar,
      probe: probeKeychain,
      safeStorage: null,
      memory: createMemoryStore
    })
    expect(choice.store.kind).toBe('memory')
    expect(choice.warning).toBe(MEMORY_WARNING)
  })

  it('goes to memory when creating the safeStorage store throws', async () => {
    const choice = await chooseKeyStore({
      keytar: brokenKeytar,
      probe: probeKeychain,
      safeStorage: () => {
        throw new Error('app not ready')
      },
      memory: createMemoryStore
    })
    expect(choice.store.kind).toBe('memory')
    expect(choice.skipped[1]).toBe('safeStorage: app not ready')
  })
})

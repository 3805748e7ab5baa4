// The key store against the REAL system keychain (gnome-keyring over D-Bus, through keytar),
// plus the ways the keychain fails. scripts/test.sh runs vitest inside `dbus-run-session` with a
// fresh HOME and an unlocked gnome-keyring and sets CREDIT_TRAY_KEYRING=1; without that the
// real-keyring tests skip (they would otherwise need, and could touch, the user's own keyring).
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { CreditTrayError } from '../src/main/engine/errors'
import {
  createKeytarStore,
  createMemoryStore,
  DEFAULT_ACCOUNT,
  KEYCHAIN_SERVICE,
  KEYCHAIN_TIMEOUT_MS,
  probeKeychain,
  type SecretStore
} from '../src/main/engine/secrets'

const REAL_KEYRING = process.env.CREDIT_TRAY_KEYRING === '1'
const SKIP_REASON =
  'real keychain tests need CREDIT_TRAY_KEYRING=1 inside dbus-run-session with an unlocked ' +
  'gnome-keyring (scripts/test.sh sets this up)'
if (!REAL_KEYRING) console.info(`secrets-keytar: skipping real-keyring tests: ${SKIP_REASON}`)

const SECRET = 'sk-admin-TestOnly0123456789abcdefghijklmnopqrstuv'
const OTHER_SECRET = 'sk-admin-OtherTest9876543210zyxwvutsrqponmlkjihg'

async function keychainErrorOf(promise: Promise<unknown>): Promise<CreditTrayError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(CreditTrayError)
  const cte = err as CreditTrayError
  expect(cte.kind).toBe('keychain')
  expect(cte.retryable).toBe(false)
  return cte
}

describe.skipIf(!REAL_KEYRING)('keytar store on a real Secret Service keyring', () => {
  // A service of its own per run, so the real "Credit Tray" entry is never touched.
  const service = `Credit Tray Test ${process.pid}-${Math.random().toString(36).slice(2)}`
  const store = createKeytarStore({ service })
  const used = new Set<string>()
  const account = (name: string): string => {
    used.add(name)
    return name
  }

  afterAll(async () => {
    for (const a of used) await store.delete(a).catch(() => false)
  })

  it('reports itself as the keychain', () => {
    expect(store.kind).toBe('keychain')
  })

  it('stores, reads back and deletes a secret', async () => {
    const a = account(DEFAULT_ACCOUNT)
    expect(await store.get(a)).toBeNull()
    await store.set(a, SECRET)
    expect(await store.get(a)).toBe(SECRET)
    expect(await store.delete(a)).toBe(true)
    expect(await store.get(a)).toBeNull()
  })

  it('keeps two accounts apart', async () => {
    const a = account('org-a')
    const b = account('org-b')
    await store.set(a, SECRET)
    await store.set(b, OTHER_SECRET)
    expect(await store.get(a)).toBe(SECRET)
    expect(await store.get(b)).toBe(OTHER_SECRET)
    await store.delete(a)
    expect(await store.get(a)).toBeNull()
    expect(await store.get(b)).toBe(OTHER_SECRET)
  })

  it('replaces the secret when set twice', async () => {
    const a = account('overwrite')
    await store.set(a, SECRET)
    await store.set(a, OTHER_SECRET)
    expect(await store.get(a)).toBe(OTHER_SECRET)
  })

  it('says false when deleting an entry that does not exist', async () => {
    expect(await store.delete(account('never-stored'))).toBe(false)
  })

  it('round-trips unicode in accounts and secrets', async () => {
    const a = account('Zoë’s org 🚀')
    const secret = 'pässwörd-密钥-🔑-' + SECRET
    await store.set(a, secret)
    expect(await store.get(a)).toBe(secret)
  })

  it('does not share entries with another service name', async () => {
    const a = account('shared-name')
    await store.set(a, SECRET)
    const elsewhere = createKeytarStore({ service: service + ' (other)' })
    expect(await elsewhere.get(a)).toBeNull()
  })

  it('passes the probe', async () => {
    expect(await probeKeychain(store)).toEqual({ ok: true })
  })
})

// A fresh D-Bus session with no unlocked keyring: the Secret Service is auto-started but has no
// usable collection and cannot show an unlock prompt (no display). Run in a child process so it
// gets its own bus; the point is a clear keychain error instead of a hang or crash.
const hasDbusRunSession =
  process.platform === 'linux' &&
  (process.env.PATH ?? '').split(delimiter).some((d) => existsSync(join(d, 'dbus-run-session')))

describe.skipIf(!REAL_KEYRING || !hasDbusRunSession)('keytar without a usable keyring', () => {
  const secretsModule = resolve(__dirname, '../src/main/engine/secrets.ts')
  const tsx = resolve(__dirname, '../node_modules/.bin/tsx')
  const script = `
    import { createKeytarStore, probeKeychain } from ${JSON.stringify(secretsModule)}
    void (async () => {
    const store = createKeytarStore({ service: 'Credit Tray Child Test' })
    const out = {}
    try { await store.set('default', ${JSON.stringify(SECRET)}); out.set = { ok: true } }
    catch (e) { out.set = { ok: false, kind: e.kind, message: e.message } }
    out.probe = await probeKeychain(store)
    console.log('RESULT ' + JSON.stringify(out))
    })()
  `
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  function runChild(
    cmd: string,
    args: string[],
    env: NodeJS.ProcessEnv
  ): Promise<{ set: { ok: boolean; kind?: string; message?: string }; probe: unknown }> {
    return new Promise((done, fail) => {
      execFile(cmd, args, { env, timeout: 45_000 }, (err, stdout) => {
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
        if (!line) return fail(err ?? new Error('child printed no result'))
        done(JSON.parse(line.slice('RESULT '.length)))
      })
    })
  }

  function freshEnv(): NodeJS.ProcessEnv {
    const home = mkdtempSync(join(tmpdir(), 'credit-tray-nokeyring-'))
    dirs.push(home)
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'd') }
    delete env.DBUS_SESSION_BUS_ADDRESS
    delete env.DISPLAY
    delete env.WAYLAND_DISPLAY
    delete env.GNOME_KEYRING_CONTROL
    return env
  }

  it('fails with a keychain error when the keyring was never unlocked', async () => {
    const out = await runChild('dbus-run-session', ['--', tsx, '--eval', script], freshEnv())
    expect(out.set.ok).toBe(false)
    expect(out.set.kind).toBe('keychain')
    expect(out.set.message).toMatch(/^The system keychain is not available: /)
    expect(out.set.message).toContain('gnome-keyring')
    expect(out.set.message).not.toContain(SECRET)
    expect(out.probe).toMatchObject({ ok: false })
  })

  it('fails with a keychain error when there is no D-Bus session at all', async () => {
    const out = await runChild(tsx, ['--eval', script], freshEnv())
    expect(out.set).toMatchObject({ ok: false, kind: 'keychain' })
    expect(out.set.message).toMatch(/^The system keychain is not available: .*D-Bus/)
    expect(out.probe).toMatchObject({ ok: false })
  })
})

describe('keytar store when the keychain is unavailable', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('uses the "Credit Tray" service and loads keytar only on first use', async () => {
    const calls: unknown[][] = []
    const loadKeytar = vi.fn(() => ({
      getPassword: async (...args: unknown[]) => {
        calls.push(args)
        return null
      },
      setPassword: async () => {},
      deletePassword: async () => false
    }))
    const store = createKeytarStore({ loadKeytar })
    expect(loadKeytar).not.toHaveBeenCalled()
    await store.get(DEFAULT_ACCOUNT)
    await store.get('second')
    expect(loadKeytar).toHaveBeenCalledTimes(1)
    expect(calls).toEqual([
      [KEYCHAIN_SERVICE, 'default'],
      [KEYCHAIN_SERVICE, 'second']
    ])
    expect(KEYCHAIN_SERVICE).toBe('Credit Tray')
  })

  it('accepts keytar as an ES module namespace with a default export', async () => {
    const keytar = {
      getPassword: async () => 'from-default',
      setPassword: async () => {},
      deletePassword: async () => true
    }
    const store = createKeytarStore({ loadKeytar: async () => ({ default: keytar }) })
    expect(await store.get('x')).toBe('from-default')
  })

  it('turns a keytar that cannot load into a keychain error with advice', async () => {
    const store = createKeytarStore({
      loadKeytar: () => {
        throw new Error("Cannot find module '../build/Release/keytar.node'")
      }
    })
    const err = await keychainErrorOf(store.get(DEFAULT_ACCOUNT))
    expect(err.message).toMatch(
      /^The system keychain is not available: keytar could not be loaded \(Cannot find module .*keytar\.node'\)\. /
    )
    expect(err.message).toContain(
      'On Linux install gnome-keyring or another Secret Service provider'
    )
    expect(err.cause).toBeInstanceOf(Error)
  })

  it('tries to load keytar again after a failed load', async () => {
    let attempts = 0
    const store = createKeytarStore({
      loadKeytar: () => {
        attempts++
        if (attempts === 1) throw new Error('libsecret-1.so.0: cannot open shared object file')
        return {
          getPassword: async () => 'ok',
          setPassword: async () => {},
          deletePassword: async () => true
        }
      }
    })
    await keychainErrorOf(store.get('a'))
    expect(await store.get('a')).toBe('ok')
  })

  it('rejects a module that is not keytar', async () => {
    const store = createKeytarStore({ loadKeytar: () => ({ something: 'else' }) })
    const err = await keychainErrorOf(store.set('a', SECRET))
    expect(err.message).toContain('does not look like keytar')
  })

  it('wraps failing keytar calls, keeping the cause but never the secret', async () => {
    const dbusError = new Error(
      `org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided (while storing ${SECRET})`
    )
    const store = createKeytarStore({
      loadKeytar: () => ({
        getPassword: () =>
          Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
        setPassword: () => Promise.reject(dbusError),
        deletePassword: () => Promise.reject('the keyring is locked')
      })
    })

    const setErr = await keychainErrorOf(store.set(DEFAULT_ACCOUNT, SECRET))
    expect(setErr.message).toContain('org.freedesktop.secrets was not provided')
    expect(setErr.message).not.toContain(SECRET)
    expect(setErr.message).not.toContain(SECRET.slice(9, 30))
    expect(setErr.cause).toBe(dbusError)

    const getErr = await keychainErrorOf(store.get(DEFAULT_ACCOUNT))
    expect(getErr.message).toContain('Cannot autolaunch D-Bus without X11 $DISPLAY')

    const delErr = await keychainErrorOf(store.delete(DEFAULT_ACCOUNT))
    expect(delErr.message).toContain('the keyring is locked')
  })

  it('wraps keytar functions that throw synchronously', async () => {
    const store = createKeytarStore({
      loadKeytar: () => ({
        getPassword: () => {
          throw new TypeError('boom')
        },
        setPassword: async () => {},
        deletePassword: async () => true
      })
    })
    const err = await keychainErrorOf(store.get('a'))
    expect(err.message).toContain('boom')
  })

  it('gives up on a keychain that never answers (e.g. a hidden unlock prompt)', async () => {
    vi.useFakeTimers()
    const store = createKeytarStore({
      loadKeytar: () => ({
        getPassword: () => new Promise<string | null>(() => {}),
        setPassword: () => new Promise<void>(() => {}),
        deletePassword: () => new Promise<boolean>(() => {})
      })
    })
    const pending = keychainErrorOf(store.set(DEFAULT_ACCOUNT, SECRET))
    await vi.advanceTimersByTimeAsync(KEYCHAIN_TIMEOUT_MS - 1)
    let settled = false
    void pending.then(() => (settled = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const err = await pending
    expect(err.message).toMatch(/did not answer within 5 s while trying to store the key/)
    expect(err.message).not.toContain(SECRET)
  })

  it('lets callers choose the time limit', async () => {
    vi.useFakeTimers()
    const store = createKeytarStore({
      timeoutMs: 1500,
      loadKeytar: () => ({
        getPassword: () => new Promise<string | null>(() => {}),
        setPassword: async () => {},
        deletePassword: async () => true
      })
    })
    const pending = keychainErrorOf(store.get('a'))
    await vi.advanceTimersByTimeAsync(1500)
    expect((await pending).message).toContain('within 1.5 s while trying to read the key')
  })

  it('probe reports the problem instead of throwing', async () => {
    const store = createKeytarStore({
      loadKeytar: () => {
        throw new Error('no native module')
      }
    })
    const result = await probeKeychain(store)
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.message).toMatch(/^The system keychain is not available: .*no native module/)
  })

  it('probe notices a keychain that loses what it was given', async () => {
    const forgetful: SecretStore = {
      kind: 'keychain',
      get: async () => null,
      set: async () => {},
      delete: async () => false
    }
    expect(await probeKeychain(forgetful)).toMatchObject({ ok: false })
  })

  it('probe wraps non-keychain errors from other stores', async () => {
    const broken: SecretStore = {
      kind: 'safeStorage',
      get: async () => null,
      set: async () => {
        throw new Error('disk full')
      },
      delete: async () => false
    }
    const result = await probeKeychain(broken)
    expect(result).toMatchObject({ ok: false })
    if (!result.ok) expect(result.message).toContain('disk full')
  })
})

describe('memory store', () => {
  it('keeps secrets per account until deleted', async () => {
    const store = createMemoryStore()
    expect(store.kind).toBe('memory')
    expect(await store.get(DEFAULT_ACCOUNT)).toBeNull()
    await store.set(DEFAULT_ACCOUNT, SECRET)
    await store.set('other', OTHER_SECRET)
    expect(await store.get(DEFAULT_ACCOUNT)).toBe(SECRET)
    expect(await store.get('other')).toBe(OTHER_SECRET)
    await store.set(DEFAULT_ACCOUNT, OTHER_SECRET)
    expect(await store.get(DEFAULT_ACCOUNT)).toBe(OTHER_SECRET)
    expect(await store.delete(DEFAULT_ACCOUNT)).toBe(true)
    expect(await store.delete(DEFAULT_ACCOUNT)).toBe(false)
    expect(await store.get(DEFAULT_ACCOUNT)).toBeNull()
  })

  it('does not share entries between stores', async () => {
    const a = createMemoryStore()
    const b = createMemoryStore()
    await a.set('x', SECRET)
    expect(await b.get('x')).toBeNull()
  })

  it('passes the probe', async () => {
    expect(await probeKeychain(createMemoryStore())).toEqual({ ok: true })
  })
})

describe('keytar store messages and calls, in detail', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  const failingWith = (reason: unknown) =>
    createKeytarStore({
      loadKeytar: () => ({
        getPassword: () => Promise.reject(reason),
        setPassword: async () => {},
        deletePassword: async () => true
      })
    })

  it('keeps the gist of a long native message on one line, without its final dot', async () => {
    const err = await keychainErrorOf(
      failingWith(new Error('  The keyring\n\tis   locked.  ')).get('a')
    )
    expect(err.message).toBe(
      'The system keychain is not available: The keyring is locked. ' +
        'On Linux install gnome-keyring or another Secret Service provider (such as KeePassXC) ' +
        'and make sure it is running and unlocked; on macOS and Windows the keychain is built in.'
    )
  })

  it('clips a message longer than 200 characters', async () => {
    const long = 'x'.repeat(250)
    const err = await keychainErrorOf(failingWith(new Error(long)).get('a'))
    expect(err.message).toContain(`: ${'x'.repeat(197)}…. On Linux`)
    const exact = await keychainErrorOf(failingWith(new Error('y'.repeat(200))).get('a'))
    expect(exact.message).toContain(`: ${'y'.repeat(200)}. On Linux`)
  })

  it('says "unknown error" for an empty reason, and words other thrown values', async () => {
    const empty = await keychainErrorOf(failingWith(new Error('')).get('a'))
    expect(empty.message).toMatch(/^The system keychain is not available: unknown error\. On Linux/)
    const number = await keychainErrorOf(failingWith(42).get('a'))
    expect(number.message).toMatch(/^The system keychain is not available: 42\. On Linux/)
  })

  it('refuses a module missing any of the three keytar functions, also under default', async () => {
    const full = {
      getPassword: async () => 'x',
      setPassword: async () => {},
      deletePassword: async () => true
    }
    for (const missing of ['getPassword', 'setPassword', 'deletePassword'] as const) {
      const partial: Record<string, unknown> = { ...full, [missing]: 'not a function' }
      for (const mod of [partial, { default: partial }]) {
        const store = createKeytarStore({ loadKeytar: () => mod })
        const err = await keychainErrorOf(store.get('a'))
        expect(err.message, missing).toContain('keytar loaded but does not look like keytar')
      }
    }
    for (const mod of [null, 'keytar', { default: null }]) {
      const err = await keychainErrorOf(createKeytarStore({ loadKeytar: () => mod }).get('a'))
      expect(err.message).toContain('does not look like keytar')
    }
  })

  it('stores and deletes under the service and account given, returning what keytar says', async () => {
    const calls: unknown[][] = []
    const store = createKeytarStore({
      service: 'Test Service',
      loadKeytar: () => ({
        getPassword: async (...args: unknown[]) => {
          calls.push(['get', ...args])
          return 'stored'
        },
        setPassword: async (...args: unknown[]) => {
          calls.push(['set', ...args])
        },
        deletePassword: async (...args: unknown[]) => {
          calls.push(['delete', ...args])
          return false
        }
      })
    })
    expect(store.kind).toBe('keychain')
    await store.set('acc', SECRET)
    expect(await store.get('acc')).toBe('stored')
    expect(await store.delete('acc')).toBe(false)
    expect(calls).toEqual([
      ['set', 'Test Service', 'acc', SECRET],
      ['get', 'Test Service', 'acc'],
      ['delete', 'Test Service', 'acc']
    ])
  })

  it('names what it was doing when the keychain did not answer in time', async () => {
    vi.useFakeTimers()
    const store = createKeytarStore({
      timeoutMs: 250,
      loadKeytar: () => ({
        getPassword: () => new Promise<string | null>(() => {}),
        setPassword: () => new Promise<void>(() => {}),
        deletePassword: () => new Promise<boolean>(() => {})
      })
    })
    const pending = keychainErrorOf(store.delete('a'))
    await vi.advanceTimersByTimeAsync(250)
    expect((await pending).message).toBe(
      'The system keychain is not available: it did not answer within 0.3 s while trying to ' +
        'remove the key (it may be locked and waiting for an unlock prompt). ' +
        'On Linux install gnome-keyring or another Secret Service provider (such as KeePassXC) ' +
        'and make sure it is running and unlocked; on macOS and Windows the keychain is built in.'
    )
  })

  it('an answer in time clears the deadline (nothing fires later)', async () => {
    vi.useFakeTimers()
    const store = createKeytarStore({
      loadKeytar: () => ({
        getPassword: async () => 'fast',
        setPassword: async () => {},
        deletePassword: async () => true
      })
    })
    expect(await store.get('a')).toBe('fast')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('probe writes, reads back and removes its own entry, and explains a lost entry', async () => {
    const log: string[] = []
    const values = new Map<string, string>()
    const recording: SecretStore = {
      kind: 'keychain',
      get: async (a) => {
        log.push(`get ${a}`)
        return values.get(a) ?? null
      },
      set: async (a, v) => {
        log.push(`set ${a}`)
        values.set(a, v)
      },
      delete: async (a) => {
        log.push(`delete ${a}`)
        return values.delete(a)
      }
    }
    expect(await probeKeychain(recording)).toEqual({ ok: true })
    expect(log).toEqual([
      'set credit-tray-probe',
      'get credit-tray-probe',
      'delete credit-tray-probe'
    ])
    expect(values.size).toBe(0)

    const forgetful: SecretStore = { ...recording, get: async () => 'something else' }
    expect(await probeKeychain(forgetful)).toEqual({
      ok: false,
      message:
        'The system keychain accepted a test entry but did not give it back. ' +
        'On Linux install gnome-keyring or another Secret Service provider (such as KeePassXC) ' +
        'and make sure it is running and unlocked; on macOS and Windows the keychain is built in.'
    })
  })

  it('probe passes on a keychain error as it is', async () => {
    const store = failingWith(new Error('locked'))
    const direct = await keychainErrorOf(store.get('x'))
    const viaSet: SecretStore = {
      kind: 'keychain',
      get: async () => null,
      set: async () => {
        throw direct
      },
      delete: async () => false
    }
    expect(await probeKeychain(viaSet)).toEqual({ ok: false, message: direct.message })
  })
})

// withFileLock on its own: the lock folder exists exactly while the holder runs, the holder's
// errors pass through and the lock is released anyway, callers of one process wait in order
// within one deadline, a lock held elsewhere is waited for and then taken, and a folder that
// cannot hold a lock is a storage error. (store-update.test.ts covers it through store.update.)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { CreditTrayError } from '../src/main/engine/errors'
import { LOCK_STALE_MS, withFileLock } from '../src/main/engine/file-lock'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-lock-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))
const file = () => path.join(dir, 'doc.json')

async function storageFailure(p: Promise<unknown>): Promise<CreditTrayError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err
  )
  expect(e).toBeInstanceOf(CreditTrayError)
  expect((e as CreditTrayError).kind).toBe('storage')
  return e as CreditTrayError
}

describe('withFileLock', () => {
  it('holds <file>.lock while the holder runs, hands back its result, and removes the lock', async () => {
    const result = await withFileLock(file(), (lock) => {
      expect(fs.existsSync(`${file()}.lock`)).toBe(true)
      expect(lock.compromised()).toBe(false)
      return 42
    })
    expect(result).toBe(42)
    expect(fs.existsSync(`${file()}.lock`)).toBe(false)
  })

  it("passes the holder's own error through and still releases the lock", async () => {
    const boom = new Error('refused')
    await expect(
      withFileLock(file(), async () => {
        throw boom
      })
    ).rejects.toBe(boom)
    expect(fs.existsSync(`${file()}.lock`)).toBe(false)
    expect(await withFileLock(file(), () => 'again')).toBe('again')
  })

  it('a caller of this process behind a slow holder gives up at its deadline; the next one runs', async () => {
    let releaseFirst!: () => void
    const first = withFileLock(file(), () => new Promise<void>((r) => (releaseFirst = r)))
    await vi.waitFor(() => expect(releaseFirst).toBeTypeOf('function'))
    const err = await storageFailure(withFileLock(file(), () => 'never', { timeoutMs: 50 }))
    expect(err.message).toBe(
      'Another Credit Tray process kept doc.json locked for more than 0.1 s, so nothing was ' +
        'changed. Try again; if this persists, check for a hung credit-tray process.'
    )
    releaseFirst()
    await first
    expect(await withFileLock(file(), () => 'next')).toBe('next')
  })

  it('waits for a lock another process holds and takes it once released', async () => {
    const release = await lockfile.lock(file(), { realpath: false, stale: LOCK_STALE_MS })
    const attempts = vi.spyOn(lockfile, 'lock')
    let ran = false
    try {
      const waiting = withFileLock(
        file(),
        () => {
          ran = true
        },
        { timeoutMs: 5_000 }
      )
      // Released only once the waiter has found it held and tried again.
      await vi.waitFor(() => expect(attempts.mock.calls.length).toBeGreaterThanOrEqual(2))
      expect(ran).toBe(false)
      await release()
      await waiting
      expect(ran).toBe(true)
    } finally {
      attempts.mockRestore()
    }
  })

  it('takes over a lock not refreshed for 5 seconds (a holder that died)', async () => {
    fs.mkdirSync(`${file()}.lock`)
    const dead = new Date(Date.now() - LOCK_STALE_MS - 1_500)
    fs.utimesSync(`${file()}.lock`, dead, dead)
    expect(await withFileLock(file(), () => 'taken over', { timeoutMs: 300 })).toBe('taken over')
  })

  it('gives up on a lock held elsewhere at the deadline, saying how long it waited', async () => {
    const release = await lockfile.lock(file(), { realpath: false, stale: LOCK_STALE_MS })
    try {
      const err = await storageFailure(withFileLock(file(), () => 'never', { timeoutMs: 120 }))
      expect(err.message).toMatch(
        /^Another Credit Tray process kept doc\.json locked for more than 0\.1 s/
      )
    } finally {
      await release()
    }
  })

  it('a folder that is not there is a storage error naming it', async () => {
    const missing = path.join(dir, 'gone', 'doc.json')
    const err = await storageFailure(withFileLock(missing, () => 'never'))
    expect(err.message).toMatch(
      new RegExp(
        `^Could not save doc\\.json in "${path.join(dir, 'gone').replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}": `
      )
    )
  })
})

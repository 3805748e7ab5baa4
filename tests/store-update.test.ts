// store.update: the one way a document is changed. Locked (proper-lockfile), re-read, applied,
// saved; failures are `storage` errors that change nothing. Processes are simulated here by
// separate store instances and by taking the lock directly; real processes are in
// tests/cli-concurrency.e2e.test.ts.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { z } from 'zod'
import { CreditTrayError } from '../src/main/engine/errors'
import { LOCK_STALE_MS, withFileLock } from '../src/main/engine/file-lock'
import { createJsonStore } from '../src/main/engine/store'

const listSchema = z.object({ items: z.array(z.string()) })
type List = z.infer<typeof listSchema>

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-update-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const open = (opts: { dir?: string; timeoutMs?: number } = {}) =>
  createJsonStore<List>({
    dir: opts.dir ?? dir,
    name: 'list',
    schema: listSchema,
    version: 1,
    defaults: () => ({ items: [] }),
    lock: { timeoutMs: opts.timeoutMs ?? 2_000 }
  })
const file = () => path.join(dir, 'list.json')
const onDisk = (): string[] => JSON.parse(fs.readFileSync(file(), 'utf8')).data.items
const add = (item: string) => (l: List) => ({ items: [...l.items, item] })

describe('store.update', () => {
  it('applies the change to what is on disk now, not to an older copy', async () => {
    const app = open()
    const cli = open()
    const stale = app.load().value // the app read the file earlier...
    await cli.update(add('from the CLI')) // ...then another process wrote
    const saved = await app.update((current) => ({ items: [...current.items, 'from the app'] }))
    expect(saved.items).toEqual(['from the CLI', 'from the app'])
    expect(onDisk()).toEqual(['from the CLI', 'from the app'])
    expect(stale.items).toEqual([])
  })

  it('keeps every one of many overlapping updates', async () => {
    const stores = Array.from({ length: 5 }, () => open())
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => stores[i % stores.length]!.update(add(`n${i}`)))
    )
    expect(onDisk().sort()).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`).sort())
    expect(fs.readdirSync(dir)).toEqual(['list.json']) // no lock or temp file left behind
  })

  it('saves nothing when the change throws or changes nothing, and releases the lock', async () => {
    const s = open()
    await s.update(add('a'))
    const before = fs.statSync(file()).mtimeMs
    await expect(
      s.update(() => {
        throw new Error('refused')
      })
    ).rejects.toThrow('refused')
    await s.update((l) => l)
    expect(fs.statSync(file()).mtimeMs).toBe(before)
    await s.update(add('b')) // the lock was released both times
    expect(onDisk()).toEqual(['a', 'b'])
  })

  it('gives up with a storage error, changing nothing, while another process holds the lock', async () => {
    const s = open({ timeoutMs: 300 })
    await s.update(add('kept'))
    const release = await lockfile.lock(file(), { realpath: false, stale: LOCK_STALE_MS })
    try {
      const err = await s.update(add('lost?')).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CreditTrayError)
      expect((err as CreditTrayError).kind).toBe('storage')
      expect((err as Error).message).toMatch(/kept list\.json locked for more than 0\.3 s/)
      expect(onDisk()).toEqual(['kept'])
    } finally {
      await release()
    }
    await s.update(add('later'))
    expect(onDisk()).toEqual(['kept', 'later'])
  })

  it('takes over a lock left by a process that died (not refreshed for the stale time)', async () => {
    const s = open({ timeoutMs: 1_000 })
    fs.mkdirSync(`${file()}.lock`)
    const dead = new Date(Date.now() - LOCK_STALE_MS - 1_000)
    fs.utimesSync(`${file()}.lock`, dead, dead)
    await s.update(add('after the crash'))
    expect(onDisk()).toEqual(['after the crash'])
    expect(fs.existsSync(`${file()}.lock`)).toBe(false)
  })

  it('a file where the data folder should be is a storage error naming the folder', async () => {
    const notAFolder = path.join(dir, 'home')
    fs.writeFileSync(notAFolder, 'I am a file')
    const err = await open({ dir: notAFolder })
      .update(add('x'))
      .catch((e: unknown) => e)
    expect((err as CreditTrayError).kind).toBe('storage')
    expect((err as Error).message).toBe(
      `Could not save list.json in "${notAFolder}": a file stands where the data folder should be. Nothing was changed.`
    )
    expect(fs.readFileSync(notAFolder, 'utf8')).toBe('I am a file')
  })
})

describe('withFileLock inside one process', () => {
  it('runs the holders of one file one after the other, in call order', async () => {
    const order: string[] = []
    let releaseFirst!: () => void
    const first = withFileLock(file(), async () => {
      order.push('first in')
      await new Promise<void>((r) => (releaseFirst = r))
      order.push('first out')
    })
    const second = withFileLock(file(), () => {
      order.push('second')
    })
    await vi.waitFor(() => expect(order).toEqual(['first in']))
    releaseFirst()
    await Promise.all([first, second])
    expect(order).toEqual(['first in', 'first out', 'second'])
  })
})

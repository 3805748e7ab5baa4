// A JSON document store after something went wrong: a file that cannot be read at all, a file
// that can only be copied aside, the user repairing or removing a blocked file, leftovers that
// only look like temp files, and a save that loses its lock or cannot be written.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { createJsonStore, StoreError } from '../src/main/engine/store'

const schema = z.object({ count: z.number().int() })
type Doc = z.infer<typeof schema>
const CLOCK = new Date('2024-03-05T06:07:08.009Z')
const KEPT = 'doc.corrupt-2024-03-05T06-07-08-009Z.json'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-store-recovery-'))
})
afterEach(() => {
  vi.restoreAllMocks()
  fs.rmSync(dir, { recursive: true, force: true })
})

const file = () => path.join(dir, 'doc.json')
const store = (extra: Partial<Parameters<typeof createJsonStore<Doc>>[0]> = {}) =>
  createJsonStore<Doc>({
    dir,
    name: 'doc',
    schema,
    version: 1,
    defaults: () => ({ count: 0 }),
    now: () => CLOCK,
    ...extra
  })
const envelope = (count: number) => JSON.stringify({ schemaVersion: 1, data: { count } })
const errno = (code: string) => () => {
  throw Object.assign(new Error(code), { code })
}

describe('a file that cannot be read', () => {
  it('is unreadable, named with its error code, and kept aside', () => {
    fs.mkdirSync(file()) // a folder where the document should be: EISDIR
    const problem = store().load().problem
    expect(problem).toEqual({
      kind: 'unreadable',
      file: file(),
      keptAs: path.join(dir, KEPT),
      message:
        `doc.json could not be read (EISDIR). It was kept as "${path.join(dir, KEPT)}" and ` +
        'Credit Tray started from defaults for doc.json; nothing was deleted.'
    })
  })

  it('a missing folder is no document yet: defaults, no problem', () => {
    const s = store({ dir: path.join(dir, 'not-there') })
    expect(s.load()).toEqual({ value: { count: 0 }, problem: null })
  })

  it('a file standing where the folder should be is no document either', () => {
    fs.writeFileSync(path.join(dir, 'plain'), 'x')
    const s = store({ dir: path.join(dir, 'plain') })
    expect(s.load()).toEqual({ value: { count: 0 }, problem: null })
  })
})

describe('keeping a file aside on file systems without hard links', () => {
  it('renames it when linking is not allowed', () => {
    fs.writeFileSync(file(), 'garbage')
    vi.spyOn(fs, 'linkSync').mockImplementation(errno('EPERM'))
    const problem = store().load().problem
    expect(problem?.keptAs).toBe(path.join(dir, KEPT))
    expect(fs.readFileSync(path.join(dir, KEPT), 'utf8')).toBe('garbage')
    expect(fs.existsSync(file())).toBe(false)
  })

  it('copies it when renaming is not allowed either, and then saves over the original', () => {
    fs.writeFileSync(file(), 'garbage')
    vi.spyOn(fs, 'linkSync').mockImplementation(errno('EPERM'))
    vi.spyOn(fs, 'renameSync').mockImplementation(errno('EXDEV'))
    const s = store()
    expect(s.load().problem?.keptAs).toBe(path.join(dir, KEPT))
    expect(fs.readFileSync(path.join(dir, KEPT), 'utf8')).toBe('garbage')
    vi.restoreAllMocks()
    s.save({ count: 2 })
    expect(s.load()).toEqual({ value: { count: 2 }, problem: null })
  })

  it('takes the next free name when the first one appears meanwhile', () => {
    fs.writeFileSync(file(), 'garbage')
    const link = fs.linkSync
    let first = true
    vi.spyOn(fs, 'linkSync').mockImplementation((from, to) => {
      if (first) {
        first = false
        throw Object.assign(new Error('EEXIST'), { code: 'EEXIST' })
      }
      link(from, to)
    })
    expect(store().load().problem?.keptAs).toBe(
      path.join(dir, 'doc.corrupt-2024-03-05T06-07-08-009Z-1.json')
    )
  })

  it('a file that vanished meanwhile is not kept, and saving over it is refused', () => {
    fs.writeFileSync(file(), 'garbage')
    vi.spyOn(fs, 'linkSync').mockImplementation(errno('ENOENT'))
    const s = store()
    const problem = s.load().problem
    expect(problem?.keptAs).toBeNull()
    expect(problem?.message).toBe(
      'doc.json is damaged (it is not valid JSON). It could not be moved aside, so Credit Tray ' +
        `will not save over it: move or repair "${file()}" and restart.`
    )
  })
})

describe('a blocked file (neither readable nor movable)', () => {
  function blocked() {
    fs.writeFileSync(file(), 'garbage')
    for (const name of ['linkSync', 'renameSync', 'copyFileSync'] as const)
      vi.spyOn(fs, name).mockImplementation(errno('EPERM'))
    const s = store()
    s.load()
    vi.restoreAllMocks()
    return s
  }

  it('refuses saving in words naming the reason and the file', () => {
    const s = blocked()
    expect(() => s.save({ count: 1 })).toThrow(
      new StoreError(
        'Not saving doc.json: doc.json is damaged (it is not valid JSON). Move or repair ' +
          `"${file()}" first, then restart.`
      )
    )
  })

  it('saves again once the user repaired it', () => {
    const s = blocked()
    fs.writeFileSync(file(), envelope(4))
    expect(s.load()).toEqual({ value: { count: 4 }, problem: null })
    s.save({ count: 5 })
    expect(s.load().value).toEqual({ count: 5 })
  })

  it('saves again once the user removed it', () => {
    const s = blocked()
    fs.rmSync(file())
    s.load()
    s.save({ count: 6 })
    expect(s.load().value).toEqual({ count: 6 })
  })

  it('saves again once a later problem could be kept aside', async () => {
    const s = blocked()
    fs.writeFileSync(file(), '{"schemaVersion":1}')
    expect(s.load().problem?.keptAs).not.toBeNull()
    await s.update(() => ({ count: 7 }))
    expect(s.load().value).toEqual({ count: 7 })
  })
})

describe('leftovers that only look like temp files', () => {
  it('are kept unless they are exactly the document name, a dot and digits', () => {
    fs.writeFileSync(file(), envelope(1))
    const names = [
      'doc.json.12ab',
      'xdoc.json.123',
      'docxjson.123',
      'doc.json.123.bak',
      'doc.json.'
    ]
    const old = new Date(CLOCK.getTime() - 3_600_000)
    for (const n of names) {
      fs.writeFileSync(path.join(dir, n), 'x')
      fs.utimesSync(path.join(dir, n), old, old)
    }
    store().load()
    for (const n of names) expect(fs.existsSync(path.join(dir, n)), n).toBe(true)
  })

  it('a temp file exactly ten minutes old is still young; a moment older is removed', () => {
    fs.writeFileSync(file(), envelope(1))
    const young = path.join(dir, 'doc.json.1')
    const old = path.join(dir, 'doc.json.2')
    const tenMinutes = new Date(CLOCK.getTime() - 10 * 60_000)
    const older = new Date(CLOCK.getTime() - 10 * 60_000 - 1_000)
    fs.writeFileSync(young, 'x')
    fs.writeFileSync(old, 'x')
    fs.utimesSync(young, tenMinutes, tenMinutes)
    fs.utimesSync(old, older, older)
    store().load()
    expect(fs.existsSync(young)).toBe(true)
    expect(fs.existsSync(old)).toBe(false)
  })
})

describe('update', () => {
  it('hands the change the document on disk and returns what it saved', async () => {
    fs.writeFileSync(file(), envelope(3))
    const s = store()
    const seen: Doc[] = []
    const saved = await s.update((d) => (seen.push(d), { count: d.count + 1 }))
    expect(seen).toEqual([{ count: 3 }])
    expect(saved).toEqual({ count: 4 })
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({
      schemaVersion: 1,
      data: { count: 4 }
    })
  })

  it('a write that fails is a storage error naming the file, and the old document stays', async () => {
    fs.writeFileSync(file(), envelope(3))
    vi.spyOn(fs, 'writeFile').mockImplementation(((...args: unknown[]) => {
      const cb = args.at(-1) as (e: Error) => void
      cb(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }))
    }) as typeof fs.writeFile)
    vi.spyOn(fs, 'write').mockImplementation(((...args: unknown[]) => {
      const cb = args.at(-1) as (e: Error) => void
      cb(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }))
    }) as typeof fs.write)
    await expect(store().update(() => ({ count: 9 }))).rejects.toMatchObject({
      kind: 'storage',
      message: expect.stringMatching(/^Could not save doc\.json in ".*": .*Nothing was changed\.$/)
    })
    vi.restoreAllMocks()
    expect(store().load().value).toEqual({ count: 3 })
  })

  it('refuses an invalid result and saves nothing', async () => {
    fs.writeFileSync(file(), envelope(3))
    await expect(store().update(() => ({ count: 0.5 }))).rejects.toThrow(
      'Refusing to save an invalid doc.json (at count).'
    )
    expect(store().load().value).toEqual({ count: 3 })
  })
})

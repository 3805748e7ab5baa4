import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createJsonStore, ensurePrivateDir, StoreError } from '../src/main/engine/store'

const counterSchema = z.object({ count: z.number().int(), label: z.string() })
type Counter = z.infer<typeof counterSchema>
const DEFAULTS: Counter = { count: 0, label: 'new' }
const CLOCK = new Date('2024-03-05T06:07:08.009Z')

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-store-'))
})
afterEach(() => {
  vi.restoreAllMocks()
  fs.rmSync(dir, { recursive: true, force: true })
})

function store(overrides: Partial<Parameters<typeof createJsonStore<Counter>>[0]> = {}) {
  return createJsonStore<Counter>({
    dir,
    name: 'counter',
    schema: counterSchema,
    version: 2,
    defaults: DEFAULTS,
    now: () => CLOCK,
    ...overrides
  })
}

const file = () => path.join(dir, 'counter.json')
const keptFiles = () => fs.readdirSync(dir).filter((f) => f.includes('.corrupt-'))

describe('loading and saving', () => {
  it('returns the defaults without a problem when there is no file yet', () => {
    const { value, problem } = store().load()
    expect(value).toEqual(DEFAULTS)
    expect(problem).toBeNull()
  })

  it('hands out a fresh copy of the defaults, so changing one does not change the next', () => {
    const first = store().load().value
    first.count = 99
    expect(store().load().value).toEqual(DEFAULTS)
  })

  it('reads back what it saved, wrapped with the schema version', () => {
    store().save({ count: 3, label: 'three' })
    expect(store().load()).toEqual({ value: { count: 3, label: 'three' }, problem: null })
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({
      schemaVersion: 2,
      data: { count: 3, label: 'three' }
    })
  })

  it('creates the folder on first save', () => {
    const nested = path.join(dir, 'a', 'b')
    store({ dir: nested }).save({ count: 1, label: 'x' })
    expect(fs.existsSync(path.join(nested, 'counter.json'))).toBe(true)
  })

  // Literal modes on purpose: a test against the code's own constants would pass with any value.
  const modeOf = (p: string): number => fs.statSync(p).mode & 0o777

  it.skipIf(process.platform === 'win32')(
    'writes documents readable by the owner only (0600)',
    () => {
      store().save({ count: 1, label: 'x' })
      expect(modeOf(file())).toBe(0o600)
      // Also when the file was looser before: the atomic write replaces it with a 0600 one.
      fs.chmodSync(file(), 0o644)
      store().save({ count: 2, label: 'x' })
      expect(modeOf(file())).toBe(0o600)
    }
  )

  it.skipIf(process.platform === 'win32')('creates the folder (and missing parents) 0700', () => {
    const nested = path.join(dir, 'a', 'b')
    store({ dir: nested }).save({ count: 1, label: 'x' })
    expect(modeOf(nested)).toBe(0o700)
    expect(modeOf(path.join(dir, 'a'))).toBe(0o700)
  })

  it.skipIf(process.platform === 'win32')('tightens a pre-existing 0755 folder to 0700', () => {
    const existing = path.join(dir, 'data')
    fs.mkdirSync(existing)
    fs.chmodSync(existing, 0o755)
    fs.writeFileSync(path.join(existing, 'other.txt'), 'kept')
    store({ dir: existing }).save({ count: 1, label: 'x' })
    expect(modeOf(existing)).toBe(0o700)
    expect(modeOf(path.join(existing, 'counter.json'))).toBe(0o600)
    expect(fs.readFileSync(path.join(existing, 'other.txt'), 'utf8')).toBe('kept')
  })

  it.skipIf(process.platform === 'win32')('leaves a folder that is already private alone', () => {
    const existing = path.join(dir, 'private')
    fs.mkdirSync(existing)
    fs.chmodSync(existing, 0o500 | 0o200) // 0700 spelled differently: nothing to tighten
    const chmod = vi.spyOn(fs, 'chmodSync')
    store({ dir: existing }).save({ count: 1, label: 'x' })
    // (write-file-atomic chmods its temp file; the folder itself is not touched.)
    expect(chmod.mock.calls.filter(([p]) => p === existing)).toEqual([])
    expect(modeOf(existing)).toBe(0o700)
  })

  it('ensurePrivateDir only creates on Windows (no POSIX modes there)', () => {
    const existing = path.join(dir, 'win')
    fs.mkdirSync(existing)
    fs.chmodSync(existing, 0o755)
    const chmod = vi.spyOn(fs, 'chmodSync')
    ensurePrivateDir(existing, 'win32')
    expect(chmod).not.toHaveBeenCalled()
    ensurePrivateDir(path.join(dir, 'win', 'new'), 'win32')
    expect(fs.existsSync(path.join(dir, 'win', 'new'))).toBe(true)
  })

  it('leaves no temp files behind after saving', () => {
    for (let i = 0; i < 5; i++) store().save({ count: i, label: 'x' })
    expect(fs.readdirSync(dir)).toEqual(['counter.json'])
  })

  it('refuses to save a value that its own schema rejects, keeping the old file', () => {
    store().save({ count: 1, label: 'ok' })
    expect(() => store().save({ count: 1.5, label: 'bad' })).toThrow(StoreError)
    expect(store().load().value).toEqual({ count: 1, label: 'ok' })
  })

  it('upgrades an older format through migrate', () => {
    fs.writeFileSync(file(), JSON.stringify({ schemaVersion: 1, data: { n: 7 } }))
    const migrate = vi.fn((data: unknown) => ({ count: (data as { n: number }).n, label: 'v1' }))
    const { value, problem } = store({ migrate }).load()
    expect(problem).toBeNull()
    expect(value).toEqual({ count: 7, label: 'v1' })
    expect(migrate).toHaveBeenCalledWith({ n: 7 }, 1)
  })
})

describe('a file it cannot use is kept aside, never lost', () => {
  const cases: [string, string, RegExp][] = [
    ['bad JSON', '{"schemaVersion": 2, "data": {"count": 1,', /not valid JSON/],
    ['a failing schema', JSON.stringify({ schemaVersion: 2, data: { count: 'x' } }), /count/],
    ['no envelope', JSON.stringify({ count: 1, label: 'x' }), /not a Credit Tray document/],
    ['a newer format', JSON.stringify({ schemaVersion: 3, data: {} }), /newer version/],
    ['an older format without migration', JSON.stringify({ schemaVersion: 1, data: {} }), /old/]
  ]

  it.each(cases)('%s: moved to a timestamped file, defaults returned', (_, text, reason) => {
    fs.writeFileSync(file(), text)
    const { value, problem } = store().load()

    expect(value).toEqual(DEFAULTS)
    const kept = path.join(dir, 'counter.corrupt-2024-03-05T06-07-08-009Z.json')
    expect(problem).toMatchObject({ file: file(), keptAs: kept })
    expect(problem?.message).toMatch(reason)
    expect(problem?.message).toContain(kept)
    expect(fs.readFileSync(kept, 'utf8')).toBe(text)
    expect(fs.existsSync(file())).toBe(false)
  })

  it('names the kind of problem', () => {
    fs.writeFileSync(file(), '{')
    expect(store().load().problem?.kind).toBe('bad_json')
    fs.writeFileSync(file(), JSON.stringify({ schemaVersion: 9, data: {} }))
    expect(store().load().problem?.kind).toBe('newer_version')
    fs.writeFileSync(file(), JSON.stringify({ schemaVersion: 2, data: null }))
    expect(store().load().problem?.kind).toBe('invalid')
  })

  it('never overwrites an earlier kept file with the same timestamp', () => {
    fs.writeFileSync(file(), 'first broken')
    store().load()
    fs.writeFileSync(file(), 'second broken')
    const { problem } = store().load()

    expect(keptFiles().sort()).toEqual([
      'counter.corrupt-2024-03-05T06-07-08-009Z-1.json',
      'counter.corrupt-2024-03-05T06-07-08-009Z.json'
    ])
    expect(problem?.keptAs && fs.readFileSync(problem.keptAs, 'utf8')).toBe('second broken')
    expect(fs.readFileSync(path.join(dir, keptFiles().sort()[1]!), 'utf8')).toBe('first broken')
  })

  it('saves normally after a corrupt file was kept aside, and the kept file stays', () => {
    fs.writeFileSync(file(), 'garbage')
    const s = store()
    s.load()
    s.save({ count: 5, label: 'after' })
    expect(store().load()).toEqual({ value: { count: 5, label: 'after' }, problem: null })
    expect(keptFiles()).toHaveLength(1)
  })

  it('refuses to save over a file it could neither read nor move aside', () => {
    fs.writeFileSync(file(), 'garbage')
    const fail = () => {
      throw Object.assign(new Error('nope'), { code: 'EPERM' })
    }
    vi.spyOn(fs, 'linkSync').mockImplementation(fail)
    vi.spyOn(fs, 'renameSync').mockImplementation(fail)
    vi.spyOn(fs, 'copyFileSync').mockImplementation(fail)

    const s = store()
    const { value, problem } = s.load()
    expect(value).toEqual(DEFAULTS)
    expect(problem?.keptAs).toBeNull()
    expect(problem?.message).toMatch(/will not save over it/)
    expect(() => s.save({ count: 1, label: 'x' })).toThrow(/Not saving counter\.json/)
    expect(fs.readFileSync(file(), 'utf8')).toBe('garbage')
  })
})

describe('leftovers of a killed save', () => {
  it('removes old temp files of the document and keeps young ones and other files', () => {
    store().save({ count: 1, label: 'x' })
    const old = path.join(dir, 'counter.json.123456')
    const young = path.join(dir, 'counter.json.654321')
    const other = path.join(dir, 'notes.json.111')
    for (const f of [old, young, other]) fs.writeFileSync(f, 'partial')
    const hourAgo = new Date(CLOCK.getTime() - 3_600_000)
    fs.utimesSync(old, hourAgo, hourAgo)
    fs.utimesSync(young, CLOCK, CLOCK)
    fs.utimesSync(other, hourAgo, hourAgo)

    expect(store().load().value).toEqual({ count: 1, label: 'x' })
    expect(fs.existsSync(old)).toBe(false)
    expect(fs.existsSync(young)).toBe(true)
    expect(fs.existsSync(other)).toBe(true)
  })
})

describe('what a file that cannot be used is called, word for word', () => {
  const problemFor = (text: string, overrides: Parameters<typeof store>[0] = {}) => {
    fs.writeFileSync(file(), text)
    return store(overrides).load().problem
  }
  const kept = 'counter.corrupt-2024-03-05T06-07-08-009Z.json'

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '7'],
    ['no data', '{"schemaVersion":2}'],
    ['a version of 0', '{"schemaVersion":0,"data":{}}'],
    ['a fractional version', '{"schemaVersion":1.5,"data":{}}'],
    ['a version as text', '{"schemaVersion":"2","data":{}}']
  ])('%s is not a Credit Tray document', (_name, text) => {
    expect(problemFor(text)).toEqual({
      kind: 'invalid',
      file: file(),
      keptAs: path.join(dir, kept),
      message:
        'counter.json is not a Credit Tray document (no schemaVersion/data). It was kept as ' +
        `"${path.join(dir, kept)}" and Credit Tray started from defaults for counter.json; ` +
        'nothing was deleted.'
    })
  })

  it('names the first field that does not fit, or the top level', () => {
    expect(problemFor('{"schemaVersion":2,"data":{"count":"x","label":"a"}}')?.message).toMatch(
      /^counter\.json has unexpected contents \(at count\)\. It was kept as/
    )
    expect(problemFor('{"schemaVersion":2,"data":5}')?.message).toMatch(
      /^counter\.json has unexpected contents \(at the top level\)\./
    )
  })

  it('an older format without a migration, or one that fails to migrate', () => {
    expect(problemFor('{"schemaVersion":1,"data":{}}')?.message).toMatch(
      /^counter\.json uses old format 1, which cannot be read\./
    )
    const failing = () => {
      throw new Error('no')
    }
    expect(problemFor('{"schemaVersion":1,"data":{}}', { migrate: failing })?.message).toMatch(
      /^counter\.json \(format 1\) could not be upgraded\./
    )
  })

  it('a newer format says which versions this one reads', () => {
    expect(problemFor('{"schemaVersion":3,"data":{}}')?.message).toMatch(
      /^counter\.json was written by a newer version of Credit Tray \(format 3; this version reads up to 2\)\./
    )
  })

  it('refusing to save an invalid value names where', () => {
    expect(() => store().save({ count: 1.5, label: 'x' } as Counter)).toThrow(
      new StoreError('Refusing to save an invalid counter.json (at count).')
    )
    expect(() => store().save(null as unknown as Counter)).toThrow(
      'Refusing to save an invalid counter.json (at the top level).'
    )
    expect(new StoreError('x').name).toBe('StoreError')
  })

  it('the saved file is the envelope, pretty-printed, ending in a newline', () => {
    store().save({ count: 1, label: 'x' })
    expect(fs.readFileSync(file(), 'utf8')).toBe(
      '{\n  "schemaVersion": 2,\n  "data": {\n    "count": 1,\n    "label": "x"\n  }\n}\n'
    )
  })
})

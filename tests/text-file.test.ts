// The export writer (the CLI's `export --out` and the window's save dialog): the whole text lands
// as UTF-8, replaces an existing file whole, and is flushed to disk before it replaces it.
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeTextFileAtomic, writeTextFileAtomicSync } from '../src/main/engine/text-file'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-text-file-'))
})
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

const TEXT = 'date,name,cost\r\n2026-03-01,"Café — €",1.50\r\n'

describe.each([
  ['async', (path: string, text: string) => writeTextFileAtomic(path, text)],
  ['sync', async (path: string, text: string) => writeTextFileAtomicSync(path, text)]
] as const)('writing an export (%s)', (_name, write) => {
  it('writes the text as UTF-8 and leaves no temp file behind', async () => {
    const target = join(dir, 'costs.csv')
    await write(target, TEXT)
    expect(readFileSync(target)).toEqual(Buffer.from(TEXT, 'utf8'))
    expect(readdirSync(dir)).toEqual(['costs.csv'])
  })

  it('replaces an existing, longer file whole', async () => {
    const target = join(dir, 'costs.csv')
    writeFileSync(target, 'old contents that are much longer than the new ones\n'.repeat(20))
    await write(target, 'new\r\n')
    expect(readFileSync(target, 'utf8')).toBe('new\r\n')
  })

  it('flushes the data to disk before the file replaces the old one', async () => {
    // Spied on the shared node:fs object write-file-atomic calls into.
    const fsync = vi.spyOn(fs, 'fsync')
    const fsyncSync = vi.spyOn(fs, 'fsyncSync')
    await write(join(dir, 'costs.csv'), TEXT)
    expect(fsync.mock.calls.length + fsyncSync.mock.calls.length).toBeGreaterThan(0)
  })

  it('fails, leaving nothing, when the folder does not exist', async () => {
    await expect(write(join(dir, 'missing', 'costs.csv'), TEXT)).rejects.toThrow(/ENOENT/)
    expect(readdirSync(dir)).toEqual([])
  })
})

// Whether the data folder can be one at all, checked before any command: a file standing at its
// path (or above it) is one clear storage error; a missing folder is fine (created on first save).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appDataDir, dataDirProblem, HOME_OVERRIDE_VAR } from '../src/main/engine/paths'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-data-dir-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('dataDirProblem', () => {
  it('an existing folder or a missing one is fine', () => {
    expect(dataDirProblem(dir)).toBeNull()
    expect(dataDirProblem(join(dir, 'not', 'yet'))).toBeNull()
    mkdirSync(join(dir, 'sub'))
    expect(dataDirProblem(join(dir, 'sub'))).toBeNull()
  })

  it('a file at the path is a storage error naming the folder and the way out', () => {
    const at = join(dir, 'data')
    writeFileSync(at, 'x')
    const err = dataDirProblem(at)
    expect(err?.kind).toBe('storage')
    expect(err?.message).toBe(
      `The data folder "${at}" cannot be used: a file stands at that path or above it. ` +
        `Move the file away, or point ${HOME_OVERRIDE_VAR} at a folder. Nothing was changed.`
    )
  })

  it('a file above the path is the same error', () => {
    writeFileSync(join(dir, 'data'), 'x')
    const below = join(dir, 'data', 'Credit Tray')
    expect(dataDirProblem(below)?.message).toMatch(
      /^The data folder ".*Credit Tray" cannot be used/
    )
  })

  it('other failures are left to the file operation, which names its file', () => {
    expect(dataDirProblem('\0bad')).toBeNull()
  })
})

describe('the override variable', () => {
  it('is ignored when only blanks', () => {
    expect(appDataDir({ [HOME_OVERRIDE_VAR]: '   ' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/Credit Tray'
    )
    expect(appDataDir({ XDG_CONFIG_HOME: ' ' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/Credit Tray'
    )
    expect(appDataDir({ APPDATA: ' ' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Credit Tray'
    )
  })
})

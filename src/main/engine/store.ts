// Versioned JSON documents in the app-data folder.
//
// Each document is one file `<name>.json` holding `{ "schemaVersion": N, "data": ... }`, checked
// with a zod schema on every load. Two promises:
//
// 1. A save never leaves a half-written file. `write-file-atomic` writes a temp file next to the
//    target, fsyncs it, then renames it over the target. rename(2) within one folder is atomic
//    (MoveFileEx with REPLACE_EXISTING on Windows), so a reader or a process killed at any moment
//    sees either the previous complete file or the new complete one. The fsync before the rename
//    means that even after a power cut the file that the rename points to has its data; at
//    worst the rename itself is lost and the previous version survives, which is still a complete
//    document. So no journal is needed for this guarantee. `update` also fsyncs the folder after
//    the rename, so once it returns the new version itself survives a power cut: an entry that
//    the CLI or the window acknowledged is durably on disk.
//
// 2. No process saves over another's change. `update(fn)` is the one way the app and the CLI
//    change a document: it takes the file's inter-process lock (file-lock.ts, proper-lockfile),
//    re-reads the file, applies `fn` to what is on disk now, saves, and unlocks. So a top-up
//    recorded by a script while the app polls is never overwritten by the app's older copy.
//
// 3. A file we cannot use is never thrown away. Bad JSON, a failing schema, a schemaVersion from a
//    newer Credit Tray, or a read error: the file is moved aside as
//    `<name>.corrupt-<timestamp>.json` (never deleted, never overwritten with an empty state), the
//    problem is reported in words a person can act on, and `load` returns the defaults. If the
//    file cannot be moved or copied aside either, saving is refused, so the data is not replaced.
import fs from 'node:fs'
import path from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import type { z } from 'zod'
import { CreditTrayError, storageError } from './errors'
import { withFileLock, type FileLockOptions } from './file-lock'

/** Documents can hold balances and spend: readable by the user only. */
export const DOCUMENT_MODE = 0o600
/** The data folder and each account folder: the user's only. */
export const DIR_MODE = 0o700

/**
 * Create `dir` (and missing parents) as 0700, and tighten it to 0700 when it already exists
 * with group or other bits (an older version, a restored backup or a umask of 022 may have
 * made it 0755). Only `dir` itself: its parents are the user's (the home folder, ~/.config).
 * Windows has no such modes (ACLs inherit from the profile), so there it only creates.
 */
export function ensurePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  if (platform === 'win32') return
  const mode = fs.statSync(dir).mode & 0o777
  if ((mode & 0o077) !== 0) fs.chmodSync(dir, DIR_MODE)
}

/** A temp file left by a save that was killed half-way is removed once it is this old. */
const STALE_TEMP_MS = 10 * 60_000

export type StoreProblemKind = 'bad_json' | 'invalid' | 'newer_version' | 'unreadable'

export interface StoreProblem {
  kind: StoreProblemKind
  /** The document's path. */
  file: string
  /** Where the unusable file was kept, or null when it could not be moved or copied. */
  keptAs: string | null
  /** Written for a person: what happened, what was kept where, what Credit Tray does now. */
  message: string
}

export interface StoreOptions<T> {
  /** Folder of the document (created on first save, mode 0700). */
  dir: string
  /** File name without extension: "ledger" -> ledger.json. */
  name: string
  schema: z.ZodType<T>
  /** The schemaVersion this build writes. */
  version: number
  /** What `load` returns when there is no usable file. A function gets a fresh value each time. */
  defaults: T | (() => T)
  /** Turns `data` of an older schemaVersion into the current shape (validated afterwards). */
  migrate?: (data: unknown, fromVersion: number) => unknown
  /** For the timestamp of kept-aside files; defaults to the system clock. */
  now?: () => Date
  /** Told about every unusable file found (by `load` and by `update`), e.g. to show a notice. */
  onProblem?: (problem: StoreProblem) => void
  /** Lock timing (tests and the bench shorten it). */
  lock?: FileLockOptions
}

export interface JsonStore<T> {
  readonly file: string
  load(): { value: T; problem: StoreProblem | null }
  /**
   * Read-modify-write under the file's inter-process lock: re-reads the document, applies `fn`
   * to it, saves the result (atomically, fsync'd, folder fsync'd) and returns it once it is on
   * disk. `fn` returning its argument unchanged saves nothing; `fn` throwing saves nothing.
   * Throws a `storage` CreditTrayError when the lock or the write fails (nothing is changed).
   */
  update(fn: (current: T) => T): Promise<T>
  /**
   * Writes atomically (mode 0600), without the lock: only for a document no other process
   * writes (tests, one-off tools). Throws a StoreError when saving would destroy unread data.
   */
  save(value: T): void
}

/** A document could not be saved: a local storage problem (error kind `storage`). */
export class StoreError extends CreditTrayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('storage', message, options)
    this.name = 'StoreError'
  }
}

export function createJsonStore<T>(options: StoreOptions<T>): JsonStore<T> {
  const { dir, name, schema, version, migrate } = options
  const now = options.now ?? (() => new Date())
  const file = path.join(dir, `${name}.json`)
  const label = `${name}.json`
  // Set when a file could not be read nor moved aside: saving would overwrite it.
  let blockedBy: string | null = null

  const defaults = (): T =>
    typeof options.defaults === 'function'
      ? (options.defaults as () => T)()
      : structuredClone(options.defaults)

  function failed(kind: StoreProblemKind, reason: string): { value: T; problem: StoreProblem } {
    const keptAs = keepAside(file, name, now())
    let message: string
    if (keptAs) {
      blockedBy = null
      message =
        `${reason} It was kept as "${keptAs}" and Credit Tray started from defaults for ` +
        `${label}; nothing was deleted.`
    } else {
      blockedBy = reason
      message =
        `${reason} It could not be moved aside, so Credit Tray will not save over it: ` +
        `move or repair "${file}" and restart.`
    }
    const problem: StoreProblem = { kind, file, keptAs, message }
    options.onProblem?.(problem)
    return { value: defaults(), problem }
  }

  function load(): { value: T; problem: StoreProblem | null } {
    removeStaleTemps(dir, label, now())
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      // ENOTDIR: a file stands where the folder should be, so there is no document to protect
      // either; saving will fail with a `storage` error that says so.
      if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') {
        blockedBy = null
        return { value: defaults(), problem: null }
      }
      return failed('unreadable', `${label} could not be read (${errCode(err) ?? 'error'}).`)
    }

    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return failed('bad_json', `${label} is damaged (it is not valid JSON).`)
    }

    if (!isEnvelope(parsed)) {
      return failed('invalid', `${label} is not a Credit Tray document (no schemaVersion/data).`)
    }
    const fileVersion = parsed.schemaVersion
    if (fileVersion > version) {
      return failed(
        'newer_version',
        `${label} was written by a newer version of Credit Tray (format ${fileVersion}; this ` +
          `version reads up to ${version}).`
      )
    }

    let data = parsed.data
    if (fileVersion < version) {
      if (!migrate) {
        return failed('invalid', `${label} uses old format ${fileVersion}, which cannot be read.`)
      }
      try {
        data = migrate(data, fileVersion)
      } catch {
        return failed('invalid', `${label} (format ${fileVersion}) could not be upgraded.`)
      }
    }

    const result = schema.safeParse(data)
    if (!result.success) {
      const where = result.error.issues[0]?.path.join('.') || 'the top level'
      return failed('invalid', `${label} has unexpected contents (at ${where}).`)
    }
    blockedBy = null
    return { value: result.data, problem: null }
  }

  function checkedText(value: T): { text: string; value: T } {
    if (blockedBy !== null) {
      throw new StoreError(
        `Not saving ${label}: ${blockedBy} Move or repair "${file}" first, then restart.`
      )
    }
    // Validate before writing so a bug never persists a document the next load would reject.
    const checked = schema.safeParse(value)
    if (!checked.success) {
      const where = checked.error.issues[0]?.path.join('.') || 'the top level'
      throw new StoreError(`Refusing to save an invalid ${label} (at ${where}).`)
    }
    const text = JSON.stringify({ schemaVersion: version, data: checked.data }, null, 2) + '\n'
    return { text, value: checked.data }
  }

  function makeDir(): void {
    try {
      ensurePrivateDir(dir)
    } catch (err) {
      throw storageError(err, file, 'save')
    }
  }

  function save(value: T): void {
    const { text } = checkedText(value)
    makeDir()
    try {
      writeFileAtomic.sync(file, text, { mode: DOCUMENT_MODE, fsync: true })
    } catch (err) {
      throw storageError(err, file, 'save')
    }
  }

  async function update(fn: (current: T) => T): Promise<T> {
    makeDir()
    return withFileLock(
      file,
      async (lock) => {
        const current = load().value
        const next = fn(current)
        if (next === current) return current
        const checked = checkedText(next)
        // Frozen past the stale time, another process may have taken the lock (and written):
        // saving our copy now could overwrite its entry.
        if (lock.compromised()) {
          throw new StoreError(
            `Another Credit Tray process took over the lock of ${label} while this one was ` +
              'not responding, so nothing was changed. Try again.'
          )
        }
        try {
          await writeFileAtomic(file, checked.text, { mode: DOCUMENT_MODE, fsync: true })
        } catch (err) {
          throw storageError(err, file, 'save')
        }
        syncFolder(dir)
        return checked.value
      },
      options.lock
    )
  }

  return { file, load, update, save }
}

/**
 * fsync the folder so the rename that replaced the file is itself on disk. Windows cannot open a
 * folder for this (NTFS journals the rename), and some file systems refuse it: best effort there.
 */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return
  let fd: number | undefined
  try {
    fd = fs.openSync(dir, 'r')
    fs.fsyncSync(fd)
  } catch {
    // EINVAL/EISDIR on file systems without folder fsync: the file's own fsync still holds.
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

function isEnvelope(value: unknown): value is { schemaVersion: number; data: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = (value as { schemaVersion?: unknown }).schemaVersion
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && 'data' in value
}

/** "2024-01-31T23-50-00-000Z": sortable, and legal in Windows file names (no colons). */
function stamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-')
}

/**
 * Moves the file to `<name>.corrupt-<timestamp>[-n].json`, never replacing an earlier kept file.
 * Falls back to copying when renaming is not allowed. Returns the kept path, or null.
 */
function keepAside(file: string, name: string, at: Date): string | null {
  const dir = path.dirname(file)
  for (let n = 0; n < 100; n++) {
    const target = path.join(dir, `${name}.corrupt-${stamp(at)}${n === 0 ? '' : `-${n}`}.json`)
    if (fs.existsSync(target)) continue
    try {
      // link + unlink instead of rename: link fails if the target appeared meanwhile, so an
      // earlier kept file is never overwritten.
      fs.linkSync(file, target)
      fs.unlinkSync(file)
      return target
    } catch (err) {
      if (errCode(err) === 'EEXIST') continue
      if (errCode(err) === 'ENOENT') return null
    }
    try {
      // File systems without hard links (some network/FAT drives): rename, then copy.
      fs.renameSync(file, target)
      return target
    } catch {
      try {
        fs.copyFileSync(file, target, fs.constants.COPYFILE_EXCL)
        return target
      } catch {
        return null
      }
    }
  }
  return null
}

/**
 * write-file-atomic names its temp file `<file>.<number>`; a save killed with SIGKILL (or a power
 * cut) leaves it behind. Old ones are removed so they do not pile up; young ones may belong to a
 * save in progress in another process (the CLI and the tray app share the folder).
 */
function removeStaleTemps(dir: string, label: string, at: Date): void {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return
  }
  const pattern = new RegExp(`^${label.replace(/[.]/g, '\\.')}\\.\\d+$`)
  for (const entry of names) {
    if (!pattern.test(entry)) continue
    const full = path.join(dir, entry)
    try {
      if (at.getTime() - fs.statSync(full).mtimeMs > STALE_TEMP_MS) fs.unlinkSync(full)
    } catch {
      // Gone already or not ours to remove: harmless.
    }
  }
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined
}

// Local storage failures in words: the OS error codes a data folder can produce become one line
// of kind `storage` (CLI exit 5). Disk-full cannot be produced for a data folder here (no small
// file system to fill), so its wording is pinned from the error code; the real-process tests in
// cli-storage.e2e.test.ts cover a file as the folder, a read-only folder and /dev/full.
import { describeIoFailure, storageError } from '../src/main/engine/errors'
import { EXIT, exitCodeFor } from '../src/main/cli/run-cli'

const file = '/data/Credit Tray/ledger.json'
const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code })

describe('storage errors', () => {
  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EDQUOT', 'the disk quota is used up'],
    ['EROFS', 'the folder is on a read-only file system'],
    ['EACCES', 'permission denied (the folder is read-only for this user)'],
    ['ENOTDIR', 'a file stands where the data folder should be'],
    ['EIO', 'the disk reported an input/output error'],
    ['EWHATEVER', 'error EWHATEVER']
  ])('%s: names the file, its folder and the reason, and says nothing changed', (code, reason) => {
    const err = storageError(errno(code), file, 'save')
    expect(err.kind).toBe('storage')
    expect(err.retryable).toBe(false)
    expect(err.message).toBe(
      `Could not save ledger.json in "/data/Credit Tray": ${reason}. Nothing was changed.`
    )
  })

  it('a lock timeout says another process held the file, and for how long we waited', () => {
    const err = storageError(errno('ELOCKED'), file, 'lock', { timeoutMs: 10_000 })
    expect(err.message).toMatch(
      /^Another Credit Tray process kept ledger\.json locked for more than 10 s/
    )
  })

  it('exit code 5 for storage, distinct from the other kinds', () => {
    expect(exitCodeFor('storage')).toBe(EXIT.storage)
    expect(EXIT.storage).toBe(5)
    expect(
      new Set([exitCodeFor('auth'), exitCodeFor('network'), exitCodeFor('storage')]).size
    ).toBe(3)
  })

  it('stdout failures: closed early vs full', () => {
    expect(describeIoFailure({ code: 'EPIPE' }, 'the output')).toBe(
      'the output was closed before everything was written (EPIPE).'
    )
    expect(describeIoFailure({ code: 'ENOSPC' }, 'the output')).toBe(
      'could not write the output: the disk is full (ENOSPC).'
    )
  })
  it('a read failure says "read", keeps the OS error as its cause, and an error without a code says so', () => {
    const cause = errno('EACCES')
    const err = storageError(cause, file, 'read')
    expect(err.message).toMatch(/^Could not read ledger\.json in /)
    expect(err.cause).toBe(cause)
    expect(storageError('not an error object', file, 'save').message).toBe(
      'Could not save ledger.json in "/data/Credit Tray": error unknown. Nothing was changed.'
    )
    expect(storageError(null, file, 'save').message).toContain(': error unknown.')
  })

  it('an error already in words passes through unchanged', () => {
    const worded = storageError(errno('ENOSPC'), file, 'save')
    expect(storageError(worded, '/elsewhere/other.json', 'read')).toBe(worded)
  })

  it('stdout failures: a destroyed stream, and no code at all', () => {
    expect(describeIoFailure({ code: 'ERR_STREAM_DESTROYED' }, 'the output')).toBe(
      'the output was closed before everything was written (ERR_STREAM_DESTROYED).'
    )
    expect(describeIoFailure(null, 'the output')).toBe(
      'could not write the output: the write failed.'
    )
    expect(describeIoFailure({ code: 'EWEIRD' }, 'the output')).toBe(
      'could not write the output: the write failed (EWEIRD).'
    )
  })
})

// An inter-process lock per data file, so the tray app and any number of `credit-tray` processes
// can read-modify-write the same documents without losing each other's entries.
//
// The lock itself is `proper-lockfile`'s: an atomic mkdir of `<file>.lock` (works on every OS and
// on network drives, unlike flock/fcntl), whose mtime the holder refreshes while it lives. A lock
// whose mtime is older than STALE_MS belongs to a process that died (kill -9, power cut, crash)
// and is taken over, so a dead holder blocks others for seconds, not forever.
//
// What this module adds around it: waiting (the library's own retries have no overall deadline),
// one queue per file inside this process (two engines of one process wait in order instead of
// polling each other), and errors of kind `storage` written for a person.
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { storageError } from './errors'

/** A writer that cannot get the lock within this gives up, changing nothing. */
export const LOCK_TIMEOUT_MS = 10_000
/**
 * A lock not refreshed for this long is taken over. The holder refreshes it every STALE_MS / 2
 * while its event loop runs; critical sections are a read, a small computation and one fsync'd
 * write, far below this. Well under LOCK_TIMEOUT_MS, so a waiter outlives a dead holder's lock.
 */
export const LOCK_STALE_MS = 5_000

export interface FileLockOptions {
  /** Give up after this long (default LOCK_TIMEOUT_MS). */
  timeoutMs?: number
  /** Take over a lock not refreshed for this long (default LOCK_STALE_MS; at least 2000). */
  staleMs?: number
}

export interface HeldLock {
  /**
   * True when another process took the lock over while we held it (our process was frozen for
   * longer than the stale time): a write now could overwrite theirs.
   */
  compromised(): boolean
}

// In-process queue per lock path: the tail promise of the last caller.
const queues = new Map<string, Promise<unknown>>()

/**
 * Runs `fn` while holding the lock of `file` (the lock is `<file>.lock`; `file` need not exist,
 * its folder must). Throws a `storage` CreditTrayError when the lock cannot be had in time or the
 * folder cannot hold a lock; `fn`'s own errors pass through. The lock is always released.
 */
export async function withFileLock<R>(
  file: string,
  fn: (lock: HeldLock) => Promise<R> | R,
  options: FileLockOptions = {}
): Promise<R> {
  const key = path.resolve(file)
  const timeoutMs = options.timeoutMs ?? LOCK_TIMEOUT_MS
  // One deadline for the whole wait: behind callers of this process, then for other processes.
  const deadline = Date.now() + timeoutMs
  const previous = queues.get(key) ?? Promise.resolve()
  const run = waitOrTimeout(previous, deadline, key, timeoutMs).then(() =>
    lockedRun(key, fn, deadline, timeoutMs, options.staleMs ?? LOCK_STALE_MS)
  )
  // The next caller waits until this one is done, whatever its outcome.
  const tail = Promise.allSettled([previous, run])
  queues.set(key, tail)
  try {
    return await run
  } finally {
    if (queues.get(key) === tail) queues.delete(key)
  }
}

function timedOut(file: string, timeoutMs: number): Error {
  return storageError(Object.assign(new Error('lock timeout'), { code: 'ELOCKED' }), file, 'lock', {
    timeoutMs
  })
}

async function waitOrTimeout(
  previous: Promise<unknown>,
  deadline: number,
  file: string,
  timeoutMs: number
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), Math.max(0, deadline - Date.now()))
  })
  try {
    const first = await Promise.race([previous.then(() => 'done' as const), expired])
    if (first === 'expired') throw timedOut(file, timeoutMs)
  } finally {
    clearTimeout(timer)
  }
}

async function lockedRun<R>(
  file: string,
  fn: (lock: HeldLock) => Promise<R> | R,
  deadline: number,
  timeoutMs: number,
  staleMs: number
): Promise<R> {
  let compromised = false
  const release = await acquire(file, deadline, timeoutMs, {
    stale: staleMs,
    realpath: false,
    // The default throws from a timer, which would crash the process: note it instead, and let
    // the caller decide before it writes.
    onCompromised: () => {
      compromised = true
    }
  })
  try {
    return await fn({ compromised: () => compromised })
  } finally {
    await release().catch(() => {
      // Already released or taken over: nothing left to clean up.
    })
  }
}

async function acquire(
  file: string,
  deadline: number,
  timeoutMs: number,
  options: lockfile.LockOptions
): Promise<() => Promise<void>> {
  let delay = 5
  for (;;) {
    try {
      return await lockfile.lock(file, { ...options, retries: 0 })
    } catch (err) {
      if ((err as { code?: string }).code !== 'ELOCKED') throw storageError(err, file, 'lock')
      const left = deadline - Date.now()
      if (left <= 0) throw timedOut(file, timeoutMs)
      // Jittered, growing waits: many waiters do not wake in step.
      await new Promise((r) => setTimeout(r, Math.min(left, delay * (0.5 + Math.random()))))
      delay = Math.min(delay * 1.6, 200)
    }
  }
}

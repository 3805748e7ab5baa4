import { describe, expect, it, vi } from 'vitest'
import { CreditTrayError } from '../src/main/engine/errors'
import {
  backoffDelay,
  createScheduler,
  DEFAULT_BASE_BACKOFF_MS,
  DEFAULT_WATCHDOG_MS,
  isStale,
  REAL_TIMERS,
  type SchedulerOptions,
  type SchedulerState
} from '../src/main/engine/scheduler'

const SEC = 1000
const MIN = 60 * SEC
const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)

/** Lets every pending promise callback run (they all finish before the next macrotask). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** A fake clock with a timer queue: time moves only when the test says so. */
function fakeClock(start = T0) {
  let t = start
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: (): number => t,
    setTimer: (fn: () => void, ms: number): number => {
      const id = ++seq
      timers.set(id, { at: t + ms, fn })
      return id
    },
    clearTimer: (id: number): void => {
      timers.delete(id)
    },
    /** Move time forward, firing due timers in order and letting promises settle in between. */
    async advance(ms: number): Promise<void> {
      const end = t + ms
      for (;;) {
        await flush()
        let nextId: number | undefined
        for (const [id, timer] of timers) {
          if (timer.at > end) continue
          const best = nextId === undefined ? undefined : timers.get(nextId)
          if (!best || timer.at < best.at) nextId = id
        }
        if (nextId === undefined) break
        const due = timers.get(nextId)!
        timers.delete(nextId)
        t = Math.max(t, due.at)
        due.fn()
      }
      t = end
      await flush()
    }
  }
}

type Outcome = 'ok' | 'hang' | Error

function deferred() {
  let resolve!: () => void
  let reject!: (e: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A scheduler on a fake clock whose task plays back `outcomes` (then succeeds). */
function setup(outcomes: Outcome[] = [], overrides: Partial<SchedulerOptions<number>> = {}) {
  const clock = fakeClock()
  const calls: number[] = []
  const queue = [...outcomes]
  const states: SchedulerState[] = []
  const task = vi.fn(async () => {
    calls.push(clock.now())
    const outcome = queue.shift() ?? 'ok'
    if (outcome === 'hang') return new Promise<void>(() => {})
    if (outcome instanceof Error) throw outcome
  })
  const scheduler = createScheduler({
    intervalMs: 15 * MIN,
    task,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: () => 0.5,
    onState: (s) => states.push(s),
    ...overrides
  })
  /** Gaps between consecutive task calls. */
  const gaps = (): number[] => calls.slice(1).map((c, i) => c - calls[i]!)
  return { clock, calls, task, scheduler, states, gaps, queue }
}

const network = (): CreditTrayError => new CreditTrayError('network', 'offline')
const server = (): CreditTrayError => new CreditTrayError('server', '502', { status: 502 })
const rateLimited = (retryAfterMs?: number): CreditTrayError =>
  new CreditTrayError('rate_limit', '429', { status: 429, retryAfterMs })

describe('backoffDelay', () => {
  const base = { baseMs: 5 * SEC, maxMs: 15 * MIN }

  it('starts at the base and doubles its ceiling per failure', () => {
    const top = (failures: number): number => backoffDelay({ ...base, failures, random: () => 1 })
    expect([1, 2, 3, 4, 5].map(top)).toEqual([5 * SEC, 10 * SEC, 20 * SEC, 40 * SEC, 80 * SEC])
  })

  it('never goes below the base, however low the random draw', () => {
    for (const failures of [1, 2, 5, 10]) {
      expect(backoffDelay({ ...base, failures, random: () => 0 })).toBe(5 * SEC)
    }
  })

  it('spreads retries uniformly between the base and the ceiling', () => {
    expect(backoffDelay({ ...base, failures: 3, random: () => 0.5 })).toBe(12.5 * SEC)
    expect(backoffDelay({ ...base, failures: 3, random: () => 0.25 })).toBe(8.75 * SEC)
  })

  it('is capped at maxMs, even after very many failures', () => {
    expect(backoffDelay({ ...base, failures: 9, random: () => 1 })).toBe(15 * MIN)
    expect(backoffDelay({ ...base, failures: 5000, random: () => 1 })).toBe(15 * MIN)
    expect(backoffDelay({ baseMs: 5 * SEC, maxMs: 2 * SEC, failures: 1, random: () => 1 })).toBe(
      2 * SEC
    )
  })

  it('waits at least as long as Retry-After asks', () => {
    expect(backoffDelay({ ...base, failures: 1, random: () => 1, retryAfterMs: 90 * SEC })).toBe(
      90 * SEC
    )
    // Retry-After shorter than the jittered delay does not shorten it.
    expect(backoffDelay({ ...base, failures: 4, random: () => 1, retryAfterMs: 1 * SEC })).toBe(
      40 * SEC
    )
  })
})

describe('isStale', () => {
  it('is stale with no success yet', () => {
    expect(isStale(null, T0, 15 * MIN)).toBe(true)
  })
  it('turns stale only after three intervals', () => {
    expect(isStale(T0, T0 + 45 * MIN, 15 * MIN)).toBe(false)
    expect(isStale(T0, T0 + 45 * MIN + 1, 15 * MIN)).toBe(true)
  })
})

describe('scheduler: the normal interval', () => {
  it('polls at start and then once per interval', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.start()
    await clock.advance(0)
    expect(calls).toEqual([T0])
    expect(scheduler.state().nextRunAt).toBe(T0 + 15 * MIN)
    await clock.advance(45 * MIN)
    expect(calls).toEqual([T0, T0 + 15 * MIN, T0 + 30 * MIN, T0 + 45 * MIN])
    expect(scheduler.state()).toMatchObject({
      lastSuccessAt: T0 + 45 * MIN,
      lastError: null,
      consecutiveFailures: 0,
      stale: false,
      running: false
    })
  })

  it('counts the interval from the end of a slow run', async () => {
    const { clock, calls, scheduler, task } = setup()
    const slow = deferred()
    task.mockImplementationOnce(async () => {
      calls.push(clock.now())
      await slow.promise
    })
    scheduler.start()
    await clock.advance(20 * SEC)
    expect(scheduler.state().running).toBe(true)
    slow.resolve()
    await clock.advance(0)
    expect(scheduler.state().nextRunAt).toBe(T0 + 20 * SEC + 15 * MIN)
  })

  it('does nothing before start and stops after stop', async () => {
    const { clock, calls, scheduler } = setup()
    await clock.advance(60 * MIN)
    expect(calls).toEqual([])
    scheduler.start()
    await clock.advance(15 * MIN)
    expect(calls).toHaveLength(2)
    scheduler.stop()
    expect(scheduler.state().nextRunAt).toBeNull()
    await clock.advance(120 * MIN)
    expect(calls).toHaveLength(2)
  })

  it('records a run that finishes after stop without scheduling another', async () => {
    const { clock, scheduler, task } = setup()
    const slow = deferred()
    task.mockImplementationOnce(() => slow.promise)
    scheduler.start()
    await clock.advance(0)
    scheduler.stop()
    slow.resolve()
    await clock.advance(0)
    expect(scheduler.state().lastSuccessAt).toBe(T0)
    expect(scheduler.state().nextRunAt).toBeNull()
  })

  it('rejects nonsense intervals', () => {
    const { scheduler } = setup()
    expect(() => scheduler.setInterval(0)).toThrow(RangeError)
    expect(() => scheduler.setInterval(Number.NaN)).toThrow(RangeError)
    expect(() => setup([], { intervalMs: -5 })).toThrow(RangeError)
  })
})

describe('scheduler: retryable failures back off with jitter', () => {
  it('grows the wait exponentially up to the cap (highest draw)', async () => {
    const failures = Array.from({ length: 10 }, network)
    const { clock, gaps, scheduler } = setup(failures, { random: () => 0.999999 })
    scheduler.start()
    await clock.advance(6 * 60 * MIN)
    const seconds = gaps()
      .slice(0, 10)
      .map((g) => Math.round(g / SEC))
    // 5, 10, 20, 40, 80, 160, 320, 640 s, then capped at the 15-minute interval.
    expect(seconds).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 900, 900])
    expect(scheduler.state().consecutiveFailures).toBe(0)
  })

  it('keeps every wait between the base and the growing ceiling (random draws)', async () => {
    let seed = 42
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const failures = Array.from({ length: 12 }, (_, i) => (i % 2 ? server() : network()))
    const { clock, gaps, scheduler } = setup(failures, { random })
    scheduler.start()
    await clock.advance(4 * 60 * MIN)
    const waits = gaps().slice(0, 12)
    expect(waits).toHaveLength(12)
    waits.forEach((wait, i) => {
      const ceiling = Math.min(15 * MIN, DEFAULT_BASE_BACKOFF_MS * 2 ** i)
      expect(wait).toBeGreaterThanOrEqual(DEFAULT_BASE_BACKOFF_MS)
      expect(wait).toBeLessThanOrEqual(ceiling)
    })
    // The draws really vary: not every wait sits on the same fraction of its ceiling.
    expect(
      new Set(waits.slice(3).map((w, i) => w / (5 * SEC * 2 ** (i + 3)))).size
    ).toBeGreaterThan(1)
  })

  it('caps the backoff at a short poll interval', async () => {
    const { clock, gaps, scheduler } = setup(Array.from({ length: 8 }, network), {
      intervalMs: 1 * MIN,
      random: () => 0.999999
    })
    scheduler.start()
    await clock.advance(10 * MIN)
    expect(
      gaps()
        .slice(0, 6)
        .map((g) => Math.round(g / SEC))
    ).toEqual([5, 10, 20, 40, 60, 60])
  })

  it('moves the default cap along with the interval', async () => {
    const { clock, gaps, scheduler } = setup(Array.from({ length: 8 }, network), {
      intervalMs: 1 * MIN,
      random: () => 0.999999
    })
    scheduler.start()
    await clock.advance(16 * SEC) // failures at 0, 5 and 15 s; the next wait is 20 s
    scheduler.setInterval(30 * SEC)
    await clock.advance(5 * MIN)
    expect(
      gaps()
        .slice(0, 6)
        .map((g) => Math.round(g / SEC))
    ).toEqual([5, 10, 20, 30, 30, 30])
  })

  it('uses an explicit maxBackoffMs and baseBackoffMs', async () => {
    const { clock, gaps, scheduler } = setup(Array.from({ length: 5 }, network), {
      baseBackoffMs: 2 * SEC,
      maxBackoffMs: 7 * SEC,
      random: () => 0.999999
    })
    scheduler.start()
    await clock.advance(1 * MIN)
    expect(
      gaps()
        .slice(0, 5)
        .map((g) => Math.round(g / SEC))
    ).toEqual([2, 4, 7, 7, 7])
  })

  it('honours Retry-After', async () => {
    const { clock, calls, scheduler } = setup([rateLimited(120 * SEC)], { random: () => 0 })
    scheduler.start()
    await clock.advance(0)
    expect(scheduler.state().nextRunAt).toBe(T0 + 120 * SEC)
    await clock.advance(119 * SEC)
    expect(calls).toHaveLength(1)
    await clock.advance(1 * SEC)
    expect(calls).toEqual([T0, T0 + 120 * SEC])
  })

  it('treats a 429 without Retry-After like other retryable errors', async () => {
    const { clock, scheduler } = setup([rateLimited()], { random: () => 0 })
    scheduler.start()
    await clock.advance(0)
    expect(scheduler.state().nextRunAt).toBe(T0 + 5 * SEC)
    expect(scheduler.state().lastError?.kind).toBe('rate_limit')
  })

  it('resets the backoff after a success', async () => {
    const { clock, gaps, scheduler } = setup(
      [network(), network(), network(), 'ok', network(), 'ok'],
      { random: () => 0.999999 }
    )
    scheduler.start()
    await clock.advance(0)
    await clock.advance(35 * SEC) // three failures: waits 5, 10, 20 s; the 4th run succeeds
    expect(scheduler.state().consecutiveFailures).toBe(0)
    await clock.advance(15 * MIN) // next poll fails
    expect(scheduler.state().consecutiveFailures).toBe(1)
    await clock.advance(5 * SEC) // and is retried after the base wait again, not 40 s
    expect(gaps().map((g) => Math.round(g / SEC))).toEqual([5, 10, 20, 900, 5])
    expect(scheduler.state().consecutiveFailures).toBe(0)
  })
})

describe('scheduler: failures that waiting will not fix', () => {
  it.each([
    ['auth', 401],
    ['permission', 403]
  ] as const)('stops polling after %s (%i)', async (kind, status) => {
    const { clock, calls, scheduler } = setup([new CreditTrayError(kind, 'no', { status })])
    scheduler.start()
    await clock.advance(24 * 60 * MIN)
    expect(calls).toEqual([T0])
    expect(scheduler.state()).toMatchObject({
      halted: true,
      nextRunAt: null,
      consecutiveFailures: 1
    })
    expect(scheduler.state().lastError?.kind).toBe(kind)
  })

  it('comes back when the user refreshes and the key works again', async () => {
    const { clock, calls, scheduler } = setup([new CreditTrayError('auth', 'no', { status: 401 })])
    scheduler.start()
    await clock.advance(60 * MIN)
    await scheduler.runNow()
    expect(calls).toEqual([T0, T0 + 60 * MIN])
    expect(scheduler.state()).toMatchObject({ halted: false, lastError: null })
    expect(scheduler.state().nextRunAt).toBe(T0 + 75 * MIN)
  })

  it('stays halted when a manual refresh is rejected again', async () => {
    const denied = (): CreditTrayError => new CreditTrayError('permission', 'no', { status: 403 })
    const { clock, calls, scheduler } = setup([denied(), denied()])
    scheduler.start()
    await clock.advance(0)
    await scheduler.runNow()
    await clock.advance(60 * MIN)
    expect(calls).toHaveLength(2)
    expect(scheduler.state()).toMatchObject({ halted: true, consecutiveFailures: 2 })
  })

  it('polls at once after a key change and resumes the interval', async () => {
    const { clock, calls, scheduler } = setup([new CreditTrayError('auth', 'no', { status: 401 })])
    scheduler.start()
    await clock.advance(30 * MIN)
    await scheduler.resumeAfterKeyChange()
    expect(calls).toEqual([T0, T0 + 30 * MIN])
    expect(scheduler.state()).toMatchObject({ halted: false, consecutiveFailures: 0 })
    await clock.advance(15 * MIN)
    expect(calls).toHaveLength(3)
  })

  it('after a key change, a following network error does not stop polling for good', async () => {
    const { clock, calls, scheduler } = setup(
      [new CreditTrayError('auth', 'revoked', { status: 401 }), network(), network()],
      { random: () => 0 }
    )
    scheduler.start()
    await clock.advance(10 * MIN)
    expect(scheduler.state().halted).toBe(true)
    await scheduler.resumeAfterKeyChange()
    // The run right after the key change failed on the network: a retry is planned, not a halt.
    expect(scheduler.state()).toMatchObject({ halted: false, consecutiveFailures: 1 })
    expect(scheduler.state().nextRunAt).toBe(T0 + 10 * MIN + 5 * SEC)
    await clock.advance(5 * SEC)
    expect(scheduler.state()).toMatchObject({ halted: false, consecutiveFailures: 2 })
    await clock.advance(10 * SEC)
    // The third try after the key change succeeds; then the normal interval goes on.
    expect(scheduler.state()).toMatchObject({ lastError: null, consecutiveFailures: 0 })
    await clock.advance(15 * MIN)
    expect(calls).toEqual([
      T0,
      T0 + 10 * MIN,
      T0 + 10 * MIN + 5 * SEC,
      T0 + 10 * MIN + 10 * SEC,
      T0 + 25 * MIN + 10 * SEC
    ])
  })

  it('runs again after a key change instead of joining a run that used the old key', async () => {
    const { clock, calls, scheduler, task } = setup()
    const old = deferred()
    task.mockImplementationOnce(async () => {
      calls.push(clock.now())
      await old.promise
    })
    scheduler.start()
    await clock.advance(0)
    const done = scheduler.resumeAfterKeyChange()
    old.reject(new CreditTrayError('auth', 'old key', { status: 401 }))
    await done
    expect(calls).toHaveLength(2)
    expect(scheduler.state()).toMatchObject({ halted: false, lastError: null })
  })

  it.each(['bad_response', 'no_key', 'keychain'] as const)(
    'waits the normal interval after %s',
    async (kind) => {
      const { clock, calls, scheduler } = setup([
        new CreditTrayError(kind, 'local'),
        new CreditTrayError(kind, 'local')
      ])
      scheduler.start()
      await clock.advance(0)
      expect(scheduler.state().nextRunAt).toBe(T0 + 15 * MIN)
      await clock.advance(30 * MIN)
      expect(calls).toEqual([T0, T0 + 15 * MIN, T0 + 30 * MIN])
      expect(scheduler.state().halted).toBe(false)
    }
  )

  it('treats unexpected exceptions as non-retryable and keeps secrets out of the message', async () => {
    const key = 'sk-admin-abcdefghijklmnopqrstuvwxyz0123'
    const { clock, scheduler } = setup([new TypeError(`cannot read ${key}`)])
    scheduler.start()
    await clock.advance(0)
    const { lastError, nextRunAt } = scheduler.state()
    expect(lastError).toBeInstanceOf(CreditTrayError)
    expect(lastError?.kind).toBe('bad_response')
    expect(lastError?.message).toContain('Refreshing failed unexpectedly')
    expect(lastError?.message).not.toContain(key)
    expect(lastError?.cause).toBeInstanceOf(TypeError)
    expect(nextRunAt).toBe(T0 + 15 * MIN)
  })

  it('catches a task that throws synchronously', async () => {
    const { clock, scheduler, task } = setup()
    task.mockImplementationOnce(() => {
      throw new CreditTrayError('server', 'sync')
    })
    scheduler.start()
    await clock.advance(0)
    expect(scheduler.state().lastError?.message).toBe('sync')
  })
})

describe('scheduler: staleness', () => {
  it('is stale before the first success', async () => {
    const { clock, scheduler } = setup([new CreditTrayError('auth', 'no')])
    expect(scheduler.state().stale).toBe(true)
    scheduler.start()
    await clock.advance(0)
    expect(scheduler.state().stale).toBe(true)
    expect(scheduler.state().lastSuccessAt).toBeNull()
  })

  it('turns stale when failures outlast three intervals, without losing the last success', async () => {
    const failures = [
      new CreditTrayError('bad_response', 'x'),
      new CreditTrayError('bad_response', 'x'),
      new CreditTrayError('bad_response', 'x'),
      new CreditTrayError('bad_response', 'x')
    ]
    const { clock, scheduler } = setup(['ok', ...failures])
    scheduler.start()
    await clock.advance(0)
    await clock.advance(45 * MIN) // three failed polls; the success is exactly 3 intervals old
    expect(scheduler.state()).toMatchObject({
      stale: false,
      lastSuccessAt: T0,
      consecutiveFailures: 3
    })
    await clock.advance(1)
    expect(scheduler.state()).toMatchObject({ stale: true, lastSuccessAt: T0 })
    expect(scheduler.state().lastError?.kind).toBe('bad_response')
  })

  it('is fresh again after the next success', async () => {
    const { clock, scheduler, queue } = setup(['ok', ...Array.from({ length: 30 }, network)], {
      intervalMs: 5 * MIN,
      random: () => 0.999999
    })
    scheduler.start()
    await clock.advance(16 * MIN)
    expect(scheduler.state()).toMatchObject({ stale: true, lastSuccessAt: T0 })
    queue.length = 0 // the network is back
    await scheduler.runNow()
    expect(scheduler.state()).toMatchObject({ stale: false, lastSuccessAt: T0 + 16 * MIN })
  })
})

describe('scheduler: pause and resume', () => {
  it('does not poll while paused and polls at once on resume', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.start()
    await clock.advance(5 * MIN)
    scheduler.pause()
    expect(scheduler.state()).toMatchObject({ paused: true, nextRunAt: null })
    await clock.advance(3 * 60 * MIN)
    expect(calls).toEqual([T0])
    scheduler.resume()
    await clock.advance(0)
    expect(calls).toEqual([T0, T0 + 185 * MIN])
    expect(scheduler.state().nextRunAt).toBe(T0 + 200 * MIN)
  })

  it('cancels a pending backoff retry while paused', async () => {
    const { clock, calls, scheduler } = setup([network()])
    scheduler.start()
    await clock.advance(0)
    scheduler.pause()
    await clock.advance(10 * MIN)
    expect(calls).toHaveLength(1)
  })

  it('does not schedule after a run that finishes while paused', async () => {
    const { clock, calls, scheduler, task } = setup()
    const slow = deferred()
    task.mockImplementationOnce(() => slow.promise)
    scheduler.start()
    await clock.advance(0)
    scheduler.pause()
    slow.resolve()
    await clock.advance(60 * MIN)
    expect(calls).toHaveLength(0) // the slow first run did not record via `calls`
    expect(scheduler.state()).toMatchObject({ lastSuccessAt: T0, nextRunAt: null })
  })

  it('does not poll on resume when not started or halted', async () => {
    const { clock, calls, scheduler } = setup([new CreditTrayError('auth', 'no')])
    scheduler.pause()
    scheduler.resume()
    await clock.advance(0)
    expect(calls).toHaveLength(0)
    scheduler.start()
    await clock.advance(0)
    expect(calls).toHaveLength(1)
    scheduler.pause()
    scheduler.resume()
    await clock.advance(60 * MIN)
    expect(calls).toHaveLength(1)
  })

  it('starting while paused waits for resume', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.pause()
    scheduler.start()
    await clock.advance(60 * MIN)
    expect(calls).toHaveLength(0)
    scheduler.resume()
    await clock.advance(0)
    expect(calls).toEqual([T0 + 60 * MIN])
  })
})

describe('scheduler: manual refresh', () => {
  it('joins a run in flight instead of fetching twice', async () => {
    const { clock, scheduler, task } = setup()
    const slow = deferred()
    task.mockImplementationOnce(() => slow.promise)
    scheduler.start()
    await clock.advance(0)
    const a = scheduler.runNow()
    const b = scheduler.runNow()
    expect(a).toBe(b)
    let done = false
    void a.then(() => (done = true))
    await clock.advance(0)
    expect(done).toBe(false)
    slow.resolve()
    await Promise.all([a, b])
    expect(task).toHaveBeenCalledTimes(1)
    expect(scheduler.state().running).toBe(false)
  })

  it('replaces the pending poll: the next one is an interval after the manual run', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.start()
    await clock.advance(10 * MIN)
    await scheduler.runNow()
    expect(scheduler.state().nextRunAt).toBe(T0 + 25 * MIN)
    await clock.advance(15 * MIN)
    expect(calls).toEqual([T0, T0 + 10 * MIN, T0 + 25 * MIN])
  })

  it('never rejects: the error is in the state', async () => {
    const { scheduler } = setup([server()])
    await expect(scheduler.runNow()).resolves.toBeUndefined()
    expect(scheduler.state().lastError?.kind).toBe('server')
  })

  it('works before start without starting the schedule', async () => {
    const { clock, calls, scheduler } = setup()
    await scheduler.runNow()
    await clock.advance(60 * MIN)
    expect(calls).toEqual([T0])
    expect(scheduler.state().nextRunAt).toBeNull()
  })

  it('works while paused (the user asked) and stays paused', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.start()
    await clock.advance(0)
    scheduler.pause()
    await scheduler.runNow()
    await clock.advance(60 * MIN)
    expect(calls).toHaveLength(2)
    expect(scheduler.state()).toMatchObject({ paused: true, nextRunAt: null })
  })
})

describe('scheduler: changing the interval', () => {
  it('moves a pending poll earlier, timed from the last run', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.start()
    await clock.advance(2 * MIN)
    scheduler.setInterval(5 * MIN)
    expect(scheduler.state().nextRunAt).toBe(T0 + 5 * MIN)
    await clock.advance(8 * MIN)
    expect(calls).toEqual([T0, T0 + 5 * MIN, T0 + 10 * MIN])
  })

  it('moves a pending poll later', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.start()
    await clock.advance(1 * MIN)
    scheduler.setInterval(60 * MIN)
    await clock.advance(30 * MIN)
    expect(calls).toEqual([T0])
    expect(scheduler.state().nextRunAt).toBe(T0 + 60 * MIN)
  })

  it('polls at once when the new interval has already passed', async () => {
    const { clock, calls, scheduler } = setup()
    scheduler.start()
    await clock.advance(10 * MIN)
    scheduler.setInterval(5 * MIN)
    await clock.advance(0)
    expect(calls).toEqual([T0, T0 + 10 * MIN])
  })

  it('leaves a pending backoff retry alone', async () => {
    const { clock, scheduler } = setup([network()], { random: () => 0 })
    scheduler.start()
    await clock.advance(0)
    scheduler.setInterval(60 * MIN)
    expect(scheduler.state().nextRunAt).toBe(T0 + 5 * SEC)
  })

  it('uses the new interval for staleness', async () => {
    const { clock, scheduler } = setup()
    scheduler.start()
    await clock.advance(0)
    scheduler.stop()
    await clock.advance(20 * MIN)
    expect(scheduler.state().stale).toBe(false)
    scheduler.setInterval(5 * MIN)
    expect(scheduler.state().stale).toBe(true)
  })
})

describe('scheduler: watchdog', () => {
  it('gives up on a run that never settles and retries with backoff', async () => {
    const { clock, calls, scheduler } = setup(['hang'], { random: () => 0 })
    scheduler.start()
    await clock.advance(DEFAULT_WATCHDOG_MS - 1)
    expect(scheduler.state().running).toBe(true)
    await clock.advance(1)
    const s = scheduler.state()
    expect(s.running).toBe(false)
    expect(s.lastError?.kind).toBe('network')
    expect(s.lastError?.retryable).toBe(true)
    expect(s.nextRunAt).toBe(T0 + DEFAULT_WATCHDOG_MS + 5 * SEC)
    await clock.advance(5 * SEC)
    expect(calls).toHaveLength(2)
    expect(scheduler.state()).toMatchObject({
      lastError: null,
      lastSuccessAt: T0 + DEFAULT_WATCHDOG_MS + 5 * SEC
    })
  })

  it('says api.openai.com did not answer, or names the host it was given', async () => {
    const plain = setup(['hang'])
    plain.scheduler.start()
    await plain.clock.advance(DEFAULT_WATCHDOG_MS)
    expect(plain.scheduler.state().lastError?.message).toBe(
      'api.openai.com did not answer in time. Credit Tray will retry.'
    )
    const named = setup(['hang'], { timeoutMessage: '127.0.0.1:4010 did not answer in time.' })
    named.scheduler.start()
    await named.clock.advance(DEFAULT_WATCHDOG_MS)
    expect(named.scheduler.state().lastError?.message).toBe(
      '127.0.0.1:4010 did not answer in time.'
    )
  })

  it('ignores a stuck run that settles after the watchdog fired', async () => {
    const { clock, scheduler, task } = setup([], { watchdogMs: 30 * SEC, random: () => 0 })
    const stuck = deferred()
    task.mockImplementationOnce(() => stuck.promise)
    scheduler.start()
    await clock.advance(30 * SEC)
    const afterWatchdog = scheduler.state()
    stuck.reject(new CreditTrayError('auth', 'late'))
    await clock.advance(0)
    expect(scheduler.state().lastError).toBe(afterWatchdog.lastError)
    expect(scheduler.state().halted).toBe(false)
  })

  it('clears the watchdog of a finished run', async () => {
    const { clock, calls, scheduler } = setup([], { watchdogMs: 10 * SEC })
    scheduler.start()
    await clock.advance(14 * MIN)
    expect(calls).toHaveLength(1)
    expect(scheduler.state().lastError).toBeNull()
  })
})

describe('scheduler: state notifications', () => {
  it('reports runs starting and finishing', async () => {
    const { clock, scheduler, states } = setup([network()], { random: () => 0 })
    scheduler.start()
    await clock.advance(0)
    expect(states.map((s) => [s.running, s.consecutiveFailures])).toEqual([
      [true, 0],
      [false, 1]
    ])
    expect(states[1]?.nextRunAt).toBe(T0 + 5 * SEC)
  })

  it('keeps polling when the listener throws', async () => {
    const { clock, calls, scheduler } = setup([], {
      onState: () => {
        throw new Error('listener bug')
      }
    })
    scheduler.start()
    await clock.advance(30 * MIN)
    expect(calls).toHaveLength(3)
  })
})

describe('scheduler: options it refuses', () => {
  it('names the option and the value, for zero, negative and non-finite times', () => {
    expect(() => setup([], { intervalMs: 0 })).toThrow(
      'intervalMs must be a positive number of milliseconds, got 0'
    )
    expect(() => setup([], { baseBackoffMs: 0 })).toThrow(
      'baseBackoffMs must be a positive number of milliseconds, got 0'
    )
    expect(() => setup([], { maxBackoffMs: -1 })).toThrow(
      'maxBackoffMs must be a positive number of milliseconds, got -1'
    )
    expect(() => setup([], { watchdogMs: Number.POSITIVE_INFINITY })).toThrow(
      'watchdogMs must be a positive number of milliseconds, got Infinity'
    )
    expect(() =>
      setup([], { intervalMs: 1, baseBackoffMs: 1, maxBackoffMs: 1, watchdogMs: 1 })
    ).not.toThrow()
  })
})

describe('scheduler: every change of state is told', () => {
  it('start, pause, resume and stop each report the state they leave', async () => {
    const { clock, scheduler, states } = setup()
    scheduler.start()
    await clock.advance(0)
    const n = states.length
    scheduler.pause()
    expect(states.slice(n).map((s) => [s.paused, s.nextRunAt])).toEqual([[true, null]])
    scheduler.pause() // already paused: nothing to tell
    expect(states).toHaveLength(n + 1)
    scheduler.resume()
    expect(states.at(-1)).toMatchObject({ paused: false, running: true })
    await clock.advance(0)
    scheduler.stop()
    expect(states.at(-1)).toMatchObject({ running: false, nextRunAt: null })
  })

  it('starting while paused tells the paused state without running', async () => {
    const { clock, calls, scheduler, states } = setup()
    scheduler.pause()
    const n = states.length
    scheduler.start()
    await clock.advance(0)
    expect(calls).toEqual([])
    expect(states.slice(n).map((s) => [s.paused, s.running])).toEqual([[true, false]])
  })

  it('a halted scheduler that resumes from a pause tells it stays halted', async () => {
    const auth = new CreditTrayError('auth', 'revoked')
    const { clock, calls, scheduler, states } = setup([auth])
    scheduler.start()
    await clock.advance(0)
    scheduler.pause()
    const n = states.length
    scheduler.resume()
    await clock.advance(0)
    expect(calls).toHaveLength(1)
    expect(states.slice(n).map((s) => [s.paused, s.halted, s.running])).toEqual([
      [false, true, false]
    ])
  })

  it('a halted run tells the halt and the error kind', async () => {
    const permission = new CreditTrayError('permission', 'project key')
    const { clock, scheduler, states } = setup([permission])
    scheduler.start()
    await clock.advance(0)
    expect(states.at(-1)).toMatchObject({
      halted: true,
      nextRunAt: null,
      consecutiveFailures: 1,
      lastError: permission
    })
  })

  it('a non-retryable failure waits the normal interval, not a backoff', async () => {
    const bad = new CreditTrayError('bad_response', 'garbled')
    const { clock, scheduler } = setup([bad, bad])
    scheduler.start()
    await clock.advance(0)
    expect(scheduler.state()).toMatchObject({ nextRunAt: T0 + 15 * MIN, consecutiveFailures: 1 })
    await clock.advance(15 * MIN)
    expect(scheduler.state()).toMatchObject({ nextRunAt: T0 + 30 * MIN, consecutiveFailures: 2 })
  })
})

describe('the real timers', () => {
  afterEach(() => vi.useRealTimers())

  it('fire after the time asked for, and a cleared one never fires', () => {
    vi.useFakeTimers()
    const fired: string[] = []
    REAL_TIMERS.setTimer(() => fired.push('a'), 1_000)
    const b = REAL_TIMERS.setTimer(() => fired.push('b'), 1_000)
    REAL_TIMERS.clearTimer(b)
    vi.advanceTimersByTime(999)
    expect(fired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(fired).toEqual(['a'])
    expect(REAL_TIMERS.random).toBe(Math.random)
  })
})

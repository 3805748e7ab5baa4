// The retry policy of one-shot work (issue 7 §7), on its own: pure, with an injected sleep.
import { CreditTrayError, MESSAGES } from '../src/main/engine/errors'
import {
  GaveUp,
  MAX_RETRY_AFTER_MS,
  oneShotMessage,
  retryDelay,
  withRetries
} from '../src/main/engine/one-shot-retry'

const half = () => 0.5
const err = (
  kind: CreditTrayError['kind'],
  opts: { retryAfterMs?: number; quickRetry?: boolean } = {}
) => new CreditTrayError(kind, MESSAGES[kind as keyof typeof MESSAGES] ?? kind, opts)

describe('retryDelay', () => {
  it('honours Retry-After up to 10 s, and not beyond', () => {
    expect(retryDelay(err('rate_limit', { retryAfterMs: 1000 }), 1, half)).toBe(1000)
    expect(retryDelay(err('rate_limit', { retryAfterMs: MAX_RETRY_AFTER_MS }), 1, half)).toBe(
      10_000
    )
    expect(retryDelay(err('rate_limit', { retryAfterMs: 10_001 }), 1, half)).toBeNull()
  })

  it('backs off exponentially with jitter for 5xx and network errors, twice', () => {
    expect(retryDelay(err('server'), 1, half)).toBe(750)
    expect(retryDelay(err('network'), 2, half)).toBe(1500)
    expect(retryDelay(err('network'), 2, () => 0)).toBe(1000)
    expect(retryDelay(err('server'), 3, half)).toBeNull()
  })

  it('never retries what waiting will not fix', () => {
    for (const kind of ['auth', 'permission', 'bad_response', 'no_key', 'keychain'] as const)
      expect(retryDelay(err(kind), 1, half)).toBeNull()
    expect(retryDelay(err('server', { quickRetry: false }), 1, half)).toBeNull()
    expect(retryDelay(new Error('bug'), 1, half)).toBeNull()
  })
})

describe('withRetries', () => {
  it('succeeds on the third attempt after two brief faults', async () => {
    const waits: number[] = []
    let n = 0
    const { value, attempts } = await withRetries(
      async () => {
        if (++n < 3) throw err('server')
        return 'ok'
      },
      { deadlineAt: 60_000, now: () => 0, sleep: async (ms) => void waits.push(ms), random: half }
    )
    expect([value, attempts, waits]).toEqual(['ok', 3, [750, 1500]])
  })

  it('does not start a retry that would begin after the deadline', async () => {
    let n = 0
    const failing = withRetries(
      async () => {
        n++
        throw err('rate_limit', { retryAfterMs: 5000 })
      },
      { deadlineAt: 4000, now: () => 0, sleep: async () => {}, random: half }
    )
    await expect(failing).rejects.toBeInstanceOf(GaveUp)
    expect(n).toBe(1)
  })
})

describe('oneShotMessage', () => {
  it('drops the promise of a retry nobody will make and says what was tried', () => {
    const text = oneShotMessage(err('server'), 3)
    expect(text).not.toMatch(/will retry/)
    expect(text).toMatch(/Tried 3 times\.$/)
    expect(oneShotMessage(err('network'), 3)).toMatch(/connection\. Tried 3 times\.$/)
    expect(oneShotMessage(err('rate_limit', { retryAfterMs: 60_000 }), 1)).toMatch(
      /asked to wait 60 s/
    )
  })
})

describe('retry policy edges', () => {
  it('jitters between half and the whole backoff, doubling from the base given', () => {
    expect(retryDelay(err('server'), 1, () => 0)).toBe(500)
    expect(retryDelay(err('server'), 1, () => 0.999_999)).toBe(1000)
    expect(retryDelay(err('server'), 2, () => 0.999_999, 100)).toBe(200)
    expect(retryDelay(err('server'), 1, () => 0, 100)).toBe(50)
  })

  it('a rate limit without Retry-After backs off like a server error; a negative one waits 0', () => {
    expect(retryDelay(err('rate_limit'), 1, half)).toBe(750)
    expect(retryDelay(err('rate_limit', { retryAfterMs: -5 }), 1, half)).toBe(0)
    expect(retryDelay(err('rate_limit', { retryAfterMs: 1000 }), 3, half)).toBeNull()
  })

  it('tells each retry before waiting, and gives up with the last error and the count', async () => {
    const told: [string, number, number][] = []
    const last = err('network')
    let n = 0
    const failure = await withRetries(
      async () => {
        n++
        throw n < 3 ? err('server') : last
      },
      {
        deadlineAt: 60_000,
        now: () => 0,
        sleep: async () => {},
        random: half,
        onRetry: (e, wait, attempt) => told.push([e.kind, wait, attempt])
      }
    ).catch((e: unknown) => e)
    expect(told).toEqual([
      ['server', 750, 1],
      ['server', 1500, 2]
    ])
    expect(failure).toBeInstanceOf(GaveUp)
    expect((failure as GaveUp).last).toBe(last)
    expect((failure as GaveUp).attempts).toBe(3)
    expect((failure as GaveUp).name).toBe('GaveUp')
    expect((failure as GaveUp).message).toBe('gave up')
  })

  it('does not retry once the whole work was cancelled, nor when the wait ends exactly at the deadline', async () => {
    const controller = new AbortController()
    controller.abort()
    let n = 0
    await expect(
      withRetries(
        async () => {
          n++
          throw err('server')
        },
        {
          deadlineAt: 60_000,
          now: () => 0,
          sleep: async () => {},
          random: half,
          signal: controller.signal
        }
      )
    ).rejects.toBeInstanceOf(GaveUp)
    expect(n).toBe(1)
    n = 0
    await expect(
      withRetries(
        async () => {
          n++
          throw err('server')
        },
        { deadlineAt: 750, now: () => 0, sleep: async () => {}, random: half }
      )
    ).rejects.toBeInstanceOf(GaveUp)
    expect(n).toBe(1)
    n = 0
    const ok = await withRetries(
      async () => {
        if (++n < 2) throw err('server')
        return 'done'
      },
      { deadlineAt: 751, now: () => 0, sleep: async () => {}, random: half }
    )
    expect(ok).toEqual({ value: 'done', attempts: 2 })
  })
})

describe('one-shot messages, word for word', () => {
  const withMessage = (kind: CreditTrayError['kind'], message: string, retryAfterMs?: number) =>
    new CreditTrayError(kind, message, retryAfterMs === undefined ? {} : { retryAfterMs })

  it('removes each form of the retry promise and ends with a full stop', () => {
    expect(oneShotMessage(withMessage('server', 'OpenAI failed; Credit Tray will retry.'), 1)).toBe(
      'OpenAI failed.'
    )
    expect(
      oneShotMessage(
        withMessage(
          'server',
          'OpenAI failed. This is usually brief; Credit Tray will try again shortly.'
        ),
        2
      )
    ).toBe('OpenAI failed. Tried 2 times.')
    expect(
      oneShotMessage(
        withMessage('server', 'No credit, Credit Tray will check again on its normal schedule.'),
        1
      )
    ).toBe('No credit.')
    expect(oneShotMessage(withMessage('server', 'Ends with a quote "x"'), 1)).toBe(
      'Ends with a quote "x"'
    )
    expect(oneShotMessage(withMessage('server', 'Ends (in brackets)'), 1)).toBe(
      'Ends (in brackets)'
    )
    expect(oneShotMessage(withMessage('server', 'Really?'), 1)).toBe('Really?')
  })

  it('names a long wait OpenAI asked for, rounded up to seconds, only for rate limits past 10 s', () => {
    expect(oneShotMessage(withMessage('rate_limit', 'Slow down.', 10_001), 1)).toBe(
      'Slow down. OpenAI asked to wait 11 s; try again then.'
    )
    expect(oneShotMessage(withMessage('rate_limit', 'Slow down.', 10_000), 1)).toBe('Slow down.')
    expect(oneShotMessage(withMessage('server', 'Down.', 60_000), 1)).toBe('Down.')
  })
})

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

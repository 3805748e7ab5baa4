// The error type every failure becomes, and the redaction every message passes through.
import { CreditTrayError, InputError, redactSecrets } from '../src/main/engine/errors'
import { ERROR_KINDS } from '../src/shared/status'

describe('CreditTrayError', () => {
  it('only rate limits, network and server errors are worth retrying', () => {
    const retryable = ERROR_KINDS.filter((kind) => new CreditTrayError(kind, 'x').retryable)
    expect(retryable.sort()).toEqual(['network', 'rate_limit', 'server'])
  })

  it('carries its kind, status, Retry-After and cause, and becomes a StatusError', () => {
    const cause = new Error('inner')
    const e = new CreditTrayError('rate_limit', 'slow down', {
      status: 429,
      retryAfterMs: 1500,
      cause
    })
    expect(e).toMatchObject({
      name: 'CreditTrayError',
      kind: 'rate_limit',
      message: 'slow down',
      status: 429,
      retryAfterMs: 1500,
      cause
    })
    expect(e.toStatusError()).toEqual({ kind: 'rate_limit', message: 'slow down' })
    const bare = new CreditTrayError('no_key', 'none')
    expect('cause' in bare).toBe(false)
    expect(bare.status).toBeUndefined()
    expect(new InputError('bad').name).toBe('InputError')
  })
})

describe('redactSecrets', () => {
  it('removes anything shaped like an OpenAI key', () => {
    expect(redactSecrets('key sk-admin-abcdefgh1234 failed')).toBe('key sk-…[redacted] failed')
    expect(redactSecrets('sk-short')).toBe('sk-short')
  })

  it('removes the given secrets of 8 characters or more, every time they appear', () => {
    expect(redactSecrets('a 12345678 b 12345678', '12345678')).toBe('a [redacted] b [redacted]')
    expect(redactSecrets('a 1234567 b', '1234567')).toBe('a 1234567 b')
    expect(redactSecrets('a b', undefined, null, '')).toBe('a b')
  })
})

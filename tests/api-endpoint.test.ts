// Where the Admin key may be sent: https anywhere, plain http only to this computer.
import {
  apiEndpoint,
  customHostNotice,
  isLoopbackHost,
  requireSecureUrl
} from '../src/main/engine/api-endpoint'
import { InputError } from '../src/main/engine/errors'

function refusal(raw: string): string {
  try {
    requireSecureUrl(raw, 'OPENAI_BASE_URL')
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return (e as Error).message
  }
  throw new Error(`${raw} was accepted`)
}

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.9', '::1', '[::1]'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true)
  )
  it.each([
    'example.com',
    'localhost.example.com',
    '127.example.com',
    '127.0.0.1.example.com',
    '127.0.0.1.nip.io',
    '128.0.0.1',
    '10.0.0.1',
    '0.0.0.0',
    '::2',
    '::',
    '[::ffff:7f00:1]',
    ''
  ])('%s is not loopback', (host) => expect(isLoopbackHost(host)).toBe(false))
})

describe('requireSecureUrl', () => {
  it.each([
    'https://api.openai.com/v1',
    'https://proxy.example.com:8443/openai/v1',
    'http://127.0.0.1:4010/v1',
    'http://localhost:8080/v1',
    'http://[::1]:9000/v1',
    // The URL parser writes 127.1 as 127.0.0.1: still this computer.
    'http://127.1/v1'
  ])('accepts %s', (raw) => {
    expect(requireSecureUrl(raw, 'OPENAI_BASE_URL').href).toBe(new URL(raw).href)
  })

  it('refuses plain http to another computer, naming the host and saying https is required', () => {
    expect(refusal('http://api.openai.com/v1')).toBe(
      'OPENAI_BASE_URL points to api.openai.com over plain http. https is required (plain http ' +
        'is allowed only to this computer: localhost, 127.0.0.1, ::1), so the key is never sent unencrypted.'
    )
    expect(refusal('http://192.168.1.20:8080/v1')).toMatch(
      /^OPENAI_BASE_URL points to 192\.168\.1\.20:8080 over plain http/
    )
    expect(refusal('http://localhost.evil.example/v1')).toMatch(/over plain http/)
    expect(refusal('http://0.0.0.0:4010/v1')).toMatch(/over plain http/)
  })

  it('refuses other schemes, credentials in the URL and non-URLs', () => {
    expect(refusal('ftp://example.com/v1')).toBe(
      'OPENAI_BASE_URL must be an https:// address (got ftp:).'
    )
    expect(refusal('file:///etc/passwd')).toMatch(/must be an https:\/\/ address \(got file:\)/)
    // Loopback does not excuse other schemes.
    expect(refusal('ftp://localhost/v1')).toBe(
      'OPENAI_BASE_URL must be an https:// address (got ftp:).'
    )
    expect(refusal('ws://127.0.0.1:4010/v1')).toMatch(/\(got ws:\)/)
    expect(refusal('https://:secret@example.com/v1')).toMatch(/user name or password/)
    expect(refusal('https://user:pw@example.com/v1')).toBe(
      'OPENAI_BASE_URL must not contain a user name or password.'
    )
    expect(refusal('https://user@example.com/v1')).toMatch(/user name or password/)
    expect(refusal('api.example.com/v1')).toBe(
      'OPENAI_BASE_URL is not a valid URL. It must be an https:// address.'
    )
  })

  it('names the setting it checks (the team-server URL reuses it)', () => {
    expect(() => requireSecureUrl('http://team.example.com', 'The team server URL')).toThrow(
      /^The team server URL points to team\.example\.com over plain http/
    )
  })
})

describe('apiEndpoint', () => {
  it('is api.openai.com when OPENAI_BASE_URL is unset or blank, with no notice', () => {
    for (const raw of [undefined, '', '   ']) {
      const e = apiEndpoint(raw)
      expect(e).toEqual({
        baseURL: 'https://api.openai.com/v1',
        host: 'api.openai.com',
        custom: false
      })
      expect(customHostNotice(e)).toBeNull()
    }
  })

  it('an explicit https api.openai.com is not custom', () => {
    expect(apiEndpoint(' https://api.openai.com/v1 ')).toEqual({
      baseURL: 'https://api.openai.com/v1',
      host: 'api.openai.com',
      custom: false
    })
  })

  it('any other host or port is custom and named in the notice', () => {
    const proxy = apiEndpoint('https://proxy.example.com/v1')
    expect(proxy).toEqual({
      baseURL: 'https://proxy.example.com/v1',
      host: 'proxy.example.com',
      custom: true
    })
    expect(customHostNotice(proxy)).toBe(
      'The Admin key is sent to proxy.example.com (OPENAI_BASE_URL), not to api.openai.com.'
    )
    expect(apiEndpoint('https://api.openai.com:8443/v1')).toMatchObject({
      host: 'api.openai.com:8443',
      custom: true
    })
    expect(apiEndpoint('http://127.0.0.1:4010/v1')).toMatchObject({
      host: '127.0.0.1:4010',
      custom: true
    })
  })

  it('throws the refusal for plain http elsewhere', () => {
    expect(() => apiEndpoint('http://api.openai.com/v1')).toThrow(InputError)
    expect(() => apiEndpoint('http://api.openai.com/v1')).toThrow(/https is required/)
  })
})

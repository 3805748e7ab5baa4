import { describe, expect, it } from 'vitest'
import {
  describeKeyProblem,
  keyType,
  maskKey,
  normalizeKeyInput
} from '../src/main/engine/key-type'
import type { KeyType } from '../src/shared/settings'

// Realistic-length fake keys (not real secrets): a long random-looking body after the prefix.
const BODY = 'Xq7Lm2Vb9Rt4Kd8Pz1Nw6Hs3Jc5Gf0Ya-Ue_Io9f2c'
const ADMIN = 'sk-admin-' + BODY
const PROJECT = 'sk-proj-' + BODY
const SVCACCT = 'sk-svcacct-' + BODY
const LEGACY = 'sk-' + BODY

describe('keyType', () => {
  it.each<[string, KeyType]>([
    [ADMIN, 'admin'],
    [PROJECT, 'project'],
    [SVCACCT, 'service_account'],
    [LEGACY, 'user'],
    ['sk-None-' + BODY, 'user'],
    ['pk-admin-' + BODY, 'unknown'],
    ['SK-ADMIN-' + BODY, 'unknown'],
    ['', 'unknown'],
    ['hello world', 'unknown']
  ])('%s is %s', (key, type) => {
    expect(keyType(key)).toBe(type)
  })
})

describe('maskKey', () => {
  it('shows the prefix, an ellipsis and the last 4 characters', () => {
    expect(maskKey(ADMIN)).toBe('sk-admin-…9f2c')
    expect(maskKey(PROJECT)).toBe('sk-proj-…9f2c')
    expect(maskKey(SVCACCT)).toBe('sk-svcacct-…9f2c')
    expect(maskKey(LEGACY)).toBe('sk-…9f2c')
  })

  it('never reveals the middle of the key', () => {
    const masked = maskKey(ADMIN)
    // No run of 5+ characters from the secret body survives masking.
    for (let i = 0; i + 5 <= BODY.length; i++) {
      expect(masked).not.toContain(BODY.slice(i, i + 5))
    }
    expect(masked.length).toBe('sk-admin-'.length + 1 + 4)
  })

  it('reveals less of short strings', () => {
    expect(maskKey('sk-admin-abcdefghij')).toBe('sk-admin-…ij')
    expect(maskKey('sk-admin-abc')).toBe('sk-admin-…')
    expect(maskKey('garbage-1234')).toBe('…34')
    expect(maskKey('abc')).toBe('…')
    expect(maskKey('')).toBe('…')
  })

  it('masks unknown long strings without any prefix', () => {
    expect(maskKey('x'.repeat(30) + 'wxyz')).toBe('…wxyz')
  })
})

describe('normalizeKeyInput', () => {
  it.each([
    ['surrounding whitespace and a trailing newline', `  ${ADMIN}\n`],
    ['Windows line ending', `${ADMIN}\r\n`],
    ['double quotes', `"${ADMIN}"`],
    ['single quotes and a tab', `\t'${ADMIN}'`],
    ['typographic quotes', `“${ADMIN}”`],
    ['backticks', '`' + ADMIN + '`'],
    ['a zero-width space and BOM at the ends', `\ufeff${ADMIN}\u200b`],
    ['a shell export line', `export OPENAI_ADMIN_KEY="${ADMIN}"\n`],
    ['a .env line', `OPENAI_ADMIN_KEY=${ADMIN}`],
    ['a YAML-ish line', `OPENAI_ADMIN_KEY: '${ADMIN}'`],
    ['a Bearer token', `Bearer ${ADMIN}`],
    ['an Authorization header', `Authorization: Bearer ${ADMIN}`]
  ])('accepts a key pasted with %s', (_what, raw) => {
    expect(normalizeKeyInput(raw)).toEqual({ ok: true, key: ADMIN })
  })

  it('leaves a clean key unchanged', () => {
    expect(normalizeKeyInput(PROJECT)).toEqual({ ok: true, key: PROJECT })
  })

  it.each([
    ['empty input', '', /empty/],
    ['only whitespace and quotes', ' "" \n', /empty/],
    [
      'a key with a space inside',
      `sk-admin-${BODY.slice(0, 10)} ${BODY.slice(10)}`,
      /space inside/
    ],
    ['two lines', `${ADMIN}\n${PROJECT}`, /several lines/],
    ['a non-breaking space inside', `sk-admin-abc\u00a0${BODY}`, /space inside/],
    ['a control character inside', `sk-admin-abc\u0007${BODY}`, /control characters/],
    ['a zero-width space inside', `sk-admin-abc\u200b${BODY}`, /control characters/],
    ['an accented letter inside', `sk-admin-abcé${BODY}`, /never part of an OpenAI key/]
  ])('rejects %s with a clear message that does not repeat the input', (_what, raw, pattern) => {
    const result = normalizeKeyInput(raw)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.message).toMatch(pattern)
    expect(result.message).not.toContain(BODY.slice(10, 20))
    expect(result.message).not.toContain('abc')
  })
})

describe('describeKeyProblem', () => {
  it('has nothing to say about Admin keys', () => {
    expect(describeKeyProblem('admin')).toBeNull()
  })

  it('explains project keys and points at the Admin keys page', () => {
    const text = describeKeyProblem('project')
    expect(text).toContain('This is a project key (sk-proj-…)')
    expect(text).toContain('cannot read costs')
    expect(text).toContain('https://platform.openai.com/settings/organization/admin-keys')
  })

  it.each<[KeyType, RegExp]>([
    ['service_account', /service-account key \(sk-svcacct-…\)/],
    ['user', /user API key/],
    ['unknown', /does not look like an OpenAI key/]
  ])('explains %s keys with a way forward', (type, pattern) => {
    const text = describeKeyProblem(type)
    expect(text).toMatch(pattern)
    expect(text).toContain('Create an Admin key at https://platform.openai.com/')
  })
})

describe('key masking and messages at their edges', () => {
  it('shows 4 characters from a 16-character body, 2 from 8 to 15, none below', () => {
    expect(maskKey('sk-admin-' + 'a'.repeat(12) + 'wxyz')).toBe('sk-admin-…wxyz')
    expect(maskKey('sk-admin-' + 'a'.repeat(13) + 'xy')).toBe('sk-admin-…xy')
    expect(maskKey('sk-admin-' + 'a'.repeat(6) + 'xy')).toBe('sk-admin-…xy')
    expect(maskKey('sk-admin-' + 'a'.repeat(7))).toBe('sk-admin-…')
  })

  it('words each refusal in full', () => {
    expect(normalizeKeyInput('')).toEqual({
      ok: false,
      message: 'The key is empty. Paste the Admin key (it starts with sk-admin-).'
    })
    expect(normalizeKeyInput(`${ADMIN}\r${ADMIN}`)).toEqual({
      ok: false,
      message:
        'The pasted text spans several lines. Copy only the key itself (one line, starting with sk-admin-).'
    })
    expect(normalizeKeyInput(`sk-admin-a b`)).toEqual({
      ok: false,
      message:
        'The pasted key has a space inside it, so it was probably copied together with other text. Copy only the key itself (it starts with sk-admin-).'
    })
    expect(normalizeKeyInput(`sk-admin-a\u007fb`)).toEqual({
      ok: false,
      message:
        'The pasted key contains invisible control characters. Copy it again from the OpenAI dashboard.'
    })
    expect(normalizeKeyInput(`sk-admin-a\u2013b`)).toEqual({
      ok: false,
      message:
        'The pasted key contains characters that are never part of an OpenAI key (such as accented letters or typographic symbols). Copy it again from the OpenAI dashboard.'
    })
  })

  it('strips a Bearer prefix in any case, and only at the start', () => {
    expect(normalizeKeyInput(`bearer   ${ADMIN}`)).toEqual({ ok: true, key: ADMIN })
    expect(normalizeKeyInput(`authorization: BEARER ${ADMIN}`)).toEqual({ ok: true, key: ADMIN })
    expect(normalizeKeyInput(`xBearer ${ADMIN}`).ok).toBe(false)
  })
})

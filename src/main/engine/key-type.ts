// What kind of OpenAI key a string is, how to show it without revealing it, and how to clean up
// what people paste. Only Admin keys (sk-admin-) can read the Costs API, so the other kinds get
// an explanation instead of a mysterious 403 later.
import type { KeyType } from '../../shared/settings'
import { ADMIN_KEYS_URL } from './errors'

// Longest prefix first: every key starts with "sk-", so the legacy user prefix must come last.
const PREFIXES: readonly { prefix: string; type: KeyType }[] = [
  { prefix: 'sk-admin-', type: 'admin' },
  { prefix: 'sk-proj-', type: 'project' },
  { prefix: 'sk-svcacct-', type: 'service_account' },
  { prefix: 'sk-', type: 'user' }
]

const ELLIPSIS = '…'

function matchPrefix(key: string): { prefix: string; type: KeyType } | undefined {
  return PREFIXES.find((p) => key.startsWith(p.prefix))
}

/** The key's type from its prefix. Anything that does not start with "sk-" is `unknown`. */
export function keyType(key: string): KeyType {
  return matchPrefix(key)?.type ?? 'unknown'
}

/**
 * A form of the key safe to show and log: the public prefix, an ellipsis and at most the last
 * 4 characters ("sk-admin-…9f2c"). Short or odd strings reveal less, because 4 characters of an
 * 8-character string is half the secret.
 */
export function maskKey(key: string): string {
  const match = matchPrefix(key)
  const prefix = match?.prefix ?? ''
  const body = key.slice(prefix.length)
  const shown = body.length >= 16 ? 4 : body.length >= 8 ? 2 : 0
  return prefix + ELLIPSIS + (shown > 0 ? body.slice(-shown) : '')
}

export type KeyInputResult = { ok: true; key: string } | { ok: false; message: string }

// Characters copy/paste drags along at the ends: whitespace, quotes (straight and typographic),
// backticks and zero-width characters / byte-order marks.
const EDGE_JUNK =
  /^[\s"'`\u2018\u2019\u201c\u201d\u200b-\u200d\u2060\ufeff]+|[\s"'`\u2018\u2019\u201c\u201d\u200b-\u200d\u2060\ufeff]+$/g
// "export OPENAI_ADMIN_KEY=sk-…" or "OPENAI_ADMIN_KEY: sk-…" pasted from a shell file or .env.
const ASSIGNMENT = /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*[=:]\s*/
// "Bearer sk-…" pasted from a curl command or an HTTP header.
const BEARER = /^(?:Authorization:\s*)?Bearer\s+/i

/**
 * Clean up a pasted key: trim whitespace, line breaks, quotes and a leading `NAME=` or
 * `Bearer `. Rejects what cannot be a key (inner spaces, control or non-ASCII characters) with
 * a message for a person. Messages never repeat the input: it may be a real secret.
 */
export function normalizeKeyInput(raw: string): KeyInputResult {
  let key = raw.replace(EDGE_JUNK, '')
  const stripped = key.replace(BEARER, '').replace(ASSIGNMENT, '')
  if (stripped !== key) key = stripped.replace(EDGE_JUNK, '')

  if (key.length === 0) {
    return {
      ok: false,
      message: 'The key is empty. Paste the Admin key (it starts with sk-admin-).'
    }
  }
  if (/[\r\n]/.test(key)) {
    return {
      ok: false,
      message:
        'The pasted text spans several lines. Copy only the key itself (one line, starting with sk-admin-).'
    }
  }
  if (/\s/.test(key)) {
    return {
      ok: false,
      message:
        'The pasted key has a space inside it, so it was probably copied together with other text. ' +
        'Copy only the key itself (it starts with sk-admin-).'
    }
  }
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/.test(key)) {
    return {
      ok: false,
      message:
        'The pasted key contains invisible control characters. Copy it again from the OpenAI dashboard.'
    }
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return {
      ok: false,
      message:
        'The pasted key contains characters that are never part of an OpenAI key (such as accented ' +
        'letters or typographic symbols). Copy it again from the OpenAI dashboard.'
    }
  }
  return { ok: true, key }
}

const CREATE_ADMIN = `Create an Admin key at ${ADMIN_KEYS_URL}`

/**
 * Why a key of this type cannot be used, for a person; null for Admin keys (the only kind the
 * Costs API accepts).
 */
export function describeKeyProblem(type: KeyType): string | null {
  switch (type) {
    case 'admin':
      return null
    case 'project':
      return `This is a project key (sk-proj-…). Project keys can call models but cannot read costs. ${CREATE_ADMIN} (an organization owner can create one).`
    case 'service_account':
      return `This is a service-account key (sk-svcacct-…). Service-account keys can call models but cannot read costs. ${CREATE_ADMIN} (an organization owner can create one).`
    case 'user':
      return `This is a user API key (sk-…). User keys can call models but cannot read the organization's costs. ${CREATE_ADMIN} (an organization owner can create one).`
    case 'unknown':
      return `This does not look like an OpenAI key: OpenAI keys start with sk-. ${CREATE_ADMIN}; Admin keys start with sk-admin-.`
  }
}

// What each kind of refresh failure means for the user and which button fixes it.
// Main writes `error.message` (specific, key-free); this adds the plain headline and the action.
import type { ErrorKind, StatusError } from '../../shared/status'

export type ErrorAction = 'createAdminKey' | 'replaceKey' | 'retry' | 'setUp'

export interface ErrorAdvice {
  title: string
  hint: string
  actions: ErrorAction[]
}

const ADVICE: Record<ErrorKind, ErrorAdvice> = {
  auth: {
    title: 'The Admin key was rejected',
    hint: 'OpenAI did not accept the saved key. It may have been revoked or deleted.',
    actions: ['createAdminKey', 'replaceKey']
  },
  permission: {
    title: 'This key cannot read costs',
    hint: 'Costs can only be read with an organization Admin key (sk-admin-…). Project keys are not enough.',
    actions: ['createAdminKey', 'replaceKey']
  },
  rate_limit: {
    title: 'OpenAI asked us to slow down',
    hint: 'Too many requests for now. Credit Tray backs off and tries again by itself.',
    actions: ['retry']
  },
  network: {
    title: 'Cannot reach OpenAI',
    hint: 'Check your internet connection, VPN or proxy.',
    actions: ['retry']
  },
  server: {
    title: 'OpenAI is having trouble',
    hint: 'The Costs API returned a server error. This is usually temporary.',
    actions: ['retry']
  },
  bad_response: {
    title: 'Unexpected answer from OpenAI',
    hint: 'The Costs API replied in a form Credit Tray did not understand.',
    actions: ['retry']
  },
  no_key: {
    title: 'No Admin key yet',
    hint: 'Add an organization Admin key so Credit Tray can read your costs.',
    actions: ['setUp']
  },
  keychain: {
    title: 'The system keychain did not answer',
    hint: 'Your saved key is not lost: the keychain may be locked. Unlock it (or sign in again), then retry.',
    actions: ['retry']
  },
  insecure_url: {
    title: 'Refused to send the key over plain http',
    hint: 'OPENAI_BASE_URL must be an https:// address (plain http only to this computer). Change it and restart Credit Tray.',
    actions: []
  },
  storage: {
    title: 'Credit Tray cannot save its data',
    hint: 'Its data folder could not be written (disk full, read-only, or held by another Credit Tray process). What was saved before is intact: free some space or fix the folder, then retry.',
    actions: ['retry']
  }
}

/**
 * In team mode a failure is either this computer's (reaching the team server, its read token) or
 * the server's own (reaching OpenAI with its Admin key); the message says which, the headline
 * covers both, and nothing offers to change an Admin key this computer does not have.
 */
const TEAM_ADVICE: Record<ErrorKind, ErrorAdvice> = {
  auth: {
    title: 'A key or token was refused',
    hint: 'If it is the read token, save the current one in Settings; if it is the Admin key, it is fixed on the team server.',
    actions: ['replaceKey']
  },
  permission: {
    title: 'The team server’s key cannot read costs',
    hint: 'The Admin key is set up on the team server (credit-tray key set there).',
    actions: ['retry']
  },
  rate_limit: {
    title: 'Asked to slow down',
    hint: 'Credit Tray backs off and tries again by itself.',
    actions: ['retry']
  },
  network: {
    title: 'Cannot reach the team server or OpenAI',
    hint: 'The message above says which. Check the connection to the team server, VPN or proxy.',
    actions: ['retry']
  },
  server: {
    title: 'The team server or OpenAI is having trouble',
    hint: 'This is usually temporary.',
    actions: ['retry']
  },
  bad_response: {
    title: 'Unexpected answer',
    hint: 'The team server (or OpenAI behind it) replied in a form Credit Tray did not understand.',
    actions: ['retry']
  },
  no_key: {
    title: 'No read token',
    hint: 'Save the team server’s read token again in Settings.',
    actions: ['replaceKey']
  },
  keychain: ADVICE.keychain,
  insecure_url: {
    title: 'Refused to send the read token over plain http',
    hint: 'The team server must be an https:// address (plain http only to this computer). Change it in Settings.',
    actions: []
  },
  storage: ADVICE.storage
}

export function adviceFor(error: StatusError, team = false): ErrorAdvice {
  return (team ? TEAM_ADVICE : ADVICE)[error.kind]
}

export const ACTION_LABELS: Record<ErrorAction, string> = {
  createAdminKey: 'Create an Admin key',
  replaceKey: 'Replace key',
  retry: 'Retry',
  setUp: 'Set up'
}

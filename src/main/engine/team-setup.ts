// Choosing team mode for an account: where the choice is kept (team-server.json in the account's
// folder; the read token in the keychain like the Admin key), checking a server before saving
// it, and leaving team mode again. The shell then rebuilds the account's engine.
import { z } from 'zod'
import type { TeamCheckResult, TeamServerInfo } from '../../shared/team'
import { CreditTrayError } from './errors'
import type { SecretStore } from './secrets'
import { createJsonStore } from './store'
import {
  fetchTeamStatus,
  normalizeTeamServerUrl,
  teamServerSchema,
  type FetchLike,
  type TeamServer
} from './team-client'
import { teamTokenEntry } from './team-engine'

export const TEAM_SERVER_VERSION = 1

const storedSchema = z.object({ server: teamServerSchema.nullable() })

function storeFor(dataDir: string, now: () => Date) {
  return createJsonStore({
    dir: dataDir,
    name: 'team-server',
    schema: storedSchema,
    version: TEAM_SERVER_VERSION,
    defaults: () => ({ server: null }),
    now
  })
}

/** The team server an account reads from, or null (it uses an Admin key). */
export function readTeamServer(dataDir: string, now: () => Date): TeamServer | null {
  return storeFor(dataDir, now).load().value.server
}

export interface TeamSetupDeps {
  dataDir: string
  account: string
  secretStore: SecretStore
  fetch: FetchLike
  now: () => Date
  timeoutMs?: number
}

export async function teamServerInfo(d: TeamSetupDeps): Promise<TeamServerInfo | null> {
  const server = readTeamServer(d.dataDir, d.now)
  if (!server) return null
  let tokenPresent = false
  try {
    tokenPresent = (await d.secretStore.get(teamTokenEntry(d.account))) !== null
  } catch {
    tokenPresent = false
  }
  return { url: server.url, account: server.account, tokenPresent }
}

/** Check the server with the token (one GET /status.json), then keep both. Nothing is kept on failure. */
export async function saveTeamServer(
  d: TeamSetupDeps,
  input: { url: string; token: string; account: string | null }
): Promise<TeamCheckResult> {
  const url = normalizeTeamServerUrl(input.url)
  if (!url.ok) return { ok: false, error: { kind: 'bad_response', message: url.message } }
  const token = input.token.trim()
  if (token.length === 0 || /\s/.test(token))
    return {
      ok: false,
      error: { kind: 'auth', message: 'Paste the read token: one word, no spaces.' }
    }
  const server: TeamServer = { url: url.url, account: input.account?.trim() || null }
  try {
    await fetchTeamStatus(server, token, d.fetch, d.timeoutMs ?? 15_000)
  } catch (e) {
    const err =
      e instanceof CreditTrayError ? e : new CreditTrayError('network', 'The check failed.')
    return { ok: false, error: err.toStatusError() }
  }
  try {
    await d.secretStore.set(teamTokenEntry(d.account), token)
  } catch (e) {
    const message =
      e instanceof CreditTrayError
        ? e.message
        : 'The system keychain did not answer, so the token could not be stored.'
    return { ok: false, error: { kind: 'keychain', message } }
  }
  storeFor(d.dataDir, d.now).save({ server })
  return { ok: true, info: { url: server.url, account: server.account, tokenPresent: true } }
}

/** Leave team mode: forget the server and its token (the account then needs an Admin key). */
export async function clearTeamServer(d: TeamSetupDeps): Promise<void> {
  storeFor(d.dataDir, d.now).save({ server: null })
  try {
    await d.secretStore.delete(teamTokenEntry(d.account))
  } catch {
    // The token entry may stay behind in an unavailable keychain; it is no longer used.
  }
}

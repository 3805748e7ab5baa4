// `credit-tray serve`: one process holds the Admin key, polls OpenAI once per account per
// interval (the account hub and its schedulers, as in the tray app), and serves what it knows
// to any number of readers: trays in team mode, dashboards, Prometheus. Readers never cause a
// request to OpenAI: they read snapshots.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Status, StatusError } from '../../shared/status'
import { createAccountHub, type AccountHub } from '../engine/account-hub'
import type { Account, AccountRegistry } from '../engine/accounts'
import type { CliEngine } from '../engine/engine'
import { InputError } from '../engine/errors'
import { createMetrics } from '../engine/metrics'
import { createReadServer, type ReadSource } from '../engine/read-server'
import { accountRows, jsonText, statusJsonText } from '../engine/status-json'
import { isLoopbackHost } from '../engine/url-policy'

export const DEFAULT_LISTEN = '127.0.0.1:9464'
/** A read token shorter than this is refused: it would be guessable. */
export const MIN_TOKEN_LENGTH = 16
/** How long a snapshot is served before it is computed again (changes invalidate it at once). */
export const SNAPSHOT_TTL_MS = 1_000

export interface EngineHooks {
  /** After every refresh of this account (error null = success). */
  onRefresh?: (error: StatusError | null) => void
  log?: (line: string) => void
}

export interface ServeDeps {
  env: Record<string, string | undefined>
  readFile: (path: string) => string
  /** Calls `handler` once on SIGTERM or SIGINT. */
  onStopSignal: (handler: () => void) => void
  /** Called after the server closed: end the process soon even if a request to OpenAI is open. */
  exitSoon: () => void
  /** Diagnostic lines (stderr). Never given the key or the token. */
  log: (line: string) => void
  now: () => Date
}

export interface ServeContext {
  stdout: (text: string) => void
  accounts: () => AccountRegistry
  engineFor: (account: Account, hooks: EngineHooks) => CliEngine
}

export interface ListenAddress {
  host: string
  port: number
}

/** "HOST:PORT" or "[IPv6]:PORT"; port 0 = any free port. Throws InputError. */
export function parseListen(raw: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(raw)
  const port = m ? Number(m[3]) : NaN
  if (!m || port > 65535)
    throw new InputError(
      `--listen takes HOST:PORT (e.g. 127.0.0.1:9464, 0.0.0.0:9464, [::1]:9464; port 0 picks a free one), got "${raw}".`
    )
  return { host: m[1] ?? m[2]!, port }
}

/** The read token from --token-file or CREDIT_TRAY_READ_TOKEN; null when neither is set. */
export function readToken(
  tokenFile: string | undefined,
  deps: Pick<ServeDeps, 'env' | 'readFile'>
): string | null {
  let token: string
  let from: string
  if (tokenFile !== undefined) {
    from = tokenFile
    try {
      token = deps.readFile(tokenFile).trim()
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'unreadable'
      throw new InputError(`Could not read the token file ${tokenFile} (${code}).`)
    }
  } else {
    const env = deps.env['CREDIT_TRAY_READ_TOKEN']?.trim()
    if (!env) return null
    from = 'CREDIT_TRAY_READ_TOKEN'
    token = env
  }
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))
    throw new InputError(
      `The read token in ${from} must be one word of at least ${MIN_TOKEN_LENGTH} characters (e.g. from: openssl rand -hex 32).`
    )
  return token
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

/** Snapshots of each account's status and its JSON text, shared by every reader. */
function createSnapshots(hub: AccountHub, registry: AccountRegistry, now: () => number) {
  let cache = new Map<string, { at: number; status: Status | null; text: string | null }>()
  let accountsText: { at: number; text: string } | null = null
  // Any account's status changed (a refresh, a recorded balance): serve the new one at once.
  hub.onChange(() => {
    cache = new Map()
    accountsText = null
  })
  const fresh = (at: number): boolean => now() - at < SNAPSHOT_TTL_MS

  function entry(name: string | null) {
    const key = name ?? ''
    const hit = cache.get(key)
    if (hit && fresh(hit.at)) return hit
    let status: Status | null = null
    try {
      status = hub.statusOf(name ?? registry.active().name)
    } catch (e) {
      if (!(e instanceof InputError)) throw e // no such account: a 404, not a crash
    }
    const made = { at: now(), status, text: status && statusJsonText(status) }
    cache.set(key, made)
    return made
  }

  return {
    statusJson: (name: string | null) => entry(name).text,
    status: (name: string) => entry(name).status,
    accountsJson(): string {
      if (accountsText && fresh(accountsText.at)) return accountsText.text
      const rows = accountRows(registry.list(), registry.active().name, (n) => {
        const s = entry(n).status
        if (!s) throw new Error(`account ${n} vanished`)
        return s
      })
      accountsText = { at: now(), text: jsonText(rows) }
      return accountsText.text
    }
  }
}

function listen(server: Server, address: ListenAddress): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(address.port, address.host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}

/** Runs until SIGTERM/SIGINT; resolves with the exit code. Throws InputError for bad input. */
export async function serve(
  values: { listen?: string | undefined; 'token-file'?: string | undefined },
  ctx: ServeContext,
  deps: ServeDeps
): Promise<number> {
  const address = parseListen(values.listen ?? DEFAULT_LISTEN)
  const token = readToken(values['token-file'], deps)
  if (token === null && !isLoopbackHost(address.host))
    throw new InputError(
      `Refusing to listen on ${address.host} without a read token: anyone who can reach it could read your balances. ` +
        'Set CREDIT_TRAY_READ_TOKEN or pass --token-file FILE, or listen on 127.0.0.1.'
    )

  const registry = ctx.accounts()
  // Filled at scrape time from the snapshots (created below, before anything can scrape).
  const metrics = createMetrics({
    statuses: () =>
      registry.list().flatMap((a) => {
        const status = snapshots.status(a.name)
        return status ? [{ account: a.name, status }] : []
      })
  })
  const hub = createAccountHub({
    registry,
    engineFor: (account) =>
      ctx.engineFor(account, {
        log: (line) => deps.log(`account "${account.name}": ${line}`),
        onRefresh(error) {
          // One line per refresh per account. Messages are written for people and never carry the key.
          if (error === null) deps.log(`account "${account.name}": refreshed`)
          else {
            deps.log(`account "${account.name}": refresh failed (${error.kind}): ${error.message}`)
            metrics.refreshFailed(account.name, error.kind)
          }
        }
      })
  })
  const snapshots = createSnapshots(hub, registry, () => deps.now().getTime())
  const source: ReadSource = {
    statusJson: snapshots.statusJson,
    accountsJson: snapshots.accountsJson,
    metrics
  }
  const server = createReadServer({ token, source, log: deps.log })
  let bound: AddressInfo
  try {
    bound = await listen(server, address)
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'failed'
    throw new InputError(`Cannot listen on ${address.host}:${address.port} (${code}).`)
  }
  const stopped = new Promise<void>((resolve) => deps.onStopSignal(resolve))
  hub.start()
  ctx.stdout(`Listening on ${urlOf(bound)}\n`)
  deps.log(
    `serving ${registry.list().length} account(s)` +
      (token === null ? ' without a read token (loopback only)' : ' with a read token')
  )

  await stopped
  deps.log('stopping')
  hub.stop()
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
  deps.exitSoon()
  return 0
}

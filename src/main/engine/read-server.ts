// The HTTP side of `credit-tray serve`: a read-only server for trays, dashboards and Prometheus.
// GET/HEAD only, no CORS (browsers on other origins cannot read it), no request bodies, short
// timeouts, and with a read token every endpoint but /healthz needs `Authorization: Bearer`.
// It never sees the Admin key; the token is compared in constant time and never echoed.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { redactSecrets } from './errors'
import type { CreditMetrics } from './metrics'
import { isLoopbackHost } from './url-policy'

/** Longest request target we read (paths and one account name fit many times over). */
export const MAX_URL_LENGTH = 2048

export interface ReadSource {
  /** `status --json` text of the account (null: the active one); null when no such account. */
  statusJson(account: string | null): string | null
  /** `accounts list --json` text. */
  accountsJson(): string
  metrics: CreditMetrics
}

export interface ReadServerOptions {
  /** The read token; null = no authentication (loopback only, checked by the caller). */
  token: string | null
  source: ReadSource
  /** The operator's log: what an internal failure was (the reader only gets a 500). */
  log?: (line: string) => void
}

/** Whether `Authorization` carries the token. Constant time in the token's content. */
export function bearerMatches(expected: string, header: string | undefined): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '')
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const given = createHash('sha256')
    .update(m?.[1] ?? '')
    .digest()
  const want = createHash('sha256').update(expected).digest()
  return timingSafeEqual(given, want) && m !== null
}

/** The host name of a Host header ("127.0.0.1:9464" -> "127.0.0.1", "[::1]:9464" -> "::1"). */
function hostOf(header: string | undefined): string {
  if (!header) return ''
  try {
    return new URL(`http://${header}`).hostname
  } catch {
    return ''
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers
  })
  // Node sends no body for HEAD whatever end() is given; the headers (with the length) are the
  // same as for GET.
  res.end(body)
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' }

async function handle(
  opts: ReadServerOptions,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'Only GET and HEAD.\n', { Allow: 'GET, HEAD' })
  }
  // Nothing here takes a body: refuse one without reading it.
  const length = Number(req.headers['content-length'] ?? 0)
  if (req.headers['transfer-encoding'] !== undefined || length > 0) {
    return send(res, 413, 'Requests have no body here.\n', { Connection: 'close' })
  }
  const target = req.url ?? '/'
  if (target.length > MAX_URL_LENGTH) return send(res, 414, 'Request target too long.\n')
  let url: URL
  try {
    url = new URL(target, 'http://server.invalid')
  } catch {
    return send(res, 400, 'Bad request target.\n')
  }
  if (url.pathname === '/healthz') return send(res, 200, 'ok\n')
  // Without a token the server only listens on loopback; a Host that is not loopback then means
  // a web page reached it through DNS rebinding (evil.example resolving to 127.0.0.1): refuse.
  if (opts.token === null && !isLoopbackHost(hostOf(req.headers.host))) {
    return send(res, 403, 'Without a read token only http://localhost or 127.0.0.1 may ask.\n')
  }
  if (opts.token !== null && !bearerMatches(opts.token, req.headers.authorization)) {
    return send(res, 401, 'A read token is needed: Authorization: Bearer TOKEN\n', {
      'WWW-Authenticate': 'Bearer realm="credit-tray"'
    })
  }
  switch (url.pathname) {
    case '/status.json': {
      const account = url.searchParams.get('account')
      const text = opts.source.statusJson(account)
      if (text === null)
        return send(res, 404, JSON.stringify({ error: 'No such account.' }) + '\n', JSON_TYPE)
      return send(res, 200, text, JSON_TYPE)
    }
    case '/accounts.json':
      return send(res, 200, opts.source.accountsJson(), JSON_TYPE)
    case '/metrics':
      return send(res, 200, await opts.source.metrics.render(), {
        'Content-Type': opts.source.metrics.contentType
      })
    default:
      return send(res, 404, 'Not found. Try /status.json, /accounts.json or /metrics.\n')
  }
}

export function createReadServer(opts: ReadServerOptions): Server {
  const server = createServer({ maxHeaderSize: 8192 }, (req, res) => {
    handle(opts, req, res).catch((e: unknown) => {
      // Never a stack trace to a reader: the details could name files or accounts. The
      // operator's log gets the reason, without the token.
      const path = (req.url ?? '/').split('?')[0]!.slice(0, 200)
      const reason = e instanceof Error ? e.message : String(e)
      opts.log?.(`${req.method} ${path} failed: ${redactSecrets(reason, opts.token)}`)
      if (!res.headersSent) send(res, 500, 'Internal error.\n')
      else res.destroy()
    })
  })
  server.requestTimeout = 10_000
  server.headersTimeout = 5_000
  server.keepAliveTimeout = 5_000
  return server
}

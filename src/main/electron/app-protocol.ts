// The built pages are served from our own scheme, credit-tray://app/…, not from file://
// (Electron's security checklist: a file:// page shares its origin with every local file, while
// a standard, secure custom scheme gets an origin of its own and only what the handler serves).
// The handler maps URLs onto the built renderer folder and nothing else, and puts the CSP on
// every response as a header.
import { realpath, readFile } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { RENDERER_CSP_HEADER } from './security'

export const APP_SCHEME = 'credit-tray'
export const APP_HOST = 'app'
/** The pages' origin: what the sender check and navigation rules compare against. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** The URL of a built page ("index.html", "topup.html"). */
export function appPageUrl(page: string): string {
  return `${APP_ORIGIN}/${page}`
}

/** The parts of Electron's `protocol` module used here (tests pass the fake). */
export interface ProtocolLike {
  registerSchemesAsPrivileged(
    schemes: { scheme: string; privileges: Record<string, boolean> }[]
  ): void
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void
  unhandle?(scheme: string): void
}

/**
 * Before `app` is ready: make the scheme standard (real origin, relative URLs resolve) and
 * secure (a secure context, like https). Fetch and CORS support let Chromium load the bundle's
 * `<script type="module" crossorigin>` from the same origin; the handler sends no
 * Access-Control-Allow-Origin, so no other origin can read anything. No service workers, no
 * bypassing the CSP.
 */
export function registerAppScheme(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true }
    }
  ])
}

/**
 * The file under `rootDir` that `url` names, or null for anything else: another scheme or
 * host, an encoded slash or backslash (which would let one path segment hold several), a
 * NUL byte or a drive letter (`.` and `..` are resolved by the URL parser first, so they
 * cannot climb out). Query and fragment are ignored. (The handler also checks the real path, so a symlink cannot lead out.)
 */
export function resolveAppPath(url: string, rootDir: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  const raw = parsed.pathname
  // An encoded slash or backslash would hide a separator inside one segment.
  if (/%(2f|5c)/i.test(raw)) return null
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return null
  }
  // A backslash (a separator on Windows), a NUL byte, or a colon (a drive, "C:x").
  if (/[\\\0:]/.test(decoded)) return null
  // No `.` or `..` segment can be left: the URL parser resolves them, %2e%2e included (a `..`
  // made of encoded slashes was refused above). The handler's real-path check is the last guard.
  const segments = decoded.split('/').filter((s) => s !== '')
  if (segments.length === 0) return null
  return join(resolve(rootDir), ...segments)
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

/** Headers on every response: the CSP (with frame-ancestors, which a meta tag cannot carry). */
function headers(contentType?: string): Record<string, string> {
  return {
    'Content-Security-Policy': RENDERER_CSP_HEADER,
    'X-Content-Type-Options': 'nosniff',
    ...(contentType ? { 'Content-Type': contentType } : {})
  }
}

export interface AppProtocolOptions {
  /** The built renderer folder (out/renderer). */
  rootDir: string
  /** For tests: read a file (default: fs.readFile). */
  readFile?: (path: string) => Promise<Uint8Array<ArrayBuffer>>
  log?: (message: string) => void
}

/** The protocol.handle handler: GET of a file inside `rootDir`, else 404 (or 405). */
export function createAppProtocolHandler(
  opts: AppProtocolOptions
): (request: Request) => Promise<Response> {
  const read = opts.readFile ?? ((path: string) => readFile(path))
  const log = opts.log ?? (() => undefined)
  const notFound = (): Response => new Response('Not found', { status: 404, headers: headers() })
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: headers() })
    }
    const file = resolveAppPath(request.url, opts.rootDir)
    if (!file) {
      log(`Refused ${APP_SCHEME}: request outside the app's pages.`)
      return notFound()
    }
    try {
      // A symlink inside the folder must not lead out of it.
      const [real, realRoot] = await Promise.all([realpath(file), realpath(opts.rootDir)])
      if (!real.startsWith(realRoot + sep)) return notFound()
      const body = await read(real)
      const type = CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream'
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: headers(type)
      })
    } catch {
      return notFound()
    }
  }
}

/** After `app` is ready: serve the scheme from `rootDir`. */
export function handleAppProtocol(protocol: ProtocolLike, opts: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(opts))
}

// Opening web pages in the user's browser. `shell.openExternal` hands a URL to the OS, which will
// happily launch any registered protocol handler (file:, smb:, custom app schemes), so it is a
// classic Electron escalation path. Two gates: the renderer can only name a page id (main owns
// the URL table in src/shared/ipc.ts), and every URL is checked against a strict allowlist right
// before it leaves the app — including URLs from window.open, which the page controls.
import { EXTERNAL_PAGES, type ExternalPage } from '../../shared/ipc'

export interface ShellLike {
  openExternal(url: string): Promise<void>
}

export const ALLOWED_EXTERNAL_HOST = 'platform.openai.com'

/**
 * Path prefixes we open: the pages in EXTERNAL_PAGES (and anything below them) plus the docs,
 * which the key-setup help links to. Derived, so adding a page to the contract allows it here.
 */
export const ALLOWED_EXTERNAL_PATH_PREFIXES: readonly string[] = [
  ...new Set([...Object.values(EXTERNAL_PAGES).map((url) => new URL(url).pathname), '/docs'])
]

/**
 * Parse `url` and return its normalized form if we may open it, else null. Rules: `https:` only;
 * host exactly platform.openai.com (WHATWG parsing turns unicode lookalikes into `xn--` names, so
 * an exact comparison rejects them; a trailing dot or extra label also fails); no user info; the
 * default port; a path equal to or under an allowed prefix; no percent-escapes in the path (our
 * pages need none, and they are where parser differentials hide); no query or fragment.
 */
export function normalizeAllowedExternalUrl(url: string): string | null {
  if (typeof url !== 'string' || url.length > 2048) return null
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== 'https:') return null
  if (parsed.username !== '' || parsed.password !== '') return null
  if (parsed.hostname !== ALLOWED_EXTERNAL_HOST || parsed.port !== '') return null
  // No query or fragment, not even a bare "?" or "#" (which `new URL` keeps as empty ones).
  if (parsed.href.includes('?') || parsed.href.includes('#')) return null
  const path = parsed.pathname
  if (path.includes('%')) return null
  const underAllowedPrefix = ALLOWED_EXTERNAL_PATH_PREFIXES.some(
    (prefix) => path === prefix || path.startsWith(prefix + '/')
  )
  return underAllowedPrefix ? parsed.href : null
}

export function isAllowedExternalUrl(url: string): boolean {
  return normalizeAllowedExternalUrl(url) !== null
}

/**
 * Open `url` in the browser if the allowlist permits it. Opens the normalized URL, not the input,
 * so the OS sees exactly what was checked. Returns whether it was opened.
 */
export async function openAllowedExternalUrl(url: string, shell: ShellLike): Promise<boolean> {
  const href = normalizeAllowedExternalUrl(url)
  if (href === null) return false
  // Electronegativity flags every openExternal with a non-literal URL; this one only ever gets
  // an https://platform.openai.com URL that passed the allowlist on the line above.
  await shell.openExternal(href) /* eng-disable OPEN_EXTERNAL_JS_CHECK: allowlisted above */
  return true
}

/** Open one of the contract's pages. Throws on an unknown page id (the IPC layer already checked). */
export async function openExternalPage(page: ExternalPage, shell: ShellLike): Promise<void> {
  const url = Object.hasOwn(EXTERNAL_PAGES, page) ? EXTERNAL_PAGES[page] : undefined
  if (url === undefined) throw new Error('Unknown page')
  if (!(await openAllowedExternalUrl(url, shell)))
    throw new Error('Refused to open a page outside the allowlist')
}

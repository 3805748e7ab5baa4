// The credit-tray:// scheme serves the built renderer folder and nothing else, with the CSP
// header on every response. Real files in a temp folder (plus a secret beside it, a symlink out
// of it) and Fetch API requests, as Electron's protocol.handle passes them.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  APP_ORIGIN,
  appPageUrl,
  createAppProtocolHandler,
  handleAppProtocol,
  registerAppScheme,
  resolveAppPath
} from '../src/main/electron/app-protocol'
import { RENDERER_CSP_HEADER } from '../src/main/electron/security'
import { protocol, resetElectronWebFake } from './fakes/electron'

let base: string
let root: string

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'ct-protocol-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>tray</title>')
  writeFileSync(join(root, 'topup.html'), '<!doctype html><title>top-up</title>')
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}')
  writeFileSync(join(base, 'secret.txt'), 'not for the renderer')
  writeFileSync(join(base, 'renderer-evil.html'), 'a sibling folder with the same prefix')
  resetElectronWebFake()
})
afterEach(() => rmSync(base, { recursive: true, force: true }))

const handler = (): ((r: Request) => Promise<Response>) =>
  createAppProtocolHandler({ rootDir: root })
const get = (url: string, init?: RequestInit): Promise<Response> =>
  handler()(new Request(url, init))

describe('the app scheme serves the built pages', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8', '<!doctype html><title>tray</title>'],
    ['topup.html', 'text/html; charset=utf-8', '<!doctype html><title>top-up</title>'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['assets/index-abc.css', 'text/css; charset=utf-8', 'body{}']
  ])('%s with its type, the CSP header and nosniff', async (path, type, body) => {
    const res = await get(`${APP_ORIGIN}/${path}?v=1#top`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(type)
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toBe(body)
  })

  it('the CSP forbids framing and anything not from the app itself', () => {
    expect(RENDERER_CSP_HEADER).toContain("frame-ancestors 'none'")
    expect(RENDERER_CSP_HEADER).toContain("default-src 'self'")
    expect(RENDERER_CSP_HEADER).toContain("connect-src 'none'")
  })

  it('a file of another kind is served as bytes, never sniffed', async () => {
    writeFileSync(join(root, 'assets', 'data.bin'), 'raw')
    const res = await get(`${APP_ORIGIN}/assets/data.bin`)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('HEAD gets the headers without a body; other methods are refused', async () => {
    const head = await get(appPageUrl('index.html'), { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const post = await get(appPageUrl('index.html'), { method: 'POST', body: 'x' })
    expect(post.status).toBe(405)
    expect(await post.text()).toBe('Method not allowed')
    expect(post.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER)
  })

  it('a missing file or the folder itself is a 404, still with the CSP', async () => {
    for (const url of [`${APP_ORIGIN}/missing.html`, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets`]) {
      const res = await get(url)
      expect(res.status, url).toBe(404)
      expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER)
      expect(await res.text()).toBe('Not found')
    }
  })
})

describe('nothing outside the renderer folder', () => {
  // Each of these must come back 404 and never with the secret's bytes.
  it.each([
    ['a .. segment', `${APP_ORIGIN}/../secret.txt`],
    ['a .. segment further in', `${APP_ORIGIN}/assets/../../secret.txt`],
    ['percent-encoded dots', `${APP_ORIGIN}/%2e%2e/secret.txt`],
    ['mixed-case encoded dots', `${APP_ORIGIN}/%2E%2e/secret.txt`],
    ['an encoded slash', `${APP_ORIGIN}/..%2fsecret.txt`],
    ['an encoded slash, upper case', `${APP_ORIGIN}/assets%2F..%2F..%2Fsecret.txt`],
    ['an encoded backslash', `${APP_ORIGIN}/..%5csecret.txt`],
    ['a raw backslash', `${APP_ORIGIN}/..\\secret.txt`],
    ['a double-encoded slash', `${APP_ORIGIN}/..%252fsecret.txt`],
    ['an encoded NUL', `${APP_ORIGIN}/index.html%00.js`],
    ['an encoded slash to a real file', `${APP_ORIGIN}/assets%2Findex-abc.js`],
    ['a sibling folder sharing the prefix', `${APP_ORIGIN}/../renderer-evil.html`],
    ['an absolute path', `${APP_ORIGIN}/${base}/secret.txt`],
    ['an absolute path with a double slash', `${APP_ORIGIN}//${base}/secret.txt`],
    ['a Windows drive', `${APP_ORIGIN}/C:/Windows/win.ini`],
    ['an encoded Windows drive', `${APP_ORIGIN}/C%3A%5CWindows%5Cwin.ini`],
    ['another host', `credit-tray://evil/index.html`],
    ['another scheme', `file://${root}/index.html`],
    ['a malformed escape', `${APP_ORIGIN}/%E0%A4%A`]
  ])('%s', async (_name, url) => {
    const res = await get(url)
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('not for the renderer')
  })

  it('resolveAppPath maps inside the folder, or refuses', () => {
    expect(resolveAppPath(`${APP_ORIGIN}/assets/index-abc.js`, root)).toBe(
      join(root, 'assets', 'index-abc.js')
    )
    expect(resolveAppPath(`${APP_ORIGIN}/a%20b.html`, root)).toBe(join(root, 'a b.html'))
    // The URL parser resolves dot segments first (Chromium does the same for a standard
    // scheme): what is left is a path inside the folder.
    expect(resolveAppPath(`${APP_ORIGIN}/../secret.txt`, root)).toBe(join(root, 'secret.txt'))
    expect(resolveAppPath(`${APP_ORIGIN}/x/%2e%2e/%2e%2e/index.html`, root)).toBe(
      join(root, 'index.html')
    )
    for (const url of [
      // Each would otherwise name a real file in the folder: only the rule under test refuses it.
      `${APP_ORIGIN}/assets%2Findex-abc.js`,
      `${APP_ORIGIN}/assets%2findex-abc.js`,
      `${APP_ORIGIN}/assets%5Cindex-abc.js`,
      `${APP_ORIGIN}/assets\\index-abc.js`,
      `${APP_ORIGIN}/index.html%00`,
      `${APP_ORIGIN}/x:/index.html`,
      `${APP_ORIGIN}/..%2fsecret.txt`,
      `${APP_ORIGIN}/..%5Csecret.txt`,
      `${APP_ORIGIN}/a%00`,
      `${APP_ORIGIN}/C:/x`,
      `${APP_ORIGIN}/%E0%A4%A`,
      `${APP_ORIGIN}/`,
      APP_ORIGIN,
      'credit-tray://evil/index.html',
      'https://app/index.html',
      'not a url'
    ]) {
      expect(resolveAppPath(url, root), url).toBeNull()
    }
  })

  it.skipIf(process.platform === 'win32')(
    'a symlink inside the folder cannot lead out of it',
    async () => {
      symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'))
      const res = await get(`${APP_ORIGIN}/link.txt`)
      expect(res.status).toBe(404)
      expect(await res.text()).not.toContain('not for the renderer')
    }
  )
})

describe('registration with Electron', () => {
  it('registers the scheme standard and secure, then serves it through protocol.handle', async () => {
    registerAppScheme(protocol)
    expect(protocol.privileged).toEqual([
      {
        scheme: 'credit-tray',
        privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true }
      }
    ])
    handleAppProtocol(protocol, { rootDir: root })
    expect(protocol.calls).toEqual(['registerSchemesAsPrivileged', 'handle:credit-tray'])
    const res = await protocol.request(appPageUrl('topup.html'))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('top-up')
  })

  it('logs a refused request without its URL (it could carry anything)', async () => {
    const lines: string[] = []
    const res = await createAppProtocolHandler({ rootDir: root, log: (l) => lines.push(l) })(
      new Request(`${APP_ORIGIN}/..%2fsecret.txt?token=abc`)
    )
    expect(res.status).toBe(404)
    expect(lines).toEqual(["Refused credit-tray: request outside the app's pages."])
  })
})

// The real app, launched with Playwright's Electron support: where the Electron binary exists
// (developer machines, the GitHub workflow under Xvfb). Here (no binary can be downloaded) it
// skips and says why. It drives the built app (out/) against the loopback fake Admin API.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, type ElectronApplication } from 'playwright-core'
import { utcDay } from '../src/main/engine/dates'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const ROOT = resolve(__dirname, '..')
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron')

/** Where the Electron binary is, without `require('electron')` (which would try to download it). */
function electronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = process.env.ELECTRON_OVERRIDE_DIST_PATH
    return existsSync(p) ? p : null
  }
  const pathFile = join(ELECTRON_DIR, 'path.txt')
  if (!existsSync(pathFile)) return null
  const bin = join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(bin) ? bin : null
}

const binary = electronBinary()
const needsDisplay =
  process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const skipReason = !binary
  ? 'the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or no network)'
  : needsDisplay
    ? 'no display: run under xvfb-run on Linux'
    : !existsSync(join(ROOT, 'out/main/index.js'))
      ? 'the app is not built (npm run build)'
      : null

if (skipReason) console.info(`[electron-app.e2e] skipped: ${skipReason}`)

const ADMIN = 'sk-admin-E2EAPPKEY0123456789abcdef'

describe.skipIf(skipReason !== null)('the real Electron app', () => {
  let server: FakeOpenAIServer
  let home: string
  let app: ElectronApplication

  beforeAll(async () => {
    server = await startFakeOpenAIServer({ adminKeys: [ADMIN] })
    server.dataset.costs[utcDay(Date.now())] = [
      { line_item: 'gpt-4o, input', project_id: null, value: 3.5 }
    ]
    home = mkdtempSync(join(tmpdir(), 'ct-app-'))
    app = await electron.launch({
      executablePath: binary!,
      args: [join(ROOT, 'out/main/index.js')],
      env: {
        ...process.env,
        CREDIT_TRAY_HOME: home,
        OPENAI_ADMIN_KEY: ADMIN,
        OPENAI_BASE_URL: server.baseURL
      } as Record<string, string>
    })
  }, 60_000)

  afterAll(async () => {
    await app?.close()
    await server?.close()
    rmSync(home, { recursive: true, force: true })
  })

  it('starts with a sandboxed tray window that shows the spend fetched from the API', async () => {
    const page = await app.firstWindow()
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.show())
    await expect.poll(() => page.textContent('body'), { timeout: 20_000 }).toContain('$3.50')
    // The preload exposes only the typed API; no Node in the page.
    expect(
      await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)
    ).toBe('undefined')
    expect(await page.evaluate(() => Object.keys(window.creditTray).sort())).toContain('getStatus')
  })

  it('serves the page from credit-tray://app with the CSP as a response header', async () => {
    const page = await app.firstWindow()
    expect(page.url()).toBe('credit-tray://app/index.html')
    // A secure context with an origin of its own, not file://.
    expect(await page.evaluate(() => [window.isSecureContext, location.origin])).toEqual([
      true,
      'credit-tray://app'
    ])
    // Only real Electron proves the handler's header reaches Chromium (and that the module
    // bundle loads under the scheme's privileges: the spend above was rendered by it).
    const header = await app.evaluate(async ({ net }) => {
      const response = await net.fetch('credit-tray://app/index.html')
      return response.headers.get('content-security-policy')
    })
    expect(header).toMatch(/frame-ancestors 'none'/)
    const outside = await app.evaluate(async ({ net }) => {
      const response = await net.fetch('credit-tray://app/..%2fmain%2findex.js')
      return response.status
    })
    expect(outside).toBe(404)
  })

  it('the top-up page is refused the key channels by main', async () => {
    const page = await app.firstWindow()
    await page.evaluate(() => window.creditTray.openTopUp())
    const topUp = await app.waitForEvent('window', {
      predicate: (p) => p.url().endsWith('/topup.html')
    })
    await expect.poll(() => topUp.evaluate(() => typeof window.creditTray)).toBe('object')
    const refused = await topUp.evaluate(() =>
      window.creditTray.clearKey().then(
        () => 'allowed',
        (e: Error) => e.message
      )
    )
    expect(refused).toMatch(/refused/)
    expect(await topUp.evaluate(() => window.creditTray.getStatus().then((s) => s.currency))).toBe(
      'usd'
    )
    await topUp.evaluate(() => window.creditTray.closeWindow())
  })

  it('refuses to open a new window from the page', async () => {
    const page = await app.firstWindow()
    await page.evaluate(() => window.open('https://example.com'))
    // The tray window only (the top-up window of the test above closes itself).
    await expect
      .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length))
      .toBe(1)
  })
})

describe.runIf(skipReason !== null)('the real Electron app (skipped here)', () => {
  it.skip(`skipped: ${skipReason}`, () => {})
})

// `npm run dev` serves the renderer from Vite's dev server (React Refresh, HMR over a WebSocket).
// The Electron half cannot start here (no binary), but the renderer half can: serve it with the
// same plugins as electron.vite.config.ts and load it in Chromium under the page's own CSP. It
// must render with no CSP violation: the dev-only relaxation (styles, HMR socket) is enough, and
// it is still needed.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import type { Browser } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { devServerCsp } from '../../build-tools/dev-csp'
import { makeStatus } from '../support/fixtures'
import {
  ROOT,
  chromiumMissingReason,
  closeWatchedPage,
  launchChromium,
  openWatchedPage
} from './harness'

const missing = chromiumMissingReason()

async function serve(withDevCsp: boolean): Promise<ViteDevServer> {
  const server = await createServer({
    configFile: false,
    root: resolve(ROOT, 'src/renderer'),
    logLevel: 'silent',
    plugins: withDevCsp ? [react(), devServerCsp()] : [react()],
    server: { port: 0, host: '127.0.0.1', strictPort: false }
  })
  await server.listen()
  return server
}

describe.skipIf(missing !== null)('the renderer under `npm run dev`', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('renders from the dev server with no CSP violation', async () => {
    const server = await serve(true)
    try {
      const watched = await openWatchedPage(browser, {
        url: server.resolvedUrls!.local[0]!,
        viewport: { width: 360, height: 540 },
        initial: { status: makeStatus({ balance: 41.2 }) }
      })
      await watched.page.getByTestId('balance').waitFor({ timeout: 20_000 })
      expect(await watched.page.getByTestId('balance').textContent()).toContain('41.20')
      const problems = await closeWatchedPage(watched)
      expect(problems.filter((p) => p.startsWith('CSP'))).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('would be blocked by the production CSP without the dev relaxation', async () => {
    const server = await serve(false)
    try {
      const watched = await openWatchedPage(browser, {
        url: server.resolvedUrls!.local[0]!,
        viewport: { width: 360, height: 540 },
        initial: {}
      })
      // Wait for the violations themselves (the blocked HMR socket and injected styles).
      await watched.page.waitForFunction(() => {
        const seen = (window as unknown as { __csp: string[] }).__csp
        return (
          seen.some((p) => p.startsWith('CSP: connect-src ws://127.0.0.1:')) &&
          seen.includes('CSP: style-src-elem inline')
        )
      })
      const problems = await closeWatchedPage(watched)
      // The HMR WebSocket and the injected <style> elements: what devServerCsp loosens.
      expect(problems.some((p) => p.startsWith('CSP: connect-src ws://127.0.0.1:'))).toBe(true)
      expect(problems).toContain('CSP: style-src-elem inline')
      expect(problems.some((p) => p.startsWith('CSP: script-src'))).toBe(false)
    } finally {
      await server.close()
    }
  })
})

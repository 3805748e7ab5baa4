// The frame of a Chromium e2e suite, for the tray window and the top-up window alike: serve the
// built renderer and launch Chromium once, open pages with the fake bridge, and after each test
// close them, failing the test if any page logged an error or warning, threw, lost a request or
// broke the CSP. Every screenshot is an accessibility check too: axe runs on the state first and
// a serious or critical violation fails the test (tests/e2e/axe.ts). Call pageSuite() inside the
// suite's describe (it registers the hooks).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { BridgeState } from '../support/test-bridge'
import { checkAccessibility } from './axe'
import {
  ROOT,
  closeWatchedPage,
  ensureRendererBuilt,
  launchChromium,
  openWatchedPage,
  serveStatic,
  type StaticServer,
  type WatchedPage
} from './harness'

export const SCREENSHOTS = join(ROOT, 'docs/screenshots')

export interface PageSuite {
  /** The page with this bridge state, once `ready` says the app is up. */
  open(initial: Partial<BridgeState>, options?: OpenOptions): Promise<Page>
  /**
   * Check the page's current state with axe (failing on serious or critical violations), then
   * save a screenshot as docs/screenshots/<name>.png.
   */
  shot(page: Page, name: string): Promise<Buffer>
}

export interface OpenOptions {
  colorScheme?: 'light' | 'dark'
  /** Emulate Windows high contrast (`forced-colors: active`). */
  forcedColors?: boolean
}

export function pageSuite(opts: {
  /** The HTML entry of the window under test. */
  entry: 'index.html' | 'topup.html'
  /** The window's size. */
  viewport: { width: number; height: number }
  /** Resolves when the app has rendered. */
  ready: (page: Page) => Promise<void>
}): PageSuite {
  let server: StaticServer
  let browser: Browser
  const opened: WatchedPage[] = []

  beforeAll(async () => {
    server = await serveStatic(await ensureRendererBuilt(opts.entry))
    browser = await launchChromium()
    mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  afterEach(async () => {
    for (const watched of opened.splice(0)) expect(await closeWatchedPage(watched)).toEqual([])
  })

  return {
    async open(initial, options = {}) {
      const watched = await openWatchedPage(browser, {
        url: server.url + (opts.entry === 'index.html' ? '' : opts.entry),
        viewport: opts.viewport,
        initial,
        ...options
      })
      opened.push(watched)
      await opts.ready(watched.page)
      return watched.page
    },
    async shot(page, name) {
      await checkAccessibility(page, name)
      return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
    }
  }
}

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
   * Check the page's current state with axe in both colour schemes, failing on serious or
   * critical violations. `state` names it in the failure.
   */
  check(page: Page, state: string): Promise<void>
  /** check(), then save a screenshot as docs/screenshots/<name>.png. */
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
  const schemes = new WeakMap<Page, 'light' | 'dark'>()

  // The state as it is, then the same state in the other theme (the page's media emulation is
  // switched and switched back; transitions are off under reduced motion, so no half-way colours).
  async function check(page: Page, state: string): Promise<void> {
    const scheme = schemes.get(page) ?? 'light'
    const other = scheme === 'light' ? 'dark' : 'light'
    await checkAccessibility(page, `${state} (${scheme})`)
    await page.emulateMedia({ colorScheme: other })
    try {
      await checkAccessibility(page, `${state} (${other})`)
    } finally {
      await page.emulateMedia({ colorScheme: scheme })
    }
  }

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
      schemes.set(watched.page, options.colorScheme ?? 'light')
      await opts.ready(watched.page)
      return watched.page
    },
    check,
    async shot(page, name) {
      await check(page, name)
      return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
    }
  }
}

// Shared by the renderer e2e tests and the renderer benchmark: build (or find) the renderer,
// serve it from loopback, bundle the fake bridge into an init script, launch Debian's Chromium,
// and open pages that record every problem the page reports.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import type { BridgeState } from '../support/test-bridge'

export const ROOT = resolve(__dirname, '../..')
export const RENDERER_OUT = join(ROOT, 'out/renderer')
export const CHROMIUM_PATH = '/usr/bin/chromium'

export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is not installed`
}

/**
 * The built renderer folder; builds it once if the test runner has not. `page` is the HTML
 * entry the caller needs (index.html for the tray window, topup.html for the top-up window).
 */
export async function ensureRendererBuilt(page = 'index.html'): Promise<string> {
  if (existsSync(join(RENDERER_OUT, page))) return RENDERER_OUT
  try {
    await promisify(execFile)('npx', ['electron-vite', 'build'], { cwd: ROOT, timeout: 180_000 })
  } catch (error) {
    throw new Error(
      `out/renderer is missing and "npx electron-vite build" failed: ${String(error)}`
    )
  }
  if (!existsSync(join(RENDERER_OUT, page))) {
    throw new Error(`out/renderer/${page} is still missing after "npx electron-vite build"`)
  }
  return RENDERER_OUT
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon'
}

export interface StaticServer {
  url: string
  close(): Promise<void>
}

/** Serves `dir` read-only on 127.0.0.1 at a free port. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const root = resolve(dir)
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(root, path === '/' ? 'index.html' : path))
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end()
      return
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        res.end(body)
      },
      () => res.writeHead(404).end()
    )
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done()))
  }
}

let bridgeBundle: Promise<string> | undefined

/** tests/support/test-bridge.ts (and the fixtures it uses) as one classic script. */
export function bundleTestBridge(): Promise<string> {
  bridgeBundle ??= (async () => {
    const { build } = await import('vite')
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: {
          entry: join(ROOT, 'tests/support/test-bridge.ts'),
          formats: ['iife'],
          name: 'CreditTrayTestBridge'
        }
      }
    })
    const outputs = Array.isArray(result) ? result : [result]
    for (const output of outputs) {
      if ('output' in output) {
        const chunk = output.output.find((o) => o.type === 'chunk')
        if (chunk && chunk.type === 'chunk') return chunk.code
      }
    }
    throw new Error('bundling the test bridge produced no chunk')
  })()
  return bridgeBundle
}

/** An init script that installs the fake bridge with this initial state before the app runs. */
export async function bridgeInitScript(initial: Partial<BridgeState> = {}): Promise<string> {
  return `${await bundleTestBridge()}\nCreditTrayTestBridge.installTestBridge(${JSON.stringify(initial)});`
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
}

/** A page opened by openWatchedPage and what went wrong in it so far. */
export interface WatchedPage {
  page: Page
  /** Console errors/warnings, page errors and failed requests (CSP violations are in the page). */
  problems: string[]
}

/**
 * A new context and page with the fake bridge installed, at `url`. Console errors and warnings,
 * page errors, failed requests and CSP violations are recorded from the start, so a test can
 * require none of them (closeWatchedPage).
 */
export async function openWatchedPage(
  browser: Browser,
  opts: {
    url: string
    viewport: { width: number; height: number }
    initial: Partial<BridgeState>
    colorScheme?: 'light' | 'dark'
    forcedColors?: boolean
  }
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport,
    deviceScaleFactor: 2,
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    forcedColors: opts.forcedColors ? 'active' : 'none',
    locale: 'en-US'
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
  // CSP violations are only seen inside the page: collect them there from before the app runs.
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`CSP: ${e.violatedDirective} ${e.blockedURI}`)
    )
  })
  await page.addInitScript({ content: await bridgeInitScript(opts.initial) })
  await page.goto(opts.url)
  return { page, problems }
}

/** Closes the page's context; returns every problem it had, CSP violations included. */
export async function closeWatchedPage({ page, problems }: WatchedPage): Promise<string[]> {
  const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)
  await page.context().close()
  return [...problems, ...violations]
}

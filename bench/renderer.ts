// Renderer figures: bundle size (raw and gzip), load-to-balance-painted time in Chromium, and
// re-render time when a new status arrives (median of N). Prints a table; `npm run bench` builds
// first, so out/renderer is current. Run alone with `npx tsx bench/renderer.ts`.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { makeDaily, makeStatus } from '../tests/support/fixtures'
import {
  bridgeInitScript,
  chromiumMissingReason,
  ensureRendererBuilt,
  launchChromium,
  serveStatic
} from '../tests/e2e/harness'

const LOAD_RUNS = 5
const RERENDER_RUNS = 30

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits

/** Sizes of what one page loads: the assets its HTML references (shared chunks included). */
function bundleSizes(dir: string, page: string): Record<string, number> {
  const html = readFileSync(join(dir, page), 'utf8')
  const files = [
    ...new Set([...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!))
  ]
  const sizes = { jsRaw: 0, jsGzip: 0, cssRaw: 0, cssGzip: 0 }
  for (const file of files) {
    const body = readFileSync(join(dir, file))
    const gz = gzipSync(body, { level: 9 }).length
    if (file.endsWith('.js')) {
      sizes.jsRaw += body.length
      sizes.jsGzip += gz
    } else if (file.endsWith('.css')) {
      sizes.cssRaw += body.length
      sizes.cssGzip += gz
    }
  }
  const label = page.replace('.html', '')
  return {
    [`${label}: JS raw (KB)`]: round(sizes.jsRaw / 1024),
    [`${label}: JS gzip (KB)`]: round(sizes.jsGzip / 1024),
    [`${label}: CSS gzip (KB)`]: round(sizes.cssGzip / 1024),
    [`${label}: JS + CSS gzip (KB)`]: round((sizes.jsGzip + sizes.cssGzip) / 1024)
  }
}

export async function runRendererBench(): Promise<Record<string, number | string>> {
  const dir = await ensureRendererBuilt()
  const results: Record<string, number | string> = {
    ...bundleSizes(dir, 'index.html'),
    ...bundleSizes(dir, 'topup.html')
  }
  const missing = chromiumMissingReason()
  if (missing) {
    results['chromium timings'] = `skipped: ${missing}`
    return results
  }

  const server = await serveStatic(dir)
  const browser = await launchChromium()
  try {
    // The window is fed a status built from 90 days of history (the Status carries the last 30).
    const now = Date.now()
    const status = makeStatus({ daily: makeDaily(now, 90).slice(-30) }, now)
    const script = await bridgeInitScript({ status })
    /** A fresh context (nothing cached) with the fake bridge, once the balance is painted. */
    const openPainted = async (): Promise<Page> => {
      const context = await browser.newContext({
        viewport: { width: 360, height: 540 },
        deviceScaleFactor: 2
      })
      const page = await context.newPage()
      await page.addInitScript({ content: script })
      await page.goto(server.url)
      await page.waitForFunction(() => performance.getEntriesByName('balance-painted').length > 0)
      return page
    }

    const loads: number[] = []
    const scriptsDone: number[] = []
    const appWork: number[] = []
    for (let run = 0; run < LOAD_RUNS; run++) {
      const page = await openPainted()
      // Both measured from navigation start (performance time origin).
      const [painted, domReady, appStart] = await page.evaluate(() => [
        performance.getEntriesByName('balance-painted')[0]?.startTime ?? NaN,
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
          ?.domContentLoadedEventEnd ?? NaN,
        performance.getEntriesByName('app-start')[0]?.startTime ?? NaN
      ])
      appWork.push((painted ?? NaN) - (appStart ?? NaN))
      loads.push(painted ?? NaN)
      scriptsDone.push(domReady ?? NaN)
      await page.context().close()
    }
    results['load → DOMContentLoaded, median (ms)'] = round(median(scriptsDone))
    results['load → balance painted, median (ms)'] = round(median(loads))
    // The app's own share: from its first line (bundle evaluated) to the balance on screen.
    results['app start → balance painted, median (ms)'] = round(median(appWork))

    const page = await openPainted()
    const rerenders = await page.evaluate(async (runs) => {
      const bridge = window.__creditTrayTest
      const balance = document.querySelector('[data-testid="balance"]')
      if (!bridge || !balance) throw new Error('bridge or balance missing')
      const times: number[] = []
      for (let i = 0; i < runs; i++) {
        const amount = 100 + i
        const expected = `$${amount.toFixed(2)}`
        const start = performance.now()
        // Wait for the DOM to show the new balance, then for the frame that paints it.
        await new Promise<void>((resolve) => {
          const observer = new MutationObserver(() => {
            if (balance.textContent === expected) {
              observer.disconnect()
              requestAnimationFrame(() => setTimeout(resolve, 0))
            }
          })
          observer.observe(balance, { childList: true, characterData: true, subtree: true })
          bridge.emitStatus({
            ...bridge.state.status,
            balance: amount,
            spend: { ...bridge.state.status.spend, today: i }
          })
        })
        times.push(performance.now() - start)
      }
      return times
    }, RERENDER_RUNS)
    results[`re-render on new status, median of ${RERENDER_RUNS} (ms)`] = round(median(rerenders))
    await page.context().close()
  } finally {
    await browser.close()
    await server.close()
  }
  return results
}

if (require.main === module) {
  runRendererBench().then(
    (results) => {
      for (const [name, value] of Object.entries(results))
        console.log(`${name.padEnd(44)} ${value}`)
    },
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}

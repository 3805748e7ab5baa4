// axe-core inside a page of the Chromium e2e suites. The windows' CSP (script-src 'self') blocks
// addScriptTag, and it must stay on, so the axe source is evaluated through the DevTools protocol
// (page.evaluate), which the page's CSP does not govern. Every screenshot the suites take runs
// through checkAccessibility first (page-suite.ts), so a new state is checked as soon as it is
// screenshotted.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the app promises (README, Accessibility). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const

/** Impacts that fail a test. Moderate and minor findings are reported, not failed. */
const FAILING = new Set(['serious', 'critical'])

export interface AxeFinding {
  id: string
  impact: string
  help: string
  /** One line per offending node: its selector and axe's summary (contrast ratio etc.). */
  nodes: string[]
}

let source: Promise<string> | undefined

function axeSource(): Promise<string> {
  source ??= readFile(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8')
  return source
}

/** Runs axe on the page as it is now; every violation, most severe first. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  const present = await page.evaluate(() => 'axe' in window)
  if (!present) await page.evaluate(await axeSource())
  return page.evaluate(
    async (tags) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
      const results = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations']
      })
      const order = ['critical', 'serious', 'moderate', 'minor']
      return results.violations
        .map((v) => ({
          id: v.id,
          impact: v.impact ?? 'minor',
          help: v.help,
          nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
        }))
        .sort((a, b) => order.indexOf(a.impact) - order.indexOf(b.impact))
    },
    [...AXE_TAGS]
  )
}

/**
 * Fails with a readable list when axe finds a serious or critical violation in the page's
 * current state; `state` names it in the message (the screenshot name).
 */
export async function checkAccessibility(page: Page, state: string): Promise<void> {
  const failing = (await axeViolations(page)).filter((v) => FAILING.has(v.impact))
  if (failing.length === 0) return
  const lines = failing.flatMap((v) => [
    `${v.impact} ${v.id}: ${v.help}`,
    ...v.nodes.map((n) => `    ${n.replace(/\s+/g, ' ')}`)
  ])
  throw new Error(`axe: ${failing.length} violation(s) in "${state}":\n${lines.join('\n')}`)
}

// The built tray window in real headless Chromium, against the fake bridge
// (tests/support/test-bridge.ts): onboarding, the balance and chart, an error and its action,
// no CSP violations or console errors, and screenshots of every main state for docs/.
import type { Page } from 'playwright-core'
import { join } from 'node:path'
import type { BudgetStatus, Status } from '../../src/shared/status'
import {
  NO_KEY_INFO,
  makeStatus,
  statusForLevel,
  withBalance,
  withLimits,
  type LimitsScenario
} from '../support/fixtures'
import { summaryOf } from '../support/test-bridge'
import { chromiumMissingReason } from './harness'
import { SCREENSHOTS, pageSuite } from './page-suite'

const skipReason = chromiumMissingReason()

describe.skipIf(skipReason !== null)(
  `tray window in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const { open, check, shot } = pageSuite({
      entry: 'index.html',
      viewport: { width: 360, height: 540 },
      ready: (page) => page.getByRole('heading', { level: 1 }).waitFor()
    })

    function emit(page: Page, status: Status): Promise<void> {
      return page.evaluate((s) => window.__creditTrayTest?.emitStatus(s), status)
    }

    it('goes through onboarding: key check, balance, then the main view', async () => {
      const page = await open({
        keyInfo: NO_KEY_INFO,
        status: withBalance(
          makeStatus({ error: { kind: 'no_key', message: 'No Admin key is saved.' } }),
          null,
          Date.now()
        )
      })
      await page.getByRole('heading', { name: 'Connect with an Admin key' }).waitFor()
      await shot(page, 'onboarding')

      // A project key is refused with the permission message; the key is not echoed.
      const projectKey = 'sk-proj-abcdefghijklmnop1234'
      await page.getByLabel('Admin key', { exact: true }).fill(projectKey)
      await page.getByRole('button', { name: 'Check and save' }).click()
      await expectText(page.getByRole('alert'), 'This key cannot read costs')
      expect(await page.content()).not.toContain(projectKey)

      await page.getByLabel('Admin key', { exact: true }).fill('sk-admin-0123456789abcdef9f2c')
      await page.getByRole('button', { name: 'Check and save' }).click()
      await page.getByRole('heading', { name: 'What is your balance now?' }).waitFor()
      await shot(page, 'onboarding-balance')
      await page.getByLabel('Current balance').fill('41.20')
      await page.getByRole('button', { name: 'Save balance' }).click()

      await expectText(page.getByTestId('balance'), '$41.20')
      await page.waitForFunction(() => performance.getEntriesByName('balance-painted').length === 1)
      expect(await page.locator('rect.spark-bar').count()).toBe(30)
    })

    it('shows a day’s cost when hovering the chart, and moves with the arrow keys', async () => {
      const status = makeStatus()
      const page = await open({ status })
      const day = status.daily[20]
      if (!day) throw new Error('fixture has 30 days')
      await page.locator('.spark-col').nth(20).hover()
      await expectText(page.getByRole('tooltip'), `$${day.cost.toFixed(2)}`)
      await shot(page, 'chart-tooltip')

      await page.locator('.spark-col').nth(20).focus()
      await page.keyboard.press('ArrowRight')
      await page.mouse.move(0, 0)
      const next = status.daily[21]
      await expectText(page.getByRole('tooltip'), `$${next?.cost.toFixed(2)}`)
    })

    it('shows a permission error with the action that fixes it, keeping the numbers', async () => {
      const page = await open({ status: makeStatus() })
      await emit(page, {
        ...makeStatus(),
        error: {
          kind: 'permission',
          message: 'This key cannot read organization costs (HTTP 403).'
        }
      })
      await expectText(page.getByRole('alert'), 'This key cannot read costs')
      await expectText(page.getByTestId('balance'), '$41.20')
      await shot(page, 'error-permission')
      await page.getByRole('button', { name: 'Create an Admin key' }).click()
      const calls = await page.evaluate(() => window.__creditTrayTest?.callsOf('openExternal'))
      expect(calls).toEqual([['adminKeys']])
    })

    it('Escape asks main to hide the window', async () => {
      const page = await open({})
      await page.keyboard.press('Escape')
      expect(await page.evaluate(() => window.__creditTrayTest?.callsOf('hideWindow').length)).toBe(
        1
      )
    })

    it.each([
      ['ok', statusForLevel('ok')],
      ['low', statusForLevel('low')],
      ['critical', statusForLevel('critical')],
      ['spend-only', statusForLevel('unknown')],
      [
        'stale',
        makeStatus({ stale: true, lastUpdated: new Date(Date.now() - 5 * 3_600_000).toISOString() })
      ],
      [
        'error-network',
        makeStatus({ error: { kind: 'network', message: 'Could not connect to api.openai.com.' } })
      ]
    ] as const)('screenshot: %s', async (name, status) => {
      const page = await open({ status })
      await page
        .getByTestId(status.balance === null ? 'spend-only' : 'balance')
        .or(page.getByText('Tracking spend only'))
        .first()
        .waitFor()
      await shot(page, name)
    })

    it('screenshot: settings (opened from the tray menu)', async () => {
      const page = await open({})
      await page.evaluate(() => window.__creditTrayTest?.showView('settings'))
      await page.getByLabel('Low balance').waitFor()
      await shot(page, 'settings')
      await scrollThrough(page, 'settings', check)
      // Client-side validation in the real browser too.
      await page.getByLabel('Critical balance').fill('50')
      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await expectText(
        page.getByText('Critical must be at or below the low amount.'),
        'Critical must'
      )
      expect(
        await page.evaluate(() => window.__creditTrayTest?.callsOf('setSettings').length)
      ).toBe(0)
    })

    it('screenshot: several accounts, switched from the title bar', async () => {
      const shop = statusForLevel('critical')
      const page = await open({
        status: statusForLevel('ok'),
        accounts: {
          active: 'default',
          accounts: [summaryOf('default', statusForLevel('ok')), summaryOf('Shop', shop)]
        }
      })
      const select = page.getByLabel('Account')
      await select.waitFor()
      await shot(page, 'accounts')
      await select.selectOption('Shop')
      expect(await page.evaluate(() => window.__creditTrayTest?.callsOf('switchAccount'))).toEqual([
        ['Shop']
      ])
    })

    it('screenshot: team mode, reading a team server, and the server unreachable', async () => {
      const team = { url: 'https://credit.example.com', account: null, tokenPresent: true }
      const page = await open({ status: makeStatus(), keyInfo: NO_KEY_INFO, team })
      await expectText(page.getByTestId('balance'), '$41.20')
      await expectText(page.getByTestId('team-note'), 'recorded on the team server')
      expect(await page.getByRole('button', { name: 'Record balance' }).count()).toBe(0)
      await shot(page, 'team-ok')

      const hoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString()
      await emit(page, {
        ...makeStatus(),
        lastUpdated: hoursAgo,
        stale: true,
        error: {
          kind: 'network',
          message: 'Could not reach the team server at credit.example.com. Credit Tray will retry.'
        }
      })
      // A network error the scheduler retries by itself is a labelled region, not an alert.
      const banner = page.getByRole('region', { name: 'Cannot reach the team server or OpenAI' })
      await expectText(banner, 'Could not reach the team server at credit.example.com')
      await expectText(page.getByTestId('balance'), '$41.20')
      await shot(page, 'team-unreachable')

      await page.evaluate(() => window.__creditTrayTest?.showView('settings'))
      await expectText(page.getByRole('region', { name: 'Team server' }), 'credit.example.com')
      await shot(page, 'team-settings')
    })

    it.each<[string, LimitsScenario, 'light' | 'dark']>([
      ['limits-ok', 'ok', 'light'],
      ['limits-projected', 'projected', 'light'],
      ['limits-reached', 'reached', 'light'],
      ['limits-inactive', 'inactive', 'light'],
      ['limits-none', 'none', 'light'],
      ['limits-unavailable', 'unavailable', 'light'],
      ['limits-dark', 'projected', 'dark']
    ])('screenshot: %s (the Limits card)', async (name, scenario, colorScheme) => {
      const page = await open(
        {
          status: withLimits(statusForLevel(scenario === 'reached' ? 'critical' : 'ok'), scenario)
        },
        { colorScheme }
      )
      const card = page.getByTestId('limits-card')
      await card.scrollIntoViewIfNeeded()
      if (scenario !== 'none' && scenario !== 'unavailable')
        await page.getByTestId('limit-bar').waitFor()
      // The bar's spent part is as wide as the spend is of the scale, and the marker sits at the
      // month-end projection: both measured in the real layout.
      if (scenario === 'projected') {
        const widths = await page.evaluate(() => {
          const bar = document.querySelector('.limit-bar')!.getBoundingClientRect().width
          const spent = document.querySelector('.limit-spent')!.getBoundingClientRect().width
          const marker = document.querySelector('.limit-projection')!.getBoundingClientRect()
          const barLeft = document.querySelector('.limit-bar')!.getBoundingClientRect().left
          return { spent: spent / bar, marker: (marker.left + marker.width / 2 - barLeft) / bar }
        })
        expect(widths.spent).toBeCloseTo(95 / (310 * 1.05), 2)
        expect(widths.marker).toBeCloseTo(310 / (310 * 1.05), 2)
      }
      // axe in both colour schemes on the whole window, then the card alone as the picture.
      await check(page, name)
      await card.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
    })

    it('screenshot: overage (a negative balance)', async () => {
      const page = await open({
        status: makeStatus({
          balance: -4.5,
          daysLeft: 0,
          level: 'critical',
          notices: [
            'The balance is below zero: spend passed the credit (auto-recharge off, or a reload that failed). OpenAI takes the difference from the next purchase.'
          ]
        })
      })
      await expectText(page.getByTestId('balance'), '-$4.50')
      await shot(page, 'overage')
    })

    it('screenshot: dark mode', async () => {
      const page = await open({ status: statusForLevel('low') }, { colorScheme: 'dark' })
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      expect(background).toBe('rgb(28, 28, 30)')
      await shot(page, 'dark')
      await page.evaluate(() => window.__creditTrayTest?.showView('settings'))
      await page.getByLabel('Low balance').waitFor()
      await shot(page, 'dark-settings')
    })

    it('screenshot: forced colours (Windows high contrast)', { timeout: 60_000 }, async () => {
      const status = { ...statusForLevel('low'), budget: BUDGET_NEARLY_USED }
      const page = await open({ status }, { forcedColors: true })
      expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true)
      await page.getByTestId('balance').waitFor()
      // The chart's bars keep a system colour, not the palette's (which forced colours drop).
      const fill = await page
        .locator('rect.spark-bar')
        .first()
        .evaluate((el) => getComputedStyle(el).fill)
      expect(fill).toBe(
        await page.evaluate(() => {
          const probe = document.createElement('span')
          probe.style.color = 'CanvasText'
          document.body.append(probe)
          const colour = getComputedStyle(probe).color
          probe.remove()
          return colour
        })
      )
      await page.locator('.spark-col').nth(20).focus()
      await shot(page, 'forced-colors')
    })

    it('works from the keyboard: Tab order, the chart, Settings and back', async () => {
      const page = await open({ status: statusForLevel('ok') })
      const order: string[] = []
      for (let i = 0; i < 9; i++) {
        await page.keyboard.press('Tab')
        order.push(await focusedName(page))
      }
      expect(order).toEqual([
        'Refresh',
        'Settings',
        // The chart is one tab stop (arrow keys move between days).
        expect.stringMatching(/^\w{3}, \w{3} \d{1,2}: \$\d+\.\d{2}/),
        // The Limits card (spend limits not read yet: only the link to the limits page).
        'Limits page',
        'Top up',
        'Billing',
        'Usage',
        // Past the last control, Tab leaves the page (no trap), then comes back to the top.
        '<body>',
        'Refresh'
      ])
      // Every focused control shows a focus ring.
      expect(
        await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)
      ).toBe('solid')

      // Enter on Refresh refreshes, and the result is said in the polite live region.
      expect(await focusedName(page)).toBe('Refresh')
      await page.keyboard.press('Enter')
      await expectText(page.getByTestId('live-polite'), 'Refreshed. Balance about $41.20')
      expect(await page.getByTestId('live-assertive').textContent()).toBe('')

      // Enter on Settings opens it with focus on its heading; Back returns.
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
      expect(await focusedName(page)).toBe('Settings')
      // Back sits before the heading in the title bar.
      await page.keyboard.press('Shift+Tab')
      expect(await focusedName(page)).toBe('Back')
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { level: 1, name: 'Credit Tray' }).waitFor()
      expect(await focusedName(page)).toBe('Credit Tray')
    })

    it('announces a level change into critical assertively, without a click', async () => {
      const page = await open({ status: statusForLevel('low') })
      await emit(page, statusForLevel('critical'))
      await expectText(
        page.getByTestId('live-assertive'),
        'Level now Critical. Balance about $4.35'
      )
      await check(page, 'critical, announced')
    })
  }
)

const BUDGET_NEARLY_USED = {
  amount: 100,
  spent: 85,
  fraction: 0.85,
  projectedMonthEnd: 120
} satisfies BudgetStatus

/** What a screen reader would call the focused element (enough for the order test). */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return '<body>'
    return (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim()
  })
}

/** axe on each screenful of a scrolling view, top to bottom (contrast is checked on screen). */
async function scrollThrough(
  page: Page,
  state: string,
  check: (page: Page, state: string) => Promise<void>
): Promise<void> {
  const content = page.locator('main.content, .content').first()
  const { scrollHeight, clientHeight } = await content.evaluate((el) => ({
    scrollHeight: el.scrollHeight,
    clientHeight: el.clientHeight
  }))
  for (let top = clientHeight; top < scrollHeight; top += clientHeight) {
    await content.evaluate((el, y) => el.scrollTo(0, y), top)
    await check(page, `${state}, scrolled to ${top}px`)
  }
  await content.evaluate((el) => el.scrollTo(0, 0))
}

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.first().waitFor()
  await expect.poll(() => locator.first().textContent(), { timeout: 5_000 }).toContain(text)
}

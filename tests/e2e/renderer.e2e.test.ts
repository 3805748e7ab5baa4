// The built tray window in real headless Chromium, against the fake bridge
// (tests/support/test-bridge.ts): onboarding, the balance and chart, an error and its action,
// no CSP violations or console errors, and screenshots of every main state for docs/.
import type { Page } from 'playwright-core'
import type { Status } from '../../src/shared/status'
import { NO_KEY_INFO, makeStatus, statusForLevel, withBalance } from '../support/fixtures'
import { summaryOf } from '../support/test-bridge'
import { chromiumMissingReason } from './harness'
import { pageSuite } from './page-suite'

const skipReason = chromiumMissingReason()

describe.skipIf(skipReason !== null)(
  `tray window in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const { open, shot } = pageSuite({
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

    it('screenshot: dark mode', async () => {
      const page = await open({ status: statusForLevel('low') }, { colorScheme: 'dark' })
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      expect(background).toBe('rgb(28, 28, 30)')
      await shot(page, 'dark')
      await page.evaluate(() => window.__creditTrayTest?.showView('settings'))
      await page.getByLabel('Low balance').waitFor()
      await shot(page, 'dark-settings')
    })
  }
)

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.first().waitFor()
  await expect.poll(() => locator.first().textContent(), { timeout: 5_000 }).toContain(text)
}

// The built top-up window (out/renderer/topup.html) in real headless Chromium, against the fake
// bridge: the whole guided flow from logging in to recording the top-up, the keyboard, no CSP
// violations or console errors, and screenshots for docs/.
import type { Locator, Page } from 'playwright-core'
import { makeStatus } from '../support/fixtures'
import { chromiumMissingReason } from './harness'
import { pageSuite } from './page-suite'

const skipReason = chromiumMissingReason()

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.first().waitFor()
  await expect.poll(() => locator.first().textContent(), { timeout: 5_000 }).toContain(text)
}

describe.skipIf(skipReason !== null)(
  `top-up window in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const { open, shot } = pageSuite({
      entry: 'topup.html',
      viewport: { width: 420, height: 600 },
      ready: (page) => page.getByRole('heading', { level: 1, name: 'Top up credit' }).waitFor()
    })

    const calls = (page: Page, method: string): Promise<unknown[][]> =>
      page.evaluate((m) => window.__creditTrayTest?.callsOf(m as 'openExternal') ?? [], method)

    const current = (page: Page): Locator =>
      page.getByRole('navigation', { name: 'Top-up steps' }).locator('[aria-current="step"]')

    it('walks from logging in to recording the top-up, opening each page on the way', async () => {
      const page = await open({ status: makeStatus({ balance: 41.2, burnRatePerDay: 3.4 }) })
      expect(await page.title()).toBe('Top up credit — Credit Tray')
      await expectText(page.getByRole('heading', { level: 2 }), 'Log in')
      expect(await current(page).getAttribute('aria-label')).toBe('Step 1 of 8: Log in')
      await shot(page, 'topup-first')

      await page.getByRole('button', { name: 'Open the login page', exact: true }).click()
      const next = page.getByRole('button', { name: /^Next/ })
      await next.click()
      await page.getByRole('button', { name: 'Open Settings', exact: true }).click()
      await next.click()
      await page.getByRole('button', { name: 'Open Billing', exact: true }).click()
      await next.click()
      await expectText(page.getByRole('heading', { level: 2 }), 'Add to credit balance')
      await next.click()

      await expectText(page.getByTestId('suggestion'), '≈ $102 lasts 30 days at $3.40/day.')
      await page.getByRole('button', { name: '$306 for 90 days' }).click()
      expect(
        await page.getByRole('button', { name: '$306 for 90 days' }).getAttribute('aria-pressed')
      ).toBe('true')
      await page.getByRole('button', { name: '$102 for 30 days' }).click()
      await shot(page, 'topup-amount')

      await next.click()
      await expectText(page.getByRole('heading', { level: 2 }), 'Confirm payment')
      await next.click()
      await expectText(page.getByRole('heading', { level: 2 }), 'Auto-recharge')
      await next.click()

      const field = page.getByRole('textbox', { name: 'How much did you add?' })
      expect(await field.inputValue()).toBe('102')
      await shot(page, 'topup-record')
      await page.getByRole('button', { name: 'Record top-up' }).click()

      await expectText(page.getByTestId('new-balance'), '$143.20')
      await shot(page, 'topup-done')
      expect(await calls(page, 'recordTopUp')).toEqual([[102]])
      expect(await calls(page, 'openExternal')).toEqual([['login'], ['settings'], ['billing']])

      await page.getByRole('button', { name: 'Close' }).click()
      expect(await calls(page, 'closeWindow')).toHaveLength(1)
    })

    it('skips to billing, records the balance instead, and closes with Escape', async () => {
      const page = await open({ status: makeStatus() })
      await page.getByRole('button', { name: 'Skip to billing' }).click()
      await expectText(page.getByRole('heading', { level: 2 }), 'Add to credit balance')
      expect(await calls(page, 'openExternal')).toEqual([['billing']])

      // Jump to the last step from the stepper with the keyboard.
      await page.getByRole('button', { name: /^Step 8 of 8/ }).focus()
      await page.keyboard.press('Enter')
      await page.getByRole('radio', { name: 'New balance' }).check()
      const field = page.getByRole('textbox', { name: 'What balance does the page show now?' })
      await field.fill('abc')
      await page.getByRole('button', { name: 'Save balance' }).click()
      await expectText(page.getByRole('alert'), 'Enter a number of dollars')
      await field.fill('250')
      await page.keyboard.press('Enter')
      await expectText(page.getByTestId('new-balance'), '$250.00')
      expect(await calls(page, 'recordBalance')).toEqual([[250]])

      await page.keyboard.press('Escape')
      expect(await calls(page, 'closeWindow')).toHaveLength(1)
    })

    it('looks right in dark mode', async () => {
      const page = await open(
        { status: makeStatus({ burnRatePerDay: 3.4 }) },
        {
          colorScheme: 'dark'
        }
      )
      await page.getByRole('button', { name: /^Step 5 of 8/ }).click()
      await expectText(page.getByTestId('suggestion'), '$102')
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      expect(background).toBe('rgb(28, 28, 30)')
      await shot(page, 'topup-dark')
    })
  }
)

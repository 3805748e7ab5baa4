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

/** What a screen reader would call the focused element (enough for the order test). */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return '<body>'
    return (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim()
  })
}

describe.skipIf(skipReason !== null)(
  `top-up window in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const { open, check, shot } = pageSuite({
      entry: 'topup.html',
      viewport: { width: 420, height: 600 },
      ready: (page) => page.getByRole('heading', { level: 1, name: 'Top up credit' }).waitFor()
    })

    const calls = (page: Page, method: string): Promise<unknown[][]> =>
      page.evaluate((m) => window.__creditTrayTest?.callsOf(m as 'openExternal') ?? [], method)

    const current = (page: Page): Locator =>
      page.getByRole('navigation', { name: 'Top-up steps' }).locator('[aria-current="step"]')

    it(
      'walks from logging in to recording the top-up, opening each page on the way',
      { timeout: 120_000 },
      async () => {
        const page = await open({
          status: makeStatus({
            balance: 41.2,
            burnRatePerDay: 3.4,
            expiringCredit: [{ purchasedOn: '2025-12-16', expiresOn: '2026-12-16', remaining: 40 }]
          })
        })
        expect(await page.title()).toBe('Top up credit — Credit Tray')
        await expectText(page.getByRole('heading', { level: 2 }), 'Log in')
        expect(await current(page).getAttribute('aria-label')).toBe('Step 1 of 8: Log in')
        await shot(page, 'topup-first')

        await page.getByRole('button', { name: 'Open the login page', exact: true }).click()
        const next = page.getByRole('button', { name: /^Next/ })
        await next.click()
        await check(page, 'topup step 2')
        await page.getByRole('button', { name: 'Open Settings', exact: true }).click()
        await next.click()
        await check(page, 'topup step 3')
        await page.getByRole('button', { name: 'Open Billing', exact: true }).click()
        await next.click()
        await expectText(page.getByRole('heading', { level: 2 }), 'Add to credit balance')
        await check(page, 'topup step 4')
        await next.click()

        await expectText(page.getByTestId('suggestion'), '≈ $102 lasts 30 days at $3.40/day.')
        await page.getByRole('button', { name: '$306 for 90 days' }).click()
        expect(
          await page.getByRole('button', { name: '$306 for 90 days' }).getAttribute('aria-pressed')
        ).toBe('true')
        await page.getByRole('button', { name: '$102 for 30 days' }).click()
        await expectText(page.getByTestId('expiring-credit'), '≈ $40.00 bought')
        await shot(page, 'topup-amount')

        await next.click()
        await expectText(page.getByRole('heading', { level: 2 }), 'Confirm payment')
        await check(page, 'topup step 6')
        await next.click()
        await expectText(page.getByRole('heading', { level: 2 }), 'Auto-recharge')
        await check(page, 'topup step 7')
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
      }
    )

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
      await check(page, 'topup record, invalid amount')
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

      // prefers-reduced-motion (these pages emulate it): the progress bar jumps, it does not slide.
      const transition = (): Promise<string> =>
        page.locator('.stepper-fill').evaluate((el) => getComputedStyle(el).transitionDuration)
      expect(await transition()).toBe('0s')
      await page.emulateMedia({ reducedMotion: 'no-preference' })
      expect(await transition()).toBe('0.25s')
    })

    it('goes through the whole flow from the keyboard: Tab order, Enter on every step, focus at the end', async () => {
      const page = await open({ status: makeStatus({ balance: 41.2, burnRatePerDay: 3.4 }) })
      const order: string[] = []
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab')
        order.push(await focusedName(page))
      }
      // Skip link, the eight steps, the step's page, then Next (Back is disabled on step 1).
      expect(order).toEqual([
        'Skip to billing',
        'Step 1 of 8: Log in',
        'Step 2 of 8: Open Settings',
        'Step 3 of 8: Open Billing',
        'Step 4 of 8: Add to credit balance',
        'Step 5 of 8: Amount and payment',
        'Step 6 of 8: Confirm payment',
        'Step 7 of 8: Auto-recharge (optional)',
        'Step 8 of 8: Tell Credit Tray',
        'Open the login page',
        'Next',
        // Past the last control, Tab leaves the page: nothing traps focus.
        '<body>'
      ])

      // Enter on Next, step after step: focus stays on the button, which moves the flow on.
      await page.keyboard.press('Shift+Tab')
      expect(await focusedName(page)).toBe('Next')
      for (let step = 2; step <= 8; step++) {
        await page.keyboard.press('Enter')
        expect(await current(page).getAttribute('aria-label')).toMatch(
          new RegExp(`^Step ${step} of 8`)
        )
      }
      // On the last step the same button records (the amount prefilled from the suggestion).
      expect(await focusedName(page)).toBe('Record top-up')
      expect(await calls(page, 'closeWindow')).toEqual([])
      // Backwards from it: Back, then the separate way out, then the amount field.
      await page.keyboard.press('Shift+Tab')
      expect(await focusedName(page)).toBe('Back')
      await page.keyboard.press('Shift+Tab')
      expect(await focusedName(page)).toBe('Close without recording')
      await page.keyboard.press('Shift+Tab')
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(
        '102'
      )
      // Enter in the field submits through the window's primary button.
      await page.keyboard.press('Enter')
      await expectText(page.getByTestId('new-balance'), '$143.20')
      expect(await calls(page, 'recordTopUp')).toEqual([[102]])

      // Focus is on the result, not lost to the page; Tab reaches Close; Enter closes.
      expect(await focusedName(page)).toBe('Credit recorded')
      await check(page, 'topup done, focused')
      await page.keyboard.press('Tab')
      expect(await focusedName(page)).toBe('Close')
      await page.keyboard.press('Enter')
      expect(await calls(page, 'closeWindow')).toHaveLength(1)
    })

    it('screenshot: forced colours (Windows high contrast)', async () => {
      const page = await open(
        { status: makeStatus({ burnRatePerDay: 3.4 }) },
        { forcedColors: true }
      )
      // By keyboard, so the focused preset shows its focus ring (:focus-visible).
      await page.getByRole('button', { name: /^Step 5 of 8/ }).focus()
      await page.keyboard.press('Enter')
      await expectText(page.getByTestId('suggestion'), '$102')
      // The current step keeps a system highlight (its fill would otherwise be dropped).
      const dot = await current(page).evaluate((el) => getComputedStyle(el).backgroundColor)
      expect(dot).not.toBe('rgba(0, 0, 0, 0)')
      await page.getByRole('button', { name: '$306 for 90 days' }).focus()
      await shot(page, 'topup-forced-colors')
    })
  }
)

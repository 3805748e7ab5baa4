// The top-up window against the fake bridge: the stepper, the Open buttons, the suggested
// amount, recording what was added, and the keyboard.
import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ExternalPage } from '../../src/shared/ipc'
import type { Status } from '../../src/shared/status'
import { TOP_UP_STEPS } from '../../src/shared/topup'
import { ApiProvider } from '../../src/renderer/src/api'
import { TopUpApp } from '../../src/renderer/src/topup/TopUpApp'
import { makeStatus, withBalance } from '../support/fixtures'
import { createTestBridge, type BridgeState } from '../support/test-bridge'

async function renderTopUp(initial: Partial<BridgeState> = {}) {
  const bridge = createTestBridge(initial)
  const user = userEvent.setup()
  const result = render(
    <ApiProvider api={bridge.api}>
      <TopUpApp />
    </ApiProvider>
  )
  await screen.findByRole('heading', { level: 1, name: 'Top up credit' })
  // Loaded once the status arrived (getStatus answered).
  await act(async () => {})
  return { ...result, bridge, user }
}

const stepList = () => screen.getByRole('navigation', { name: 'Top-up steps' })
const stepButtons = () => within(stepList()).getAllByRole('button')
const currentStep = () => stepButtons().find((b) => b.getAttribute('aria-current') === 'step')
const stepHeading = () => screen.getByRole('heading', { level: 2 })
const next = () => screen.getByRole('button', { name: /^Next/ })
const back = () => screen.getByRole('button', { name: 'Back' })

async function goTo(user: ReturnType<typeof userEvent.setup>, index: number): Promise<void> {
  await user.click(stepButtons()[index]!)
}

describe('the stepper', () => {
  it('is a list of every step with the current one marked, and starts at logging in', async () => {
    await renderTopUp()
    const items = within(stepList()).getAllByRole('listitem')
    expect(items).toHaveLength(TOP_UP_STEPS.length)
    expect(currentStep()).toHaveAccessibleName(`Step 1 of ${TOP_UP_STEPS.length}: Log in`)
    expect(stepHeading()).toHaveTextContent('Log in')
    expect(back()).toBeDisabled()
    expect(screen.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute(
      'aria-valuenow',
      '0'
    )
  })

  it('Next marks the step done and moves on; Back goes back', async () => {
    const { user } = await renderTopUp()
    await user.click(next())
    expect(stepHeading()).toHaveTextContent('Open Settings')
    expect(currentStep()).toHaveAccessibleName(/^Step 2 of 8: Open Settings$/)
    expect(stepButtons()[0]).toHaveAccessibleName('Step 1 of 8: Log in, done')
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuetext', '1 of 8 steps done')
    await user.click(back())
    expect(stepHeading()).toHaveTextContent('Log in')
    expect(stepButtons()[0]).toHaveAccessibleName('Step 1 of 8: Log in, done')
  })

  it('jumps to a step from the list', async () => {
    const { user } = await renderTopUp()
    await goTo(user, 5)
    expect(stepHeading()).toHaveTextContent('Confirm payment')
    expect(screen.getByText(/Confirm payment/, { selector: 'strong' })).toBeInTheDocument()
  })

  it('works from the keyboard alone: Tab to Next, Enter, Enter again', async () => {
    const { user } = await renderTopUp()
    next().focus()
    await user.keyboard('{Enter}')
    await user.keyboard('{Enter}')
    expect(stepHeading()).toHaveTextContent('Open Billing')
    // Focus stays on Next, so repeated presses keep going.
    expect(next()).toHaveFocus()
  })

  it('announces each step in a live region', async () => {
    const { user, container } = await renderTopUp()
    await user.click(next())
    const live = container.querySelector('[aria-live="polite"]')
    expect(live).toHaveTextContent('Step 2 of 8: Open Settings')
  })

  it('Escape closes the window', async () => {
    const { user, bridge } = await renderTopUp()
    await user.keyboard('{Escape}')
    expect(bridge.callsOf('closeWindow')).toHaveLength(1)
  })
})

describe('Open buttons', () => {
  const expected: [number, string, ExternalPage][] = [
    [0, 'Open the login page', 'login'],
    [1, 'Open Settings', 'settings'],
    [2, 'Open Billing', 'billing'],
    [3, 'Open Billing', 'billing'],
    [4, 'Open Billing', 'billing'],
    [5, 'Open Billing', 'billing'],
    [6, 'Open Billing', 'billing']
  ]

  it.each(expected)('step %i: "%s" opens the %s page', async (index, label, page) => {
    const { user, bridge } = await renderTopUp()
    await goTo(user, index)
    await user.click(screen.getByRole('button', { name: label }))
    expect(bridge.callsOf('openExternal')).toEqual([[page]])
  })

  it('step 4 also opens the payment methods page, for accounts without a card', async () => {
    const { user, bridge } = await renderTopUp()
    await goTo(user, 3)
    expect(screen.getByText('Add payment details', { selector: 'strong' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Open Payment methods' }))
    expect(bridge.callsOf('openExternal')).toEqual([['paymentMethods']])
  })

  it('"Skip to billing" opens the billing page and lands on "Add to credit balance"', async () => {
    const { user, bridge } = await renderTopUp()
    await user.click(screen.getByRole('button', { name: 'Skip to billing' }))
    expect(bridge.callsOf('openExternal')).toEqual([['billing']])
    expect(stepHeading()).toHaveTextContent('Add to credit balance')
    expect(
      stepButtons()
        .slice(0, 3)
        .map((b) => b.getAttribute('aria-label'))
    ).toEqual([
      'Step 1 of 8: Log in, done',
      'Step 2 of 8: Open Settings, done',
      'Step 3 of 8: Open Billing, done'
    ])
  })
})

describe('the amount step', () => {
  async function amountStep(status: Status) {
    const rendered = await renderTopUp({ status })
    await goTo(rendered.user, 4)
    return rendered
  }
  const presets = () =>
    within(screen.getByRole('group', { name: 'Suggested amounts' })).getAllByRole('button')

  it('lists credit already bought with its expiry, soonest first', async () => {
    await amountStep(
      makeStatus({
        expiringCredit: [
          { purchasedOn: '2025-12-16', expiresOn: '2026-12-16', remaining: 40 },
          { purchasedOn: '2026-03-01', expiresOn: '2027-03-01', remaining: 50.5 }
        ]
      })
    )
    const items = within(screen.getByTestId('expiring-credit')).getAllByRole('listitem')
    expect(items.map((i) => i.textContent)).toEqual([
      '≈ $40.00 bought Tue, Dec 16, 2025 expires Wed, Dec 16, 2026',
      '≈ $50.50 bought Sun, Mar 1, 2026 expires Mon, Mar 1, 2027'
    ])
  })

  it('says nothing about expiring credit when none is recorded', async () => {
    await amountStep(makeStatus({}))
    expect(screen.queryByTestId('expiring-credit')).toBeNull()
  })

  it('suggests a month at the burn rate, rounded up to whole dollars', async () => {
    await amountStep(makeStatus({ burnRatePerDay: 3.4 }))
    expect(screen.getByTestId('suggestion')).toHaveTextContent('≈ $102 lasts 30 days at $3.40/day.')
  })

  it('offers a week, a month and a quarter, the month picked', async () => {
    await amountStep(makeStatus({ burnRatePerDay: 3.4 }))
    // Shown as the amount over the days; named as one phrase.
    expect(presets().map((b) => b.querySelector('.preset-days')?.textContent)).toEqual([
      '7 days',
      '30 days',
      '90 days'
    ])
    expect(presets().map((b) => b.querySelector('.preset-amount')?.textContent)).toEqual([
      '$24',
      '$102',
      '$306'
    ])
    expect(presets().map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'true', 'false'])
    expect(presets()[0]).toHaveAccessibleName('$24 for 7 days')
  })

  it('never goes below OpenAI’s $5 minimum, and says when it is the minimum', async () => {
    await amountStep(makeStatus({ burnRatePerDay: 0.1 }))
    expect(screen.getByTestId('suggestion')).toHaveTextContent(
      '$5 is OpenAI’s minimum; it lasts about 50 days at $0.10/day.'
    )
    expect(presets()[0]).toHaveAccessibleName('$5 for 7 days (OpenAI’s minimum)')
    expect(presets()[2]).toHaveAccessibleName('$9 for 90 days')
  })

  it('without spend, suggests a default and explains why (no presets to scale)', async () => {
    await amountStep(makeStatus({ burnRatePerDay: 0 }))
    expect(screen.getByTestId('suggestion')).toHaveTextContent(
      'Nothing was spent in the last 7 days, so there is no burn rate to go by. $20 is a modest start'
    )
    expect(screen.queryByRole('group', { name: 'Suggested amounts' })).toBeNull()
  })

  it('reminds that credit expires a year after purchase, and that the minimum is $5', async () => {
    await amountStep(makeStatus())
    expect(screen.getByText(/expires one year after purchase/)).toHaveTextContent(
      'OpenAI’s minimum purchase is $5.'
    )
  })

  it('explains why usage varies and links the Usage page', async () => {
    const { user, bridge } = await amountStep(makeStatus())
    expect(screen.getByText(/Token usage varies per response/)).toHaveTextContent(
      /input.*output.*model/
    )
    await user.click(screen.getByRole('button', { name: 'Usage page' }))
    expect(bridge.callsOf('openExternal')).toEqual([['usage']])
  })

  it('follows the status main pushes (a new burn rate, a new suggestion)', async () => {
    const { bridge } = await amountStep(makeStatus({ burnRatePerDay: 3.4 }))
    act(() => bridge.emitStatus(makeStatus({ burnRatePerDay: 10 })))
    expect(screen.getByTestId('suggestion')).toHaveTextContent(
      '≈ $300 lasts 30 days at $10.00/day.'
    )
  })
})

describe('recording what was added', () => {
  const amountInput = () => screen.getByRole('textbox')

  it('asks how much was added, prefilled with the chosen preset, and records it', async () => {
    const { user, bridge } = await renderTopUp({ status: makeStatus({ balance: 41.2 }) })
    await goTo(user, 4)
    await user.click(screen.getByRole('button', { name: '$24 for 7 days' }))
    await goTo(user, 7)
    expect(screen.getByRole('textbox', { name: 'How much did you add?' })).toHaveValue('24')
    await user.click(screen.getByRole('button', { name: 'Record top-up' }))
    expect(bridge.callsOf('recordTopUp')).toEqual([[24]])
    expect(bridge.callsOf('recordBalance')).toEqual([])
    // Done: the new estimate is on screen at once.
    expect(await screen.findByRole('heading', { name: 'Credit recorded' })).toBeInTheDocument()
    expect(screen.getByTestId('new-balance')).toHaveTextContent('$65.20')
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100')
    await user.click(screen.getByRole('button', { name: 'Close' }))
    expect(bridge.callsOf('closeWindow')).toHaveLength(1)
  })

  it('prefills the month suggestion when no preset was picked', async () => {
    const { user } = await renderTopUp({ status: makeStatus({ burnRatePerDay: 3.4 }) })
    await goTo(user, 7)
    expect(amountInput()).toHaveValue('102')
  })

  it('records the balance the page shows instead, from the toggle', async () => {
    const { user, bridge } = await renderTopUp()
    await goTo(user, 7)
    await user.click(screen.getByRole('radio', { name: 'New balance' }))
    const field = screen.getByRole('textbox', { name: 'What balance does the page show now?' })
    expect(field).toHaveValue('')
    await user.type(field, '150.75')
    await user.click(screen.getByRole('button', { name: 'Save balance' }))
    expect(bridge.callsOf('recordBalance')).toEqual([[150.75]])
    expect(bridge.callsOf('recordTopUp')).toEqual([])
    expect(await screen.findByTestId('new-balance')).toHaveTextContent('$150.75')
  })

  it('after recording, says how old the costs are and shows notices (issue 7 §3)', async () => {
    const notice = "The balance recorded just now could not read today's costs live (offline)."
    const { user } = await renderTopUp({ status: makeStatus({ notices: [notice] }) })
    await goTo(user, 7)
    await user.click(screen.getByRole('radio', { name: 'New balance' }))
    await user.type(screen.getByRole('textbox'), '150.75')
    await user.click(screen.getByRole('button', { name: 'Save balance' }))
    expect(await screen.findByTestId('costs-age')).toHaveTextContent(/From costs fetched .*ago/)
    expect(screen.getByRole('list', { name: 'Notices' })).toHaveTextContent(notice)
  })

  it('refuses what is not an amount, next to the field, and sends nothing', async () => {
    const { user, bridge } = await renderTopUp()
    await goTo(user, 7)
    await user.clear(amountInput())
    await user.type(amountInput(), 'lots')
    await user.click(screen.getByRole('button', { name: 'Record top-up' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a number of dollars')
    expect(amountInput()).toHaveAttribute('aria-invalid', 'true')
    await user.clear(amountInput())
    await user.type(amountInput(), '0')
    await user.click(screen.getByRole('button', { name: 'Record top-up' }))
    expect(screen.getByRole('alert')).toHaveTextContent('The amount must be more than 0.')
    expect(bridge.callsOf('recordTopUp')).toEqual([])
  })

  it('a balance of 0 is allowed (the page can show $0.00)', async () => {
    const { user, bridge } = await renderTopUp()
    await goTo(user, 7)
    await user.click(screen.getByRole('radio', { name: 'New balance' }))
    await user.type(screen.getByRole('textbox'), '0')
    await user.click(screen.getByRole('button', { name: 'Save balance' }))
    expect(bridge.callsOf('recordBalance')).toEqual([[0]])
  })

  it('shows main’s message when recording fails, and stays on the form', async () => {
    const { user } = await renderTopUp({
      rejections: { recordTopUp: 'The ledger file could not be written.' }
    })
    await goTo(user, 7)
    await user.click(screen.getByRole('button', { name: 'Record top-up' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The ledger file could not be written.'
    )
    expect(screen.queryByRole('heading', { name: 'Credit recorded' })).toBeNull()
  })

  it('without a recorded balance, starts on the balance (a top-up has nothing to add to)', async () => {
    const { user, bridge } = await renderTopUp({
      status: withBalance(makeStatus(), null, Date.now())
    })
    await goTo(user, 7)
    expect(screen.getByRole('radio', { name: 'New balance' })).toBeChecked()
    await user.click(screen.getByRole('radio', { name: 'Amount added' }))
    expect(screen.getByText(/no balance recorded yet/)).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Record top-up' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Record the balance first')
    expect(bridge.callsOf('recordTopUp')).toEqual([])
  })

  it('the record step can be left without recording', async () => {
    const { user, bridge } = await renderTopUp()
    await goTo(user, 7)
    await user.click(screen.getByRole('button', { name: 'Close without recording' }))
    expect(bridge.callsOf('closeWindow')).toHaveLength(1)
    expect(bridge.callsOf('recordTopUp')).toEqual([])
  })
})

describe('Enter and focus through the whole flow', () => {
  const primary = () => screen.getByRole('contentinfo').querySelector('.btn-primary')

  it('Enter again and again on Next never closes the window: it ends by recording', async () => {
    const { user, bridge } = await renderTopUp({
      status: makeStatus({ balance: 41.2, burnRatePerDay: 3.4 })
    })
    next().focus()
    for (let step = 1; step < TOP_UP_STEPS.length; step++) await user.keyboard('{Enter}')
    // The last step: the same button, in the same place, now records the prefilled amount.
    expect(stepHeading()).toHaveTextContent('Tell Credit Tray')
    expect(primary()).toHaveFocus()
    expect(primary()).toHaveAccessibleName('Record top-up')
    expect(bridge.callsOf('closeWindow')).toEqual([])
    await user.keyboard('{Enter}')
    expect(await screen.findByRole('heading', { name: 'Credit recorded' })).toBeInTheDocument()
    expect(bridge.callsOf('recordTopUp')).toEqual([[102]])
    expect(bridge.callsOf('closeWindow')).toEqual([])
  })

  it('a held Enter key runs through the steps but does not record: that takes a fresh press', async () => {
    const { user, bridge } = await renderTopUp()
    next().focus()
    // One press held down: user-event marks every keydown after the first as a repeat.
    await user.keyboard('{Enter>12/}')
    expect(stepHeading()).toHaveTextContent('Tell Credit Tray')
    expect(bridge.callsOf('recordTopUp')).toEqual([])
    expect(bridge.callsOf('closeWindow')).toEqual([])
    await user.keyboard('{Enter}')
    expect(bridge.callsOf('recordTopUp')).toHaveLength(1)
  })

  it('leaving without recording is its own quiet button, not where Next was', async () => {
    await renderTopUp()
    const footerButtons = () =>
      Array.from(screen.getByRole('contentinfo').querySelectorAll('button')).map(
        (b) => b.textContent
      )
    expect(footerButtons()).toEqual(['Back', 'Next'])
    next().focus()
    const nextButton = document.activeElement
    for (let step = 1; step < TOP_UP_STEPS.length; step++) {
      await userEvent.keyboard('{Enter}')
    }
    expect(footerButtons()).toEqual(['Close without recording', 'Back', 'Record top-up'])
    // Focus stayed on the very element that was Next.
    expect(document.activeElement).toBe(nextButton)
    expect(screen.getByRole('button', { name: 'Close without recording' })).not.toHaveClass(
      'btn-primary'
    )
  })

  it('after recording, focus moves to the result (not lost to the page body)', async () => {
    const { user } = await renderTopUp()
    await goTo(user, 7)
    await user.click(screen.getByRole('button', { name: 'Record top-up' }))
    const heading = await screen.findByRole('heading', { name: 'Credit recorded' })
    expect(heading).toHaveFocus()
    // Tab from there reaches Close.
    await user.tab()
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus()
  })

  it('after saving a balance instead, focus moves to the result as well', async () => {
    const { user, bridge } = await renderTopUp()
    await goTo(user, 7)
    await user.click(screen.getByRole('radio', { name: 'New balance' }))
    await user.type(screen.getByRole('textbox'), '80')
    await user.click(primary()!)
    expect(await screen.findByRole('heading', { name: 'Credit recorded' })).toHaveFocus()
    expect(bridge.callsOf('recordBalance')).toEqual([[80]])
  })
})

describe('team mode', () => {
  it('the last step says credit is recorded on the team server and offers Close, no form', async () => {
    const { user, bridge } = await renderTopUp({
      team: { url: 'https://credit.example.com', account: null, tokenPresent: true }
    })
    await goTo(user, TOP_UP_STEPS.length - 1)
    expect(screen.getByTestId('team-note')).toHaveTextContent(
      'Balances and top-ups are recorded on the team server'
    )
    expect(screen.queryByRole('spinbutton')).toBeNull()
    expect(screen.queryByRole('textbox')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Close' }))
    expect(bridge.callsOf('closeWindow')).toHaveLength(1)
    expect(bridge.callsOf('recordTopUp')).toHaveLength(0)
    expect(bridge.callsOf('recordBalance')).toHaveLength(0)
  })
})

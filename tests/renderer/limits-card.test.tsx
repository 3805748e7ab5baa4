import { screen, within } from '@testing-library/react'
import { makeStatus, withLimits } from '../support/fixtures'
import { renderApp } from './render-app'

const NOW = Date.UTC(2026, 11, 10, 12)
const status = (scenario: Parameters<typeof withLimits>[1], over = {}) =>
  withLimits(makeStatus(over, NOW), scenario, NOW)

describe('the Limits card', () => {
  it('shows the organization limit with spend, amount and enforcement in words', async () => {
    await renderApp({ status: status('projected') })
    const card = screen.getByTestId('limits-card')
    expect(card).toHaveTextContent(
      'Organization: $95.00 of $200.00 this month · enforcing · projected to be reached around Dec 21'
    )
    expect(card).toHaveTextContent(
      'At this pace ≈ $310.00 by the end of the month; the limit is reached around Dec 21'
    )
    const bar = within(card).getByRole('img')
    expect(bar).toHaveAccessibleName(
      'Spent $95.00 of the $200.00 limit; at this pace $310.00 by month end'
    )
    expect(card.querySelector('.limit')).toHaveClass('level-low')
  })

  it('a reached enforcing limit says requests are likely rejected, in the critical tone', async () => {
    await renderApp({ status: status('reached') })
    const card = screen.getByTestId('limits-card')
    expect(card).toHaveTextContent('reached: OpenAI is likely rejecting requests')
    expect(card.querySelector('.limit')).toHaveClass('level-critical')
  })

  it('a limit OpenAI reports inactive says so and never claims requests fail', async () => {
    await renderApp({ status: status('inactive') })
    const card = screen.getByTestId('limits-card')
    expect(card).toHaveTextContent('inactive (OpenAI reports it is not enforcing) · reached')
    expect(card).not.toHaveTextContent(/rejecting/)
    expect(card.querySelector('.limit')).toHaveClass('level-low')
  })

  it('lists project limits and email alerts with their number of recipients', async () => {
    await renderApp({ status: status('ok') })
    const projects = screen.getByRole('list', { name: 'Project limits' })
    expect(projects).toHaveTextContent('proj_chatbot: $21.40 of $50.00 this month · enforcing')
    const alerts = within(screen.getByRole('list', { name: 'Email alerts' })).getAllByRole(
      'listitem'
    )
    expect(alerts.map((a) => a.textContent)).toEqual([
      'Email alert at $150.00 · 2 recipients',
      'Email alert at $40.00 (proj_chatbot) · 1 recipient'
    ])
  })

  it('no limit set, and a key that may not read them, are said plainly', async () => {
    const { unmount } = await renderApp({ status: status('none') })
    expect(screen.getByTestId('limits-card')).toHaveTextContent(
      'No hard spend limit set for the organization.'
    )
    expect(screen.getByTestId('limits-card')).toHaveTextContent('No email spend alerts.')
    expect(screen.getByRole('button', { name: 'Set a limit…' })).toBeInTheDocument()
    unmount()
    await renderApp({ status: status('unavailable') })
    expect(screen.getByTestId('limits-card')).toHaveTextContent(
      'This Admin key may not read the spend limits and alerts.'
    )
    expect(screen.queryByRole('button', { name: 'Change limit…' })).toBeNull()
  })

  it('shows for spend-only users too, and opens the limits page', async () => {
    const { user, bridge } = await renderApp({
      status: status('ok', { balance: null, daysLeft: null, level: 'unknown' })
    })
    await user.click(
      within(screen.getByTestId('limits-card')).getByRole('button', { name: /Limits page/ })
    )
    expect(bridge.callsOf('openExternal')).toEqual([['limits']])
  })
})

describe('changing a limit from the window', () => {
  it('shows before and after and writes only on Confirm', async () => {
    const { user, bridge } = await renderApp({ status: status('projected') })
    await user.click(screen.getByRole('button', { name: 'Change limit…' }))
    await user.type(screen.getByLabelText('New monthly hard limit'), '250')
    await user.click(screen.getByRole('button', { name: 'Review' }))
    expect(bridge.callsOf('setSpendLimit')).toEqual([])
    expect(screen.getByRole('group', { name: 'Confirm the change' })).toHaveTextContent(
      'Organization hard spend limit: $200.00 a month → $250.00 a month (OpenAI reports it enforcing).'
    )
    await user.click(screen.getByRole('button', { name: 'Confirm change' }))
    expect(bridge.callsOf('setSpendLimit')).toEqual([[250]])
    expect(await screen.findByText('The spend limit was changed.')).toBeInTheDocument()
    expect(screen.getByTestId('limits-card')).toHaveTextContent('$95.00 of $250.00 this month')
  })

  it('Cancel changes nothing; a bad amount is explained', async () => {
    const { user, bridge } = await renderApp({ status: status('ok') })
    await user.click(screen.getByRole('button', { name: 'Change limit…' }))
    await user.type(screen.getByLabelText('New monthly hard limit'), 'lots')
    await user.click(screen.getByRole('button', { name: 'Review' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a number of dollars')
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(bridge.callsOf('setSpendLimit')).toEqual([])
  })

  it('adds an email alert after confirming', async () => {
    const { user, bridge } = await renderApp({ status: status('ok') })
    await user.click(screen.getByRole('button', { name: 'Add email alert…' }))
    await user.type(screen.getByLabelText('Alert when this month reaches'), '300')
    await user.type(screen.getByLabelText('Email to'), 'ops@example.com')
    await user.click(screen.getByRole('button', { name: 'Review' }))
    expect(screen.getByRole('group', { name: 'Confirm the change' })).toHaveTextContent(
      'Organization email alerts: $150.00 → adds one at $300.00 to ops@example.com.'
    )
    await user.click(screen.getByRole('button', { name: 'Confirm change' }))
    expect(bridge.callsOf('addSpendAlert')).toEqual([[300, ['ops@example.com']]])
  })

  it("a key that may not write: OpenAI's refusal in words, and the limit stays", async () => {
    const refusal =
      'OpenAI refused the change (403): this Admin key may not change spend limits or alerts. Nothing was changed.'
    const { user } = await renderApp({
      status: status('projected'),
      rejections: { setSpendLimit: refusal }
    })
    await user.click(screen.getByRole('button', { name: 'Change limit…' }))
    await user.type(screen.getByLabelText('New monthly hard limit'), '250')
    await user.click(screen.getByRole('button', { name: 'Review' }))
    await user.click(screen.getByRole('button', { name: 'Confirm change' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(refusal)
    expect(screen.getByTestId('limits-card')).toHaveTextContent('$95.00 of $200.00 this month')
  })
})

describe('overage', () => {
  it('shows a negative balance as negative, with the next-purchase line', async () => {
    const notice =
      'The balance is below zero: spend passed the credit (auto-recharge off, or a reload that failed). OpenAI takes the difference from the next purchase.'
    await renderApp({
      status: makeStatus({ balance: -4.5, daysLeft: 0, level: 'critical', notices: [notice] }, NOW)
    })
    expect(screen.getByTestId('balance')).toHaveTextContent('-$4.50')
    expect(document.querySelector('.runway')).toHaveTextContent(
      'Overage: spend passed the credit; OpenAI takes $4.50 from the next purchase.'
    )
    expect(screen.queryByText(/Runs out around/)).toBeNull()
    expect(screen.getByRole('list', { name: 'Notices' })).toHaveTextContent(
      'OpenAI takes the difference from the next purchase.'
    )
  })
})

import { act, screen, within } from '@testing-library/react'
import type { Level } from '../../src/shared/status'
import { makeStatus, statusForLevel, withBalance } from '../support/fixtures'
import { renderApp } from './render-app'

const levelWords: Record<Level, string> = {
  ok: 'OK',
  low: 'Low',
  critical: 'Critical',
  unknown: 'No balance'
}

describe('main view', () => {
  it.each<Level>(['ok', 'low', 'critical', 'unknown'])(
    'shows the %s level in words, with its own icon',
    async (level) => {
      const { container } = await renderApp({ status: statusForLevel(level) })
      const badge = container.querySelector(`.badge[data-level="${level}"]`)
      expect(badge).not.toBeNull()
      expect(badge).toHaveTextContent(`Level: ${levelWords[level]}`)
      expect(badge?.querySelector('svg')).not.toBeNull()
    }
  )

  it('uses a different icon shape for every level', async () => {
    const shapes: string[] = []
    for (const level of ['ok', 'low', 'critical', 'unknown'] as const) {
      const { container, unmount } = await renderApp({ status: statusForLevel(level) })
      shapes.push(container.querySelector('.badge svg')?.innerHTML ?? '')
      unmount()
    }
    expect(new Set(shapes).size).toBe(4)
  })

  it('shows the balance as an estimate, with days left, burn rate and run-out date', async () => {
    const now = Date.UTC(2025, 10, 27, 12)
    await renderApp({
      status: makeStatus(
        { balance: 41.2, daysLeft: 12.1, burnRatePerDay: 3.4, runOutDate: '2025-12-09' },
        now
      )
    })
    expect(screen.getByTestId('balance')).toHaveTextContent('$41.20')
    const balance = screen.getByTestId('balance').closest('p')
    expect(balance).toHaveTextContent('≈ $41.20')
    expect(balance).toHaveAccessibleDescription(
      'estimate: last balance you recorded, plus top-ups, minus costs since'
    )
    expect(document.querySelector('.runway')).toHaveTextContent('≈ 12 days left at $3.40/day')
    expect(screen.getByText(/Runs out around/)).toHaveTextContent(
      'Runs out around Tue, Dec 9, 2025'
    )
  })

  it('formats money in the status currency', async () => {
    await renderApp({ status: makeStatus({ currency: 'eur', balance: 1234.5 }) })
    expect(screen.getByTestId('balance')).toHaveTextContent('€1,234.50')
  })

  it('explains spend-only mode and records a balance from there', async () => {
    const { user, bridge } = await renderApp({ status: statusForLevel('unknown') })
    expect(
      screen.getByText('Tracking spend only — record your balance to see days left')
    ).toBeInTheDocument()
    expect(screen.queryByTestId('balance')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Record balance' }))
    await user.type(screen.getByLabelText(/Current balance/), '50')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(bridge.callsOf('recordBalance')).toEqual([[50]])
    expect(await screen.findByTestId('balance')).toHaveTextContent('$50.00')
  })

  it('shows spend today, over 7 days and month to date', async () => {
    const status = makeStatus({ spend: { today: 1.8, last7Days: 20.66, monthToDate: 57.9 } })
    await renderApp({ status })
    const stats = screen.getByText('7 days', { selector: 'dt' }).closest('dl') as HTMLElement
    expect(within(stats).getByText('Today').nextSibling).toHaveTextContent('$1.80')
    expect(within(stats).getByText('7 days').nextSibling).toHaveTextContent('$20.66')
    expect(within(stats).getByText('This month').nextSibling).toHaveTextContent('$57.90')
  })

  it('lists top models with compact token counts, and top projects by cost', async () => {
    await renderApp({
      status: makeStatus({
        topModels: [
          { model: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 234_567, requests: 3_412 }
        ],
        topProjects: [{ name: 'Support bot', cost: 52.4 }]
      })
    })
    const models = screen.getByRole('region', { name: /Top models/ })
    expect(within(models).getByText('gpt-4o').closest('li')).toHaveTextContent(
      '1.2M tokens · 3.4K req'
    )
    const projects = screen.getByRole('region', { name: /Top projects/ })
    expect(within(projects).getByText('Support bot').closest('li')).toHaveTextContent('$52.40')
  })

  it('falls back to line items when there are no projects', async () => {
    await renderApp({
      status: makeStatus({ topProjects: [], topLineItems: [{ name: 'gpt-4o, output', cost: 9 }] })
    })
    expect(screen.getByRole('region', { name: /Top line items/ })).toHaveTextContent(
      'gpt-4o, output$9.00'
    )
  })

  it('says how fresh the data is and marks stale data', async () => {
    const now = Date.now()
    await renderApp({
      status: makeStatus(
        { lastUpdated: new Date(now - 3 * 60_000).toISOString(), stale: false },
        now
      )
    })
    expect(screen.getByText(/^updated 3 min\. ago$/)).toBeInTheDocument()
    expect(screen.queryByText('Stale')).toBeNull()
  })

  it('a status that arrives between clock ticks is aged from the moment it is shown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.UTC(2026, 11, 2, 9))
      const { bridge } = await renderApp({ status: makeStatus({ stale: false }) })
      // Ten seconds later (before the 15-second tick) a status from 2 hours ago arrives.
      vi.setSystemTime(Date.UTC(2026, 11, 2, 9, 0, 10))
      act(() =>
        bridge.emitStatus(
          makeStatus({
            stale: true,
            lastUpdated: new Date(Date.now() - 2 * 3_600_000).toISOString()
          })
        )
      )
      expect(screen.getByText(/^updated 2 hr\. ago$/)).toBeInTheDocument()
    } finally {
      vi.useRealTimers()
    }
  })

  it('shows a stale badge when the status is stale', async () => {
    await renderApp({
      status: makeStatus({
        stale: true,
        lastUpdated: new Date(Date.now() - 5 * 3_600_000).toISOString()
      })
    })
    expect(screen.getByText('Stale')).toBeInTheDocument()
    expect(screen.getByText(/^updated 5 hr\. ago$/)).toBeInTheDocument()
  })

  it('shows notices from main (e.g. a data file kept aside)', async () => {
    await renderApp({
      status: makeStatus({ notices: ['The ledger file was unreadable and was kept aside.'] })
    })
    expect(screen.getByRole('list', { name: 'Notices' })).toHaveTextContent(
      'The ledger file was unreadable and was kept aside.'
    )
  })

  it('marks a balance whose days are not all known as incomplete, with the notice (issue 7 §4)', async () => {
    await renderApp({
      status: makeStatus({
        balanceComplete: false,
        notices: ['The costs of 3 days since the recorded balance are not known yet (…).']
      })
    })
    expect(screen.getByTestId('incomplete')).toHaveTextContent('incomplete')
    expect(screen.getByRole('list', { name: 'Notices' })).toHaveTextContent('3 days')
  })

  it('a complete balance carries no such mark', async () => {
    await renderApp({ status: makeStatus() })
    expect(screen.queryByTestId('incomplete')).toBeNull()
  })

  it('says how the burn rate is averaged, also for a short history (§8f)', async () => {
    await renderApp({ status: makeStatus({ burnRateDays: 3 }) })
    expect(document.querySelector('.runway')).toHaveAttribute(
      'title',
      expect.stringMatching(/mean of the 3 complete UTC days since the first day with spend/)
    )
  })

  it('updates live when main pushes a new status', async () => {
    const { bridge } = await renderApp({ status: statusForLevel('ok') })
    expect(screen.getByTestId('balance')).toHaveTextContent('$41.20')
    act(() => bridge.emitStatus(withBalance(bridge.state.status, 3.1, Date.now())))
    expect(screen.getByTestId('balance')).toHaveTextContent('$3.10')
    expect(screen.getByText('Critical', { selector: '.badge' })).toBeInTheDocument()
    // The change into critical is announced once, assertively (the polite region stays quiet).
    expect(screen.getByTestId('live-assertive')).toHaveTextContent(
      /^Level now Critical\. Balance about \$3\.10, .* left\.$/
    )
    expect(screen.getByTestId('live-polite')).toBeEmptyDOMElement()
  })

  it('refreshes with a busy state and shows the new status', async () => {
    const { user, bridge } = await renderApp({ status: makeStatus({ stale: true }) })
    // Hold the refresh open until the busy state has been checked.
    let finish = (): void => {}
    const refresh = bridge.api.refresh
    vi.spyOn(bridge.api, 'refresh').mockImplementation(
      () => new Promise((resolve) => (finish = () => resolve(refresh())))
    )
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    // Busy but still focusable (aria-disabled): a second press does nothing.
    const busy = screen.getByRole('button', { name: 'Refreshing…' })
    expect(busy).toHaveAttribute('aria-disabled', 'true')
    expect(busy).toHaveFocus()
    await user.click(busy)
    await act(async () => finish())
    expect(screen.getByRole('button', { name: 'Refresh' })).not.toHaveAttribute('aria-disabled')
    expect(bridge.callsOf('refresh')).toHaveLength(1)
    expect(screen.queryByText('Stale')).toBeNull()
  })

  it('shows the message when refresh is rejected', async () => {
    const { user } = await renderApp({ rejections: { refresh: 'Refresh already running.' } })
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    expect(
      await screen.findByText('Refresh failed: Refresh already running.', { selector: 'p' })
    ).toBeVisible()
    expect(screen.getByTestId('live-polite')).toHaveTextContent(
      'Refresh failed: Refresh already running.'
    )
  })

  it('opens top-up, billing and usage through main', async () => {
    const { user, bridge } = await renderApp()
    await user.click(screen.getByRole('button', { name: 'Top up' }))
    await user.click(screen.getByRole('button', { name: 'Billing' }))
    await user.click(screen.getByRole('button', { name: 'Usage' }))
    expect(bridge.callsOf('openTopUp')).toHaveLength(1)
    expect(bridge.callsOf('openExternal')).toEqual([['billing'], ['usage']])
  })

  it('hides the window on Escape', async () => {
    const { user, bridge } = await renderApp()
    await user.keyboard('{Escape}')
    expect(bridge.callsOf('hideWindow')).toHaveLength(1)
  })

  it('switches view when main asks (the tray menu’s Settings item)', async () => {
    const { bridge } = await renderApp()
    act(() => bridge.showView('settings'))
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toHaveFocus()
    act(() => bridge.showView('main'))
    expect(screen.getByRole('heading', { level: 1, name: 'Credit Tray' })).toBeInTheDocument()
  })

  it('opens settings from the gear button and comes back', async () => {
    const { user } = await renderApp()
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Back' }))
    expect(screen.getByTestId('balance')).toBeInTheDocument()
  })
})

import { fireEvent, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Sparkline, sparklineSummary } from '../../src/renderer/src/components/Sparkline'
import type { DailyPoint } from '../../src/shared/status'

// 30 days ending 2025-11-27 (a Thursday); day i costs i + 0.5 dollars.
function days(): DailyPoint[] {
  return Array.from({ length: 30 }, (_, i) => ({
    date: new Date(Date.UTC(2025, 9, 29 + i)).toISOString().slice(0, 10),
    cost: i + 0.5
  }))
}

function renderSpark(daily = days()): ReturnType<typeof userEvent.setup> {
  render(<Sparkline daily={daily} currency="usd" locale="en-US" />)
  return userEvent.setup()
}

describe('sparkline', () => {
  it('draws one bar per day, today marked as partial', () => {
    const { container } = render(<Sparkline daily={days()} currency="usd" locale="en-US" />)
    const bars = container.querySelectorAll('rect.spark-bar')
    expect(bars).toHaveLength(30)
    expect(bars[29]).toHaveClass('is-today')
    expect(container.querySelectorAll('rect.is-today')).toHaveLength(1)
    // The tallest day reaches (almost) the top; the others scale from it.
    const heights = Array.from(bars).map((b) => Number(b.getAttribute('height')))
    expect(Math.max(...heights)).toBe(heights[29])
    expect(heights[0]).toBeLessThan(heights[15] ?? 0)
  })

  it('shows the date and cost of a hovered day', async () => {
    const user = renderSpark()
    await user.hover(screen.getByRole('img', { name: /Nov 3:/ }))
    expect(screen.getByRole('tooltip')).toHaveTextContent('Mon, Nov 3$5.50')
  })

  it('shows today’s tooltip as partial', async () => {
    const user = renderSpark()
    await user.hover(screen.getByRole('img', { name: /Nov 27:/ }))
    expect(screen.getByRole('tooltip')).toHaveTextContent('Thu, Nov 27 · today so far$29.50')
  })

  it('hides the tooltip when the pointer leaves', async () => {
    const user = renderSpark()
    await user.hover(screen.getByRole('img', { name: /Nov 3:/ }))
    await user.unhover(screen.getByRole('group'))
    expect(screen.queryByRole('tooltip')).toBeNull()
  })

  it('is one tab stop that lands on today; arrow keys move between days', async () => {
    const user = renderSpark()
    await user.tab()
    expect(screen.getByRole('img', { name: 'Thu, Nov 27: $29.50 so far today' })).toHaveFocus()
    expect(screen.getByRole('tooltip')).toHaveTextContent('$29.50')
    await user.keyboard('{ArrowLeft}{ArrowLeft}')
    expect(screen.getByRole('img', { name: 'Tue, Nov 25: $27.50' })).toHaveFocus()
    expect(screen.getByRole('tooltip')).toHaveTextContent('Tue, Nov 25$27.50')
    await user.keyboard('{ArrowRight}')
    expect(screen.getByRole('tooltip')).toHaveTextContent('Wed, Nov 26$28.50')
    await user.keyboard('{Home}')
    expect(screen.getByRole('tooltip')).toHaveTextContent('Wed, Oct 29$0.50')
    await user.keyboard('{ArrowLeft}')
    expect(screen.getByRole('tooltip')).toHaveTextContent('Wed, Oct 29$0.50')
    await user.keyboard('{End}')
    expect(screen.getByRole('tooltip')).toHaveTextContent('Thu, Nov 27')
    // Only the current day is in the tab order.
    expect(screen.getAllByRole('img').filter((el) => el.tabIndex === 0)).toHaveLength(1)
  })

  it('hides the tooltip when focus leaves', () => {
    renderSpark()
    const day = screen.getByRole('img', { name: /Nov 3:/ })
    fireEvent.focus(day)
    expect(screen.getByRole('tooltip')).toBeInTheDocument()
    fireEvent.blur(day)
    expect(screen.queryByRole('tooltip')).toBeNull()
  })

  it('has a text alternative summarising the 30 days', () => {
    renderSpark()
    expect(screen.getByRole('group')).toHaveAccessibleDescription(
      'Spend over the last 30 days: $450.00 in total. Highest day Wed, Nov 26, $28.50. Today so far $29.50.'
    )
  })

  it('summarises an empty month without inventing a highest day', () => {
    const quiet = days().map((d) => ({ ...d, cost: 0 }))
    expect(sparklineSummary(quiet, 'usd', 'en-US')).toBe(
      'Spend over the last 30 days: $0.00 in total. Today so far $0.00.'
    )
  })

  it('draws zero days without a bar and copes with no data', () => {
    const { container, unmount } = render(
      <Sparkline daily={days().map((d) => ({ ...d, cost: 0 }))} currency="usd" locale="en-US" />
    )
    expect(
      Array.from(container.querySelectorAll('rect')).every((r) => r.getAttribute('height') === '0')
    ).toBe(true)
    unmount()
    render(<Sparkline daily={[]} currency="usd" locale="en-US" />)
    expect(screen.getByText('No spend data yet.')).toBeInTheDocument()
  })
})

// What the tray window says to screen readers without a click: refresh results and level
// changes through one polite and one assertive live region that stay in the page, assertive
// only for a change into critical. And the level is never told by colour alone.
import { act, render, screen } from '@testing-library/react'
import { vi } from 'vitest'
import type { Level } from '../../src/shared/status'
import {
  headlineText,
  refreshAnnouncement,
  statusChangeAnnouncement
} from '../../src/renderer/src/announcements'
import { LevelBadge } from '../../src/renderer/src/components/LevelBadge'
import { makeStatus, statusForLevel, withBalance } from '../support/fixtures'
import { renderApp } from './render-app'

const polite = () => screen.getByTestId('live-polite')
const assertive = () => screen.getByTestId('live-assertive')
const NOW = Date.parse('2026-03-10T12:00:00Z')

describe('what a status change says', () => {
  const ok = makeStatus({ burnRatePerDay: 3.4, balance: 41.2, daysLeft: 12.1 }, NOW)

  it('the headline in one sentence: balance and days left, or spend only', () => {
    expect(headlineText(ok, 'en-US')).toBe('Balance about $41.20, 12 days left.')
    expect(headlineText({ ...ok, daysLeft: null }, 'en-US')).toBe(
      'Balance about $41.20, no run-out date.'
    )
    expect(headlineText(withBalance(ok, null, NOW), 'en-US')).toBe('Tracking spend only.')
  })

  it('nothing when the user would see nothing new (a refresh with the same numbers)', () => {
    const later = { ...ok, lastUpdated: new Date(NOW + 900_000).toISOString() }
    expect(statusChangeAnnouncement(ok, later, 'en-US')).toBeNull()
  })

  it('new numbers, politely', () => {
    const next = { ...ok, balance: 39.05, daysLeft: 11.5 }
    expect(statusChangeAnnouncement(ok, next, 'en-US')).toEqual({
      text: 'Balance about $39.05, 11 days left.',
      urgency: 'polite'
    })
  })

  it('a level change names the new level; only critical is assertive', () => {
    const low = statusForLevel('low', NOW)
    const critical = statusForLevel('critical', NOW)
    expect(statusChangeAnnouncement(ok, low, 'en-US')).toEqual({
      text: `Level now Low. ${headlineText(low, 'en-US')}`,
      urgency: 'polite'
    })
    expect(statusChangeAnnouncement(low, critical, 'en-US')?.urgency).toBe('assertive')
    // Back from critical is good news: it waits its turn.
    expect(statusChangeAnnouncement(critical, low, 'en-US')?.urgency).toBe('polite')
  })

  it('a failure the app retries by itself is said politely; one that needs the user is left to its alert', () => {
    const network = { ...ok, error: { kind: 'network' as const, message: 'Offline.' } }
    expect(statusChangeAnnouncement(ok, network, 'en-US')).toEqual({
      text: 'Refresh failed: Cannot reach OpenAI. Offline.',
      urgency: 'polite'
    })
    // The same failure again says nothing new.
    expect(statusChangeAnnouncement(network, { ...network }, 'en-US')).toBeNull()
    const auth = { ...ok, error: { kind: 'auth' as const, message: 'HTTP 401' } }
    expect(statusChangeAnnouncement(ok, auth, 'en-US')).toBeNull()
    // Recovering is said, with the numbers.
    expect(statusChangeAnnouncement(network, ok, 'en-US')?.text).toBe(
      'Refreshed. Balance about $41.20, 12 days left.'
    )
  })

  it('the user’s own refresh always gets an answer, even when nothing changed', () => {
    expect(refreshAnnouncement(ok, ok, 'en-US')).toEqual({
      text: 'Refreshed. Balance about $41.20, 12 days left.',
      urgency: 'polite'
    })
  })
})

describe('the tray window’s live regions', () => {
  it('are in the page, empty, from the start (a region added with its text is often not read)', async () => {
    await renderApp({ status: statusForLevel('ok') })
    expect(polite()).toHaveAttribute('aria-live', 'polite')
    expect(assertive()).toHaveAttribute('aria-live', 'assertive')
    expect(polite()).toBeEmptyDOMElement()
    expect(assertive()).toBeEmptyDOMElement()
  })

  it('say the result of Refresh, and say it again on a second Refresh with the same result', async () => {
    const { user } = await renderApp({ status: statusForLevel('ok') })
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    expect(polite()).toHaveTextContent(/^Refreshed\. Balance about \$41\.20, \d+ days left\.$/)
    const first = polite().textContent
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    expect(polite()).toHaveTextContent(/^Refreshed\. Balance about \$41\.20/)
    // A live region only speaks when its text changes.
    expect(polite().textContent).not.toBe(first)
    expect(assertive()).toBeEmptyDOMElement()
  })

  it('say a refresh that failed', async () => {
    const { user } = await renderApp({
      status: statusForLevel('ok'),
      refreshError: { kind: 'network', message: 'Could not connect to api.openai.com.' }
    })
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    expect(polite()).toHaveTextContent(
      'Refresh failed: Cannot reach OpenAI. Could not connect to api.openai.com.'
    )
  })

  it('stay quiet when main pushes the same numbers again', async () => {
    const { bridge } = await renderApp({ status: statusForLevel('ok') })
    act(() => bridge.emitStatus({ ...bridge.state.status }))
    expect(polite()).toBeEmptyDOMElement()
    expect(assertive()).toBeEmptyDOMElement()
  })

  it('say a level change pushed while another view is open (assertive into critical)', async () => {
    const { bridge } = await renderApp({ status: statusForLevel('ok') })
    act(() => bridge.showView('settings'))
    await screen.findByRole('heading', { level: 1, name: 'Settings' })
    act(() => bridge.emitStatus(statusForLevel('low')))
    expect(polite()).toHaveTextContent(/^Level now Low\. Balance about \$18\.70/)
    act(() => bridge.emitStatus(statusForLevel('critical')))
    expect(assertive()).toHaveTextContent(/^Level now Critical\. Balance about \$4\.35/)
    expect(polite()).toBeEmptyDOMElement()
  })

  it('say the user’s refresh once, not the status main pushes during it as well', async () => {
    const { user, bridge } = await renderApp({ status: statusForLevel('ok') })
    bridge.set({ status: statusForLevel('critical') })
    const said = vi.fn()
    const observer = new MutationObserver(() => said(assertive().textContent))
    observer.observe(assertive(), { childList: true, subtree: true, characterData: true })
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    observer.disconnect()
    expect(assertive()).toHaveTextContent(
      /^Refreshed\. Level now Critical\. Balance about \$4\.35, 1 day left\.$/
    )
    expect(said).toHaveBeenCalledTimes(1)
  })
})

describe('the level is never told by colour alone', () => {
  const levels: Level[] = ['ok', 'low', 'critical', 'unknown']

  it('each badge has its own words and its own icon shape', () => {
    const seen = levels.map((level) => {
      const { container, unmount } = render(<LevelBadge level={level} />)
      const badge = container.querySelector('.badge')!
      const shape = [...badge.querySelectorAll('svg *')]
        .map(
          (el) =>
            `${el.tagName}${el.getAttribute('d') ?? ''}${el.getAttribute('stroke-dasharray') ?? ''}`
        )
        .join('|')
      const words = badge.textContent
      unmount()
      return { words, shape }
    })
    expect(new Set(seen.map((s) => s.words)).size).toBe(levels.length)
    expect(new Set(seen.map((s) => s.shape)).size).toBe(levels.length)
    expect(seen.map((s) => s.words)).toEqual([
      'Level: OK',
      'Level: Low',
      'Level: Critical',
      'Level: No balance'
    ])
  })
})

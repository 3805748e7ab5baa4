import { act, screen, waitFor } from '@testing-library/react'
import { ERROR_KINDS, type ErrorKind } from '../../src/shared/status'
import { makeStatus } from '../support/fixtures'
import { renderApp } from './render-app'

// An error that stops the app until the user acts is an alert (it interrupts); one the app
// retries by itself is a named region, announced politely through the window's live region.
const cases: Array<{
  kind: ErrorKind
  title: string
  actions: string[]
  role: 'alert' | 'region'
}> = [
  {
    kind: 'auth',
    title: 'The Admin key was rejected',
    actions: ['Create an Admin key', 'Replace key'],
    role: 'alert'
  },
  {
    kind: 'permission',
    title: 'This key cannot read costs',
    actions: ['Create an Admin key', 'Replace key'],
    role: 'alert'
  },
  {
    kind: 'rate_limit',
    title: 'OpenAI asked us to slow down',
    actions: ['Retry'],
    role: 'region'
  },
  { kind: 'network', title: 'Cannot reach OpenAI', actions: ['Retry'], role: 'region' },
  { kind: 'server', title: 'OpenAI is having trouble', actions: ['Retry'], role: 'region' },
  {
    kind: 'bad_response',
    title: 'Unexpected answer from OpenAI',
    actions: ['Retry'],
    role: 'region'
  },
  { kind: 'no_key', title: 'No Admin key yet', actions: ['Set up'], role: 'alert' },
  {
    kind: 'keychain',
    title: 'The system keychain did not answer',
    actions: ['Retry'],
    role: 'alert'
  },
  {
    kind: 'storage',
    title: 'Credit Tray cannot save its data',
    actions: ['Retry'],
    role: 'alert'
  },
  // Only changing OPENAI_BASE_URL fixes it: no button would help; it needs the user.
  {
    kind: 'insecure_url',
    title: 'Refused to send the key over plain http',
    actions: [],
    role: 'alert'
  }
]

const banner = () => document.querySelector<HTMLElement>('[data-error-kind]')

describe('errors in the main view', () => {
  it.each(cases)(
    '$kind: says what happened, shows main’s message and offers the fixing action',
    async ({ kind, title, actions, role }) => {
      await renderApp({
        status: makeStatus({ error: { kind, message: `Message from main about ${kind}.` } })
      })
      const alert = screen.getByRole(role, { name: title })
      expect(alert).toHaveTextContent(title)
      expect(alert).toHaveTextContent(`Message from main about ${kind}.`)
      const buttons = Array.from(alert.querySelectorAll('button')).map((b) => b.textContent)
      expect(buttons).toEqual(actions)
    }
  )

  it('keeps the last good numbers visible under an error', async () => {
    await renderApp({
      status: makeStatus({ balance: 41.2, error: { kind: 'network', message: 'offline' } })
    })
    expect(screen.getByRole('region', { name: 'Cannot reach OpenAI' })).toBeInTheDocument()
    expect(screen.getByTestId('balance')).toHaveTextContent('$41.20')
  })

  it('every error kind main can send has its own words (none falls through blank)', () => {
    expect(cases.map((c) => c.kind).sort()).toEqual([...ERROR_KINDS].sort())
  })

  it('a storage failure says the data folder could not be written and what to do', async () => {
    await renderApp({
      status: makeStatus({
        error: {
          kind: 'storage',
          message: 'Could not save ledger.json in "/x": the disk is full. Nothing was changed.'
        }
      })
    })
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('Its data folder could not be written')
    expect(alert).toHaveTextContent('the disk is full')
  })

  it('explains that a keychain failure does not lose the key', async () => {
    await renderApp({
      status: makeStatus({ error: { kind: 'keychain', message: 'The keychain is locked.' } })
    })
    expect(screen.getByRole('alert')).toHaveTextContent('Your saved key is not lost')
  })

  it('permission: "Create an Admin key" opens the admin-keys page, "Replace key" opens settings', async () => {
    const { user, bridge } = await renderApp({
      status: makeStatus({
        error: { kind: 'permission', message: 'Project keys cannot read costs.' }
      })
    })
    await user.click(screen.getByRole('button', { name: 'Create an Admin key' }))
    expect(bridge.callsOf('openExternal')).toEqual([['adminKeys']])
    await user.click(screen.getByRole('button', { name: 'Replace key' }))
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument()
  })

  it('network: "Retry" refreshes, and the banner goes when the refresh succeeds', async () => {
    const { user, bridge } = await renderApp({
      status: makeStatus({ error: { kind: 'network', message: 'offline' } })
    })
    await user.click(screen.getByRole('button', { name: 'Retry' }))
    expect(bridge.callsOf('refresh')).toHaveLength(1)
    expect(banner()).toBeNull()
    // Retry went with the banner: focus lands on the title, not on the page body. The move
    // happens in an effect after the refresh settles, so wait for it rather than race it.
    await waitFor(() =>
      expect(screen.getByRole('heading', { level: 1, name: 'Credit Tray' })).toHaveFocus()
    )
  })

  it('no key: "Set up" opens onboarding', async () => {
    const { user } = await renderApp({
      status: makeStatus({ error: { kind: 'no_key', message: 'No key.' } })
    })
    await user.click(screen.getByRole('button', { name: 'Set up' }))
    expect(
      screen.getByRole('heading', { level: 1, name: 'Set up Credit Tray' })
    ).toBeInTheDocument()
  })

  it('an error pushed by main appears without reopening the window', async () => {
    const { bridge } = await renderApp()
    expect(banner()).toBeNull()
    act(() =>
      bridge.emitStatus({ ...bridge.state.status, error: { kind: 'server', message: 'HTTP 503' } })
    )
    expect(banner()).toHaveTextContent('OpenAI is having trouble')
    // Retried by the app itself: said politely, not as an interruption.
    expect(screen.getByTestId('live-polite')).toHaveTextContent(
      'Refresh failed: OpenAI is having trouble. HTTP 503'
    )
    expect(screen.getByTestId('live-assertive')).toBeEmptyDOMElement()
  })
})

import { act, screen } from '@testing-library/react'
import type { ErrorKind } from '../../src/shared/status'
import { makeStatus } from '../support/fixtures'
import { renderApp } from './render-app'

const cases: Array<{ kind: ErrorKind; title: string; actions: string[] }> = [
  {
    kind: 'auth',
    title: 'The Admin key was rejected',
    actions: ['Create an Admin key', 'Replace key']
  },
  {
    kind: 'permission',
    title: 'This key cannot read costs',
    actions: ['Create an Admin key', 'Replace key']
  },
  { kind: 'rate_limit', title: 'OpenAI asked us to slow down', actions: ['Retry'] },
  { kind: 'network', title: 'Cannot reach OpenAI', actions: ['Retry'] },
  { kind: 'server', title: 'OpenAI is having trouble', actions: ['Retry'] },
  { kind: 'bad_response', title: 'Unexpected answer from OpenAI', actions: ['Retry'] },
  { kind: 'no_key', title: 'No Admin key yet', actions: ['Set up'] },
  { kind: 'keychain', title: 'The system keychain did not answer', actions: ['Retry'] },
  // Only changing OPENAI_BASE_URL fixes it: no button would help.
  { kind: 'insecure_url', title: 'Refused to send the key over plain http', actions: [] }
]

describe('errors in the main view', () => {
  it.each(cases)(
    '$kind: says what happened, shows main’s message and offers the fixing action',
    async ({ kind, title, actions }) => {
      await renderApp({
        status: makeStatus({ error: { kind, message: `Message from main about ${kind}.` } })
      })
      const alert = screen.getByRole('alert')
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
    expect(screen.getByRole('alert')).toBeInTheDocument()
    expect(screen.getByTestId('balance')).toHaveTextContent('$41.20')
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
    expect(screen.queryByRole('alert')).toBeNull()
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
    expect(screen.queryByRole('alert')).toBeNull()
    act(() =>
      bridge.emitStatus({ ...bridge.state.status, error: { kind: 'server', message: 'HTTP 503' } })
    )
    expect(screen.getByRole('alert')).toHaveTextContent('OpenAI is having trouble')
  })
})

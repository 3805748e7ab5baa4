import { act, screen } from '@testing-library/react'
import { NO_KEY_INFO, makeStatus, withBalance } from '../support/fixtures'
import { renderApp } from './render-app'

const ADMIN_KEY = 'sk-admin-Abc123def456ghi789jk9f2c'
const PROJECT_KEY = 'sk-proj-Zyx987wvu654tsr321'

async function startWithoutKey(): ReturnType<typeof renderApp> {
  return renderApp({
    keyInfo: NO_KEY_INFO,
    status: withBalance(
      makeStatus({ error: { kind: 'no_key', message: 'No Admin key is saved.' } }),
      null,
      Date.now()
    )
  })
}

describe('onboarding', () => {
  it('starts when no key is saved and explains Admin keys versus project keys', async () => {
    const { user, bridge } = await startWithoutKey()
    expect(
      screen.getByRole('heading', { level: 1, name: 'Set up Credit Tray' })
    ).toBeInTheDocument()
    expect(screen.getByText(/Only an/)).toHaveTextContent(
      'Only an Admin key (it starts with sk-admin-)'
    )
    expect(screen.getByText(/project keys/)).toHaveTextContent('cannot read costs')
    // No way "back" to a main view that has nothing to show yet.
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Open Admin keys page' }))
    expect(bridge.callsOf('openExternal')).toEqual([['adminKeys']])
  })

  it('takes the key in a password field and refuses an empty one without calling main', async () => {
    const { user, bridge } = await startWithoutKey()
    const field = screen.getByLabelText('Admin key')
    expect(field).toHaveAttribute('type', 'password')
    expect(field).toHaveFocus()
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Paste your Admin key first.')
    expect(bridge.callsOf('setKey')).toHaveLength(0)
  })

  it('a project key gets the permission message, a link to create an Admin key, and no echo of the key', async () => {
    const { user, bridge, container } = await startWithoutKey()
    await user.type(screen.getByLabelText('Admin key'), PROJECT_KEY)
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('This key cannot read costs.')
    expect(alert).toHaveTextContent('Reading costs needs an organization Admin key')
    expect(screen.getByLabelText('Admin key')).toHaveAttribute('aria-invalid', 'true')
    // Not in the text, and not in any attribute either (a controlled input would mirror it into value="…").
    expect(container.innerHTML).not.toContain(PROJECT_KEY)
    await user.click(screen.getByRole('button', { name: 'Create an Admin key' }))
    expect(bridge.callsOf('openExternal')).toEqual([['adminKeys']])
    // Still on step 1.
    expect(screen.getByRole('button', { name: 'Check and save' })).toBeInTheDocument()
  })

  it('shows a checking state while main checks the key', async () => {
    const { user, bridge } = await startWithoutKey()
    let answer = (): void => {}
    const setKey = bridge.api.setKey
    vi.spyOn(bridge.api, 'setKey').mockImplementation(
      (key) => new Promise((resolve) => (answer = () => resolve(setKey(key))))
    )
    await user.type(screen.getByLabelText('Admin key'), ADMIN_KEY)
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(screen.getByRole('button', { name: 'Checking…' })).toBeDisabled()
    expect(screen.getByRole('status')).toHaveTextContent('Checking the key with OpenAI…')
    await act(async () => answer())
    expect(
      await screen.findByRole('heading', { name: 'What is your balance now?' })
    ).toBeInTheDocument()
  })

  it('a good key goes to the balance step, then the balance is recorded and the main view shows it', async () => {
    const { user, bridge, container } = await startWithoutKey()
    await user.type(screen.getByLabelText('Admin key'), `  ${ADMIN_KEY}  `)
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(
      await screen.findByRole('heading', { name: 'What is your balance now?' })
    ).toBeInTheDocument()
    expect(bridge.calls.find((c) => c.method === 'setKey')?.args).toEqual([
      `<key of ${ADMIN_KEY.length} characters>`
    ])
    expect(container.innerHTML).not.toContain(ADMIN_KEY)

    await user.click(screen.getByRole('button', { name: 'Open billing page' }))
    expect(bridge.callsOf('openExternal')).toEqual([['billing']])
    await user.type(screen.getByLabelText('Current balance'), '$1,250.75')
    await user.click(screen.getByRole('button', { name: 'Save balance' }))
    expect(bridge.callsOf('recordBalance')).toEqual([[1250.75]])
    expect(await screen.findByTestId('balance')).toHaveTextContent('$1,250.75')
  })

  it('passes the trimmed key to main', async () => {
    const { user, bridge } = await startWithoutKey()
    const spy = vi.spyOn(bridge.api, 'setKey')
    await user.type(screen.getByLabelText('Admin key'), `  ${ADMIN_KEY}\t`)
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(spy).toHaveBeenCalledWith(ADMIN_KEY)
  })

  it('rejects a nonsense balance before calling main', async () => {
    const { user, bridge } = await startWithoutKey()
    await user.type(screen.getByLabelText('Admin key'), ADMIN_KEY)
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    await screen.findByRole('heading', { name: 'What is your balance now?' })
    await user.type(screen.getByLabelText('Current balance'), 'lots')
    await user.click(screen.getByRole('button', { name: 'Save balance' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a number of dollars')
    expect(bridge.callsOf('recordBalance')).toHaveLength(0)
  })

  it('"Skip — track spend only" goes to the main view without a balance', async () => {
    const { user, bridge } = await startWithoutKey()
    await user.type(screen.getByLabelText('Admin key'), ADMIN_KEY)
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    await user.click(await screen.findByRole('button', { name: 'Skip — track spend only' }))
    expect(
      screen.getByText('Tracking spend only — record your balance to see days left')
    ).toBeInTheDocument()
    expect(bridge.callsOf('recordBalance')).toHaveLength(0)
    // The no-key error cleared once the key was saved.
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('can be left when it was opened with a key already saved', async () => {
    const { user, bridge } = await renderApp()
    act(() => bridge.showView('onboarding'))
    await user.click(await screen.findByRole('button', { name: 'Back' }))
    expect(screen.getByTestId('balance')).toBeInTheDocument()
  })
})

import { act, screen, within } from '@testing-library/react'
import { parseAccountForm } from '../../src/renderer/src/components/Accounts'
import { NO_KEY_INFO, makeStatus } from '../support/fixtures'
import { summaryOf } from '../support/test-bridge'
import { renderApp } from './render-app'

const two = () => ({
  active: 'default',
  accounts: [
    summaryOf('default', makeStatus()),
    { ...summaryOf('Shop', makeStatus({ level: 'critical' })) }
  ]
})

describe('the account switcher', () => {
  it('is not shown with a single account', async () => {
    await renderApp()
    expect(screen.queryByLabelText('Account')).not.toBeInTheDocument()
  })

  it('lists every account with its level in words and switches on choice', async () => {
    const { user, bridge } = await renderApp({ accounts: two() })
    const select = await screen.findByLabelText('Account')
    expect(within(select).getByRole('option', { name: 'Shop (critical)' })).toBeInTheDocument()
    await user.selectOptions(select, 'Shop')
    expect(bridge.callsOf('switchAccount')).toEqual([['Shop']])
    expect(select).toHaveValue('Shop')
  })

  it('follows main when the accounts change elsewhere (tray, another window)', async () => {
    const { bridge } = await renderApp()
    act(() => bridge.emitAccounts(two()))
    expect(await screen.findByLabelText('Account')).toHaveValue('default')
  })

  it('opens onboarding when the newly shown account has no key yet', async () => {
    const { bridge } = await renderApp({ accounts: two() })
    await screen.findByLabelText('Account')
    bridge.set({ keyInfo: NO_KEY_INFO })
    act(() => bridge.emitAccounts({ ...two(), active: 'Shop' }))
    expect(await screen.findByRole('heading', { name: /Set up Credit Tray/ })).toBeInTheDocument()
  })
})

describe('the accounts card in settings', () => {
  async function openSettings(initial: Parameters<typeof renderApp>[0] = {}) {
    const rendered = await renderApp(initial)
    await rendered.user.click(screen.getByRole('button', { name: 'Settings' }))
    return {
      ...rendered,
      card: (await screen.findByRole('heading', { name: 'Accounts' })).closest(
        'section'
      ) as HTMLElement
    }
  }

  it('adds an account with a project filter, then goes to key setup', async () => {
    const { user, bridge, card } = await openSettings()
    await user.click(within(card).getByRole('button', { name: 'Add account…' }))
    await user.type(within(card).getByLabelText('Account name'), 'Agency X')
    await user.type(within(card).getByLabelText(/Only these projects/), 'proj_a, proj_b')
    bridge.set({ keyInfo: NO_KEY_INFO })
    await user.click(within(card).getByRole('button', { name: 'Add and set up key' }))
    expect(bridge.callsOf('addAccount')).toEqual([['Agency X', ['proj_a', 'proj_b']]])
    expect(await screen.findByRole('heading', { name: /Set up Credit Tray/ })).toBeInTheDocument()
  })

  it('refuses a bad name or project id before asking main', async () => {
    const { user, bridge, card } = await openSettings()
    await user.click(within(card).getByRole('button', { name: 'Add account…' }))
    await user.type(within(card).getByLabelText('Account name'), '../etc')
    await user.click(within(card).getByRole('button', { name: 'Add and set up key' }))
    expect(within(card).getByRole('alert')).toHaveTextContent(/letters, digits/)
    expect(bridge.callsOf('addAccount')).toEqual([])
  })

  it('removes an account only after a confirmation, and never the last one', async () => {
    const { user, bridge, card } = await openSettings({ accounts: two() })
    await user.click(within(card).getByRole('button', { name: 'Remove Shop' }))
    expect(bridge.callsOf('removeAccount')).toEqual([])
    await user.click(within(card).getByRole('button', { name: 'Confirm removing Shop' }))
    expect(bridge.callsOf('removeAccount')).toEqual([['Shop']])
    expect(within(card).queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument()
  })
})

describe('parseAccountForm', () => {
  it('trims, de-duplicates project ids, and explains what is wrong', () => {
    expect(parseAccountForm(' Shop ', 'proj_a,proj_a, ')).toEqual({
      ok: true,
      name: 'Shop',
      projectIds: ['proj_a']
    })
    expect(parseAccountForm('Shop', 'proj a')).toMatchObject({
      ok: false,
      error: /not a project id/
    })
    expect(parseAccountForm('', '')).toMatchObject({ ok: false })
  })
})

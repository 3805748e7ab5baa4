import { screen, within } from '@testing-library/react'
import type { KeyInfo } from '../../src/shared/settings'
import { makeSettings, makeStatus } from '../support/fixtures'
import { renderApp } from './render-app'

async function openSettings(
  initial: Parameters<typeof renderApp>[0] = {}
): ReturnType<typeof renderApp> {
  const rendered = await renderApp(initial)
  await rendered.user.click(screen.getByRole('button', { name: 'Settings' }))
  await screen.findByLabelText('Low balance')
  return rendered
}

function section(name: string): HTMLElement {
  return screen.getByRole('heading', { level: 2, name }).closest('section, form') as HTMLElement
}

describe('settings: key', () => {
  it('shows the key only masked, with where it is stored and any warning', async () => {
    const keyInfo: KeyInfo = {
      present: true,
      masked: 'sk-admin-…9f2c',
      type: 'admin',
      storage: 'memory',
      warning: 'No keychain available: the key is kept in memory until you quit.'
    }
    await openSettings({ keyInfo })
    const key = section('Admin key')
    expect(within(key).getByText('sk-admin-…9f2c')).toBeInTheDocument()
    expect(key).toHaveTextContent('Kept in memory only, until you quit')
    expect(key).toHaveTextContent('No keychain available')
  })

  it('says where the key is sent when it is not api.openai.com, and only then', async () => {
    const keyInfo: KeyInfo = {
      present: true,
      masked: 'sk-admin-…9f2c',
      type: 'admin',
      storage: 'keychain',
      warning: null,
      sentTo: 'llm-proxy.example.org'
    }
    const first = await openSettings({ keyInfo })
    expect(section('Admin key')).toHaveTextContent(
      'The Admin key is sent to llm-proxy.example.org (set by OPENAI_BASE_URL), not to api.openai.com.'
    )
    first.unmount()
    await openSettings({ keyInfo: { ...keyInfo, sentTo: undefined } })
    expect(section('Admin key')).not.toHaveTextContent('The Admin key is sent to')
  })

  it('replaces the key through the same check, showing main’s error for a bad key', async () => {
    const { user, bridge } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Replace key' }))
    await user.type(screen.getByLabelText('Admin key', { selector: 'input' }), 'sk-nonsense')
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('OpenAI did not accept this key.')
    await user.clear(screen.getByLabelText('Admin key', { selector: 'input' }))
    await user.type(
      screen.getByLabelText('Admin key', { selector: 'input' }),
      'sk-admin-NEWKEY1234567890abcd'
    )
    await user.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(await within(section('Admin key')).findByText('sk-admin-…abcd')).toBeInTheDocument()
    expect(bridge.callsOf('setKey')).toHaveLength(2)
  })

  it('removes the key only after confirming', async () => {
    const { user, bridge } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Remove key…' }))
    expect(bridge.callsOf('clearKey')).toHaveLength(0)
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    await user.click(screen.getByRole('button', { name: 'Remove key…' }))
    await user.click(screen.getByRole('button', { name: 'Remove key' }))
    expect(bridge.callsOf('clearKey')).toHaveLength(1)
    expect(section('Admin key')).toHaveTextContent('No key saved.')
  })
})

describe('settings: balance and top-ups', () => {
  it('records a balance and a top-up', async () => {
    const { user, bridge } = await openSettings()
    await user.type(screen.getByLabelText('Record balance'), '80')
    await user.click(screen.getByRole('button', { name: 'Record' }))
    expect(await screen.findByText('Balance recorded.')).toBeInTheDocument()
    await user.type(screen.getByLabelText('Record top-up'), '25.50')
    await user.click(screen.getByRole('button', { name: 'Add' }))
    expect(await screen.findByText('Top-up recorded.')).toBeInTheDocument()
    expect(bridge.callsOf('recordBalance')).toEqual([[80]])
    expect(bridge.callsOf('recordTopUp')).toEqual([[25.5]])
    expect(bridge.state.status.balance).toBe(105.5)
  })

  it.each([
    ['-5', 'The amount cannot be negative.'],
    ['0', 'The amount must be more than 0.'],
    ['12abc', 'Enter a number of dollars'],
    ['1.2.3', 'Enter a number of dollars'],
    ['', 'Enter an amount.'],
    ['99999999', 'too large']
  ])('refuses the top-up %j before calling main', async (typed, message) => {
    const { user, bridge } = await openSettings()
    if (typed) await user.type(screen.getByLabelText('Record top-up'), typed)
    await user.click(screen.getByRole('button', { name: 'Add' }))
    expect(screen.getByRole('alert')).toHaveTextContent(message)
    expect(screen.getByLabelText('Record top-up')).toHaveAttribute('aria-invalid', 'true')
    expect(bridge.callsOf('recordTopUp')).toHaveLength(0)
  })

  it('shows the message main rejects a top-up with', async () => {
    const { user } = await openSettings({ status: makeStatus({ balance: null }) })
    await user.type(screen.getByLabelText('Record top-up'), '10')
    await user.click(screen.getByRole('button', { name: 'Add' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Record your balance before adding top-ups.'
    )
  })
})

describe('settings: warnings and polling', () => {
  it('loads the current values and saves valid changes', async () => {
    const { user, bridge } = await openSettings({
      settings: makeSettings({ pollIntervalMinutes: 30 })
    })
    expect(screen.getByLabelText('Low balance')).toHaveValue('10')
    expect(screen.getByLabelText(/Check every/)).toHaveValue('30')
    await user.clear(screen.getByLabelText('Low balance'))
    await user.type(screen.getByLabelText('Low balance'), '25')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Saved.')).toBeInTheDocument()
    expect(bridge.callsOf('setSettings')).toEqual([
      [
        {
          thresholds: { lowBalance: 25, criticalBalance: 5, lowDays: 7, criticalDays: 2 },
          pollIntervalMinutes: 30
        }
      ]
    ])
  })

  it('refuses a critical amount above the low one', async () => {
    const { user, bridge } = await openSettings()
    await user.clear(screen.getByLabelText('Critical balance'))
    await user.type(screen.getByLabelText('Critical balance'), '20')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(screen.getByText('Critical must be at or below the low amount.')).toBeInTheDocument()
    expect(screen.getByLabelText('Critical balance')).toHaveAttribute('aria-invalid', 'true')
    expect(bridge.callsOf('setSettings')).toHaveLength(0)
  })

  it('refuses critical days above low days, and nonsense numbers', async () => {
    const { user, bridge } = await openSettings()
    await user.clear(screen.getByLabelText('Critical days left'))
    await user.type(screen.getByLabelText('Critical days left'), '9')
    await user.clear(screen.getByLabelText('Low balance'))
    await user.type(screen.getByLabelText('Low balance'), 'ten')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(
      screen.getByText('Critical must be at or below the low number of days.')
    ).toBeInTheDocument()
    expect(screen.getByLabelText('Low balance')).toHaveAccessibleDescription(
      'Enter a number of dollars (0 or more).'
    )
    expect(bridge.callsOf('setSettings')).toHaveLength(0)
  })

  it.each(['4', '1441', '7.5', 'often'])('refuses a poll interval of %j minutes', async (typed) => {
    const { user, bridge } = await openSettings()
    await user.clear(screen.getByLabelText(/Check every/))
    await user.type(screen.getByLabelText(/Check every/), typed)
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(screen.getByLabelText(/Check every/)).toHaveAccessibleDescription(
      'Enter whole minutes from 5 to 1440.'
    )
    expect(bridge.callsOf('setSettings')).toHaveLength(0)
  })

  it('shows the message main rejects settings with', async () => {
    const { user } = await openSettings({
      rejections: { setSettings: 'Settings file is read-only.' }
    })
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Settings file is read-only.')
  })

  it('saves each toggle as it changes', async () => {
    const { user, bridge } = await openSettings()
    const notify = screen.getByRole('switch', { name: 'Notify when credit runs low' })
    expect(notify).toBeChecked()
    await user.click(notify)
    await user.click(screen.getByRole('switch', { name: 'Open at login' }))
    const menuBar = screen.getByRole('switch', { name: /menu bar/ })
    expect(menuBar.closest('label')).toHaveTextContent('Show the balance in the menu bar (macOS)')
    await user.click(menuBar)
    expect(bridge.callsOf('setSettings')).toEqual([
      [{ notificationsEnabled: false }],
      [{ launchAtLogin: true }],
      [{ showAmountInMenuBar: false }]
    ])
    expect(notify).not.toBeChecked()
  })

  it('keeps a toggle as it was when main refuses the change', async () => {
    const { user } = await openSettings({
      rejections: { setSettings: 'Could not register the login item.' }
    })
    const login = screen.getByRole('switch', { name: 'Open at login' })
    await user.click(login)
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not register the login item.')
    expect(login).not.toBeChecked()
  })
})

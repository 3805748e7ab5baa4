// Team mode in the window: choosing a team server in onboarding, the note that replaces the
// balance and top-up forms, and leaving team mode from settings. The read token is typed into a
// password field and never shown or recorded.
import { screen, within } from '@testing-library/react'
import { NO_KEY_INFO, makeStatus, withBalance } from '../support/fixtures'
import { renderApp } from './render-app'

const TOKEN = 'team-read-token-0123456789abcdef'
const TEAM = { url: 'https://credit.example.com', account: null, tokenPresent: true }

const section = (name: string) => screen.getByRole('region', { name })

describe('team mode', () => {
  it(
    'onboarding can read from a team server instead of asking for a key',
    { timeout: 15_000 },
    async () => {
      const { user, bridge, container } = await renderApp({
        keyInfo: NO_KEY_INFO,
        status: withBalance(makeStatus(), null, Date.now())
      })
      await user.click(screen.getByRole('radio', { name: 'Read from a team server' }))
      expect(screen.queryByLabelText('Admin key')).toBeNull()
      await user.click(screen.getByLabelText('Server address'))
      await user.paste('http://credit.example.com')
      const token = screen.getByLabelText('Read token')
      expect(token).toHaveAttribute('type', 'password')
      await user.click(token)
      await user.paste(TOKEN)
      await user.click(screen.getByRole('button', { name: 'Check and save' }))
      expect(await screen.findByRole('alert')).toHaveTextContent(/Use an https:\/\/ address/)

      await user.clear(screen.getByLabelText('Server address'))
      await user.paste('https://credit.example.com/')
      await user.click(screen.getByRole('button', { name: 'Check and save' }))
      // Straight to the main view: no balance to ask for, it is recorded on the server.
      expect(await screen.findByRole('heading', { level: 1, name: 'Credit Tray' })).toBeVisible()
      expect(screen.getByTestId('team-note')).toHaveTextContent(
        'Balances and top-ups are recorded on the team server'
      )
      expect(screen.getByTestId('team-note')).toHaveTextContent('Server: credit.example.com')
      expect(screen.queryByRole('button', { name: 'Record balance' })).toBeNull()
      expect(bridge.callsOf('setTeamServer')).toEqual([
        [
          {
            url: 'http://credit.example.com',
            account: null,
            token: `<token of ${TOKEN.length} characters>`
          }
        ],
        [
          {
            url: 'https://credit.example.com/',
            account: null,
            token: `<token of ${TOKEN.length} characters>`
          }
        ]
      ])
      expect(container.innerHTML).not.toContain(TOKEN)
    }
  )

  it('a spend-only account in team mode shows the note instead of “Record balance”', async () => {
    await renderApp({
      team: TEAM,
      keyInfo: NO_KEY_INFO,
      status: withBalance(makeStatus(), null, Date.now())
    })
    expect(screen.getByRole('heading', { level: 1, name: 'Credit Tray' })).toBeVisible()
    expect(screen.getByTestId('team-note')).toBeVisible()
    expect(screen.queryByRole('button', { name: 'Record balance' })).toBeNull()
  })

  it('settings show the server instead of the key and the ledger forms, and can leave team mode', async () => {
    const { user, bridge } = await renderApp({ team: TEAM, keyInfo: NO_KEY_INFO })
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    const card = section('Team server')
    expect(card).toHaveTextContent('Reading from https://credit.example.com')
    expect(screen.queryByRole('region', { name: 'Admin key' })).toBeNull()
    expect(within(section('Balance')).getByTestId('team-note')).toBeVisible()
    expect(screen.queryByLabelText('Record balance')).toBeNull()
    expect(screen.queryByRole('button', { name: /Export/ })).toBeNull()

    await user.click(within(card).getByRole('button', { name: 'Use an Admin key instead…' }))
    expect(bridge.callsOf('clearTeamServer')).toHaveLength(0)
    await user.click(screen.getByRole('button', { name: 'Stop reading from the server' }))
    expect(bridge.callsOf('clearTeamServer')).toHaveLength(1)
    expect(await screen.findByRole('region', { name: 'Admin key' })).toBeVisible()
  })
})

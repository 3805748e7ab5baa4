// Team mode in the window: the form that connects this account to a team server (URL, read
// token, optionally which of the server's accounts), the settings card that shows and ends it,
// and the note shown where the balance and top-up forms would be. Like KeyForm, the token input
// is uncontrolled so the token never lands in the DOM's value attribute, and it is emptied as
// soon as main has it.
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { TEAM_MODE_NOTE, type TeamServerInfo } from '../../../shared/team'
import { messageOf, useApi } from '../api'
import { Card, CheckingHint, CheckSubmit, ConfirmDanger, FieldError, useBusyAction } from './fields'

export function TeamServerForm({
  onSaved,
  autoFocus
}: {
  onSaved: (info: TeamServerInfo) => void
  autoFocus?: boolean
}): ReactNode {
  const api = useApi()
  const id = useId()
  const token = useRef<HTMLInputElement>(null)
  const [url, setUrl] = useState('')
  const [account, setAccount] = useState('')
  const [checking, setChecking] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    const field = token.current
    if (!field) return
    if (url.trim() === '') return setError('Enter the team server’s address.')
    if (field.value.trim() === '') return setError('Paste the read token.')
    setError(null)
    setChecking(true)
    try {
      const result = await api.setTeamServer({
        url: url.trim(),
        token: field.value.trim(),
        account: account.trim() || null
      })
      if (result.ok) {
        field.value = ''
        onSaved(result.info)
      } else setError(result.error.message)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setChecking(false)
    }
  }

  return (
    <form className="team-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={`${id}-url`}>Server address</label>
      <input
        id={`${id}-url`}
        className="input"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://credit.example.com"
        value={url}
        autoFocus={autoFocus}
        onChange={(e) => setUrl(e.target.value)}
      />
      <label htmlFor={`${id}-token`}>Read token</label>
      <input
        id={`${id}-token`}
        className="input mono"
        type="password"
        autoComplete="off"
        spellCheck={false}
        ref={token}
      />
      <label htmlFor={`${id}-account`}>
        Account on the server <span className="muted">(optional)</span>
      </label>
      <div className="field-row">
        <input
          id={`${id}-account`}
          className="input"
          type="text"
          autoComplete="off"
          placeholder="its active account"
          value={account}
          onChange={(e) => setAccount(e.target.value)}
        />
        <CheckSubmit checking={checking} />
      </div>
      <CheckingHint checking={checking} text="Asking the team server…" />
      <FieldError message={error} />
    </form>
  )
}

/** Settings: where this account reads from, or the way to start reading from a team server. */
export function TeamServerCard({
  team,
  onTeam
}: {
  team: TeamServerInfo | null
  onTeam: (team: TeamServerInfo | null) => void
}): ReactNode {
  const api = useApi()
  const [mode, setMode] = useState<'idle' | 'form' | 'confirmLeave'>('idle')
  const { busy, error, run } = useBusyAction()
  const leave = (): Promise<void> =>
    run(async () => {
      onTeam(await api.clearTeamServer())
      setMode('idle')
    })

  return (
    <Card titleId="team-title" title="Team server">
      {team ? (
        <p className="team-line">
          Reading from <strong className="mono">{team.url}</strong>
          {team.account ? <> (account {team.account})</> : null}. No Admin key is kept on this
          computer.
        </p>
      ) : (
        <p className="muted">
          Instead of an Admin key, read the figures from a team server (credit-tray serve) with a
          read token.
        </p>
      )}
      {mode === 'form' ? (
        <>
          <TeamServerForm
            autoFocus
            onSaved={(info) => {
              onTeam(info)
              setMode('idle')
            }}
          />
          <button type="button" className="btn btn-quiet" onClick={() => setMode('idle')}>
            Cancel
          </button>
        </>
      ) : mode === 'confirmLeave' ? (
        <ConfirmDanger
          label="Confirm leaving the team server"
          question="Stop reading from the team server? This account then needs an Admin key."
          action="Stop reading from the server"
          busyAction="Leaving…"
          busy={busy}
          onConfirm={() => void leave()}
          onCancel={() => setMode('idle')}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setMode('form')}>
            {team ? 'Change server or token' : 'Read from a team server…'}
          </button>
          {team ? (
            <button type="button" className="btn btn-quiet" onClick={() => setMode('confirmLeave')}>
              Use an Admin key instead…
            </button>
          ) : null}
        </div>
      )}
      <FieldError message={error} />
    </Card>
  )
}

/** Where the balance and top-up forms would be: recording happens on the server. */
export function TeamNote({ team }: { team: TeamServerInfo }): ReactNode {
  return (
    <p className="team-note" data-testid="team-note">
      {TEAM_MODE_NOTE} <span className="muted">Server: {new URL(team.url).host}</span>
    </p>
  )
}

// Several OpenAI organizations: a switcher in the main view's title bar (only when there is more
// than one account) and an Accounts card in settings to add and remove them. Both follow what
// main pushes (onAccounts), so they stay right when the tray or another view changes accounts.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import type { AccountsState } from '../../../shared/accounts'
import type { Level } from '../../../shared/status'
import { messageOf, useApi } from '../api'
import { Card, FieldError } from './fields'

const LEVEL_WORDS: Record<Level, string> = {
  ok: 'OK',
  low: 'low',
  critical: 'critical',
  unknown: 'spend only'
}

/** The accounts as main knows them; null until the first answer. */
export function useAccounts(): AccountsState | null {
  const api = useApi()
  const [state, setState] = useState<AccountsState | null>(null)
  useEffect(() => {
    let live = true
    const off = api.onAccounts((s) => live && setState(s))
    api.getAccounts().then(
      (s) => live && setState((current) => current ?? s),
      () => undefined // an older main without accounts: no switcher
    )
    return () => {
      live = false
      off()
    }
  }, [api])
  return state
}

function describe(a: AccountsState['accounts'][number]): string {
  const problem = a.errorKind ? ', needs attention' : a.stale ? ', data is old' : ''
  return `${a.name} (${LEVEL_WORDS[a.level]}${problem})`
}

export function AccountSwitcher(): ReactNode {
  const api = useApi()
  const accounts = useAccounts()
  const id = useId()
  if (!accounts || accounts.accounts.length < 2) return null
  return (
    <div className="account-switcher">
      <label htmlFor={id} className="sr-only">
        Account
      </label>
      <select
        id={id}
        className="account-select"
        value={accounts.active}
        onChange={(e) => void api.switchAccount(e.target.value)}
      >
        {accounts.accounts.map((a) => (
          <option key={a.name} value={a.name}>
            {describe(a)}
          </option>
        ))}
      </select>
    </div>
  )
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$/
const PROJECT_RE = /^[A-Za-z0-9_-]{1,100}$/

/** Checks the add-account form like main does; returns an error for a person, or the values. */
export function parseAccountForm(
  name: string,
  projects: string
): { ok: true; name: string; projectIds: string[] } | { ok: false; error: string } {
  const trimmed = name.trim()
  if (!NAME_RE.test(trimmed)) {
    return {
      ok: false,
      error: 'Use 1–40 letters, digits, spaces, dots, dashes or underscores for the name.'
    }
  }
  const ids = projects
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  const bad = ids.find((p) => !PROJECT_RE.test(p))
  if (bad) return { ok: false, error: `"${bad}" is not a project id (they look like proj_abc123).` }
  return { ok: true, name: trimmed, projectIds: [...new Set(ids)] }
}

export function AccountsCard({ onAdded }: { onAdded: () => void }): ReactNode {
  const api = useApi()
  const accounts = useAccounts()
  const [adding, setAdding] = useState(false)
  const [name, setName] = useState('')
  const [projects, setProjects] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null)
  const nameId = useId()
  const projectsId = useId()

  async function add(event: FormEvent): Promise<void> {
    event.preventDefault()
    const parsed = parseAccountForm(name, projects)
    if (!parsed.ok) return setError(parsed.error)
    setError(null)
    try {
      await api.addAccount(parsed.name, parsed.projectIds)
      setAdding(false)
      setName('')
      setProjects('')
      onAdded()
    } catch (e) {
      setError(messageOf(e))
    }
  }

  async function remove(target: string): Promise<void> {
    try {
      await api.removeAccount(target)
      setConfirmRemove(null)
    } catch (e) {
      setError(messageOf(e))
    }
  }

  if (!accounts) return null
  return (
    <Card titleId="accounts-title" title="Accounts">
      <p className="field-hint">
        One per OpenAI organization, each with its own Admin key, balance and alerts. The tray icon
        shows the one that needs attention most.
      </p>
      <ul className="account-list">
        {accounts.accounts.map((a) => (
          <li key={a.name} className="account-row">
            <span className="account-name">
              {a.name}
              {a.name === accounts.active ? <span className="muted"> (shown)</span> : null}
              {a.projectIds.length ? (
                <span className="muted"> · {a.projectIds.join(', ')}</span>
              ) : null}
            </span>
            <span className="muted">{LEVEL_WORDS[a.level]}</span>
            {a.name !== accounts.active ? (
              <button
                type="button"
                className="btn btn-quiet"
                onClick={() => void api.switchAccount(a.name)}
              >
                Show
              </button>
            ) : null}
            {accounts.accounts.length > 1 ? (
              confirmRemove === a.name ? (
                <button
                  type="button"
                  className="btn btn-danger"
                  aria-label={`Confirm removing ${a.name}`}
                  onClick={() => void remove(a.name)}
                >
                  Remove?
                </button>
              ) : (
                <button
                  type="button"
                  className="btn btn-quiet"
                  aria-label={`Remove ${a.name}`}
                  onClick={() => setConfirmRemove(a.name)}
                >
                  Remove…
                </button>
              )
            ) : null}
          </li>
        ))}
      </ul>
      {adding ? (
        <form className="amount-form" onSubmit={(e) => void add(e)} noValidate>
          <label htmlFor={nameId}>Account name</label>
          <input
            id={nameId}
            className="input"
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            aria-invalid={error ? true : undefined}
          />
          <label htmlFor={projectsId}>Only these projects (optional)</label>
          <input
            id={projectsId}
            className="input"
            value={projects}
            placeholder="proj_abc123, proj_def456"
            onChange={(e) => setProjects(e.target.value)}
          />
          <div className="button-row">
            <button type="submit" className="btn btn-primary">
              Add and set up key
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setAdding(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            Add account…
          </button>
        </div>
      )}
      <FieldError message={error} />
    </Card>
  )
}

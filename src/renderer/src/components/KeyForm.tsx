// Paste an Admin key, check it live, save it. The key goes only to setKey(): it is never shown,
// logged or put in a message, and the field is emptied as soon as main has it. The input is
// uncontrolled on purpose: React mirrors a controlled input's value into the `value` attribute,
// which would put the key into the DOM (and any serialization of it).
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { KeyInfo } from '../../../shared/settings'
import type { StatusError } from '../../../shared/status'
import { messageOf, useApi } from '../api'
import { adviceFor } from '../error-advice'
import { ExternalButton } from './ExternalButton'
import { CheckingHint, CheckSubmit } from './fields'

export function KeyForm({
  onSaved,
  autoFocus
}: {
  onSaved: (info: KeyInfo) => void
  autoFocus?: boolean
}): ReactNode {
  const api = useApi()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [checking, setChecking] = useState(false)
  const [error, setError] = useState<StatusError | { kind: null; message: string } | null>(null)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    const field = input.current
    if (!field) return
    const trimmed = field.value.trim()
    if (trimmed === '') {
      setError({ kind: null, message: 'Paste your Admin key first.' })
      return
    }
    setError(null)
    setChecking(true)
    try {
      const result = await api.setKey(trimmed)
      if (result.ok) {
        field.value = ''
        onSaved(result.info)
      } else {
        setError(result.error)
      }
    } catch (e) {
      setError({ kind: null, message: messageOf(e) })
    } finally {
      setChecking(false)
    }
  }

  const needsAdminKey = error?.kind === 'permission' || error?.kind === 'auth'
  return (
    <form className="key-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={`${id}-key`}>Admin key</label>
      <div className="field-row">
        <input
          id={`${id}-key`}
          className="input mono"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="sk-admin-…"
          ref={input}
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <CheckSubmit checking={checking} />
      </div>
      <CheckingHint checking={checking} text="Checking the key with OpenAI…" />
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error.kind ? <strong>{adviceFor(error).title}. </strong> : null}
          {error.message}
          {needsAdminKey ? (
            <ExternalButton page="adminKeys" className="link-btn">
              Create an Admin key
            </ExternalButton>
          ) : null}
        </div>
      ) : null}
    </form>
  )
}

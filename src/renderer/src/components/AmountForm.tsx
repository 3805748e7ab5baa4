// One labelled money field with its own check, busy state and error: used to record a balance
// or a top-up, in the main view, onboarding and settings.
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { messageOf } from '../api'
import { parseAmount } from '../validation'

interface AmountFormProps {
  label: string
  submitLabel: string
  /** A balance may be 0; a top-up may not. */
  allowZero: boolean
  onSubmit: (amount: number) => Promise<void>
  /** Shown after a successful save (the field is cleared). */
  savedMessage?: string
  autoFocus?: boolean
  hint?: ReactNode
}

export function AmountForm(props: AmountFormProps): ReactNode {
  const id = useId()
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    setSaved(false)
    const parsed = parseAmount(text, { allowZero: props.allowZero })
    if (!parsed.ok) {
      setError(parsed.message)
      return
    }
    setError(null)
    setBusy(true)
    try {
      await props.onSubmit(parsed.value)
      setText('')
      setSaved(true)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="amount-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={`${id}-amount`}>{props.label}</label>
      {props.hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <div className="field-row">
        <span className="input-prefix" aria-hidden="true">
          $
        </span>
        <input
          id={`${id}-amount`}
          className="input money-input"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.00"
          value={text}
          autoFocus={props.autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={
            [error ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].join(' ').trim() ||
            undefined
          }
          onChange={(e) => {
            setText(e.target.value)
            setSaved(false)
          }}
        />
        <button type="submit" className="btn" disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Saving…' : props.submitLabel}
        </button>
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      {saved && props.savedMessage ? (
        <p className="field-ok" role="status">
          {props.savedMessage}
        </p>
      ) : null}
    </form>
  )
}

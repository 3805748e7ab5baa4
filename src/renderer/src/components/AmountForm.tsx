// One labelled money field with its own check, busy state and error: used to record a balance
// or a top-up, in the main view, onboarding and settings.
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import { useApi } from '../api'
import { parseAmount } from '../validation'
import { DecimalInput, describedBy, FieldError, useBusyAction } from './fields'

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
  const { busy, error, setError, run } = useBusyAction()
  const [saved, setSaved] = useState(false)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    setSaved(false)
    const parsed = parseAmount(text, { allowZero: props.allowZero })
    if (!parsed.ok) {
      setError(parsed.message)
      return
    }
    await run(async () => {
      await props.onSubmit(parsed.value)
      setText('')
      setSaved(true)
    })
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
        <DecimalInput
          id={`${id}-amount`}
          money
          placeholder="0.00"
          value={text}
          autoFocus={props.autoFocus}
          invalid={Boolean(error)}
          describedBy={describedBy(error && `${id}-error`, props.hint ? `${id}-hint` : null)}
          onChange={(value) => {
            setText(value)
            setSaved(false)
          }}
        />
        <button type="submit" className="btn" disabled={busy} aria-busy={busy || undefined}>
          {busy ? 'Saving…' : props.submitLabel}
        </button>
      </div>
      <FieldError message={error} id={`${id}-error`} />
      {saved && props.savedMessage ? (
        <p className="field-ok" role="status">
          {props.savedMessage}
        </p>
      ) : null}
    </form>
  )
}

/**
 * Records the balance the billing page shows now (0 is a balance, unlike a top-up of 0); main
 * answers with the status that starts from it.
 */
export function BalanceForm({
  onRecorded,
  ...props
}: Omit<AmountFormProps, 'allowZero' | 'onSubmit'> & {
  onRecorded: (status: Status) => void
}): ReactNode {
  const api = useApi()
  return (
    <AmountForm
      {...props}
      allowZero
      onSubmit={async (amount) => onRecorded(await api.recordBalance(amount))}
    />
  )
}

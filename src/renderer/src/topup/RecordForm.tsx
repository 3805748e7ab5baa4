// The last step: tell Credit Tray what changed — the amount added (prefilled with the amount
// picked earlier) or the balance the billing page shows now. Either one corrects the estimate.
import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import type { RecordMode } from '../../../shared/topup'
import { useApi } from '../api'
import { DecimalInput, describedBy, FieldError, useBusyAction } from '../components/fields'
import { parseAmount } from '../validation'

interface RecordFormProps {
  /**
   * The form's id: the window's primary button (outside the form) submits it. Enter in the
   * amount field submits too (implicit submission: the form's only text field).
   */
  formId: string
  mode: RecordMode
  onMode: (mode: RecordMode) => void
  /** The amount picked on the amount step; prefills "How much did you add?". */
  prefill: number
  currency: string
  locale: string
  /** A top-up is added to a recorded balance; without one, only a balance can be recorded. */
  balanceKnown: boolean
  onRecorded: (status: Status) => void
  /** Told when saving starts and ends, so the primary button can say "Saving…". */
  onBusyChange: (busy: boolean) => void
}

/** What the primary button says on the record step. */
export function recordLabel(mode: RecordMode, busy: boolean): string {
  if (busy) return 'Saving…'
  return mode === 'topUp' ? 'Record top-up' : 'Save balance'
}

/**
 * A held Enter key repeats: it must not record (or move past) anything the user did not press
 * for. Only a fresh press acts.
 */
export function ignoreHeldEnter(event: KeyboardEvent<HTMLElement>): void {
  if (event.key === 'Enter' && event.repeat) event.preventDefault()
}

const QUESTIONS: Record<RecordMode, string> = {
  topUp: 'How much did you add?',
  balance: 'What balance does the page show now?'
}

export function RecordForm(props: RecordFormProps): ReactNode {
  const api = useApi()
  const id = useId()
  const { mode } = props
  // One text per mode, so switching back and forth keeps what was typed in each.
  const [texts, setTexts] = useState<Record<RecordMode, string>>({
    topUp: String(props.prefill),
    balance: ''
  })
  const { busy, error, setError, run } = useBusyAction()
  const text = texts[mode]

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (busy) return
    if (mode === 'topUp' && !props.balanceKnown) {
      setError('Record the balance first: there is no balance yet to add this to.')
      return
    }
    const parsed = parseAmount(text, { allowZero: mode === 'balance' })
    if (!parsed.ok) {
      setError(parsed.message)
      return
    }
    props.onBusyChange(true)
    try {
      await run(async () => {
        const status =
          mode === 'topUp'
            ? await api.recordTopUp(parsed.value)
            : await api.recordBalance(parsed.value)
        props.onRecorded(status)
      })
    } finally {
      props.onBusyChange(false)
    }
  }

  const hint =
    mode === 'topUp'
      ? 'Added to the current estimate. Use the balance instead if you are not sure of the amount.'
      : 'The credit balance on the billing overview. It replaces the estimate.'

  return (
    <form
      id={props.formId}
      className="card record-form"
      aria-labelledby={`${id}-question`}
      onSubmit={(e) => void submit(e)}
      onKeyDown={ignoreHeldEnter}
      noValidate
    >
      <fieldset className="segmented">
        <legend className="sr-only">What to record</legend>
        {(['topUp', 'balance'] as const).map((m) => (
          <label key={m} className={`segment${mode === m ? ' is-selected' : ''}`}>
            <input
              type="radio"
              name={`${id}-mode`}
              value={m}
              checked={mode === m}
              onChange={() => {
                props.onMode(m)
                setError(null)
              }}
            />
            {m === 'topUp' ? 'Amount added' : 'New balance'}
          </label>
        ))}
      </fieldset>
      {mode === 'topUp' && !props.balanceKnown ? (
        <p className="warning">
          Credit Tray has no balance recorded yet, so there is nothing to add to. Switch to{' '}
          <strong>New balance</strong> and enter what the page shows.
        </p>
      ) : null}
      <label id={`${id}-question`} htmlFor={`${id}-amount`} className="record-question">
        {QUESTIONS[mode]}
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      <div className="field-row">
        <DecimalInput
          id={`${id}-amount`}
          money
          placeholder="0.00"
          value={text}
          invalid={Boolean(error)}
          describedBy={describedBy(error && `${id}-error`, `${id}-hint`)}
          onChange={(value) => setTexts((t) => ({ ...t, [mode]: value }))}
        />
      </div>
      <FieldError message={error} id={`${id}-error`} />
    </form>
  )
}

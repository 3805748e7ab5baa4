// The pieces every form in the tray window is built from: a card with its heading, a decimal
// input (with "$" for money), a labelled number field, the error line and the save row. One
// place, so fields look, read and are announced the same everywhere.
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { messageOf } from '../api'

/** A settings card: a titled section, or a titled form when it saves something. */
export function Card(props: {
  titleId: string
  title: ReactNode
  /** Given: the card is a form (checked by us, not the browser: noValidate). */
  onSubmit?: (event: FormEvent) => void
  children: ReactNode
}): ReactNode {
  const heading = (
    <h2 id={props.titleId} className="section-title">
      {props.title}
    </h2>
  )
  return props.onSubmit ? (
    <form className="card" aria-labelledby={props.titleId} onSubmit={props.onSubmit} noValidate>
      {heading}
      {props.children}
    </form>
  ) : (
    <section className="card" aria-labelledby={props.titleId}>
      {heading}
      {props.children}
    </section>
  )
}

/**
 * An error line, or nothing. An alert by default; a field's own message is not one (`alert` off),
 * because the form already announces "Fix the highlighted fields." once and the field points to
 * its message with aria-describedby.
 */
export function FieldError({
  message,
  id,
  alert = true
}: {
  message: ReactNode
  id?: string
  alert?: boolean
}): ReactNode {
  if (!message) return null
  return (
    <p className="field-error" id={id} role={alert ? 'alert' : undefined}>
      {message}
    </p>
  )
}

/** The ids an input is described by, in reading order; undefined when there are none. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined
}

/**
 * A text input for a decimal number, with "$" in front for money. The text is kept as typed and
 * checked by our parsers, which explain what is wrong.
 */
export function DecimalInput(props: {
  id: string
  value: string
  onChange: (value: string) => void
  invalid: boolean
  describedBy?: string | undefined
  money?: boolean
  /** Classes beside `input` (and `money-input` for money). */
  className?: string
  placeholder?: string
  autoFocus?: boolean | undefined
  disabled?: boolean | undefined
}): ReactNode {
  const className = ['input', props.className, props.money ? 'money-input' : null]
    .filter(Boolean)
    .join(' ')
  return (
    <>
      {props.money ? (
        <span className="input-prefix" aria-hidden="true">
          $
        </span>
      ) : null}
      <input
        id={props.id}
        className={className}
        inputMode="decimal"
        autoComplete="off"
        placeholder={props.placeholder}
        value={props.value}
        autoFocus={props.autoFocus}
        disabled={props.disabled}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </>
  )
}

/** A labelled number field of a settings form: "$" before money, the unit after anything else. */
export function NumberField(props: {
  label: string
  unit: string
  hint?: string
  value: string
  error?: string | undefined
  disabled?: boolean
  onChange: (value: string) => void
}): ReactNode {
  const id = useId()
  const money = props.unit === '$'
  return (
    <div className="num-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="field-row">
        <DecimalInput
          id={id}
          className="num-input"
          money={money}
          value={props.value}
          disabled={props.disabled}
          invalid={Boolean(props.error)}
          describedBy={describedBy(props.hint && `${id}-hint`, props.error && `${id}-error`)}
          onChange={props.onChange}
        />
        {money ? null : (
          <span className="unit" aria-hidden="true">
            {props.unit}
          </span>
        )}
      </div>
      {props.hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError message={props.error} id={`${id}-error`} alert={false} />
    </div>
  )
}

export type SaveState = 'idle' | 'saving' | 'saved'

/** Save, then "Saved." or the reminder to fix the fields the form marked. */
export function SaveRow(props: {
  state: SaveState
  invalid: boolean
  /** An accessible name for Save when the window has more than one. */
  saveLabel?: string
}): ReactNode {
  const saving = props.state === 'saving'
  return (
    <div className="button-row">
      <button
        type="submit"
        className="btn btn-primary"
        aria-label={props.saveLabel && (saving ? 'Saving…' : props.saveLabel)}
        disabled={saving}
      >
        {saving ? 'Saving…' : 'Save'}
      </button>
      {props.state === 'saved' ? (
        <span className="field-ok" role="status">
          Saved.
        </span>
      ) : null}
      {props.invalid ? (
        <span className="field-error" role="alert">
          Fix the highlighted fields.
        </span>
      ) : null}
    </div>
  )
}

/**
 * An action that talks to main: busy while it runs, its failure as a message for a person.
 * `run` clears the last error first; the action may also set one itself (a check that failed).
 */
export function useBusyAction(): {
  busy: boolean
  error: string | null
  setError: (message: string | null) => void
  run: (action: () => Promise<void>) => Promise<void>
} {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function run(action: () => Promise<void>): Promise<void> {
    setError(null)
    setBusy(true)
    try {
      await action()
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, setError, run }
}

/**
 * A question before something that cannot be undone from this window (removing the key, leaving
 * the team server): the dangerous button says what it does, Cancel is beside it.
 */
export function ConfirmDanger(props: {
  /** The group's accessible name ("Confirm removing the key"). */
  label: string
  question: string
  action: string
  busyAction: string
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
}): ReactNode {
  return (
    <div className="confirm" role="group" aria-label={props.label}>
      <p>{props.question}</p>
      <div className="button-row">
        <button
          type="button"
          className="btn btn-danger"
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.busy ? props.busyAction : props.action}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}

/** The submit button of a form whose value is checked live before it is saved. */
export function CheckSubmit({ checking }: { checking: boolean }): ReactNode {
  return (
    <button
      type="submit"
      className="btn btn-primary"
      disabled={checking}
      aria-busy={checking || undefined}
    >
      {checking ? 'Checking…' : 'Check and save'}
    </button>
  )
}

/** While a live check runs: says whom it asks, as a polite status. */
export function CheckingHint({ checking, text }: { checking: boolean; text: string }): ReactNode {
  return checking ? (
    <p className="field-hint" role="status">
      {text}
    </p>
  ) : null
}

// Settings: OpenAI's auto-recharge as the user set it up on the billing page (Credit Tray cannot
// read it), and a monthly budget for accounts without a prepaid balance. Checked here first with
// the same rules as main; main's message is shown if it still refuses.
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { Settings } from '../../../shared/settings'
import { messageOf, useApi } from '../api'
import {
  rechargeBudgetToForm,
  validateRechargeBudgetForm,
  type RechargeBudgetErrors,
  type RechargeBudgetForm as Form
} from '../validation'

function MoneyField(props: {
  label: string
  hint?: string
  value: string
  error?: string | undefined
  disabled?: boolean
  onChange: (value: string) => void
}): ReactNode {
  const id = useId()
  const described = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ')
  return (
    <div className="num-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="field-row">
        <span className="input-prefix" aria-hidden="true">
          $
        </span>
        <input
          id={id}
          className="input num-input money-input"
          inputMode="decimal"
          autoComplete="off"
          value={props.value}
          disabled={props.disabled}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
      {props.hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

export function RechargeBudgetForm({
  settings,
  onSaved
}: {
  settings: Settings
  onSaved: (s: Settings) => void
}): ReactNode {
  const api = useApi()
  const [form, setForm] = useState<Form>(() => rechargeBudgetToForm(settings))
  const [errors, setErrors] = useState<RechargeBudgetErrors>({})
  const [serverError, setServerError] = useState<string | null>(null)
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle')

  const change = (patch: Partial<Form>): void => {
    setForm((f) => ({ ...f, ...patch }))
    setState('idle')
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault()
    setServerError(null)
    const result = validateRechargeBudgetForm(form)
    if (!result.ok) {
      setErrors(result.errors)
      setState('idle')
      return
    }
    setErrors({})
    setState('saving')
    try {
      const saved = await api.setSettings(result.patch)
      onSaved(saved)
      setForm(rechargeBudgetToForm(saved))
      setState('saved')
    } catch (e) {
      setServerError(messageOf(e))
      setState('idle')
    }
  }

  const invalid = Object.keys(errors).length > 0
  return (
    <form
      className="card"
      aria-labelledby="recharge-title"
      onSubmit={(e) => void save(e)}
      noValidate
    >
      <h2 id="recharge-title" className="section-title">
        Auto-recharge and budget
      </h2>
      <label className="toggle">
        <input
          type="checkbox"
          role="switch"
          checked={form.enabled}
          onChange={(e) => change({ enabled: e.target.checked })}
        />
        <span className="toggle-text">
          Auto-recharge is on
          <span className="muted"> (as set on the OpenAI billing page)</span>
        </span>
      </label>
      <p className="field-hint">
        Credit Tray cannot see reloads: it assumes them from your spend until you record the balance
        again.
      </p>
      <div className="recharge-row" role="group" aria-label="Auto-recharge">
        <MoneyField
          label="When below"
          value={form.threshold}
          error={errors.threshold}
          disabled={!form.enabled}
          onChange={(threshold) => change({ threshold })}
        />
        <MoneyField
          label="Reload to"
          value={form.reloadTo}
          error={errors.reloadTo}
          disabled={!form.enabled}
          onChange={(reloadTo) => change({ reloadTo })}
        />
      </div>
      <MoneyField
        label="Monthly reload limit"
        hint="Leave empty for no limit."
        value={form.monthlyLimit}
        error={errors.monthlyLimit}
        disabled={!form.enabled}
        onChange={(monthlyLimit) => change({ monthlyLimit })}
      />
      <MoneyField
        label="Monthly budget"
        hint="Warn at 80% and 100% of it each month. Useful when you are invoiced. Leave empty for none."
        value={form.monthlyBudget}
        error={errors.monthlyBudget}
        onChange={(monthlyBudget) => change({ monthlyBudget })}
      />
      <div className="button-row">
        {/* Named apart from the Warnings form's Save: the label starts with the visible word. */}
        <button
          type="submit"
          className="btn btn-primary"
          aria-label={state === 'saving' ? 'Saving…' : 'Save auto-recharge and budget'}
          disabled={state === 'saving'}
        >
          {state === 'saving' ? 'Saving…' : 'Save'}
        </button>
        {state === 'saved' ? (
          <span className="field-ok" role="status">
            Saved.
          </span>
        ) : null}
        {invalid ? (
          <span className="field-error" role="alert">
            Fix the highlighted fields.
          </span>
        ) : null}
      </div>
      {serverError ? (
        <p className="field-error" role="alert">
          {serverError}
        </p>
      ) : null}
    </form>
  )
}

// Changing OpenAI's limits from the window, only when asked: pick what to change, type the
// amount, then confirm on a step that shows before and after. Nothing is sent before Confirm.
// A key that may not write gets OpenAI's refusal in words and nothing changes.
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { LimitsStatus, Status } from '../../../shared/status'
import { useApi } from '../api'
import { formatMoney } from '../format'
import { parseAmount } from '../validation'
import { DecimalInput, FieldError, describedBy, useBusyAction } from './fields'

type Step =
  | { kind: 'closed' }
  | { kind: 'edit'; what: 'limit' | 'alert' }
  | { kind: 'confirm'; what: 'limit'; amount: number }
  | { kind: 'confirm'; what: 'alert'; amount: number; email: string }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function LimitChange({
  limits,
  locale,
  onChanged
}: {
  limits: LimitsStatus
  locale: string
  onChanged: (status: Status) => void
}): ReactNode {
  const api = useApi()
  const id = useId()
  const [step, setStep] = useState<Step>({ kind: 'closed' })
  const [amount, setAmount] = useState('')
  const [email, setEmail] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const action = useBusyAction()
  const money = (v: number): string => formatMoney(v, 'usd', locale)

  function open(what: 'limit' | 'alert'): void {
    setStep({ kind: 'edit', what })
    setAmount('')
    setEmail('')
    setProblem(null)
    setDone(null)
    action.setError(null)
  }

  function review(event: FormEvent): void {
    event.preventDefault()
    if (step.kind !== 'edit') return
    const parsed = parseAmount(amount, { allowZero: false })
    if (!parsed.ok) {
      setProblem(parsed.message)
      return
    }
    if (step.what === 'alert' && !EMAIL.test(email.trim())) {
      setProblem('Enter the email address that should get the alert.')
      return
    }
    setProblem(null)
    setStep(
      step.what === 'limit'
        ? { kind: 'confirm', what: 'limit', amount: parsed.value }
        : { kind: 'confirm', what: 'alert', amount: parsed.value, email: email.trim() }
    )
  }

  async function confirm(): Promise<void> {
    if (step.kind !== 'confirm') return
    const current = step
    await action.run(async () => {
      const status =
        current.what === 'limit'
          ? await api.setSpendLimit(current.amount)
          : await api.addSpendAlert(current.amount, [current.email])
      onChanged(status)
      setDone(
        current.what === 'limit' ? 'The spend limit was changed.' : 'The email alert was added.'
      )
      setStep({ kind: 'closed' })
    })
  }

  if (step.kind === 'closed') {
    return (
      <>
        <button type="button" className="btn" onClick={() => open('limit')}>
          {limits.organization ? 'Change limit…' : 'Set a limit…'}
        </button>
        <button type="button" className="btn" onClick={() => open('alert')}>
          Add email alert…
        </button>
        {done ? (
          <p className="field-ok" role="status">
            {done}
          </p>
        ) : null}
      </>
    )
  }

  if (step.kind === 'edit') {
    return (
      <form
        className="limit-change"
        onSubmit={review}
        noValidate
        aria-label={step.what === 'limit' ? 'Change the spend limit' : 'Add an email alert'}
      >
        <label htmlFor={`${id}-amount`}>
          {step.what === 'limit' ? 'New monthly hard limit' : 'Alert when this month reaches'}
        </label>
        <div className="field-row">
          <DecimalInput
            id={`${id}-amount`}
            money
            value={amount}
            onChange={setAmount}
            invalid={Boolean(problem)}
            describedBy={describedBy(problem && `${id}-problem`)}
            autoFocus
          />
        </div>
        {step.what === 'alert' ? (
          <>
            <label htmlFor={`${id}-email`}>Email to</label>
            <input
              id={`${id}-email`}
              className="input"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </>
        ) : null}
        <FieldError message={problem} id={`${id}-problem`} />
        <div className="button-row">
          <button type="submit" className="btn btn-primary">
            Review
          </button>
          <button type="button" className="btn" onClick={() => setStep({ kind: 'closed' })}>
            Cancel
          </button>
        </div>
      </form>
    )
  }

  const org = limits.organization
  const orgAlerts = limits.alerts.filter((a) => a.scope === 'organization')
  return (
    <div className="limit-change" role="group" aria-label="Confirm the change">
      {step.what === 'limit' ? (
        <p>
          Organization hard spend limit:{' '}
          <strong>{org ? `${money(org.amount)} a month` : 'none'}</strong> →{' '}
          <strong>{money(step.amount)} a month</strong>
          {org ? ` (OpenAI reports it ${org.enforcement})` : ''}.
        </p>
      ) : (
        <p>
          Organization email alerts:{' '}
          <strong>
            {orgAlerts.length ? orgAlerts.map((a) => money(a.amount)).join(', ') : 'none'}
          </strong>{' '}
          → adds one at <strong>{money(step.amount)}</strong> to {step.email}.
        </p>
      )}
      <p className="muted">This changes your OpenAI organization for everyone in it.</p>
      <FieldError message={action.error} />
      <div className="button-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={action.busy}
          onClick={() => void confirm()}
        >
          {action.busy ? 'Changing…' : 'Confirm change'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => setStep({ kind: 'closed' })}
        >
          Cancel
        </button>
      </div>
    </div>
  )
}

// First run: explain which key is needed, check and save it, then ask for the current balance
// (there is no balance API, so the estimate starts from what the billing page shows).
import { useState, type ReactNode } from 'react'
import type { KeyInfo } from '../../../shared/settings'
import type { Status } from '../../../shared/status'
import type { TeamServerInfo } from '../../../shared/team'
import { BalanceForm } from './AmountForm'
import { ExternalButton } from './ExternalButton'
import { KeyForm } from './KeyForm'
import { SubHeader } from './SubHeader'
import { TeamServerForm } from './TeamServer'

interface OnboardingProps {
  /** A key is already saved: onboarding was asked for explicitly and can be left. */
  keyPresent: boolean
  onKeySaved: (info: KeyInfo) => void
  /** Connected to a team server instead: no key and no balance to ask for here. */
  onTeamSaved: (info: TeamServerInfo) => void
  onStatus: (status: Status) => void
  onDone: () => void
}

export function Onboarding({
  keyPresent,
  onKeySaved,
  onTeamSaved,
  onStatus,
  onDone
}: OnboardingProps): ReactNode {
  const [step, setStep] = useState<'key' | 'balance'>('key')
  const [source, setSource] = useState<'key' | 'team'>('key')

  return (
    <div className="view onboarding">
      <SubHeader title="Set up Credit Tray" onBack={keyPresent ? onDone : undefined} />
      <main className="content">
        <ol className="steps" aria-label="Setup steps">
          <li
            className={step === 'key' ? 'is-current' : 'is-done'}
            aria-current={step === 'key' ? 'step' : undefined}
          >
            1 · Admin key
          </li>
          <li
            className={step === 'balance' ? 'is-current' : ''}
            aria-current={step === 'balance' ? 'step' : undefined}
          >
            2 · Balance
          </li>
        </ol>

        {step === 'key' ? (
          <fieldset className="source-choice">
            <legend className="sr-only">Where Credit Tray reads from</legend>
            <label className={source === 'key' ? 'is-chosen' : ''}>
              <input
                type="radio"
                name="source"
                checked={source === 'key'}
                onChange={() => setSource('key')}
              />
              My Admin key
            </label>
            <label className={source === 'team' ? 'is-chosen' : ''}>
              <input
                type="radio"
                name="source"
                checked={source === 'team'}
                onChange={() => setSource('team')}
              />
              Read from a team server
            </label>
          </fieldset>
        ) : null}

        {step === 'key' && source === 'team' ? (
          <section className="card" aria-labelledby="onboarding-team-title">
            <h2 id="onboarding-team-title" className="step-title">
              Read from a team server
            </h2>
            <p>
              Someone on your team runs <code>credit-tray serve</code> with the Admin key. Credit
              Tray reads its figures with a <strong>read token</strong>, so this computer holds no
              Admin key.
            </p>
            <p className="muted">
              The address must use https (plain http only for this computer). The token is checked
              with the server, then kept in your system keychain.
            </p>
            <TeamServerForm autoFocus onSaved={onTeamSaved} />
          </section>
        ) : step === 'key' ? (
          <section className="card" aria-labelledby="onboarding-key-title">
            <h2 id="onboarding-key-title" className="step-title">
              Connect with an Admin key
            </h2>
            <p>
              Credit Tray reads your organization’s daily costs. Only an <strong>Admin key</strong>{' '}
              (it starts with <code>sk-admin-</code>) can do that. Organization owners create them
              on the Admin keys page.
            </p>
            <p className="muted">
              The usual project keys (<code>sk-proj-</code>) only call models and cannot read costs.
              The key is checked with OpenAI, then kept in your system keychain; it is never shown
              again.
            </p>
            <ExternalButton page="adminKeys">Open Admin keys page</ExternalButton>
            <KeyForm
              autoFocus
              onSaved={(info) => {
                onKeySaved(info)
                setStep('balance')
              }}
            />
          </section>
        ) : (
          <section className="card" aria-labelledby="onboarding-balance-title">
            <h2 id="onboarding-balance-title" className="step-title" tabIndex={-1}>
              What is your balance now?
            </h2>
            <p>
              OpenAI does not share the credit balance through the API. Copy it from the billing
              page once; Credit Tray then subtracts your costs as they come in.
            </p>
            <ExternalButton page="billing">Open billing page</ExternalButton>
            <BalanceForm
              label="Current balance"
              submitLabel="Save balance"
              autoFocus
              onRecorded={(status) => {
                onStatus(status)
                onDone()
              }}
            />
            <button type="button" className="btn btn-quiet skip" onClick={onDone}>
              Skip — track spend only
            </button>
          </section>
        )}
      </main>
    </div>
  )
}

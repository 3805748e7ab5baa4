// The top-up window: walks the user through adding credit on the OpenAI platform, one step at a
// time, then records what they added so the estimate is right at once. The steps, the stepper
// state and the suggested amount live in src/shared/topup.ts; this file lays them out.
import { useEffect, useId, useReducer, useRef, useState, type ReactNode } from 'react'
import type { ExternalPage } from '../../../shared/ipc'
import type { Status } from '../../../shared/status'
import {
  AMOUNT_STEP_INDEX,
  DEFAULT_PRESET_DAYS,
  RECORD_STEP_INDEX,
  STEP_COUNT,
  TOP_UP_STEPS,
  initialTopUpState,
  suggestTopUp,
  topUpReducer
} from '../../../shared/topup'
import { locale as currentLocale, messageOf, useApi } from '../api'
import { ExternalIcon } from '../components/icons'
import { AmountAdvice } from './AmountAdvice'
import { DoneCard } from './DoneCard'
import { ignoreHeldEnter, RecordForm, recordLabel } from './RecordForm'
import type { TeamServerInfo } from '../../../shared/team'
import { TeamNote } from '../components/TeamServer'
import { StepBody } from './StepBody'
import { Stepper } from './Stepper'

export function TopUpApp(): ReactNode {
  const api = useApi()
  const locale = currentLocale()
  const [state, dispatch] = useReducer(topUpReducer, undefined, () => initialTopUpState())
  const [status, setStatus] = useState<Status | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const pushedStatus = useRef(false)
  const recordFormId = useId()
  const [recordBusy, setRecordBusy] = useState(false)
  // Team mode: credit is recorded on the team server, so the last step says so instead.
  const [team, setTeam] = useState<TeamServerInfo | null>(null)

  useEffect(() => {
    // Subscribe first: a status pushed while getStatus() is in flight is newer, so it wins.
    const off = api.onStatus((s) => {
      pushedStatus.current = true
      setStatus(s)
    })
    let live = true
    api.getTeamServer().then(
      (t) => live && setTeam(t),
      () => undefined
    )
    api.getStatus().then(
      (s) => {
        if (live && !pushedStatus.current) setStatus(s)
      },
      (e: unknown) => live && setLoadError(messageOf(e))
    )
    return () => {
      live = false
      off()
    }
  }, [api])

  // Without a recorded balance there is nothing to add a top-up to: ask for the balance instead.
  const modeSettled = useRef(false)
  useEffect(() => {
    if (modeSettled.current || status === null) return
    modeSettled.current = true
    if (status.balance === null) dispatch({ type: 'setRecordMode', mode: 'balance' })
  }, [status])

  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (event.key === 'Escape' && !event.defaultPrevented) void api.closeWindow()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [api])

  // After a step change, keep focus where the user is (repeated Next presses keep working) unless
  // it was lost — e.g. Back became disabled — then land on the new step's heading.
  const previousIndex = useRef(state.index)
  useEffect(() => {
    if (previousIndex.current === state.index) return
    previousIndex.current = state.index
    const active = document.activeElement as HTMLButtonElement | null
    if (!active || active === document.body || active.disabled) {
      document.querySelector<HTMLElement>('.step-title')?.focus()
    }
  }, [state.index])

  // Once recorded, the Record button is replaced by Close (the same DOM node, so autoFocus would
  // not run) and the form that held focus is gone: move focus to the result explicitly.
  useEffect(() => {
    if (state.recorded) document.querySelector<HTMLElement>('#done-title')?.focus()
  }, [state.recorded])

  const step = TOP_UP_STEPS[state.index] ?? TOP_UP_STEPS[0]!
  const burnRate = status?.burnRatePerDay ?? 0
  const suggested = suggestTopUp(burnRate, DEFAULT_PRESET_DAYS).amount
  const amount = state.chosenAmount ?? suggested
  const currency = status?.currency ?? 'usd'
  const position = `Step ${state.index + 1} of ${STEP_COUNT}`
  // The form only exists once the status is known (a balance or a top-up depends on it).
  // Team mode: credit is recorded on the team server, so the last step is a note and Close.
  const teamRecordStep = state.index === RECORD_STEP_INDEX && !state.recorded && team !== null
  const onRecordStep =
    state.index === RECORD_STEP_INDEX && !state.recorded && status !== null && !teamRecordStep

  function openPage(page: ExternalPage): void {
    // The renderer names one of the contract's page ids, never a URL: main maps the id to its
    // allowlisted platform.openai.com address (src/main/electron/external-links.ts).
    void api.openExternal(page) /* eng-disable OPEN_EXTERNAL_JS_CHECK: an id, not a URL */
  }

  function skipToBilling(): void {
    void api.openExternal('billing')
    dispatch({ type: 'skipToBilling' })
  }

  return (
    <div className="view topup">
      <header className="topup-header">
        <div className="topup-header-text">
          <h1 className="app-title" tabIndex={-1}>
            Top up credit
          </h1>
          <p className="muted topup-sub">Add credit on the OpenAI platform.</p>
        </div>
        {state.recorded ? null : (
          <button type="button" className="link-btn skip-link" onClick={skipToBilling}>
            Skip to billing <ExternalIcon />
          </button>
        )}
      </header>

      <Stepper state={state} onJump={(index) => dispatch({ type: 'jump', index })} />

      <main className="content topup-content">
        {loadError ? (
          <p className="field-error" role="alert">
            Credit Tray could not load its data: {loadError}
          </p>
        ) : null}

        {state.recorded && status ? (
          <DoneCard status={status} locale={locale} />
        ) : (
          <section className="card step-card" aria-labelledby="step-title">
            <p className="step-kicker">
              {position}
              {step.optional ? ' · optional' : ''}
            </p>
            <h2 id="step-title" className="step-title" tabIndex={-1}>
              {step.title}
            </h2>
            <StepBody body={step.body} />
            {step.page !== null ? (
              <div className="button-row">
                <button
                  type="button"
                  className="btn"
                  onClick={() => step.page && openPage(step.page)}
                >
                  {step.openLabel} <ExternalIcon />
                </button>
                {step.alternative ? (
                  <button
                    type="button"
                    className="btn btn-quiet"
                    onClick={() => step.alternative && openPage(step.alternative.page)}
                  >
                    {step.alternative.label} <ExternalIcon />
                  </button>
                ) : null}
              </div>
            ) : null}
          </section>
        )}

        {state.index === AMOUNT_STEP_INDEX && !state.recorded ? (
          <AmountAdvice
            status={status}
            locale={locale}
            chosenAmount={amount}
            onChoose={(value) => dispatch({ type: 'chooseAmount', amount: value })}
          />
        ) : null}

        {teamRecordStep && team ? (
          <TeamNote team={team} />
        ) : onRecordStep && status ? (
          <RecordForm
            mode={state.recordMode}
            onMode={(mode) => dispatch({ type: 'setRecordMode', mode })}
            prefill={amount}
            currency={currency}
            locale={locale}
            balanceKnown={status.balance !== null}
            formId={recordFormId}
            onBusyChange={setRecordBusy}
            onRecorded={(next) => {
              setStatus(next)
              dispatch({ type: 'recorded' })
            }}
          />
        ) : null}

        {/* One announcement per step change, for screen readers (focus stays where it was). */}
        <p className="sr-only" aria-live="polite" aria-atomic="true">
          {state.recorded ? 'Done. Credit recorded.' : `${position}: ${step.title}`}
        </p>
      </main>

      {/* The primary button stays in the same place (and is the same element) on every step:
          Next, then on the last step the action that records, then Close. Pressing Enter
          again and again therefore never leaves without recording; leaving without recording
          is its own quiet button on the other side. */}
      <footer className="actions">
        {onRecordStep ? (
          <button
            type="button"
            className="btn btn-quiet leave-btn"
            onClick={() => void api.closeWindow()}
          >
            Close without recording
          </button>
        ) : null}
        {state.recorded ? null : (
          <button
            type="button"
            className="btn"
            disabled={state.index === 0}
            onClick={() => dispatch({ type: 'back' })}
          >
            Back
          </button>
        )}
        {state.recorded || teamRecordStep ? (
          <button type="button" className="btn btn-primary" onClick={() => void api.closeWindow()}>
            Close
          </button>
        ) : onRecordStep ? (
          // type="button", not a submit button tied to the form: the click that moved here from
          // "Next: record it" is still being dispatched when this renders, and a button that had
          // become type="submit" would submit with that very click.
          <button
            type="button"
            className="btn btn-primary"
            aria-busy={recordBusy || undefined}
            onKeyDown={ignoreHeldEnter}
            onClick={() =>
              (document.getElementById(recordFormId) as HTMLFormElement | null)?.requestSubmit()
            }
          >
            {recordLabel(state.recordMode, recordBusy)}
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => dispatch({ type: 'next' })}
          >
            {state.index === RECORD_STEP_INDEX - 1 ? 'Next: record it' : 'Next'}
          </button>
        )}
      </footer>
    </div>
  )
}

// The progress indicator: one numbered button per step (a jump there), the current one marked
// with aria-current="step", finished ones with a check, and a bar for how far along the user is.
import type { ReactNode } from 'react'
import { STEP_COUNT, TOP_UP_STEPS, topUpProgress, type TopUpState } from '../../../shared/topup'

function CheckMark(): ReactNode {
  return (
    <svg
      className="icon"
      width="12"
      height="12"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="m3.5 8.4 3 3 6-6.6" />
    </svg>
  )
}

export function Stepper({
  state,
  onJump
}: {
  state: TopUpState
  onJump: (index: number) => void
}): ReactNode {
  const done = new Set(state.completed)
  const percent = Math.round(topUpProgress(state) * 100)
  return (
    <nav className="stepper" aria-label="Top-up steps">
      <ol className="stepper-list">
        {TOP_UP_STEPS.map((step, index) => {
          const current = index === state.index
          const finished = done.has(step.id)
          const words = [`Step ${index + 1} of ${STEP_COUNT}: ${step.title}`]
          if (finished) words.push('done')
          return (
            <li
              key={step.id}
              className={`stepper-item${current ? ' is-current' : ''}${finished ? ' is-done' : ''}`}
            >
              <button
                type="button"
                className="stepper-dot"
                aria-label={words.join(', ')}
                aria-current={current ? 'step' : undefined}
                title={step.title}
                disabled={state.recorded}
                onClick={() => onJump(index)}
              >
                {finished && (!current || state.recorded) ? <CheckMark /> : index + 1}
              </button>
            </li>
          )
        })}
      </ol>
      <div
        className="stepper-bar"
        role="progressbar"
        aria-label="Progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${state.completed.length} of ${STEP_COUNT} steps done`}
      >
        <div className={`stepper-fill fill-${state.completed.length}`} />
      </div>
    </nav>
  )
}

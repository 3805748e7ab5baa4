// The last refresh failed: say what happened in words and offer the action that fixes it.
// The last good numbers stay visible underneath.
import { useId, type ReactNode } from 'react'
import type { StatusError } from '../../../shared/status'
import { TRANSIENT_ERRORS } from '../announcements'
import { ACTION_LABELS, adviceFor, type ErrorAction } from '../error-advice'
import { AlertIcon, ExternalIcon } from './icons'

interface ErrorBannerProps {
  error: StatusError
  busy: boolean
  onAction: (action: ErrorAction) => void
  /** Team mode: headlines that cover the team server as well as OpenAI. */
  team?: boolean
}

export function ErrorBanner({ error, busy, onAction, team = false }: ErrorBannerProps): ReactNode {
  const advice = adviceFor(error, team)
  const titleId = useId()
  // An error that stops the app until the user acts interrupts (an alert); one the scheduler
  // retries by itself is a labelled region, announced politely by the window's live region.
  const role = TRANSIENT_ERRORS.has(error.kind) ? 'region' : 'alert'
  return (
    <div
      className={`banner banner-${error.kind}`}
      role={role}
      aria-labelledby={titleId}
      data-error-kind={error.kind}
    >
      <AlertIcon />
      <div className="banner-body">
        <p className="banner-title" id={titleId}>
          {advice.title}
        </p>
        <p className="banner-text">{error.message || advice.hint}</p>
        {error.message && error.message !== advice.hint ? (
          <p className="banner-hint">{advice.hint}</p>
        ) : null}
        <div className="button-row">
          {advice.actions.map((action, i) => (
            <button
              key={action}
              type="button"
              className={`btn btn-small${i === 0 ? ' btn-primary' : ''}`}
              disabled={action === 'retry' && busy}
              onClick={() => onAction(action)}
            >
              {action === 'retry' && busy ? 'Retrying…' : ACTION_LABELS[action]}
              {action === 'createAdminKey' ? <ExternalIcon /> : null}
            </button>
          ))}
        </div>
      </div>
    </div>
  )
}

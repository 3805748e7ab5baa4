// A step's text, with the words shown on OpenAI's buttons in bold so they are easy to spot.
import type { ReactNode } from 'react'
import { bodyParts } from '../../../shared/topup'

export function StepBody({ body }: { body: string }): ReactNode {
  return (
    <p className="step-body">
      {bodyParts(body).map((part, i) =>
        part.label ? <strong key={i}>{part.text}</strong> : <span key={i}>{part.text}</span>
      )}
    </p>
  )
}

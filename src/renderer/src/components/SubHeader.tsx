import type { ReactNode } from 'react'
import { BackIcon } from './icons'

/** Title bar of the secondary views, with a way back when there is somewhere to go back to. */
export function SubHeader({ title, onBack }: { title: string; onBack?: () => void }): ReactNode {
  return (
    <header className="topbar">
      {onBack ? (
        <button type="button" className="icon-btn" aria-label="Back" title="Back" onClick={onBack}>
          <BackIcon />
        </button>
      ) : null}
      <h1 className="app-title" tabIndex={-1}>
        {title}
      </h1>
    </header>
  )
}

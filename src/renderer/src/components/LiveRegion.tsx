// The tray window's voice for screen readers: two live regions that are always in the page (a
// region added together with its text is often not read), one polite and one assertive. Each
// announcement gets a sequence number so the same words said twice (two refreshes with the same
// result) still change the region's text and are read again.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react'
import type { Announcement } from '../announcements'

export interface Spoken extends Announcement {
  seq: number
}

/** The current announcement and a stable function that replaces it (null says nothing). */
export function useAnnouncer(): [Spoken | null, (next: Announcement | null) => void] {
  const [spoken, setSpoken] = useState<Spoken | null>(null)
  const say = useCallback((next: Announcement | null) => {
    if (next) setSpoken((current) => ({ ...next, seq: (current?.seq ?? 0) + 1 }))
  }, [])
  return [spoken, say]
}

export function LiveRegion({ spoken }: { spoken: Spoken | null }): ReactNode {
  // A no-break space on every other announcement: same words, different text, read again.
  const text = spoken ? `${spoken.text}${spoken.seq % 2 === 0 ? '\u00a0' : ''}` : ''
  return (
    <>
      <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="live-polite">
        {spoken?.urgency === 'polite' ? text : ''}
      </div>
      <div
        className="sr-only"
        aria-live="assertive"
        aria-atomic="true"
        data-testid="live-assertive"
      >
        {spoken?.urgency === 'assertive' ? text : ''}
      </div>
    </>
  )
}

type Say = (next: Announcement | null) => void

const AnnounceContext = createContext<Say | null>(null)

/** Renders `children` and, after them, the live regions they speak through. */
export function Announcer({ children }: { children: ReactNode }): ReactNode {
  const [spoken, say] = useAnnouncer()
  return (
    <AnnounceContext.Provider value={say}>
      {children}
      <LiveRegion spoken={spoken} />
    </AnnounceContext.Provider>
  )
}

/** Say something through the window's live regions (null says nothing). */
export function useAnnounce(): Say {
  const say = useContext(AnnounceContext)
  if (!say) throw new Error('useAnnounce outside <Announcer>')
  return say
}

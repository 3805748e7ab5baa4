// The window's only way to main: the `CreditTrayApi` the preload exposes. Components get it from
// context so tests (and the e2e test bridge) can supply their own implementation.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import type { CreditTrayApi } from '../../shared/ipc'

const ApiContext = createContext<CreditTrayApi | null>(null)

export function ApiProvider({
  api,
  children
}: {
  api: CreditTrayApi
  children: ReactNode
}): ReactNode {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
}

export function useApi(): CreditTrayApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi outside ApiProvider')
  return api
}

/**
 * The current time: read at every render, and a render at least every `intervalMs` so "updated
 * 3 min ago" keeps counting. Only the tick is state: a time kept from the last tick would age a
 * status that arrives between ticks from up to `intervalMs` too early ("1 hr. ago" for 2 hours).
 */
export function useNow(intervalMs: number): number {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  // eslint-disable-next-line react-hooks/purity -- reading the clock is this hook's purpose; a re-render may only show a later time, which is the truth
  return Date.now()
}

/** Rejected IPC promises carry main's message; Electron prefixes it with the channel name. */
export function messageOf(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  return (
    raw.replace(/^Error invoking remote method '[^']+':\s*(Error:\s*)?/, '') ||
    'Something went wrong.'
  )
}

export const locale = (): string =>
  (typeof navigator !== 'undefined' && navigator.language) || 'en-US'

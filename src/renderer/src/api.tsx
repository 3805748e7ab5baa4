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

/** The current time, re-read every `intervalMs` so "updated 3 min ago" keeps counting. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
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

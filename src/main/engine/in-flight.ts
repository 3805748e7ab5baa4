// Work an engine still has running (a poll and the writes it ends with), so that whoever shuts it
// down can wait for the last write instead of quitting or removing the folder under it.
export interface InFlight {
  /** Remember `p` until it settles; returns it unchanged. */
  track<T>(p: Promise<T>): Promise<T>
  /** Resolves once nothing tracked is running, including work tracked while waiting. */
  settled(): Promise<void>
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>()
  return {
    track(p) {
      pending.add(p)
      const done = (): void => void pending.delete(p)
      p.then(done, done)
      return p
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending])
    }
  }
}

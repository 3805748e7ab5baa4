// Timers a test fires by hand, for engines and schedulers that take their timers injected:
// `pending` is what is still planned, `planned(ms)` the waits of one length.
import type { PollTimers } from '../../src/main/engine/scheduler'

export function manualTimers(): {
  pending: Map<number, { fn: () => void; ms: number }>
  planned: (ms: number) => { fn: () => void; ms: number }[]
  timers: PollTimers
} {
  const pending = new Map<number, { fn: () => void; ms: number }>()
  let nextId = 0
  return {
    pending,
    planned: (ms) => [...pending.values()].filter((t) => t.ms === ms),
    timers: {
      setTimer: (fn, ms) => {
        pending.set(++nextId, { fn, ms })
        return nextId
      },
      clearTimer: (id) => void pending.delete(id as number),
      random: () => 0
    }
  }
}

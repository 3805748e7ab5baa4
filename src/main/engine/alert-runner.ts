// The alert policy (alert-policy.ts) run against alerts.json, shared by the engine and the team
// engine. The state is evaluated and saved under the file's inter-process lock, so two processes
// never both raise (or both forget) the same alert. When it cannot be saved no alert is raised —
// not remembered, it would repeat at every poll — and a notice says notifications are paused,
// because silence would otherwise read as "all is well".
import { evaluateAlerts, type AlertInput, type AlertState } from './alert-policy'
import type { Alert } from './engine-api'
import type { JsonStore } from './store'

export interface AlertRunner {
  /** The alerts to raise now; none while the state cannot be saved. Never throws. */
  run(input: AlertInput): Promise<Alert[]>
  /** Set while notifications are paused because alerts.json cannot be saved; else null. */
  notice(): string | null
}

export function createAlertRunner(
  store: JsonStore<AlertState>,
  log: (line: string) => void
): AlertRunner {
  let notice: string | null = null
  return {
    async run(input) {
      let raised: Alert[] = []
      try {
        await store.update((state) => {
          const result = evaluateAlerts(state, input)
          raised = result.alerts
          // Unchanged state: no write at all (the file's age then says when an alert last fired).
          return JSON.stringify(result.state) === JSON.stringify(state) ? state : result.state
        })
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e)
        log(`alerts not evaluated: ${reason}`)
        notice = `Notifications are paused: their state could not be saved: ${reason} They resume once it can be saved.`
        return []
      }
      notice = null
      return raised
    },
    notice: () => notice
  }
}

// The alert policy against alerts.json: an evaluation that changes nothing writes nothing, a
// change is saved, and a state that cannot be saved raises nothing, says why in the log and in
// the notice, until it saves again.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  alertStateSchema,
  INITIAL_ALERT_STATE,
  type AlertInput
} from '../src/main/engine/alert-policy'
import { createAlertRunner } from '../src/main/engine/alert-runner'
import { ALERTS_VERSION } from '../src/main/engine/engine'
import { withFileLock } from '../src/main/engine/file-lock'
import { createJsonStore } from '../src/main/engine/store'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-alert-runner-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const store = () =>
  createJsonStore({
    dir,
    name: 'alerts',
    schema: alertStateSchema,
    version: ALERTS_VERSION,
    defaults: () => INITIAL_ALERT_STATE,
    lock: { timeoutMs: 200 }
  })

function input(level: AlertInput['level'], balance: number | null): AlertInput {
  return {
    level,
    balance,
    daysLeft: 20,
    thresholds: { lowBalance: 10, lowDays: 7, criticalBalance: 5, criticalDays: 2 },
    errorKind: null,
    stale: false,
    lastTopUpAt: null,
    now: new Date('2026-12-02T09:00:00Z')
  }
}

describe('the alert runner', () => {
  it('writes nothing while nothing changes, and saves the state once an alert is raised', async () => {
    const runner = createAlertRunner(store(), () => {})
    expect(await runner.run(input('ok', 64))).toEqual([])
    expect(existsSync(join(dir, 'alerts.json'))).toBe(false)
    const raised = await runner.run(input('low', 8))
    expect(raised.map((a) => a.kind)).toEqual(['low'])
    expect(readFileSync(join(dir, 'alerts.json'), 'utf8')).toContain('"level": "low"')
    expect(runner.notice()).toBeNull()
  })

  it('raises nothing while the state cannot be saved, and says why in the log and the notice', async () => {
    const lines: string[] = []
    const runner = createAlertRunner(store(), (line) => lines.push(line))
    let release = () => {}
    const held = withFileLock(
      join(dir, 'alerts.json'),
      () => new Promise<void>((r) => (release = r))
    )
    expect(await runner.run(input('critical', 2))).toEqual([])
    expect(lines).toEqual([expect.stringMatching(/^alerts not evaluated: .*alerts\.json/)])
    expect(runner.notice()).toMatch(
      /^Notifications are paused: their state could not be saved: .*alerts\.json.* They resume once it can be saved\.$/
    )
    release()
    await held
    expect((await runner.run(input('critical', 2))).map((a) => a.kind)).toEqual(['critical'])
    expect(runner.notice()).toBeNull()
  })
})

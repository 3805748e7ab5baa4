// The team engine's notifications against alerts.json: evaluated under the file's lock like the
// engine's (they used to be saved without it), and when the file cannot be saved the status still
// arrives and says notifications are paused (a failed save used to swallow the status update).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Alert } from '../src/main/engine/engine-api'
import { withFileLock } from '../src/main/engine/file-lock'
import { createMemoryStore } from '../src/main/engine/secrets'
import { statusJsonText } from '../src/main/engine/status-json'
import { createTeamEngine, teamTokenEntry } from '../src/main/engine/team-engine'
import type { FetchLike } from '../src/main/engine/team-client'
import type { Status } from '../src/shared/status'
import { makeStatus } from './support/fixtures'

const TOKEN = 'team-read-token-0123456789abcdef'
let dir: string
let remote: Status
const clock = new Date('2026-12-02T09:00:00Z')
// The server's answer, as `credit-tray serve` writes it (the HTTP part is tested in app-shell-team).
const fetchRemote: FetchLike = async () => ({
  status: 200,
  text: async () => statusJsonText(remote)
})

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-team-alerts-'))
  remote = makeStatus({
    balance: 3.1,
    daysLeft: 0.9,
    level: 'critical',
    lastUpdated: clock.toISOString()
  })
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function teamEngine() {
  const secretStore = createMemoryStore()
  await secretStore.set(teamTokenEntry('Shop'), TOKEN)
  const engine = createTeamEngine({
    dataDir: dir,
    account: 'Shop',
    server: { url: 'https://credit.example.com', account: null },
    secretStore,
    now: () => clock,
    fetch: fetchRemote,
    alerts: true,
    lock: { timeoutMs: 200 }
  })
  const alerts: Alert[] = []
  const statuses: Status[] = []
  engine.onAlert((a) => alerts.push(a))
  engine.onStatus((s) => statuses.push(s))
  return { engine, alerts, statuses }
}

describe('team mode notifications', () => {
  it('notify once for a critical server status, also across a restart', async () => {
    const first = await teamEngine()
    await first.engine.refresh()
    await first.engine.refresh()
    expect(first.alerts.map((a) => a.kind)).toEqual(['critical'])
    const again = await teamEngine()
    await again.engine.refresh()
    expect(again.alerts).toEqual([])
  })

  it('while another process holds alerts.json the status still arrives, says notifications are paused, and they resume', async () => {
    let release = () => {}
    const held = withFileLock(
      join(dir, 'alerts.json'),
      () => new Promise<void>((r) => (release = r))
    )
    const { engine, alerts, statuses } = await teamEngine()
    const status = await engine.refresh()
    expect(status.balance).toBe(3.1)
    expect(statuses.at(-1)?.balance).toBe(3.1)
    expect(alerts).toEqual([])
    expect(status.notices).toContainEqual(expect.stringMatching(/^Notifications are paused: /))
    expect(statuses.at(-1)?.notices).toContainEqual(
      expect.stringMatching(/^Notifications are paused: /)
    )

    release()
    await held
    const resumed = await engine.refresh()
    expect(alerts.map((a) => a.kind)).toEqual(['critical'])
    expect(resumed.notices.some((n) => n.startsWith('Notifications are paused'))).toBe(false)
  })
})

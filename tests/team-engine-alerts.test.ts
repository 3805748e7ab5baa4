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
import { makeStatus, withLimits } from './support/fixtures'

const TOKEN = 'team-read-token-0123456789abcdef'
let dir: string
let remote: Status
let clock = new Date('2026-12-02T09:00:00Z')
let reachable = true
let failWith: number | null = null
// The server's answer, as `credit-tray serve` writes it (the HTTP part is tested in app-shell-team),
// or the error fetch throws when nothing listens there.
const fetchRemote: FetchLike = async () => {
  if (!reachable)
    throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
  if (failWith !== null) return { status: failWith, text: async () => 'unavailable' }
  return { status: 200, text: async () => statusJsonText(remote) }
}

beforeEach(() => {
  clock = new Date('2026-12-02T09:00:00Z')
  reachable = true
  failWith = null
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

  it('a reached hard limit notifies as the limit, never as low credit with plenty of balance', async () => {
    // The server's level is critical because of the enforcing limit; the credit itself is fine.
    remote = withLimits(
      makeStatus({
        balance: 64.3,
        daysLeft: 18.9,
        level: 'critical',
        lastUpdated: clock.toISOString()
      }),
      'reached',
      clock.getTime()
    )
    const { engine, alerts } = await teamEngine()
    await engine.refresh()
    expect(alerts.map((a) => a.kind)).toEqual(['limit'])
    expect(alerts[0]!.title).toMatch(/limit/i)
  })

  it('low credit from the server is still a credit notification when a limit is also near', async () => {
    remote = withLimits(
      makeStatus({
        balance: 3.1,
        daysLeft: 0.9,
        level: 'critical',
        lastUpdated: clock.toISOString()
      }),
      'reached',
      clock.getTime()
    )
    const { engine, alerts } = await teamEngine()
    await engine.refresh()
    expect(alerts.map((a) => a.kind).sort()).toEqual(['critical', 'limit'])
  })

  it('names the team server, not api.openai.com, when it has been unreachable for hours', async () => {
    remote = makeStatus({
      balance: 64.3,
      daysLeft: 18.9,
      level: 'ok',
      lastUpdated: clock.toISOString()
    })
    const { engine, alerts } = await teamEngine()
    await engine.refresh()
    reachable = false
    clock = new Date('2026-12-02T16:30:00Z')
    await engine.refresh()
    const stale = alerts.find((a) => a.kind === 'stale')
    expect(stale?.body).toMatch(/the team server could not be reached \(credit\.example\.com\)/)
    expect(stale?.body).not.toMatch(/api\.openai\.com/)
  })

  it('a team server answering with errors is named as the reason, not OpenAI', async () => {
    remote = makeStatus({
      balance: 64.3,
      daysLeft: 18.9,
      level: 'ok',
      lastUpdated: clock.toISOString()
    })
    const { engine, alerts } = await teamEngine()
    await engine.refresh()
    failWith = 503
    clock = new Date('2026-12-02T16:30:00Z')
    await engine.refresh()
    const stale = alerts.find((a) => a.kind === 'stale')
    expect(stale?.body).toMatch(/the team server answered with errors \(credit\.example\.com\)/)
    expect(stale?.body).not.toMatch(/OpenAI/)
  })
})

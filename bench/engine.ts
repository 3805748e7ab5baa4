// Engine figures: HTTP requests and bytes for a cold start over 180 days and for one steady-state
// poll (against the loopback fake Admin API, through the real SDK), and the time to compute a
// status from 365 days x 20 line items. Goals: cold <= 2 cost/usage requests (plus the spend
// limit round: organization limit and alerts, and two per project with costs this month),
// steady = 1, status < 5 ms.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_SETTINGS } from '../src/shared/settings'
import { EMPTY_CACHE, type CostCache } from '../src/main/engine/cost-cache'
import { addDays, utcDay } from '../src/main/engine/dates'
import { createEngine } from '../src/main/engine/engine'
import { EMPTY_LEDGER, recordBalance, recordTopUp } from '../src/main/engine/ledger'
import { createMemoryStore } from '../src/main/engine/secrets'
import { buildStatus } from '../src/main/engine/status'
import { startFakeOpenAIServer, syntheticDataset } from '../tests/support/fake-openai-server'

const KEY = 'sk-admin-BENCHKEY0123456789abcdef'

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? 0
}
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0
}
const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d

export async function runEngineBench(): Promise<Record<string, number | string>> {
  const now = new Date('2026-11-27T12:00:00Z')
  const today = utcDay(now.getTime())
  let clock = now
  const lineItems = Array.from(
    { length: 20 },
    (_, i) => `model-${i}, ${i % 2 ? 'output' : 'input'}`
  )
  const server = await startFakeOpenAIServer({
    adminKeys: [KEY],
    dataset: syntheticDataset({ endDayExclusive: addDays(today, 1), days: 180, lineItems }),
    // The server's clock follows the engine's: requests up to now leave end_time out.
    nowMs: () => clock.getTime()
  })
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-'))
  const figures: Record<string, number | string> = {}
  try {
    const store = createMemoryStore()
    await store.set('default', KEY)
    const engine = createEngine({
      dataDir: dir,
      secretStore: store,
      baseURL: server.baseURL,
      now: () => clock
    })
    let t0 = performance.now()
    await engine.refresh()
    const limitReads = server.requests.filter((r) => /spend_(limit|alerts)$/.test(r.path)).length
    figures['cold start: requests'] = server.requestCount
    figures['cold start: of which spend limits/alerts'] = limitReads
    figures['cold start: response KB'] = round(server.responseBytes / 1024, 1)
    figures['cold start: wall ms'] = round(performance.now() - t0, 1)

    server.resetRecords()
    clock = new Date(now.getTime() + 15 * 60_000)
    t0 = performance.now()
    await engine.refresh()
    figures['steady poll: requests'] = server.requestCount
    figures['steady poll: response KB'] = round(server.responseBytes / 1024, 2)
    figures['steady poll: wall ms'] = round(performance.now() - t0, 1)

    // Recording a balance reads today's bucket live first: one small request.
    server.resetRecords()
    t0 = performance.now()
    await engine.recordBalance(100)
    figures['balance set: requests'] = server.requestCount
    figures['balance set: wall ms'] = round(performance.now() - t0, 1)

    // A server that answers one bucket a page: the page cap scales, the cold start still works.
    const slowDir = mkdtempSync(join(tmpdir(), 'ct-bench-pages-'))
    server.resetRecords()
    server.pageSizeCap = 1
    try {
      const paged = createEngine({
        dataDir: slowDir,
        secretStore: store,
        baseURL: server.baseURL,
        now: () => clock
      })
      t0 = performance.now()
      const status = await paged.refresh()
      if (status.error) throw new Error(status.error.message)
      figures['cold start, 1 bucket a page: requests'] = server.requestCount
      figures['cold start, 1 bucket a page: wall ms'] = round(performance.now() - t0, 1)
    } finally {
      server.pageSizeCap = undefined
      rmSync(slowDir, { recursive: true, force: true })
    }
  } finally {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }

  // Status from a year of history: 365 days x 20 line items x 3 projects.
  const cache: CostCache = {
    ...EMPTY_CACHE,
    currency: 'usd',
    coveredFrom: addDays(today, -364),
    coveredThrough: today,
    lastSuccessAt: now.toISOString()
  }
  for (let i = 0; i < 365; i++) {
    const date = addDays(today, -i)
    const items: Record<string, number> = {}
    for (const li of lineItems) items[li] = ((i * 7 + li.length) % 13) / 10
    const total = Object.values(items).reduce((a, b) => a + b, 0)
    cache.days[date] = {
      date,
      total,
      currency: 'usd',
      lineItems: items,
      projects: { proj_a: total / 2, proj_b: total / 4, '(other)': total / 4 }
    }
  }
  let ledger = recordBalance(EMPTY_LEDGER, 500, new Date(now.getTime() - 200 * 86_400_000), 1)
  ledger = recordTopUp(ledger, 100, new Date(now.getTime() - 50 * 86_400_000))
  const input = { cache, ledger, settings: DEFAULT_SETTINGS, now, error: null }
  for (let i = 0; i < 50; i++) buildStatus(input) // warm up the JIT
  const times: number[] = []
  for (let i = 0; i < 500; i++) {
    const t = performance.now()
    buildStatus(input)
    times.push(performance.now() - t)
  }
  figures['status (365 d x 20 items): median ms'] = round(median(times))
  figures['status (365 d x 20 items): p95 ms'] = round(percentile(times, 0.95))
  return figures
}

if (require.main === module) {
  runEngineBench().then((f) => console.table(f))
}

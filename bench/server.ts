// `credit-tray serve` figures. (A) A real server process with 20 accounts (loopback fake Admin
// API) and 100 concurrent keep-alive readers: throughput and latency of /status.json and /metrics
// (goal: p99 < 10 ms for /status.json). (B) The same server code in this process on a virtual
// clock: requests to OpenAI per poll interval with 1 and with 100 readers (goal: equal, one poll
// per account per interval).
import { Agent, request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { accountDataDir, createAccountRegistry } from '../src/main/engine/accounts'
import { addDays, utcDay } from '../src/main/engine/dates'
import { createEngine } from '../src/main/engine/engine'
import { createMemoryStore } from '../src/main/engine/secrets'
import { serve } from '../src/main/cli/serve'
import { startFakeOpenAIServer, syntheticDataset } from '../tests/support/fake-openai-server'
import { startServe } from '../tests/support/serve-process'

const KEY = 'sk-admin-BENCHSERVE0123456789abcdef'
const TOKEN = 'bench-read-token-0123456789abcdef'
const ACCOUNTS = 20
const READERS = 100

const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

/** A data folder with 20 accounts, each with a recorded balance. */
async function makeAccounts(dir: string, now: Date): Promise<string[]> {
  const registry = createAccountRegistry({ dataDir: dir })
  const names = ['default']
  for (let i = 1; i < ACCOUNTS; i++) names.push((await registry.add(`team-${i}`, [])).name)
  for (const [i, name] of names.entries()) {
    await createEngine({
      dataDir: accountDataDir(dir, name),
      account: name,
      secretStore: createMemoryStore(),
      now: () => now
    }).recordBalance(100 + i)
  }
  return names
}

function get(agent: Agent, base: URL, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        headers: { Authorization: `Bearer ${TOKEN}` }
      },
      (res) => {
        res.resume()
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - t0)
            : reject(new Error(`${path}: ${res.statusCode}`))
        )
      }
    )
    req.on('error', reject)
    req.end()
  })
}

/** `readers` readers, each sending one request every `everyMs` for `forMs` (an open loop). */
async function paced(
  base: URL,
  paths: (i: number) => string,
  readers: number,
  everyMs: number,
  forMs: number
): Promise<{ rps: number; p50: number; p99: number; max: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: readers })
  const times: number[] = []
  const pending: Promise<void>[] = []
  let n = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: readers }, async (_, r) => {
      // Spread the readers over the period instead of firing them all at once.
      await new Promise((done) => setTimeout(done, (everyMs * r) / readers))
      while (performance.now() - t0 < forMs) {
        pending.push(get(agent, base, paths(n++)).then((ms) => void times.push(ms)))
        await new Promise((done) => setTimeout(done, everyMs))
      }
    })
  )
  await Promise.all(pending)
  const wall = performance.now() - t0
  agent.destroy()
  times.sort((a, b) => a - b)
  return {
    rps: Math.round((times.length / wall) * 1000),
    p50: round(percentile(times, 0.5)),
    p99: round(percentile(times, 0.99)),
    max: round(times.at(-1) ?? 0)
  }
}

/** `readers` loops, each sending requests back to back until `total` requests are done. */
async function load(
  base: URL,
  paths: (i: number) => string,
  readers: number,
  total: number
): Promise<{ rps: number; p50: number; p99: number; max: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: readers })
  const times: number[] = []
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: readers }, async () => {
      while (next < total) times.push(await get(agent, base, paths(next++)))
    })
  )
  const wall = performance.now() - t0
  agent.destroy()
  times.sort((a, b) => a - b)
  return {
    rps: Math.round((total / wall) * 1000),
    p50: round(percentile(times, 0.5)),
    p99: round(percentile(times, 0.99)),
    max: round(times.at(-1) ?? 0)
  }
}

async function latencyBench(figures: Record<string, number | string>): Promise<void> {
  const now = new Date()
  const api = await startFakeOpenAIServer({
    adminKeys: [KEY],
    dataset: syntheticDataset({ endDayExclusive: addDays(utcDay(now.getTime()), 1), days: 60 })
  })
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-serve-'))
  try {
    const names = await makeAccounts(dir, now)
    const server = await startServe({
      dataDir: dir,
      baseURL: api.baseURL,
      key: KEY,
      args: ['--listen', '127.0.0.1:0'],
      env: { CREDIT_TRAY_READ_TOKEN: TOKEN }
    })
    try {
      await server.waitForLog(/: (refreshed|refresh failed)/, ACCOUNTS)
      const base = new URL(server.url)
      const status = (i: number) =>
        `/status.json?account=${encodeURIComponent(names[i % ACCOUNTS]!)}`
      await load(base, status, READERS, 500) // warm up
      const s = await load(base, status, READERS, 5_000)
      figures[`/status.json, ${READERS} readers flat out: req/s`] = s.rps
      figures[`/status.json, flat out: p50 ms`] = s.p50
      figures[`/status.json, flat out: p99 ms`] = s.p99
      const p = await paced(base, status, READERS, 200, 5_000)
      figures[`/status.json, ${READERS} readers x 5 req/s: req/s`] = p.rps
      figures[`/status.json, paced: p50 ms`] = p.p50
      figures[`/status.json, paced: p99 ms (goal < 10)`] = p.p99
      figures[`/status.json, paced: max ms`] = p.max
      await load(base, () => '/metrics', READERS, 200) // warm up
      const m = await load(base, () => '/metrics', READERS, 1_000)
      figures[`/metrics, ${READERS} readers flat out: req/s`] = m.rps
      figures[`/metrics, flat out: p50 ms`] = m.p50
      figures[`/metrics, flat out: p99 ms`] = m.p99
      const mp = await paced(base, () => '/metrics', READERS, 2_000, 6_000)
      figures[`/metrics, ${READERS} readers x 0.5 req/s: p50 ms`] = mp.p50
      figures[`/metrics, paced: p99 ms`] = mp.p99
    } finally {
      await server.stop('SIGTERM')
    }
  } finally {
    await api.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Timers on a virtual clock: `advance` moves the clock and runs what is due. */
function virtualTimers(start: number) {
  let clock = start
  let seq = 0
  const pending = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => new Date(clock),
    timers: {
      setTimer: (fn: () => void, ms: number) => {
        pending.set(++seq, { at: clock + ms, fn })
        return seq
      },
      clearTimer: (h: unknown) => void pending.delete(h as number),
      random: () => 0.5
    },
    advance(ms: number) {
      clock += ms
      for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > clock || !pending.has(id)) continue
        pending.delete(id)
        t.fn()
      }
    }
  }
}

async function requestsPerInterval(figures: Record<string, number | string>): Promise<void> {
  const start = Date.now()
  const api = await startFakeOpenAIServer({
    adminKeys: [KEY],
    dataset: syntheticDataset({ endDayExclusive: addDays(utcDay(start), 1), days: 60 })
  })
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-poll-'))
  const v = virtualTimers(start)
  let refreshes = 0
  const waiters: (() => void)[] = []
  const refreshed = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (refreshes >= count ? resolve() : waiters.push(check))
      check()
    })
  await makeAccounts(dir, v.now())
  let stop: () => void = () => {}
  let url = ''
  const listening = new Promise<void>((resolve) => {
    void serve(
      { listen: '127.0.0.1:0' },
      {
        stdout: (t) => {
          url = /Listening on (\S+)/.exec(t)?.[1] ?? url
          resolve()
        },
        accounts: () => createAccountRegistry({ dataDir: dir }),
        engineFor: (account, hooks) =>
          createEngine({
            dataDir: accountDataDir(dir, account.name),
            account: account.name,
            secretStore: createMemoryStore(),
            envKey: KEY,
            baseURL: api.baseURL,
            now: v.now,
            timers: v.timers,
            ...(hooks.onRefresh ? { onRefresh: hooks.onRefresh } : {})
          })
      },
      {
        env: { CREDIT_TRAY_READ_TOKEN: TOKEN },
        readFile: () => '',
        onStopSignal: (h) => (stop = h),
        exitSoon: () => {},
        log: (line) => {
          if (/: (refreshed|refresh failed)/.test(line)) {
            refreshes++
            for (const w of waiters.splice(0)) w()
          }
        },
        now: v.now
      }
    )
  })
  try {
    await listening
    await refreshed(ACCOUNTS) // the first poll of every account at start
    const base = new URL(url)
    const intervalMs = 15 * 60_000
    for (const readers of [1, READERS]) {
      api.resetRecords()
      // Four 15-minute intervals per phase: each phase holds one hourly model-usage round too.
      const intervals = 4
      for (let i = 0; i < intervals; i++) {
        // Readers hammer the server for a while, then the poll interval passes.
        await load(base, (n) => (n % 2 ? '/metrics' : '/status.json'), readers, readers * 20)
        const before = refreshes
        v.advance(intervalMs)
        await refreshed(before + ACCOUNTS)
      }
      const costs = api.requests.filter((r) => r.path.endsWith('/costs')).length
      figures[`OpenAI requests per interval, ${ACCOUNTS} accounts, ${readers} reader(s)`] = round(
        api.requestCount / intervals,
        1
      )
      figures[`  of which costs (one per account per interval), ${readers} reader(s)`] = round(
        costs / intervals,
        1
      )
    }
  } finally {
    stop()
    await api.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function runServerBench(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {}
  await latencyBench(figures)
  await requestsPerInterval(figures)
  return figures
}

if (require.main === module) {
  runServerBench().then((f) => console.table(f))
}

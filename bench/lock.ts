// The inter-process lock's cost per recorded entry (issue 7): a top-up recorded through the
// engine (lock, re-read, apply, fsync'd atomic write, folder fsync, unlock), the lock alone
// (acquire + release of the proper-lockfile lock), and the same write without the lock, as the
// engine did before, for comparison. Real files in a temp folder; no contention.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../src/main/engine/engine'
import { withFileLock } from '../src/main/engine/file-lock'
import { EMPTY_LEDGER, LEDGER_VERSION, ledgerSchema, recordTopUp } from '../src/main/engine/ledger'
import { createMemoryStore } from '../src/main/engine/secrets'
import { createJsonStore } from '../src/main/engine/store'

const ENTRIES = 200

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? 0
}
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0
}
const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d

async function timeEach(
  n: number,
  fn: (i: number) => Promise<unknown> | unknown
): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn(i)
    times.push(performance.now() - t)
  }
  return times
}

export async function runLockBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-lock-'))
  const figures: Record<string, number | string> = {}
  try {
    const engine = createEngine({
      dataDir: join(dir, 'engine'),
      secretStore: createMemoryStore(),
      now: () => new Date()
    })
    await engine.recordBalance(1000)
    const locked = await timeEach(ENTRIES, () => engine.recordTopUp(1))

    const lockOnly = await timeEach(ENTRIES, () =>
      withFileLock(join(dir, 'engine', 'ledger.json'), () => undefined)
    )

    // The pre-lock way: load, apply, save (fsync'd atomic write), no lock, no folder fsync.
    const plain = createJsonStore({
      dir: join(dir, 'plain'),
      name: 'ledger',
      schema: ledgerSchema,
      version: LEDGER_VERSION,
      defaults: () => EMPTY_LEDGER
    })
    const unlocked = await timeEach(ENTRIES, () =>
      plain.save(recordTopUp(plain.load().value, 1, new Date()))
    )

    figures['entries recorded'] = ENTRIES
    figures['record entry, locked: median ms'] = round(median(locked))
    figures['record entry, locked: p95 ms'] = round(percentile(locked, 0.95))
    // The lock's own cost per entry; the two write rows around it are dominated by fsync.
    figures['lock cost per entry (acquire+release): median ms'] = round(median(lockOnly))
    figures['lock cost per entry (acquire+release): p95 ms'] = round(percentile(lockOnly, 0.95))
    figures['record entry, no lock (before): median ms'] = round(median(unlocked))
    figures['record entry, no lock (before): p95 ms'] = round(percentile(unlocked, 0.95))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}

if (require.main === module) {
  runLockBench().then((f) => console.table(f))
}

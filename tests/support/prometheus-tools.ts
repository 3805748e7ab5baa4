// Debian's `prometheus` package (prometheus + promtool), as installed by .ci/run: where the
// binaries are, or why tests that need them skip.
import { spawnSync } from 'node:child_process'

function which(binary: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null
}

export const PROMTOOL = which('promtool')
export const PROMETHEUS = which('prometheus')

export function missingReason(binary: string | null, name: string): string | null {
  return binary === null
    ? `${name} is not installed (apt-get install prometheus, as .ci/run does)`
    : null
}

/** Resolves once `check` returns a value (not undefined), polling every `everyMs`. */
export async function until<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
  everyMs = 200
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

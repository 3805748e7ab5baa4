// Runs `credit-tray serve` from the built CLI as a real child process: waits for its
// "Listening on" line, collects every output line, waits for log lines, and stops it with a
// signal. Used by the server tests, the Prometheus test and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process'
import { CLI } from './cli-runner'

export interface ServeProcess {
  /** "http://127.0.0.1:PORT" as the server printed it. */
  url: string
  child: ChildProcess
  stdout: string[]
  stderr: string[]
  /** Resolves with the first stderr line (already seen or still to come) matching `pattern`. */
  waitForLog(pattern: RegExp, count?: number): Promise<string>
  /** Send `signal` and resolve with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export interface ServeOptions {
  dataDir: string
  baseURL: string
  /** OPENAI_ADMIN_KEY, or null. */
  key: string | null
  args?: string[]
  env?: Record<string, string>
}

export function serveEnv(opts: ServeOptions): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? opts.dataDir,
    CREDIT_TRAY_HOME: opts.dataDir,
    OPENAI_BASE_URL: opts.baseURL,
    ...(opts.key === null ? {} : { OPENAI_ADMIN_KEY: opts.key }),
    ...opts.env
  }
}

/** Start the server; rejects with its output when it exits before listening. */
export function startServe(opts: ServeOptions): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', ...(opts.args ?? [])], {
    env: serveEnv(opts),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdout: string[] = []
  const stderr: string[] = []
  const waiters: { pattern: RegExp; count: number; resolve: (line: string) => void }[] = []
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal }))
  )
  const lines = (sink: string[], onLine?: (line: string) => void) => {
    let rest = ''
    return (chunk: Buffer) => {
      rest += chunk.toString()
      const parts = rest.split('\n')
      rest = parts.pop()!
      for (const line of parts) {
        sink.push(line)
        onLine?.(line)
      }
    }
  }
  const matches = (pattern: RegExp) => stderr.filter((l) => pattern.test(l)).length
  child.stderr!.on(
    'data',
    lines(stderr, () => {
      for (const w of [...waiters]) {
        if (matches(w.pattern) >= w.count) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(stderr.filter((l) => w.pattern.test(l))[w.count - 1]!)
        }
      }
    })
  )
  return new Promise((resolve, reject) => {
    child.stdout!.on(
      'data',
      lines(stdout, (line) => {
        const m = /^Listening on (http:\/\/\S+)$/.exec(line)
        if (!m) return
        resolve({
          url: m[1]!,
          child,
          stdout,
          stderr,
          waitForLog(pattern, count = 1) {
            if (matches(pattern) >= count)
              return Promise.resolve(stderr.filter((l) => pattern.test(l))[count - 1]!)
            return new Promise((done) => waiters.push({ pattern, count, resolve: done }))
          },
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal)
            return exited
          }
        })
      })
    )
    void exited.then(({ code }) =>
      reject(
        new Error(
          `serve exited (${code}) before listening:\n${stdout.join('\n')}\n${stderr.join('\n')}`
        )
      )
    )
  })
}

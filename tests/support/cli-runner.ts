// Runs the built `credit-tray` CLI (out/main/cli.js) as a real child process with a clean
// environment: only what a test passes, plus PATH/HOME and the D-Bus address the keychain needs.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..', '..')
export const CLI = join(ROOT, 'out/main/cli.js')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export interface CliRunOptions {
  /** CREDIT_TRAY_HOME: the data folder. */
  dataDir: string
  /** OPENAI_BASE_URL: the loopback fake Admin API. */
  baseURL: string
  /** OPENAI_ADMIN_KEY, or null to leave it unset (the keychain is used then). */
  key: string | null
  stdin?: string
  env?: Record<string, string>
  /** Run as this user (tests running as root use it to meet a folder they may not write). */
  uid?: number
  gid?: number
  /** Where stdout goes: a pipe read into `stdout` (default) or an open file descriptor. */
  stdoutFd?: number
}

/** Build once if a test file runs on its own; the test runner builds before the suite. */
export function ensureCliBuilt(): void {
  if (!existsSync(CLI))
    execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
}

export function runBuiltCli(args: string[], opts: CliRunOptions): Promise<CliRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? opts.dataDir,
    CREDIT_TRAY_HOME: opts.dataDir,
    OPENAI_BASE_URL: opts.baseURL,
    ...(process.env.DBUS_SESSION_BUS_ADDRESS
      ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS }
      : {}),
    ...(opts.key === null ? {} : { OPENAI_ADMIN_KEY: opts.key }),
    ...opts.env
  }
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: ['pipe', opts.stdoutFd ?? 'pipe', 'pipe'],
      ...(opts.uid === undefined ? {} : { uid: opts.uid }),
      ...(opts.gid === undefined ? {} : { gid: opts.gid })
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }))
    child.stdin?.end(opts.stdin ?? '')
  })
}

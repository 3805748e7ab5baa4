// Entry point of the `credit-tray` CLI (built to out/main/cli.js). Plain Node: no Electron.
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { accountDataDir, createAccountRegistry, type AccountRegistry } from '../engine/accounts'
import { createEngine } from '../engine/engine'
import { describeIoFailure } from '../engine/errors'
import { appDataDir, dataDirProblem } from '../engine/paths'
import { createKeytarStore } from '../engine/secrets'
import { readSecretFromStdin } from './read-secret'
import { EXIT, runCli } from './run-cli'

// stdout closed early (`credit-tray export | head -c 10`: EPIPE) or full (`> /dev/full`: ENOSPC):
// Node reports it as an 'error' event, which unhandled ends the process with a stack trace. Say
// it in one line instead, stop writing, and exit 5 (the output is a local write that failed).
let outputFailed = false
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (outputFailed) return
  outputFailed = true
  process.stderr.write(`credit-tray: ${describeIoFailure(err, 'the output')}\n`)
  process.exitCode = EXIT.storage
})
// Nowhere left to report a failing stderr: never crash over it.
process.stderr.on('error', () => {})

const io = {
  stdout: (t: string) => {
    if (!outputFailed) process.stdout.write(t)
  },
  stderr: (t: string) => void process.stderr.write(t),
  readSecret: readSecretFromStdin,
  now: () => new Date()
}

const dataDir = appDataDir(process.env, process.platform, homedir())
let registry: AccountRegistry | null = null
const accounts = (): AccountRegistry => (registry ??= createAccountRegistry({ dataDir }))

/** OPENAI_ADMIN_KEY, or the contents of OPENAI_ADMIN_KEY_FILE (a systemd or Docker secret). */
function adminKeyFromEnv(): string | undefined {
  if (process.env.OPENAI_ADMIN_KEY?.trim()) return process.env.OPENAI_ADMIN_KEY
  const file = process.env.OPENAI_ADMIN_KEY_FILE
  if (!file) return undefined
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (e) {
    process.stderr.write(
      `credit-tray: could not read OPENAI_ADMIN_KEY_FILE ${file} (${(e as { code?: string }).code ?? 'unreadable'}).\n`
    )
    process.exit(3)
  }
}

const envKey = adminKeyFromEnv()

runCli(process.argv.slice(2), io, {
  accounts,
  dataDirProblem: () => dataDirProblem(dataDir),
  engineFor: (account, hooks = {}) =>
    createEngine({
      dataDir: accountDataDir(dataDir, account.name),
      account: account.name,
      projectIds: account.projectIds,
      envKey,
      baseURL: process.env.OPENAI_BASE_URL,
      // The service name can be changed for tests so they never touch a real "Credit Tray" entry.
      secretStore: createKeytarStore(
        process.env.CREDIT_TRAY_KEYCHAIN_SERVICE
          ? { service: process.env.CREDIT_TRAY_KEYCHAIN_SERVICE }
          : {}
      ),
      // accounts.json problems belong in every account's status (`notices`), not only stderr.
      notices: () => accounts().notices(),
      now: () => new Date(),
      ...(hooks.log ? { log: hooks.log } : {}),
      ...(hooks.onRefresh ? { onRefresh: hooks.onRefresh } : {})
    }),
  serve: {
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
    onStopSignal(handler) {
      process.once('SIGTERM', handler)
      process.once('SIGINT', handler)
    },
    // A request to OpenAI still open must not keep a stopped server alive past its deadline.
    exitSoon: () => void setTimeout(() => process.exit(process.exitCode ?? 0), 1_000).unref(),
    log: (line) => void process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    now: () => new Date()
  }
}).then(
  (code) => {
    // A failed output outranks what the command itself returned: the user did not get it.
    process.exitCode = outputFailed ? EXIT.storage : code
  },
  (e: unknown) => {
    process.stderr.write(`credit-tray: ${(e as Error)?.message ?? String(e)}\n`)
    process.exitCode = 1
  }
)

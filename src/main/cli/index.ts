// Entry point of the `credit-tray` CLI (built to out/main/cli.js). Plain Node: no Electron.
import { homedir } from 'node:os'
import { accountDataDir, createAccountRegistry } from '../engine/accounts'
import { createEngine } from '../engine/engine'
import { appDataDir } from '../engine/paths'
import { createKeytarStore } from '../engine/secrets'
import { readSecretFromStdin } from './read-secret'
import { runCli } from './run-cli'

const io = {
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
  readSecret: readSecretFromStdin,
  now: () => new Date()
}

const dataDir = appDataDir(process.env, process.platform, homedir())

runCli(process.argv.slice(2), io, {
  accounts: () => createAccountRegistry({ dataDir }),
  engineFor: (account) =>
    createEngine({
      dataDir: accountDataDir(dataDir, account.name),
      account: account.name,
      projectIds: account.projectIds,
      envKey: process.env.OPENAI_ADMIN_KEY,
      baseURL: process.env.OPENAI_BASE_URL,
      // The service name can be changed for tests so they never touch a real "Credit Tray" entry.
      secretStore: createKeytarStore(
        process.env.CREDIT_TRAY_KEYCHAIN_SERVICE
          ? { service: process.env.CREDIT_TRAY_KEYCHAIN_SERVICE }
          : {}
      ),
      now: () => new Date()
    })
}).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`credit-tray: ${(e as Error)?.message ?? String(e)}\n`)
    process.exitCode = 1
  }
)

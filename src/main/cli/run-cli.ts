// The `credit-tray` command: the same engine as the tray app, for scripts and terminals.
// Exit codes: 0 ok · 2 bad usage or input · 3 auth/permission/no key/keychain ·
// 4 network/server/bad response · 5 local storage (data folder not writable, disk full, lock
// timeout, output closed or full).
import { parseArgs } from 'node:util'
import { CreditTrayError, InputError, storageError } from '../engine/errors'
import type { Account, AccountRegistry } from '../engine/accounts'
import { parseProjectIds } from '../engine/accounts'
import type { CliEngine } from '../engine/engine'
import { csvRangeProblem } from '../engine/csv-export'
import { latestBalance, validateAmount } from '../engine/ledger'
import { writeTextFileAtomicSync } from '../engine/text-file'
import { accountRows, jsonText, statusJsonText, statusToJson } from '../engine/status-json'
import { describeEstimate, formatStatus, money } from './format'
import { serve, type EngineHooks, type ServeDeps } from './serve'
import { limitsCommand } from './limits-command'
import { EXIT, UsageError, exitCodeFor } from './usage'

/** Kept here too: scripts and tests import it from the CLI. */
export { statusToJson }

export { EXIT } from './usage'

export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Reads the whole of stdin (piped), or prompts without echo when it is a terminal. */
  readSecret: (prompt: string) => Promise<string>
  now: () => Date
}

export const USAGE = `Usage: credit-tray <command> [options]

Commands:
  status [--json] [--offline]   Fetch the latest costs and show the estimated balance.
                                --offline shows the cached data without contacting OpenAI.
  balance set <amount>          Record the balance the OpenAI billing page shows now.
  topup <amount>                Record credit you just added.
  ledger [--json]               Show every balance and top-up you recorded.
  key set [--no-check]          Store the Admin key (read from stdin, never from arguments).
  key check                     Check the key live and say what type it is.
  key clear                     Remove the stored key.
  accounts list [--json]        Show the accounts (OpenAI organizations) and their state.
  accounts add NAME [--projects proj_a,proj_b]
                                Add an account; then store its key with
                                credit-tray --account NAME key set
  accounts use NAME             Make NAME the account commands use by default.
  accounts remove NAME          Forget an account (its data folder is kept on disk).
  limits [--json]               Read OpenAI's hard spend limits and email spend alerts now
                                (organization and projects) against this month's costs.
  limits set <amount> [--yes]   Set the organization's monthly hard spend limit (dollars).
                                Shows the change; only --yes makes it.
  limits alert add <amount> --email ADDRESS [--email ...] [--yes]
                                Add an organization email spend alert. Only --yes adds it.
  export [--out FILE] [--from DAY] [--to DAY] [--offline]
                                Fetch the latest costs, then write the daily costs as CSV
                                (date,kind,name,cost,currency; kind = total, line_item or
                                project) to FILE, or to stdout. DAY is YYYY-MM-DD (UTC).
  serve [--listen HOST:PORT] [--token-file FILE]
                                Poll every account and serve /status.json, /accounts.json,
                                /metrics (Prometheus) and /healthz over HTTP (default
                                127.0.0.1:9464; port 0 picks a free one). Needs a read token
                                (CREDIT_TRAY_READ_TOKEN or FILE) to listen beyond loopback.
                                Stops on SIGTERM / SIGINT.
  help                          Show this help.

Every command takes --account NAME (default: the active account).

Environment:
  OPENAI_ADMIN_KEY   use this key instead of the keychain (the keychain is not read)
  OPENAI_BASE_URL    talk to another API base URL (tests use a local server)
  CREDIT_TRAY_HOME   keep data here instead of the app-data folder
  CREDIT_TRAY_READ_TOKEN  the read token serve asks readers for (Authorization: Bearer)
  OPENAI_ADMIN_KEY_FILE   read the Admin key from this file (e.g. a systemd credential)

Exit codes: 0 ok, 2 bad usage or input, 3 key problem, 4 network/server problem,
5 local storage problem (data folder not writable, disk full, lock timeout, output failed).
`

export { exitCodeFor } from './usage'

/** When the latest balance read today's costs live (its time), else null. */
function liveAnchorAt(engine: CliEngine): string | null {
  const anchor = latestBalance({ entries: engine.getLedger() })
  return anchor?.baselineSource === 'live' ? anchor.at : null
}

/** Parse a money amount typed by a person, with the ledger's rules (digits, optional $, cents). */
export function parseAmountArg(raw: string | undefined, what: 'balance' | 'topup'): number {
  if (raw === undefined) {
    throw new UsageError(
      `Missing amount: credit-tray ${what === 'balance' ? 'balance set' : 'topup'} <amount>, e.g. 25.00`
    )
  }
  const result = validateAmount(raw, what)
  if (!result.ok) throw new InputError(result.error)
  return result.value
}

export interface CliDeps {
  /** The engine of one account (its own folder, keychain entry and project filter). */
  engineFor: (account: Account, hooks?: EngineHooks) => CliEngine
  accounts: () => AccountRegistry
  /** A data folder that cannot be one (paths.ts#dataDirProblem): refused before any command. */
  dataDirProblem?: () => CreditTrayError | null
  /** What `serve` needs from the process (signals, environment); absent: no `serve`. */
  serve?: ServeDeps
}

export async function runCli(argv: string[], io: CliIO, deps: CliDeps): Promise<number> {
  let engine: CliEngine | null = null
  let registry: AccountRegistry | null = null
  const accounts = (): AccountRegistry => (registry ??= deps.accounts())
  const engines = new Map<string, CliEngine>()
  // --account is read inside dispatch; an engine is created only by commands that need one.
  const makeEngineFor = (name: string | undefined): CliEngine => {
    const account = name === undefined ? accounts().active() : accounts().get(name)
    let e = engines.get(account.name)
    if (!e) engines.set(account.name, (e = deps.engineFor(account)))
    engine ??= e
    return e
  }
  const code = await dispatch(argv, io, makeEngineFor, accounts, deps)
  const problems = [
    ...((registry as AccountRegistry | null)?.problems() ?? []),
    ...((engine as CliEngine | null)?.problems() ?? [])
  ]
  for (const notice of (registry as AccountRegistry | null)?.notices() ?? [])
    io.stderr(`warning: ${notice}\n`)
  // A data file that could not be read was kept aside: say so, whatever the command was.
  for (const p of (engine as CliEngine | null)?.problems() ?? [])
    io.stderr(`warning: ${p.message}\n`)
  // A file that could neither be read nor moved aside: the data folder itself is unusable, so a
  // command that otherwise worked still did not see (or could not keep) the user's data.
  if (code === EXIT.ok && problems.some((p) => p.keptAs === null)) return EXIT.storage
  return code
}

async function dispatch(
  argv: string[],
  io: CliIO,
  makeEngineFor: (account: string | undefined) => CliEngine,
  accounts: () => AccountRegistry,
  deps: CliDeps
): Promise<number> {
  let parsed
  // "balance set -3" must reach the amount check (and get a clear message), not be taken for an
  // unknown option: a negative number starts the positional-only part of the arguments.
  const negative = argv.findIndex((a) => /^-\d/.test(a))
  const args =
    negative >= 0 && !argv.includes('--')
      ? [...argv.slice(0, negative), '--', ...argv.slice(negative)]
      : argv
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        offline: { type: 'boolean' },
        'no-check': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        account: { type: 'string' },
        projects: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        listen: { type: 'string' },
        'token-file': { type: 'string' },
        yes: { type: 'boolean' },
        email: { type: 'string', multiple: true }
      }
    })
  } catch (e) {
    io.stderr(`credit-tray: ${(e as Error).message}\n\n${USAGE}`)
    return EXIT.usage
  }
  const { values, positionals } = parsed
  const makeEngine = (): CliEngine => makeEngineFor(values.account)
  const [command, sub, arg, ...extra] = positionals
  if (values.help || command === undefined || command === 'help') {
    ;(command === undefined && !values.help ? io.stderr : io.stdout)(USAGE)
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok
  }

  try {
    // A live `status` reports it in the status itself (`error.kind` "storage" in --json, exit 5)
    // when it cannot save what it fetched; every other command stops here with one line.
    const folderProblem = command === 'status' && !values.offline ? null : deps.dataDirProblem?.()
    if (folderProblem) throw folderProblem
    switch (command) {
      case 'status': {
        if (sub !== undefined) throw new UsageError(`status takes no arguments (got "${sub}")`)
        const engine = makeEngine()
        const status = values.offline ? engine.getStatus() : await engine.refresh()
        if (values.json) io.stdout(statusJsonText(status))
        else io.stdout(formatStatus(status, io.now()))
        return values.offline ? EXIT.ok : exitCodeFor(status.error?.kind)
      }
      case 'balance': {
        if (sub !== 'set') throw new UsageError('Use: credit-tray balance set <amount>')
        if (extra.length > 0) throw new UsageError('balance set takes one amount')
        const amount = parseAmountArg(arg, 'balance')
        const engine = makeEngine()
        const status = await engine.recordBalance(amount)
        const anchor = engine.getLedger().at(-1) // the entry just recorded
        io.stdout(`Recorded balance ${money(amount, status.currency)}.\n`)
        if (anchor?.type === 'balance' && anchor.baselineSource === 'live') {
          io.stdout(
            `Today's costs so far (${money(anchor.baselineDayCost, status.currency)}) were read ` +
              'live from OpenAI: the billing page already counts them, so they are not subtracted again.\n'
          )
        }
        io.stdout(describeEstimate(status, io.now(), liveAnchorAt(engine)))
        // The balance could not read today's costs live: the status notice says how and why.
        for (const n of status.notices.filter((n) => n.includes('could not read today')))
          io.stderr(`note: ${n}\n`)
        return EXIT.ok
      }
      case 'topup': {
        if (arg !== undefined || extra.length > 0) throw new UsageError('topup takes one amount')
        const amount = parseAmountArg(sub, 'topup')
        const engine = makeEngine()
        const status = await engine.recordTopUp(amount)
        io.stdout(`Recorded a top-up of ${money(amount, status.currency)}.\n`)
        io.stdout(describeEstimate(status, io.now(), liveAnchorAt(engine)))
        return EXIT.ok
      }
      case 'ledger': {
        if (sub !== undefined) throw new UsageError('ledger takes no arguments')
        const engine = makeEngine()
        const entries = engine.getLedger()
        const currency = engine.currency()
        if (values.json) io.stdout(JSON.stringify(entries, null, 2) + '\n')
        else if (entries.length === 0) io.stdout('Nothing recorded yet.\n')
        else
          for (const e of entries)
            io.stdout(
              `${e.at}  ${e.type === 'balance' ? 'balance' : 'top-up '}  ${money(e.amount, currency)}` +
                (e.type === 'balance' && e.baselineSource === 'cache'
                  ? "  (today's costs taken from the cache: the live read failed)"
                  : '') +
                '\n'
            )
        return EXIT.ok
      }
      case 'export': {
        if (sub !== undefined) throw new UsageError(`export takes options only (got "${sub}")`)
        if (values.out === '') throw new UsageError('--out needs a file name')
        const engine = makeEngine()
        const range = { from: values.from, to: values.to }
        const problem = csvRangeProblem(range)
        if (problem) throw new InputError(problem)
        // Like status: fetch first (the CSV is written from the cache even if that fails).
        const status = values.offline ? null : await engine.refresh()
        const csv = engine.exportCsv(range)
        if (values.out === undefined) io.stdout(csv)
        else {
          try {
            writeTextFileAtomicSync(values.out, csv)
          } catch (e) {
            const code = (e as { code?: string }).code ?? 'write failed'
            // A full or failing disk is the machine's problem (exit 5); a bad path is the user's.
            if (['ENOSPC', 'EDQUOT', 'EIO', 'EROFS'].includes(code))
              throw storageError(e, values.out, 'save')
            throw new InputError(`Could not write ${values.out} (${code}).`)
          }
          const days = new Set(
            csv
              .split('\r\n')
              .slice(1, -1)
              .map((l) => l.slice(0, 10))
          ).size
          io.stderr(`Wrote the costs of ${days} day${days === 1 ? '' : 's'} to ${values.out}.\n`)
        }
        if (status?.error)
          io.stderr(`credit-tray: ${status.error.message} (cached costs written)\n`)
        return status ? exitCodeFor(status.error?.kind) : EXIT.ok
      }
      case 'limits':
        return await limitsCommand({ sub, arg, extra, values, io, makeEngine })
      case 'accounts':
        return await accountsCommand(sub, arg, extra, values, io, accounts, makeEngineFor)
      case 'serve': {
        if (sub !== undefined) throw new UsageError(`serve takes options only (got "${sub}")`)
        if (!deps.serve) throw new UsageError('serve is not available here')
        return await serve(
          values,
          { stdout: io.stdout, accounts, engineFor: deps.engineFor },
          deps.serve
        )
      }
      case 'key':
        return await keyCommand(sub, arg, values['no-check'] === true, io, makeEngine)
      default:
        throw new UsageError(`Unknown command "${command}".`)
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`credit-tray: ${e.message}\n\n${USAGE}`)
      return EXIT.usage
    }
    if (e instanceof InputError) {
      io.stderr(`credit-tray: ${e.message}\n`)
      return EXIT.usage
    }
    if (e instanceof CreditTrayError) {
      io.stderr(`credit-tray: ${e.message}\n`)
      return exitCodeFor(e.kind)
    }
    // A file-system error nobody mapped is still a storage problem, not a bug report.
    const fsError = e as { syscall?: unknown; path?: unknown }
    if (fsError && typeof fsError.syscall === 'string' && typeof fsError.path === 'string') {
      io.stderr(`credit-tray: ${storageError(e, fsError.path, 'save').message}\n`)
      return EXIT.storage
    }
    // Unexpected: say so without dumping internals (which could include request details).
    io.stderr(`credit-tray: unexpected error: ${(e as Error)?.message ?? String(e)}\n`)
    return 1
  }
}

async function keyCommand(
  sub: string | undefined,
  arg: string | undefined,
  noCheck: boolean,
  io: CliIO,
  makeEngine: () => CliEngine
): Promise<number> {
  if (arg !== undefined) {
    throw new UsageError(
      sub === 'set'
        ? 'Never pass the key as an argument (it would end up in your shell history). Pipe it in: credit-tray key set < key.txt'
        : `key ${sub ?? ''} takes no arguments`
    )
  }
  const engine = makeEngine()
  switch (sub) {
    case 'set': {
      const raw = await io.readSecret('Paste your OpenAI Admin key (sk-admin-…): ')
      const result = await engine.setKey(raw, { check: !noCheck })
      if (!result.ok) {
        io.stderr(`credit-tray: ${result.error.message}\n`)
        return exitCodeFor(result.error.kind)
      }
      io.stdout(
        `Saved ${result.info.masked} (${result.info.type} key) in the ${result.info.storage}` +
          (noCheck ? ' without checking it.' : ' after checking it with OpenAI.') +
          '\n'
      )
      if (result.info.warning) io.stderr(`note: ${result.info.warning}\n`)
      return EXIT.ok
    }
    case 'check': {
      const result = await engine.checkKey()
      if (!result.ok) {
        io.stderr(`credit-tray: ${result.error.message}\n`)
        return exitCodeFor(result.error.kind)
      }
      io.stdout(
        `OK: ${result.info.masked} is an ${result.info.type} key and can read costs` +
          ` (from ${result.info.storage === 'env' ? 'OPENAI_ADMIN_KEY' : 'the ' + result.info.storage}).\n`
      )
      return EXIT.ok
    }
    case 'clear': {
      const info = await engine.clearKey()
      io.stdout(
        info.present
          ? 'The key is still set (OPENAI_ADMIN_KEY overrides the keychain).\n'
          : 'Key removed.\n'
      )
      return EXIT.ok
    }
    default:
      throw new UsageError('Use: credit-tray key set | key check | key clear')
  }
}

async function accountsCommand(
  sub: string | undefined,
  name: string | undefined,
  extra: string[],
  values: { json?: boolean; projects?: string },
  io: CliIO,
  accounts: () => AccountRegistry,
  engineFor: (account: string) => CliEngine
): Promise<number> {
  if (extra.length > 0) throw new UsageError('Account names with spaces need quotes.')
  const registry = accounts()
  switch (sub) {
    case 'list': {
      if (name !== undefined) throw new UsageError('accounts list takes no name')
      const rows = accountRows(registry.list(), registry.active().name, (n) =>
        engineFor(n).getStatus()
      )
      if (values.json) io.stdout(jsonText(rows))
      else
        for (const r of rows)
          io.stdout(
            `${r.active ? '*' : ' '} ${r.name}  ${r.level}` +
              (r.balance === null ? '' : `  ≈ ${money(r.balance, r.currency)}`) +
              (r.projectIds.length ? `  projects: ${r.projectIds.join(', ')}` : '') +
              '\n'
          )
      return EXIT.ok
    }
    case 'add': {
      if (name === undefined) {
        throw new UsageError('Use: credit-tray accounts add NAME [--projects proj_a,proj_b]')
      }
      const account = await registry.add(name, parseProjectIds(values.projects))
      io.stdout(
        `Added account "${account.name}". Store its Admin key with: credit-tray --account "${account.name}" key set\n`
      )
      return EXIT.ok
    }
    case 'use': {
      if (name === undefined) throw new UsageError('Use: credit-tray accounts use NAME')
      io.stdout(`Now using "${(await registry.setActive(name)).name}".\n`)
      return EXIT.ok
    }
    case 'remove': {
      if (name === undefined) throw new UsageError('Use: credit-tray accounts remove NAME')
      const account = await registry.remove(name)
      io.stdout(
        `Removed "${account.name}" from the list. Its data folder stays on disk; clear its key first with --account "${account.name}" key clear if you no longer need it.\n`
      )
      return EXIT.ok
    }
    default:
      throw new UsageError('Use: credit-tray accounts list | add NAME | use NAME | remove NAME')
  }
}

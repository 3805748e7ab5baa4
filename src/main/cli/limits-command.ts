// `credit-tray limits`: read OpenAI's hard spend limits and email alerts, and — only with --yes,
// after showing the change — set the organization's limit or add an email alert.
import { z } from 'zod'
import type { Status } from '../../shared/status'
import type { CliEngine } from '../engine/engine'
import { InputError } from '../engine/errors'
import { validateAmount } from '../engine/ledger'
import { formatLimits, money } from './format'
import type { CliIO } from './run-cli'
import { statusToJson } from '../engine/status-json'
import { EXIT, UsageError, exitCodeFor } from './usage'

const USE =
  'Use: credit-tray limits [--json] | limits set <amount> [--yes] | ' +
  'limits alert add <amount> --email ADDRESS [--yes]'

interface LimitsArgs {
  sub: string | undefined
  arg: string | undefined
  extra: string[]
  values: { json?: boolean | undefined; yes?: boolean | undefined; email?: string[] | undefined }
  io: CliIO
  makeEngine: () => CliEngine
}

function amountOf(raw: string | undefined): number {
  if (raw === undefined) throw new UsageError(`Missing amount. ${USE}`)
  const v = validateAmount(raw, 'limit')
  if (!v.ok) throw new InputError(v.error)
  return v.value
}

function emailsOf(raw: string[] | undefined): string[] {
  if (!raw?.length) throw new UsageError('An email alert needs at least one --email ADDRESS.')
  for (const e of raw) {
    if (!z.email().safeParse(e).success)
      throw new InputError(`"${e.slice(0, 80)}" is not an email address.`)
  }
  return raw
}

const m = (v: number): string => money(v, 'usd')

/** The current state read fresh, or a clear stop when it cannot be read. */
async function current(engine: CliEngine, io: CliIO): Promise<Status | number> {
  const status = await engine.refresh({ manual: true })
  if (status.error) {
    io.stderr(`credit-tray: ${status.error.message}\n`)
    return exitCodeFor(status.error.kind)
  }
  return status
}

export async function limitsCommand({
  sub,
  arg,
  extra,
  values,
  io,
  makeEngine
}: LimitsArgs): Promise<number> {
  if (sub === undefined) {
    const engine = makeEngine()
    const status = await engine.refresh({ manual: true })
    if (values.json)
      io.stdout(
        JSON.stringify((statusToJson(status) as { limits: unknown }).limits, null, 2) + '\n'
      )
    else io.stdout(formatLimits(status, io.now()))
    if (status.error) return exitCodeFor(status.error.kind)
    if (status.limits.unavailable === 'permission') {
      if (values.json) io.stderr(`credit-tray: ${status.limits.hint}\n`)
      return EXIT.auth
    }
    if (status.limits.hint) {
      io.stderr(`credit-tray: ${status.limits.hint}\n`)
      return EXIT.network
    }
    return EXIT.ok
  }
  if (sub === 'set') {
    if (extra.length > 0) throw new UsageError(USE)
    const amount = amountOf(arg)
    const engine = makeEngine()
    const before = await current(engine, io)
    if (typeof before === 'number') return before
    const org = before.limits.organization
    const was =
      before.limits.unavailable === 'permission'
        ? 'not readable with this key'
        : org
          ? `${m(org.amount)} a month (${org.enforcement})`
          : 'none'
    io.stdout(`Organization hard spend limit: ${was} → ${m(amount)} a month.\n`)
    const mtd = before.limits.organization?.monthToDate ?? before.spend.monthToDate
    if (amount <= mtd)
      io.stdout(
        `Note: this month's spend is already ≈ ${m(mtd)}, so the new limit is reached at once.\n`
      )
    if (!values.yes) {
      io.stderr('Nothing changed. Run it again with --yes to make this change.\n')
      return EXIT.usage
    }
    const after = await engine.setOrgLimit(amount)
    const now = after.limits.organization
    io.stdout(
      now
        ? `Done: the organization's hard spend limit is now ${m(now.amount)} a month (${now.enforcement}).\n`
        : 'Done, but reading it back showed no limit: check the limits page.\n'
    )
    return EXIT.ok
  }
  if (sub === 'alert') {
    if (arg !== 'add' || extra.length !== 1) throw new UsageError(USE)
    const amount = amountOf(extra[0])
    const emails = emailsOf(values.email)
    const engine = makeEngine()
    const before = await current(engine, io)
    if (typeof before === 'number') return before
    const orgAlerts = before.limits.alerts.filter((a) => a.scope === 'organization')
    io.stdout(
      `Organization email alerts: ${orgAlerts.length ? orgAlerts.map((a) => m(a.amount)).join(', ') : 'none'}` +
        ` → adds one at ${m(amount)} to ${emails.join(', ')}.\n`
    )
    if (!values.yes) {
      io.stderr('Nothing changed. Run it again with --yes to make this change.\n')
      return EXIT.usage
    }
    const after = await engine.addOrgAlert(amount, emails)
    const count = after.limits.alerts.filter((a) => a.scope === 'organization').length
    io.stdout(`Done: the organization now has ${count} email alert${count === 1 ? '' : 's'}.\n`)
    return EXIT.ok
  }
  throw new UsageError(USE)
}

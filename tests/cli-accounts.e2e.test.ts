// The built CLI with several accounts (OpenAI organizations): --account on every command,
// accounts list/add/use/remove, and nothing of one account leaking into another.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCliBuilt, runBuiltCli } from './support/cli-runner'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'

const KEY_A = 'sk-admin-CLIACCOUNTA0123456789abcd'
const KEY_B = 'sk-admin-CLIACCOUNTB0123456789wxyz'

let server: FakeOpenAIServer
let home: string

beforeAll(ensureCliBuilt)
beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [KEY_A, KEY_B] })
  home = mkdtempSync(join(tmpdir(), 'ct-cli-acc-'))
})
afterEach(async () => {
  await server.close()
  rmSync(home, { recursive: true, force: true })
})

function cli(args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}) {
  return runBuiltCli(args, {
    dataDir: home,
    baseURL: server.baseURL,
    key: null,
    ...(opts.stdin === undefined ? {} : { stdin: opts.stdin }),
    ...(opts.env ? { env: opts.env } : {})
  })
}

it('keeps ledgers apart, filters by project, and lists every account', async () => {
  expect((await cli(['accounts', 'add', 'Shop', '--projects', 'proj_shop'])).code).toBe(0)
  expect((await cli(['balance', 'set', '50'])).code).toBe(0)
  expect((await cli(['--account', 'Shop', 'balance', 'set', '8'])).code).toBe(0)

  const shop = await cli(['--account', 'shop', 'status', '--json'], {
    env: { OPENAI_ADMIN_KEY: KEY_B }
  })
  expect(shop.code).toBe(0)
  expect(JSON.parse(shop.stdout).balance).toBe(8)
  expect(server.requests[0]!.query['project_ids[]']).toEqual(['proj_shop'])

  const main = await cli(['status', '--json', '--offline'])
  expect(JSON.parse(main.stdout).balance).toBe(50)

  const list = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout)
  expect(
    list.map((a: { name: string; balance: number; active: boolean }) => [
      a.name,
      a.balance,
      a.active
    ])
  ).toEqual([
    ['default', 50, true],
    ['Shop', 8, false]
  ])
  expect(list[1].level).toBe('low')

  expect((await cli(['accounts', 'use', 'Shop'])).code).toBe(0)
  expect(JSON.parse((await cli(['status', '--json', '--offline'])).stdout).balance).toBe(8)
  expect((await cli(['accounts', 'remove', 'Shop'])).code).toBe(0)
  expect(JSON.parse((await cli(['status', '--json', '--offline'])).stdout).balance).toBe(50)
})

it('an unknown account or a bad name is a usage error that changes nothing', async () => {
  const unknown = await cli(['--account', 'Nope', 'topup', '5'])
  expect(unknown.code).toBe(2)
  expect(unknown.stderr).toMatch(/no account named "Nope"/)
  expect((await cli(['accounts', 'add', '../../etc'])).code).toBe(2)
  expect((await cli(['accounts', 'add', 'default'])).code).toBe(2)
  expect((await cli(['accounts', 'remove', 'default'])).code).toBe(2)
  const list = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout)
  expect(list).toHaveLength(1)
})

describe.skipIf(!process.env.CREDIT_TRAY_KEYRING)('keys per account in the real keychain', () => {
  it("each account uses its own key; clearing one leaves the other's", async () => {
    const env = {
      CREDIT_TRAY_KEYCHAIN_SERVICE: `Credit Tray accounts test ${process.pid}-${Date.now()}`
    }
    await cli(['accounts', 'add', 'B'])
    expect((await cli(['key', 'set'], { env, stdin: KEY_A })).code).toBe(0)
    expect((await cli(['--account', 'B', 'key', 'set'], { env, stdin: KEY_B })).code).toBe(0)
    server.resetRecords()
    await cli(['status'], { env })
    await cli(['--account', 'B', 'status'], { env })
    expect(server.requests.filter((r) => r.path.endsWith('/costs')).map((r) => r.bearer)).toEqual([
      KEY_A,
      KEY_B
    ])
    await cli(['--account', 'B', 'key', 'clear'], { env })
    expect((await cli(['key', 'check'], { env })).code).toBe(0)
    expect((await cli(['--account', 'B', 'key', 'check'], { env })).code).toBe(3)
    await cli(['key', 'clear'], { env })
  })
})

it('refuses a name whose data folder another account uses (exit 2, naming it), and Windows-reserved names', async () => {
  expect((await cli(['accounts', 'add', 'Agency X'])).code).toBe(0)
  const clash = await cli(['accounts', 'add', 'agency-x', '--projects', 'proj_zzz'])
  expect(clash.code).toBe(2)
  expect(clash.stderr).toMatch(
    /^credit-tray: "agency-x" would use the same data folder \(accounts\/agency-x\) as the account "Agency X"/
  )
  for (const name of ['CON', 'nul.txt', 'COM1', 'Shop.']) {
    const run = await cli(['accounts', 'add', name])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/reserved device name on Windows|ends with a dot/)
  }
  const list = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout)
  expect(list.map((a: { name: string }) => a.name)).toEqual(['default', 'Agency X'])
})

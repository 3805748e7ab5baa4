// Local storage and output failures, with the built CLI as a real process: a data folder that is
// a file or read-only, stdout that is full (/dev/full) or closed early (`| head -c 10`). Each ends
// with exit 5, one line on stderr and no stack trace, and changes nothing on disk.
import { spawn } from 'node:child_process'
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addDays, utcDay } from '../src/main/engine/dates'
import { CLI, ensureCliBuilt, runBuiltCli, type CliRun } from './support/cli-runner'
import {
  startFakeOpenAIServer,
  syntheticDataset,
  type FakeOpenAIServer
} from './support/fake-openai-server'

const KEY = 'sk-admin-STORAGETEST0123456789abcdef'
const NOBODY = 65534

let server: FakeOpenAIServer
let tmp: string

beforeAll(ensureCliBuilt)
beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [KEY] })
  tmp = mkdtempSync(join(tmpdir(), 'ct-storage-'))
})
afterEach(async () => {
  await server.close()
  rmSync(tmp, { recursive: true, force: true })
})

function cli(
  home: string,
  args: string[],
  extra: { uid?: number; gid?: number; stdoutFd?: number } = {}
): Promise<CliRun> {
  return runBuiltCli(args, { dataDir: home, baseURL: server.baseURL, key: KEY, ...extra })
}

/** One line on stderr, no stack trace. */
function expectOneLine(run: CliRun, pattern: RegExp): void {
  const lines = run.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(pattern)
  expect(run.stderr).not.toMatch(/\n\s+at |Error:|unexpected error/)
}

describe('a data folder that cannot be written', () => {
  it('CREDIT_TRAY_HOME pointing at a file: exit 5, one line, the file untouched', async () => {
    const home = join(tmp, 'not-a-folder')
    writeFileSync(home, 'precious')
    for (const args of [
      ['balance', 'set', '10'],
      ['topup', '5'],
      ['accounts', 'add', 'Shop'],
      ['ledger']
    ]) {
      const run = await cli(home, args)
      expect(run.code).toBe(5)
      expectOneLine(
        run,
        /^credit-tray: The data folder ".*not-a-folder" cannot be used: a file stands at that path or above it\. Move the file away, or point CREDIT_TRAY_HOME at a folder\. Nothing was changed\.$/
      )
    }
    expect(readFileSync(home, 'utf8')).toBe('precious')
  })

  it('status --json reports it as error kind "storage" (not bad_response) and exits 5', async () => {
    const home = join(tmp, 'not-a-folder')
    writeFileSync(home, 'precious')
    const run = await cli(home, ['status', '--json'])
    expect(run.code).toBe(5)
    const status = JSON.parse(run.stdout)
    expect(status.error).toEqual({
      kind: 'storage',
      message: `Could not save costs-cache.json in "${home}": a file stands where the data folder should be. Nothing was changed.`
    })
    expect(run.stderr).toBe('')
    expect(readFileSync(home, 'utf8')).toBe('precious')
  })

  // As root, permissions do not stop writes: the CLI then runs as "nobody" instead.
  it('a read-only folder: exit 5, "permission denied" named, the ledger unchanged', async () => {
    const home = join(tmp, 'data')
    expect((await cli(home, ['balance', 'set', '100'])).code).toBe(0)
    // Readable, not writable (documents are written 0600: readable by their owner only).
    chmodSync(tmp, 0o755)
    chmodSync(home, 0o755)
    for (const f of readdirSync(home)) chmodSync(join(home, f), 0o644)
    const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}
    if (!asNobody.uid) chmodSync(home, 0o555)
    try {
      const before = readFileSync(join(home, 'ledger.json'), 'utf8')
      const run = await cli(home, ['topup', '5'], asNobody)
      expect(run.code).toBe(5)
      expectOneLine(
        run,
        /^credit-tray: Could not save ledger\.json in ".*data": permission denied \(the folder is read-only for this user\)\. Nothing was changed\.$/
      )
      expect(readFileSync(join(home, 'ledger.json'), 'utf8')).toBe(before)

      const status = await cli(home, ['status', '--json'], asNobody)
      expect(status.code).toBe(5)
      expect(JSON.parse(status.stdout).error.kind).toBe('storage')
      expect(JSON.parse(status.stdout).balance).toBe(100) // what was recorded is still shown
    } finally {
      chmodSync(home, 0o755)
    }
  })
})

describe('stdout that fails', () => {
  it('status --json > /dev/full: exit 5 and one line on stderr, not an unhandled error', async () => {
    if (!existsSync('/dev/full')) return // Linux only; nothing to prove elsewhere
    const home = join(tmp, 'data')
    const full = openSync('/dev/full', 'w')
    try {
      const run = await cli(home, ['status', '--json'], { stdoutFd: full })
      expect(run.code).toBe(5)
      expectOneLine(run, /^credit-tray: could not write the output: the disk is full \(ENOSPC\)\.$/)
    } finally {
      closeSync(full)
    }
    // The fetch itself was saved: only the output failed.
    expect(existsSync(join(home, 'costs-cache.json'))).toBe(true)
  })

  it('export | head -c 10: exit 5 and one line on stderr once the reader is gone', async () => {
    const home = join(tmp, 'data')
    mkdirSync(home)
    const today = utcDay(Date.now())
    // Half a year of 20 line items: far more CSV than a pipe buffers (64 KiB).
    Object.assign(
      server.dataset,
      syntheticDataset({
        endDayExclusive: addDays(today, 1),
        days: 180,
        lineItems: Array.from({ length: 20 }, (_, i) => `model-${i}, input`)
      })
    )
    expect((await cli(home, ['status'])).code).toBe(0)

    const { code, stderr, head } = await new Promise<{
      code: number
      stderr: string
      head: string
    }>((done, fail) => {
      const child = spawn(
        'bash',
        [
          '-c',
          `"${process.execPath}" "${CLI}" export --offline | head -c 10; exit "\${PIPESTATUS[0]}"`
        ],
        {
          env: { PATH: process.env.PATH ?? '', CREDIT_TRAY_HOME: home },
          stdio: ['ignore', 'pipe', 'pipe']
        }
      )
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('error', fail)
      child.on('close', (c) => done({ code: c ?? -1, stderr: err, head: out }))
    })
    expect(head).toBe('date,kind,')
    expect(code).toBe(5)
    expectOneLine(
      { code, stderr, stdout: head },
      /^credit-tray: the output was closed before everything was written \(EPIPE\)\.$/
    )
  })
})

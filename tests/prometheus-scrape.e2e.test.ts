// A real Prometheus (Debian's package) in a temporary folder scrapes a real `credit-tray serve`
// (backed by the loopback fake Admin API) every second with the bearer token, and its HTTP API
// returns the balance the server computed.
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ensureCliBuilt, runBuiltCli } from './support/cli-runner'
import {
  startFakeOpenAIServer,
  syntheticDataset,
  type FakeOpenAIServer
} from './support/fake-openai-server'
import { missingReason, PROMETHEUS, until } from './support/prometheus-tools'
import { startServe, type ServeProcess } from './support/serve-process'

const KEY = 'sk-admin-PROMTEST0123456789abcdefgh'
const TOKEN = 'prometheus-read-token-0123456789'
const skip = missingReason(PROMETHEUS, 'prometheus')

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => done(port))
    })
  })
}

describe.skipIf(skip !== null)(
  `a real Prometheus scraping credit-tray serve${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let api: FakeOpenAIServer
    let dir: string
    let server: ServeProcess | null = null
    let prometheus: ChildProcess | null = null
    const promLog: string[] = []

    beforeAll(ensureCliBuilt)
    beforeEach(async () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
      api = await startFakeOpenAIServer({
        adminKeys: [KEY],
        dataset: syntheticDataset({ endDayExclusive: tomorrow, days: 40 })
      })
      dir = mkdtempSync(join(tmpdir(), 'ct-prom-'))
    })
    afterEach(async () => {
      if (prometheus && prometheus.exitCode === null) {
        const ended = new Promise((r) => prometheus!.once('exit', r))
        prometheus.kill('SIGTERM')
        await ended
      }
      await server?.stop('SIGTERM')
      await api.close()
      rmSync(dir, { recursive: true, force: true })
    })

    it('stores credit_tray_balance_dollars with the value the server serves', async () => {
      const home = join(dir, 'home')
      const recorded = await runBuiltCli(['balance', 'set', '75.50'], {
        dataDir: home,
        baseURL: api.baseURL,
        key: KEY
      })
      expect(recorded.code).toBe(0)
      writeFileSync(join(dir, 'token'), TOKEN + '\n')
      server = await startServe({
        dataDir: home,
        baseURL: api.baseURL,
        key: KEY,
        args: ['--listen', '127.0.0.1:0', '--token-file', join(dir, 'token')]
      })
      await server.waitForLog(/account "default": refreshed$/)
      const status = JSON.parse(
        await (
          await fetch(`${server.url}/status.json`, {
            headers: { Authorization: `Bearer ${TOKEN}` }
          })
        ).text()
      )
      // The recorded balance minus what OpenAI reports since: positive, at most what was recorded.
      expect(status.balance).toBeGreaterThan(0)
      expect(status.balance).toBeLessThanOrEqual(75.5)

      const target = server.url.replace(/^http:\/\//, '')
      copyFileSync(
        resolve(__dirname, '..', 'deploy', 'prometheus', 'credit-tray.rules.yml'),
        join(dir, 'credit-tray.rules.yml')
      )
      writeFileSync(
        join(dir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'rule_files: [credit-tray.rules.yml]',
          'scrape_configs:',
          '  - job_name: credit-tray',
          '    authorization:',
          '      type: Bearer',
          `      credentials_file: ${join(dir, 'token')}`,
          `    static_configs: [{ targets: ['${target}'] }]`,
          ''
        ].join('\n')
      )
      const port = await freePort()
      prometheus = spawn(
        PROMETHEUS!,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`
        ],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }
      )
      prometheus.stderr!.on('data', (d: Buffer) => promLog.push(d.toString()))
      const query = async (q: string) => {
        const res = await fetch(
          `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`
        )
        return (await res.json()) as {
          status: string
          data: { result: { metric: Record<string, string>; value: [number, string] }[] }
        }
      }
      const result = await until(
        async () => {
          const r = await query('credit_tray_balance_dollars')
          return r.data.result.length > 0 ? r.data.result : undefined
        },
        `Prometheus to store credit_tray_balance_dollars (log: ${promLog.join('').slice(-500)})`
      )
      expect(result).toHaveLength(1)
      expect(result[0]!.metric).toMatchObject({ account: 'default', job: 'credit-tray' })
      expect(Number(result[0]!.value[1])).toBe(status.balance)

      // The scrape was authenticated: `up` is 1 and the level series are there too.
      const up = await query('up{job="credit-tray"}')
      expect(up.data.result.map((r) => r.value[1])).toEqual(['1'])
      const level = await query(`credit_tray_level{level="${status.level}"}`)
      expect(level.data.result.map((r) => r.value[1])).toEqual(['1'])
      expect(promLog.join('')).not.toContain(TOKEN)
    })
  }
)

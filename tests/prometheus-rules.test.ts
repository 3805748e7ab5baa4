// The alert rules and the example Prometheus configuration, checked and unit-tested by
// Prometheus's own promtool (Debian's `prometheus` package; .ci/run installs it).
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { missingReason, PROMTOOL } from './support/prometheus-tools'

const DIR = resolve(__dirname, '..', 'deploy', 'prometheus')
const skip = missingReason(PROMTOOL, 'promtool')

function promtool(args: string[], cwd = DIR) {
  const r = spawnSync(PROMTOOL!, args, { cwd, encoding: 'utf8' })
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` }
}

describe.skipIf(skip !== null)(
  `Prometheus rules and config${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('the rules pass promtool check and every alert the issue asks for exists', () => {
      const r = promtool(['check', 'rules', 'credit-tray.rules.yml'])
      expect(r.out).toMatch(/SUCCESS: \d+ rules found/)
      expect(r.code).toBe(0)
      const rules = readFileSync(join(DIR, 'credit-tray.rules.yml'), 'utf8')
      for (const name of [
        'CreditTrayLow',
        'CreditTrayCritical',
        'CreditTrayHardLimitEnforcing',
        'CreditTrayStale',
        'CreditTrayDown'
      ])
        expect(rules).toContain(`alert: ${name}\n`)
    })

    it('the alert unit tests pass (promtool test rules)', () => {
      const r = promtool(['test', 'rules', 'credit-tray.rules.test.yml'])
      expect(r.out).toMatch(/SUCCESS/)
      expect(r.code).toBe(0)
    })

    it('promtool test rules fails when a rule changes (the tests can fail)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'ct-rules-'))
      try {
        copyFileSync(
          join(DIR, 'credit-tray.rules.test.yml'),
          join(dir, 'credit-tray.rules.test.yml')
        )
        const rules = readFileSync(join(DIR, 'credit-tray.rules.yml'), 'utf8')
        writeFileSync(
          join(dir, 'credit-tray.rules.yml'),
          rules.replace(
            'credit_tray_level{level="low"} == 1',
            'credit_tray_level{level="low"} >= 0'
          )
        )
        const r = promtool(['test', 'rules', 'credit-tray.rules.test.yml'], dir)
        expect(r.code).not.toBe(0)
        expect(r.out).toMatch(/alertname: CreditTrayLow/)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('the example configuration passes promtool check config', () => {
      // The config points at a token file on the Prometheus host; check it against a stand-in.
      const dir = mkdtempSync(join(tmpdir(), 'ct-promcfg-'))
      try {
        writeFileSync(join(dir, 'token'), 'read-token-0123456789abcdef\n')
        copyFileSync(join(DIR, 'credit-tray.rules.yml'), join(dir, 'credit-tray.rules.yml'))
        const config = readFileSync(join(DIR, 'prometheus.yml'), 'utf8')
        expect(config).toContain('credentials_file: /etc/prometheus/credit-tray-read-token')
        writeFileSync(
          join(dir, 'prometheus.yml'),
          config.replace('/etc/prometheus/credit-tray-read-token', join(dir, 'token'))
        )
        const r = promtool(['check', 'config', 'prometheus.yml'], dir)
        expect(r.out).toMatch(/SUCCESS: 1 rule files found/)
        expect(r.code).toBe(0)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  }
)

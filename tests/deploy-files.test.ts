// The files operators deploy `credit-tray serve` with: the systemd unit is hardened and takes
// its secrets as credentials, the container runs as non-root with a health check, and CI
// installs Prometheus for the rule tests. (promtool checks the Prometheus files themselves.)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '..')
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8')

/** `Key=value` lines of a unit file (repeated keys collect all values). */
function directives(unit: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim())
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!])
  }
  return out
}

describe('deploy files', () => {
  it('the systemd unit runs as its own user, hardened, with the secrets as credentials', () => {
    const d = directives(read('deploy/systemd/credit-tray.service'))
    const one = (k: string) => d.get(k)?.[0]
    expect(one('DynamicUser')).toBe('yes')
    expect(one('User')).toBe('credit-tray')
    expect(one('NoNewPrivileges')).toBe('yes')
    expect(one('ProtectSystem')).toBe('strict')
    expect(one('ProtectHome')).toBe('yes')
    expect(one('PrivateTmp')).toBe('yes')
    expect(one('StateDirectory')).toBe('credit-tray')
    expect(one('CapabilityBoundingSet')).toBe('')
    expect(d.get('LoadCredential')).toEqual([
      'admin-key:/etc/credit-tray/admin-key',
      'read-token:/etc/credit-tray/read-token'
    ])
    const exec = one('ExecStart')!
    expect(exec).toMatch(/ serve --listen \S+ --token-file %d\/read-token$/)
    // The key comes from the credential file, never from the unit or the command line.
    expect(d.get('Environment')).toContain('OPENAI_ADMIN_KEY_FILE=%d/admin-key')
    expect(read('deploy/systemd/credit-tray.service')).not.toMatch(/sk-[a-z]+-|OPENAI_ADMIN_KEY=/)
  })

  const analyze = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' })
  const systemdAnalyze = analyze.status === 0 ? analyze.stdout.trim() : null
  it.skipIf(systemdAnalyze === null)(
    `the unit passes systemd-analyze verify${systemdAnalyze ? '' : ' (skipped: systemd-analyze is not installed)'}`,
    () => {
      // Verify checks that ExecStart's program exists: point it at this Node.
      const dir = mkdtempSync(join(tmpdir(), 'ct-unit-'))
      try {
        const unit = join(dir, 'credit-tray.service')
        const text = read('deploy/systemd/credit-tray.service')
        writeFileSync(unit, text.replace('/usr/bin/node', process.execPath))
        const ok = spawnSync(systemdAnalyze!, ['verify', unit], { encoding: 'utf8' })
        expect(`${ok.stdout}${ok.stderr}`.trim()).toBe('')
        expect(ok.status).toBe(0)
        // ...and it does complain about a broken directive, so the check above means something.
        writeFileSync(unit, text.replace('ProtectSystem=strict', 'ProtectSystem=bogus'))
        const bad = spawnSync(systemdAnalyze!, ['verify', unit], { encoding: 'utf8' })
        expect(`${bad.stdout}${bad.stderr}`).toMatch(/protect system value/i)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  )

  it('the Dockerfile is Node 20 slim, non-root, with a health check on /healthz', () => {
    const docker = read('Dockerfile')
    const froms = [...docker.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])
    expect(froms.length).toBeGreaterThan(0)
    for (const image of froms) expect(image).toBe('node:20-slim')
    const lastStage = docker.slice(docker.lastIndexOf('\nFROM '))
    expect(lastStage).toMatch(/^USER node$/m)
    expect(lastStage).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m)
    expect(lastStage).toMatch(/^CMD \["serve", "--listen", "0\.0\.0\.0:9464", "--token-file", /m)
    expect(lastStage).not.toMatch(/OPENAI_ADMIN_KEY=/)
  })

  it('CI installs Prometheus (promtool) with the other Debian packages', () => {
    expect(read('.ci/run')).toMatch(/apt-get install[^\n]*\\\n[^\n]*\sprometheus\s/)
  })
})

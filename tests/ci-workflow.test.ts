// .github/workflows/ci.yml: valid YAML with the jobs the README promises — tests on all three
// desktop OSes, unsigned installers that are never published, and the Electron end-to-end run.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { BUILDER_CONFIG_PATH, ROOT, at, loadYamlFile, type Json } from './support/packaging'

const workflow = loadYamlFile(join(ROOT, '.github/workflows/ci.yml'))
const builder = loadYamlFile(BUILDER_CONFIG_PATH)

interface Step {
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, Json>
  env?: Record<string, Json>
}

const jobs = Object.values((workflow['jobs'] ?? {}) as Record<string, Json>)
const job = jobs[0]
const steps = (at(job, 'steps') ?? []) as Step[]
const runs = (pattern: RegExp): Step[] =>
  steps.filter((s) => s.run !== undefined && pattern.test(s.run))

describe('CI workflow', () => {
  it('is one job over a macOS / Windows / Linux matrix on Node 22', () => {
    expect(jobs).toHaveLength(1)
    const oses = at(job, 'strategy', 'matrix', 'os') as string[]
    expect(oses.some((os) => os.startsWith('ubuntu'))).toBe(true)
    expect(oses.some((os) => os.startsWith('macos'))).toBe(true)
    expect(oses.some((os) => os.startsWith('windows'))).toBe(true)
    expect(at(job, 'runs-on')).toBe('${{ matrix.os }}')
    // One OS failing must not hide the others' results.
    expect(at(job, 'strategy', 'fail-fast')).toBe(false)
    const setupNode = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))
    expect(String(setupNode?.with?.['node-version'])).toBe('22')
  })

  it('audits the production dependencies after installing, failing on high severity', () => {
    const audit = runs(/\bnpm audit\b/)
    expect(audit).toHaveLength(1)
    expect(audit[0]!.run).toBe('npm audit --omit=dev --audit-level=high')
    expect(audit[0]!.if).toBeUndefined()
    expect(steps.indexOf(audit[0]!)).toBeGreaterThan(steps.indexOf(runs(/\bnpm ci\b/)[0]!))
  })

  it('installs from the lockfile', () => {
    expect(runs(/\bnpm ci\b/)).toHaveLength(1)
    expect(runs(/\bnpm install\b/)).toHaveLength(0)
  })

  it('runs the whole test command on Linux and the checks on macOS and Windows', () => {
    const linuxTest = runs(/^npm test$/)
    expect(linuxTest).toHaveLength(1)
    expect(linuxTest[0]!.if).toMatch(/runner\.os == 'Linux'/)
    for (const command of [
      'npm run build',
      'npm run typecheck',
      'npm run lint',
      'npx vitest run'
    ]) {
      const matching = steps.filter((s) => s.run === command)
      expect(matching, command).toHaveLength(1)
      expect(matching[0]!.if, command).toMatch(/runner\.os != 'Linux'/)
    }
  })

  it('installs the Debian packages the keychain tests need before npm ci', () => {
    const apt = runs(/apt-get install/)
    expect(apt).toHaveLength(1)
    for (const pkg of ['libsecret-1-dev', 'gnome-keyring', 'dbus', 'xvfb', 'prometheus']) {
      expect(apt[0]!.run).toMatch(new RegExp(`\\s${pkg}(\\s|$)`))
    }
    expect(steps.indexOf(apt[0]!)).toBeLessThan(steps.indexOf(runs(/\bnpm ci\b/)[0]!))
  })

  it('runs the Electron end-to-end test under Xvfb on Linux', () => {
    const e2e = runs(/xvfb-run -a npx vitest run tests\/electron-app\.e2e\.test\.ts/)
    expect(e2e).toHaveLength(1)
    expect(e2e[0]!.if).toMatch(/runner\.os == 'Linux'/)
  })

  it('builds installers for the runner’s platform and never publishes', () => {
    const build = runs(/electron-builder/)
    expect(build).toHaveLength(1)
    expect(build[0]!.run).toMatch(/\bnpx electron-builder --publish never\b/)
    expect(build[0]!.if).toBeUndefined()
    for (const step of steps) expect(step.run ?? '').not.toMatch(/--publish (always|onTag)/)
  })

  it('uploads every installer electron-builder makes', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.uses).toMatch(/^actions\/upload-artifact@v\d+$/)
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(runs(/electron-builder/)[0]!))
    const paths = String(upload!.with?.['path'])
    const output = at(builder, 'directories', 'output')
    const extension: Record<string, string> = {
      dmg: 'dmg',
      zip: 'zip',
      nsis: 'exe',
      AppImage: 'AppImage',
      deb: 'deb'
    }
    for (const platform of ['mac', 'win', 'linux']) {
      for (const target of at(builder, platform, 'target') as string[]) {
        expect(extension).toHaveProperty(target)
        expect(paths).toContain(`${String(output)}/*.${extension[target]}`)
      }
    }
    expect(upload!.with?.['if-no-files-found']).toBe('error')
  })

  it('keeps LF line endings on Windows so prettier --check passes', () => {
    const autocrlf = runs(/core\.autocrlf false/)
    expect(autocrlf).toHaveLength(1)
    const checkout = steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'))
    expect(steps.indexOf(autocrlf[0]!)).toBeLessThan(checkout)
  })

  it('asks for read-only repository access', () => {
    expect(workflow['permissions']).toEqual({ contents: 'read' })
  })
})

describe('workflow YAML', () => {
  it('is a parseable mapping with jobs (a tab-indented copy is not)', () => {
    const text = readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')
    expect(workflow['jobs']).toBeTypeOf('object')
    // The parser is strict enough to notice a broken file: tabs may not indent YAML.
    const broken = text.replace(/\n {2}build:/, '\n\tbuild:')
    expect(broken).not.toBe(text)
    expect(() => load(broken)).toThrow()
  })
})

describe('Dependabot', () => {
  const dependabot = loadYamlFile(join(ROOT, '.github/dependabot.yml'))
  const updates = (dependabot['updates'] ?? []) as Record<string, Json>[]

  it('proposes npm and GitHub Actions updates weekly, for the whole repository', () => {
    expect(dependabot['version']).toBe(2)
    expect(updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const update of updates) {
      expect(update['directory']).toBe('/')
      expect(at(update, 'schedule', 'interval')).toBe('weekly')
    }
  })
})

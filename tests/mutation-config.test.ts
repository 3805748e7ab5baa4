// `npm run mutate` (Stryker) covers what the README says it covers, and stays out of CI.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = join(__dirname, '..')
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

interface StrykerConfig {
  testRunner: string
  concurrency: number
  coverageAnalysis: string
  mutate: string[]
  vitest: { configFile: string }
}

async function strykerConfig(): Promise<StrykerConfig> {
  const url = pathToFileURL(join(ROOT, 'stryker.config.mjs')).href
  return ((await import(url)) as { default: StrykerConfig }).default
}

describe('mutation testing setup', () => {
  it('npm run mutate runs Stryker with the vitest runner on one worker', async () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    expect(pkg.scripts['mutate']).toBe('stryker run')
    const config = await strykerConfig()
    expect(config).toMatchObject({
      testRunner: 'vitest',
      concurrency: 1,
      coverageAnalysis: 'perTest',
      vitest: { configFile: 'vitest.stryker.config.mts' }
    })
  })

  it('mutates the whole engine and every security module of the Electron shell', async () => {
    const { mutate } = await strykerConfig()
    expect(mutate).toContain('src/main/engine/**/*.ts')
    for (const file of [
      'src/main/electron/ipc.ts',
      'src/main/electron/ipc-validate.ts',
      'src/main/electron/security.ts',
      'src/main/electron/external-links.ts',
      'src/main/electron/app-protocol.ts'
    ]) {
      expect(mutate, file).toContain(file)
      expect(existsSync(join(ROOT, file)), file).toBe(true)
    }
  })

  it('is not part of npm test or CI (too slow), and the README states the measured scores', () => {
    expect(read('scripts/test.sh')).not.toMatch(/stryker|mutate/)
    expect(read('.ci/run')).not.toMatch(/stryker|mutate/)
    expect(read('.github/workflows/ci.yml')).not.toMatch(/stryker|mutate/)
    expect(read('README.md')).toMatch(/Measured mutation scores/)
  })
})

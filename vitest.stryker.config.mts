// The vitest setup Stryker mutates against (`npm run mutate`): the node project only, without
// the tests that need the build, a browser, a keyring or child processes. Those prove other
// things (wiring end to end) and would make every mutant cost seconds.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const __dirname = dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  test: {
    name: 'mutate',
    globals: true,
    environment: 'node',
    include: ['tests/*.test.ts'],
    exclude: [
      'tests/*.e2e.test.ts',
      'tests/electronegativity.test.ts',
      'tests/builder-config.test.ts',
      'tests/ci-workflow.test.ts',
      'tests/icons.test.ts',
      'tests/store-crash.test.ts',
      'tests/dev-csp.test.ts'
    ],
    testTimeout: 30_000
  },
  resolve: {
    alias: { electron: resolve(__dirname, 'tests/fakes/electron.ts') }
  }
})

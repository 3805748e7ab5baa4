// Mutation testing (`npm run mutate`): does the test suite notice when the engine or the
// security-relevant Electron modules change behaviour? Too slow for CI; run it by hand and keep
// the README's scores true. One worker by default: the machine is shared. Run a subset with
// `npm run mutate -- --mutate src/main/engine/ledger.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.mts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/main/engine/**/*.ts',
    'src/main/electron/ipc.ts',
    'src/main/electron/ipc-validate.ts',
    'src/main/electron/security.ts',
    'src/main/electron/external-links.ts',
    'src/main/electron/app-protocol.ts'
  ],
  concurrency: 1,
  // Static mutants (module-level constants) re-run whole test files each; they are reported as
  // ignored rather than taking three quarters of the run.
  ignoreStatic: true,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  // Not copied into the sandbox: reports, other runs' sandboxes, builds and screenshots.
  ignorePatterns: ['reports', '.stryker-tmp*', 'out', 'dist', 'docs/screenshots', '.tmp'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
}

// Reads vitest's JSON report and prints the plain closing line CI counts: "N passed, N failed"
// (skipped tests on the line before). With --counts it prints only "N N" (passed, failed), which
// .ci/run turns into its own closing line.
import { existsSync, readFileSync } from 'node:fs'

const [file, mode] = process.argv.slice(2)

function counts() {
  // No report: the run stopped before vitest (build, typecheck or lint failed): one failure.
  if (!file || !existsSync(file)) return { passed: 0, failed: 1, skipped: 0, missing: true }
  const r = JSON.parse(readFileSync(file, 'utf8'))
  // Suites that failed to load count as failures even though they hold no test results.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0
  ).length
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + brokenFiles,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    missing: false
  }
}

const c = counts()
if (mode === '--counts') {
  console.log(`${c.passed} ${c.failed}`)
} else {
  if (c.missing) console.log('vitest wrote no report')
  if (c.skipped) console.log(`${c.skipped} skipped`)
  console.log(`${c.passed} passed, ${c.failed} failed`)
}
process.exit(c.failed > 0 ? 1 : 0)

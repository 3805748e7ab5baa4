// Reads vitest's JSON report and prints the plain closing line CI counts: "N passed, N failed".
import { readFileSync, existsSync } from 'node:fs'

const file = process.argv[2]
if (!file || !existsSync(file)) {
  console.log('vitest wrote no report')
  console.log('0 passed, 1 failed')
  process.exit(1)
}
const r = JSON.parse(readFileSync(file, 'utf8'))
// Suites that failed to load count as failures even though they hold no test results.
const brokenFiles = (r.testResults ?? []).filter(
  (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0
).length
const passed = r.numPassedTests ?? 0
const failed = (r.numFailedTests ?? 0) + brokenFiles
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''))
process.exit(failed > 0 ? 1 : 0)

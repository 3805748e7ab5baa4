// Child process for tests/cli-concurrency.e2e.test.ts: takes the data file's lock the way the app
// does (file-lock.ts), says "locked", and holds it while alive (its event loop keeps the lock
// fresh) until it is killed.
//   node --import tsx tests/support/lock-holder-child.ts <file>
import { withFileLock } from '../../src/main/engine/file-lock'

const file = process.argv[2]
if (!file) throw new Error('usage: lock-holder-child.ts <file>')

// A pending promise alone does not keep Node running, and the lock's refresh timer is unref'd.
setInterval(() => {}, 60_000)
void withFileLock(file, () => {
  process.stdout.write('locked\n')
  return new Promise<never>(() => {})
})

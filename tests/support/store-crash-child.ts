// Child process for tests/store-crash.test.ts: saves big documents through the real store in a
// tight loop until it is killed. After each save returns it prints the sequence number, so the
// parent knows which versions were fully committed.
//   node --import tsx tests/support/store-crash-child.ts <dir>
import { createJsonStore } from '../../src/main/engine/store'
import { crashDocShape, crashDocument, type CrashDoc } from './crash-doc'

const dir = process.argv[2]
if (!dir) throw new Error('usage: store-crash-child.ts <dir>')

const store = createJsonStore<CrashDoc>({
  dir,
  name: 'big',
  schema: crashDocShape,
  version: 1,
  defaults: crashDocument(0)
})

const start = store.load()
if (start.problem) {
  process.stderr.write(start.problem.message + '\n')
  process.exit(2)
}
for (let seq = start.value.seq + 1; ; seq++) {
  store.save(crashDocument(seq))
  process.stdout.write(`${seq}\n`)
}

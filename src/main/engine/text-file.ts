// Writing a document the user asked for (a CSV export) where they asked for it: atomically, so an
// existing file is replaced whole or not at all — never left half-written by a crash or a full
// disk.
import writeFileAtomic from 'write-file-atomic'

export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, { encoding: 'utf8', fsync: true })
}

export function writeTextFileAtomicSync(path: string, text: string): void {
  writeFileAtomic.sync(path, text, { encoding: 'utf8', fsync: true })
}

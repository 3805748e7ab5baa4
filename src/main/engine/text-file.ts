// Writing a document the user asked for (a CSV export) where they asked for it: atomically, so an
// existing file is replaced whole or not at all — never left half-written by a crash or a full
// disk.
import writeFileAtomic from 'write-file-atomic'

// write-file-atomic's defaults are what an export needs: the text as UTF-8, and the temp file
// fsync'd before it is renamed over the target (it only skips that when told `fsync: false`).
// tests/text-file.test.ts pins both.

export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text)
}

export function writeTextFileAtomicSync(path: string, text: string): void {
  writeFileAtomic.sync(path, text)
}

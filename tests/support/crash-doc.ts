// A large document whose every part depends on its sequence number, so a torn or mixed write
// cannot pass validation (used by the store crash test and its child process). It is mostly one
// long string: cheap to build and check, slow to write, so a kill tends to land mid-write.
import { z } from 'zod'

const BLOB_CHARS = 1024 * 1024

/** The shape only: cheap, so the writer spends most of its time writing. */
export const crashDocShape = z.object({
  seq: z.number().int().nonnegative(),
  blob: z.string(),
  tail: z.number().int()
})

/** Shape plus content: every part must belong to the same version. */
export const crashDocSchema = crashDocShape.refine(
  (doc) => doc.tail === doc.seq && doc.blob === blob(doc.seq),
  {
    message: 'parts of the document belong to different versions'
  }
)

export type CrashDoc = z.infer<typeof crashDocShape>

export function crashDocument(seq: number): CrashDoc {
  return { seq, blob: blob(seq), tail: seq }
}

function blob(seq: number): string {
  const unit = `${seq}|`
  return unit.repeat(Math.ceil(BLOB_CHARS / unit.length))
}

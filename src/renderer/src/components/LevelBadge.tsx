import type { ReactNode } from 'react'
import type { Level } from '../../../shared/status'
import { LevelIcon } from './icons'

export const LEVEL_LABELS: Record<Level, string> = {
  ok: 'OK',
  low: 'Low',
  critical: 'Critical',
  unknown: 'No balance'
}

/** Level as words plus a distinct shape; colour only reinforces it. */
export function LevelBadge({ level }: { level: Level }): ReactNode {
  return (
    <span className={`badge level-${level}`} data-level={level}>
      <LevelIcon level={level} />
      <span className="sr-only">Level: </span>
      {LEVEL_LABELS[level]}
    </span>
  )
}

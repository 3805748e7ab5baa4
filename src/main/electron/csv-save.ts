// "Export CSV" in the tray window: ask where to save with the native save dialog, then write the
// engine's CSV there atomically. The dialog and the writer are injected (Electron's
// dialog.showSaveDialog and write-file-atomic), so this runs under vitest.
import { basename, join } from 'node:path'
import type { CsvExportResult } from '../../shared/ipc'
import { InputError } from '../engine/errors'

export interface SaveDialogOptionsLike {
  title: string
  defaultPath: string
  buttonLabel: string
  filters: { name: string; extensions: string[] }[]
  properties: string[]
}

export interface SaveDialogResultLike {
  canceled: boolean
  filePath?: string | undefined
}

export interface CsvSaverDeps {
  showSaveDialog: (options: SaveDialogOptionsLike) => Promise<SaveDialogResultLike>
  /** The CSV text (engine.exportCsv). */
  csv: () => string
  writeFile: (path: string, text: string) => Promise<void>
  /** Where the dialog starts (e.g. the Downloads folder). */
  defaultDir: string
  now: () => Date
}

/** "openai-costs-2024-11-03.csv": sorts by date and says what is inside. */
export function csvFileName(now: Date): string {
  return `openai-costs-${now.toISOString().slice(0, 10)}.csv`
}

export function createCsvSaver(deps: CsvSaverDeps): () => Promise<CsvExportResult> {
  return async () => {
    // Build the text first: a problem with the data shows before the user picks a place.
    const text = deps.csv()
    const choice = await deps.showSaveDialog({
      title: 'Export daily costs',
      defaultPath: join(deps.defaultDir, csvFileName(deps.now())),
      buttonLabel: 'Export',
      filters: [{ name: 'CSV (comma-separated values)', extensions: ['csv'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation']
    })
    if (choice.canceled || !choice.filePath) return { saved: false }
    try {
      await deps.writeFile(choice.filePath, text)
    } catch (error) {
      // Shown in the window: say what went wrong in words (InputError messages pass IPC as is).
      throw new InputError(`Could not save ${basename(choice.filePath)}: ${reason(error)}.`)
    }
    return { saved: true, path: choice.filePath }
  }
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; choose another folder'
    case 'ENOSPC':
      return 'the disk is full'
    case 'EROFS':
      return 'that place is read-only'
    case 'ENOENT':
      return 'that folder does not exist'
    default:
      return 'the file could not be written'
  }
}

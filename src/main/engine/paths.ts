// Where Credit Tray keeps its files: the same folder Electron's `app.getPath('userData')` gives
// for productName "Credit Tray", so the tray app and the `credit-tray` CLI (which cannot ask
// Electron) read and write the very same documents. Everything is passed in, so each platform's
// answer is testable from any platform.
import fs from 'node:fs'
import path from 'node:path'
import { CreditTrayError } from './errors'

export const APP_FOLDER_NAME = 'Credit Tray'

/** Environment variable that replaces the app-data folder entirely (tests, portable setups). */
export const HOME_OVERRIDE_VAR = 'CREDIT_TRAY_HOME'

/**
 * The app-data folder:
 * - `CREDIT_TRAY_HOME` when set (non-empty), on every platform;
 * - Windows: `%APPDATA%\Credit Tray`, falling back to `<home>\AppData\Roaming\Credit Tray`;
 * - macOS: `<home>/Library/Application Support/Credit Tray`;
 * - Linux and other Unixes: `$XDG_CONFIG_HOME/Credit Tray`, falling back to
 *   `<home>/.config/Credit Tray` (like Chromium, any non-empty XDG_CONFIG_HOME is used).
 */
export function appDataDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  homedir: string
): string {
  const p = platform === 'win32' ? path.win32 : path.posix
  const override = nonEmpty(env[HOME_OVERRIDE_VAR])
  if (override) return p.resolve(override)

  if (platform === 'win32') {
    const roaming = nonEmpty(env.APPDATA) ?? p.join(homedir, 'AppData', 'Roaming')
    return p.join(roaming, APP_FOLDER_NAME)
  }
  if (platform === 'darwin') {
    return p.join(homedir, 'Library', 'Application Support', APP_FOLDER_NAME)
  }
  const config = nonEmpty(env.XDG_CONFIG_HOME) ?? p.join(homedir, '.config')
  return p.join(config, APP_FOLDER_NAME)
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined
}

/**
 * A data folder that cannot be one (a file stands there or above it): a `storage` error saying
 * so, or null. Checked before any command so the user gets one clear line, not a failure per file.
 */
export function dataDirProblem(dir: string): CreditTrayError | null {
  let isDir: boolean
  try {
    isDir = fs.statSync(dir).isDirectory()
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'ENOENT') return null // created on first save
    if (code !== 'ENOTDIR') return null // reported by the file operation itself, with its file
    isDir = false
  }
  if (isDir) return null
  return new CreditTrayError(
    'storage',
    `The data folder "${dir}" cannot be used: a file stands at that path or above it. ` +
      `Move the file away, or point ${HOME_OVERRIDE_VAR} at a folder. Nothing was changed.`
  )
}

// Where Credit Tray keeps its files: the same folder Electron's `app.getPath('userData')` gives
// for productName "Credit Tray", so the tray app and the `credit-tray` CLI (which cannot ask
// Electron) read and write the very same documents. Everything is passed in, so each platform's
// answer is testable from any platform.
import path from 'node:path'

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

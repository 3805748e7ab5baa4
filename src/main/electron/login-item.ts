// "Launch at login" on all three platforms.
// - macOS and Windows: Electron's app.setLoginItemSettings / getLoginItemSettings. On Windows
//   both calls must name the same executable and arguments, or the query looks at a different
//   registry entry; `enabled` also (re)approves the entry in Task Manager's Startup apps.
// - Linux: Electron has no login items there. The XDG Autostart spec does it: a .desktop file
//   in $XDG_CONFIG_HOME/autostart (default ~/.config/autostart). Inside an AppImage,
//   process.execPath points into a temporary mount that is gone after exit, so Exec uses the
//   AppImage file itself ($APPIMAGE).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'

/** Passed to the app when the OS starts it at login, so it can start quietly in the tray. */
export const LOGIN_ARG = '--launched-at-login'
export const AUTOSTART_FILE_NAME = 'credit-tray.desktop'

/** The parts of Electron's `app` used on macOS and Windows. */
export interface LoginItemAppLike {
  setLoginItemSettings(settings: {
    openAtLogin: boolean
    path?: string
    args?: string[]
    enabled?: boolean
  }): void
  getLoginItemSettings(options?: { path?: string; args?: string[] }): {
    openAtLogin: boolean
    executableWillLaunchAtLogin?: boolean
  }
}

export interface LoginItemDeps {
  platform: NodeJS.Platform
  app: LoginItemAppLike
  /** process.execPath */
  execPath: string
  /** process.env (APPIMAGE, XDG_CONFIG_HOME). */
  env: Readonly<Record<string, string | undefined>>
  /** os.homedir() */
  homeDir: string
  /** Arguments before LOGIN_ARG, e.g. the app folder when running an unpackaged build. */
  args?: string[]
}

export interface LoginItem {
  isEnabled(): boolean
  /** Turn launching at login on or off. Throws when the OS setting cannot be written. */
  setEnabled(on: boolean): void
  /**
   * Linux: if enabled, rewrite the autostart entry when it points elsewhere (the AppImage was
   * moved or updated). Call at startup. No-op on other platforms.
   */
  refresh(): void
}

/** Characters that force quoting of an Exec argument (Desktop Entry spec, "The Exec key"). */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/

/**
 * One argument of an Exec line. Quoting first (inside double quotes, `"`, `` ` ``, `$` and `\`
 * get a backslash), then the rules for all string values (`\` → `\\`, newline → `\n`, …),
 * because readers undo them in the opposite order. A literal `%` is written `%%`.
 */
export function quoteExecArg(arg: string): string {
  const quoted =
    arg === '' || RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : arg
  return quoted
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(/%/g, '%%')
}

/** The executable to start at login: the AppImage when running from one. */
export function loginExecutable(execPath: string, env: LoginItemDeps['env']): string {
  const appImage = env['APPIMAGE']
  return appImage && isAbsolute(appImage) ? appImage : execPath
}

/** $XDG_CONFIG_HOME/autostart, or ~/.config/autostart (relative XDG paths are ignored, per spec). */
export function autostartDir(env: LoginItemDeps['env'], homeDir: string): string {
  const xdg = env['XDG_CONFIG_HOME']
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(homeDir, '.config')
  return join(configHome, 'autostart')
}

export function autostartDesktopEntry(executable: string, args: string[]): string {
  const exec = [executable, ...args].map(quoteExecArg).join(' ')
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Credit Tray',
    'Comment=Estimates how much OpenAI API credit is left',
    `Exec=${exec}`,
    'Icon=credit-tray',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    ''
  ].join('\n')
}

export function createLoginItem(deps: LoginItemDeps): LoginItem {
  const args = [...(deps.args ?? []), LOGIN_ARG]

  if (deps.platform === 'darwin' || deps.platform === 'win32') {
    const windows = deps.platform === 'win32'
    // Only Windows keys its login item by path and arguments.
    const target = windows ? { path: deps.execPath, args } : {}
    return {
      isEnabled() {
        const settings = deps.app.getLoginItemSettings(target)
        // On Windows an entry the user disabled in Task Manager is still "openAtLogin".
        return windows
          ? (settings.executableWillLaunchAtLogin ?? settings.openAtLogin)
          : settings.openAtLogin
      },
      setEnabled(on) {
        deps.app.setLoginItemSettings({
          openAtLogin: on,
          ...target,
          ...(windows ? { enabled: on } : {})
        })
      },
      refresh() {}
    }
  }

  const dir = autostartDir(deps.env, deps.homeDir)
  const file = join(dir, AUTOSTART_FILE_NAME)
  const wanted = (): string => autostartDesktopEntry(loginExecutable(deps.execPath, deps.env), args)
  const read = (): string | null => {
    try {
      return readFileSync(file, 'utf8')
    } catch {
      return null
    }
  }
  const write = (): void => {
    mkdirSync(dir, { recursive: true })
    // Atomic: a session starting while we write never sees half an entry.
    writeFileAtomic.sync(file, wanted(), { mode: 0o644 })
  }
  const isEnabled = (): boolean => {
    const text = read()
    if (text === null) return false
    // Desktop settings tools switch entries off in place rather than deleting them.
    return (
      !/^Hidden\s*=\s*true\s*$/m.test(text) &&
      !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text)
    )
  }
  return {
    isEnabled,
    setEnabled(on) {
      if (on) write()
      else if (existsSync(file)) rmSync(file, { force: true })
    },
    refresh() {
      if (isEnabled() && read() !== wanted()) write()
    }
  }
}

import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as Electron from 'electron'
import {
  AUTOSTART_FILE_NAME,
  LOGIN_ARG,
  createLoginItem,
  quoteExecArg,
  type LoginItemAppLike
} from '../src/main/electron/login-item'
import { app, resetElectronShellFake } from './fakes/electron-shell'

// The real Electron `app` must fit the injected interface (checked by tsc).
type _RealAppFits = Electron.App extends LoginItemAppLike ? true : never
const _fits: _RealAppFits = true
void _fits

/**
 * Read an Exec value back the way a desktop environment does (Desktop Entry spec): undo the
 * string escapes, split into arguments honouring double quotes and their backslash escapes,
 * then turn %% into %.
 */
function parseExec(value: string): string[] {
  let unescaped = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (c === '\\' && i + 1 < value.length) {
      const next = value[++i]!
      unescaped +=
        ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' } as Record<string, string>)[next] ??
        `\\${next}`
    } else unescaped += c
  }
  const args: string[] = []
  let current: string | null = null
  for (let i = 0; i < unescaped.length; i++) {
    const c = unescaped[i]!
    if (c === '"') {
      current ??= ''
      for (i++; i < unescaped.length && unescaped[i] !== '"'; i++) {
        if (unescaped[i] === '\\' && '"`$\\'.includes(unescaped[i + 1] ?? '')) i++
        current += unescaped[i]
      }
    } else if (c === ' ') {
      if (current !== null) args.push(current)
      current = null
    } else current = (current ?? '') + c
  }
  if (current !== null) args.push(current)
  return args.map((a) => a.replace(/%%/g, '%'))
}

function execLine(desktopFile: string): string {
  const line = desktopFile.split('\n').find((l) => l.startsWith('Exec='))
  if (!line) throw new Error('no Exec line')
  return line.slice('Exec='.length)
}

let home: string
beforeEach(() => {
  resetElectronShellFake()
  home = mkdtempSync(join(tmpdir(), 'credit-tray-login-'))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

describe('Exec quoting (Desktop Entry spec)', () => {
  it('leaves plain paths alone and quotes paths with spaces', () => {
    expect(quoteExecArg('/opt/Credit-Tray/credit-tray')).toBe('/opt/Credit-Tray/credit-tray')
    expect(quoteExecArg('/opt/Credit Tray/credit-tray')).toBe('"/opt/Credit Tray/credit-tray"')
  })

  it('escapes quotes, dollars, backticks, backslashes and percent signs so they read back exactly', () => {
    const tricky = [
      '/home/ann/Apps/Credit Tray.AppImage',
      '/home/o\'neil/"quoted"/app',
      '/tmp/$HOME/`id`/x',
      '/weird\\path/with\\backslash',
      '/100% sure/app',
      '/tabs\tand\nnewlines',
      'plain',
      ''
    ]
    for (const arg of tricky) {
      expect(parseExec(quoteExecArg(arg)), JSON.stringify(arg)).toEqual([arg])
    }
    expect(parseExec(tricky.map(quoteExecArg).join(' '))).toEqual(tricky)
  })

  it('writes a literal backslash in a quoted argument as four backslashes', () => {
    expect(quoteExecArg('a\\b c')).toBe('"a\\\\\\\\b c"')
  })
})

describe('launch at login on Linux (XDG autostart)', () => {
  const linux = (
    env: Record<string, string | undefined> = {},
    execPath = '/opt/Credit Tray/credit-tray'
  ) => createLoginItem({ platform: 'linux', app, execPath, env, homeDir: home })
  const defaultFile = (): string => join(home, '.config', 'autostart', AUTOSTART_FILE_NAME)

  it('is off until turned on', () => {
    expect(linux().isEnabled()).toBe(false)
  })

  it('writes ~/.config/autostart/credit-tray.desktop that starts this executable', () => {
    const item = linux()
    item.setEnabled(true)
    expect(item.isEnabled()).toBe(true)
    const text = readFileSync(defaultFile(), 'utf8')
    expect(text.split('\n')[0]).toBe('[Desktop Entry]')
    expect(text).toMatch(/^Type=Application$/m)
    expect(text).toMatch(/^Name=Credit Tray$/m)
    expect(text).toMatch(/^X-GNOME-Autostart-enabled=true$/m)
    expect(parseExec(execLine(text))).toEqual(['/opt/Credit Tray/credit-tray', LOGIN_ARG])
    expect(statSync(defaultFile()).mode & 0o777).toBe(0o644)
    expect(app.loginItemSettingsCalls).toEqual([]) // Electron's login items are not used here
  })

  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    const xdg = join(home, 'xdg-config')
    linux({ XDG_CONFIG_HOME: xdg }).setEnabled(true)
    expect(readdirSync(join(xdg, 'autostart'))).toEqual([AUTOSTART_FILE_NAME])

    linux({ XDG_CONFIG_HOME: 'relative/config' }).setEnabled(true)
    expect(readFileSync(defaultFile(), 'utf8')).toContain('Exec=')
  })

  it('starts the AppImage itself, not its temporary mount', () => {
    const item = linux(
      { APPIMAGE: '/home/ann/Apps/Credit Tray-0.1.0.AppImage' },
      '/tmp/.mount_CreditXyz/credit-tray'
    )
    item.setEnabled(true)
    expect(parseExec(execLine(readFileSync(defaultFile(), 'utf8')))).toEqual([
      '/home/ann/Apps/Credit Tray-0.1.0.AppImage',
      LOGIN_ARG
    ])
  })

  it('passes extra arguments (an unpackaged build needs the app folder)', () => {
    createLoginItem({
      platform: 'linux',
      app,
      execPath: '/usr/lib/electron/electron',
      env: {},
      homeDir: home,
      args: ['/home/dev/credit tray']
    }).setEnabled(true)
    expect(parseExec(execLine(readFileSync(defaultFile(), 'utf8')))).toEqual([
      '/usr/lib/electron/electron',
      '/home/dev/credit tray',
      LOGIN_ARG
    ])
  })

  it('removes the entry when turned off, and turning off twice is fine', () => {
    const item = linux()
    item.setEnabled(true)
    item.setEnabled(false)
    expect(item.isEnabled()).toBe(false)
    expect(readdirSync(join(home, '.config', 'autostart'))).toEqual([])
    item.setEnabled(false)
  })

  it('writes atomically: no temporary file is left next to the entry', () => {
    const item = linux()
    item.setEnabled(true)
    item.setEnabled(true)
    expect(readdirSync(join(home, '.config', 'autostart'))).toEqual([AUTOSTART_FILE_NAME])
  })

  it('counts an entry switched off by the desktop settings as off', () => {
    const dir = join(home, '.config', 'autostart')
    mkdirSync(dir, { recursive: true })
    const item = linux()
    item.setEnabled(true)
    const text = readFileSync(defaultFile(), 'utf8')
    writeFileSync(
      defaultFile(),
      text.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false')
    )
    expect(item.isEnabled()).toBe(false)
    writeFileSync(defaultFile(), text + 'Hidden=true\n')
    expect(item.isEnabled()).toBe(false)
    item.setEnabled(true)
    expect(item.isEnabled()).toBe(true)
  })

  it('refresh() repoints an enabled entry at a moved AppImage, and leaves a disabled one alone', () => {
    linux({ APPIMAGE: '/home/ann/Old/app.AppImage' }).setEnabled(true)
    linux({ APPIMAGE: '/home/ann/New/app.AppImage' }).refresh()
    expect(parseExec(execLine(readFileSync(defaultFile(), 'utf8')))[0]).toBe(
      '/home/ann/New/app.AppImage'
    )

    linux().setEnabled(false)
    linux().refresh()
    expect(linux().isEnabled()).toBe(false)
  })
})

describe('launch at login on macOS and Windows (Electron login items)', () => {
  it('macOS: turns the login item on and off and reads it back', () => {
    const item = createLoginItem({
      platform: 'darwin',
      app,
      execPath: '/Applications/Credit Tray.app/Contents/MacOS/Credit Tray',
      env: {},
      homeDir: home
    })
    expect(item.isEnabled()).toBe(false)
    item.setEnabled(true)
    expect(item.isEnabled()).toBe(true)
    item.setEnabled(false)
    expect(item.isEnabled()).toBe(false)
    expect(app.loginItemSettingsCalls).toEqual([{ openAtLogin: true }, { openAtLogin: false }])
    expect(readdirSync(home)).toEqual([]) // no files written
  })

  it('Windows: names the same executable and arguments when setting and reading', () => {
    const getSpy = vi.spyOn(app, 'getLoginItemSettings')
    const exe = 'C:\\Users\\ann\\AppData\\Local\\Programs\\credit-tray\\Credit Tray.exe'
    const item = createLoginItem({ platform: 'win32', app, execPath: exe, env: {}, homeDir: home })
    item.setEnabled(true)
    expect(app.loginItemSettingsCalls).toEqual([
      { openAtLogin: true, path: exe, args: [LOGIN_ARG], enabled: true }
    ])
    expect(item.isEnabled()).toBe(true)
    expect(getSpy).toHaveBeenLastCalledWith({ path: exe, args: [LOGIN_ARG] })
  })

  it('Windows: an entry disabled in Task Manager counts as off', () => {
    const item = createLoginItem({
      platform: 'win32',
      app,
      execPath: 'C:\\app.exe',
      env: {},
      homeDir: home
    })
    item.setEnabled(true)
    app.loginItem = { ...app.loginItem, openAtLogin: true, executableWillLaunchAtLogin: false }
    expect(item.isEnabled()).toBe(false)
  })
})

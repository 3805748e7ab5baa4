import { describe, expect, it } from 'vitest'
import { appDataDir } from '../src/main/engine/paths'

describe('the app-data folder matches Electron userData for "Credit Tray"', () => {
  it('Linux: under XDG_CONFIG_HOME when set', () => {
    expect(appDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/xdg/Credit Tray')
  })

  it('Linux: under ~/.config when XDG_CONFIG_HOME is unset or empty', () => {
    expect(appDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Credit Tray')
    expect(appDataDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/Credit Tray'
    )
  })

  it('other Unixes follow the Linux rule', () => {
    expect(appDataDir({}, 'freebsd', '/home/ann')).toBe('/home/ann/.config/Credit Tray')
  })

  it('macOS: ~/Library/Application Support, ignoring XDG', () => {
    expect(appDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Credit Tray'
    )
  })

  it('Windows: %APPDATA% with backslashes', () => {
    expect(
      appDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')
    ).toBe('C:\\Users\\ann\\AppData\\Roaming\\Credit Tray')
  })

  it('Windows: falls back to <home>\\AppData\\Roaming without APPDATA', () => {
    expect(appDataDir({}, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Credit Tray'
    )
  })

  it('CREDIT_TRAY_HOME overrides every platform', () => {
    const env = { CREDIT_TRAY_HOME: '/tmp/ct', XDG_CONFIG_HOME: '/xdg', APPDATA: 'C:\\x' }
    expect(appDataDir(env, 'linux', '/home/ann')).toBe('/tmp/ct')
    expect(appDataDir(env, 'darwin', '/Users/ann')).toBe('/tmp/ct')
    expect(appDataDir({ CREDIT_TRAY_HOME: 'D:\\ct' }, 'win32', 'C:\\Users\\ann')).toBe('D:\\ct')
  })
})

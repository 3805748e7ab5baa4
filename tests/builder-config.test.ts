// electron-builder.yml: valid for the installed electron-builder (checked offline against its
// own JSON schema and its own config validation), and the packaging choices the app relies on.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { APP_ID, PRODUCT_NAME } from '../src/main/electron/app-id'
import { TRAY_ICON_STATES, trayIconPath } from '../src/main/electron/tray-icons'
import {
  BUILDER_CONFIG_PATH,
  ROOT,
  at,
  builderSchema,
  copyRules,
  electronBuilderValidate,
  loadYamlFile,
  schemaValidator
} from './support/packaging'

const config = loadYamlFile(BUILDER_CONFIG_PATH)
const validate = schemaValidator(builderSchema())
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  productName: string
  main: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
}

const tempDirs: string[] = []
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

/** A copy of electron-builder.yml with one textual change, read back from disk. */
function brokenCopy(from: string, to: string): ReturnType<typeof loadYamlFile> {
  const text = readFileSync(BUILDER_CONFIG_PATH, 'utf8')
  const changed = text.replace(from, to)
  expect(changed, `"${from}" is in electron-builder.yml`).not.toBe(text)
  const dir = mkdtempSync(join(tmpdir(), 'credit-tray-builder-'))
  tempDirs.push(dir)
  const path = join(dir, 'electron-builder.yml')
  writeFileSync(path, changed)
  return loadYamlFile(path)
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path)
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

/** Image sizes in a Windows .ico (a stored size of 0 means 256). */
function icoSizes(path: string): number[] {
  const bytes = readFileSync(path)
  expect(bytes.readUInt16LE(2), 'ICO type 1').toBe(1)
  const count = bytes.readUInt16LE(4)
  return Array.from({ length: count }, (_, i) => bytes.readUInt8(6 + i * 16) || 256)
}

describe('electron-builder.yml is a valid configuration', () => {
  it('declares a JSON schema draft the validator knows', () => {
    expect(builderSchema().$schema).toMatch(/draft-07|2019-09|2020-12/)
  })

  it('passes electron-builder’s JSON schema without type coercion', () => {
    expect(validate(config)).toEqual([])
  })

  it('passes electron-builder’s own configuration check', async () => {
    await expect(electronBuilderValidate(config)).resolves.toBeUndefined()
  })

  it('a copy with a value of the wrong type is rejected, naming the option', async () => {
    const broken = brokenCopy('runAsNode: false', "runAsNode: 'no'")
    const errors = validate(broken)
    expect(errors.map((e) => e.instancePath)).toContain('/electronFuses/runAsNode')
    await expect(electronBuilderValidate(broken)).rejects.toThrow(/runAsNode/)
  })

  it('a copy with a misspelt option is rejected', async () => {
    const broken = brokenCopy('\nelectronFuses:', '\nelectronFuse:')
    const errors = validate(broken)
    expect(errors.some((e) => e.params['additionalProperty'] === 'electronFuse')).toBe(true)
    await expect(electronBuilderValidate(broken)).rejects.toThrow(/electronFuse/)
  })
})

describe('identity', () => {
  it('appId is the AppUserModelID the app sets at run time', () => {
    expect(config['appId']).toBe(APP_ID)
  })

  it('productName matches the app and package.json', () => {
    expect(config['productName']).toBe(PRODUCT_NAME)
    expect(packageJson.productName).toBe(PRODUCT_NAME)
  })

  it('npm run dist builds first and never publishes', () => {
    expect(packageJson.scripts['dist']).toMatch(/^npm run build && electron-builder\b/)
    expect(packageJson.scripts['dist']).toContain('--publish never')
    expect(config['publish']).toBeNull()
    expect(at(config, 'directories', 'output')).toBe('dist')
  })
})

describe('what goes into the package', () => {
  const appDir = '/packaged/app'
  const files = copyRules(config, 'files', appDir)

  it('ships the built bundles and package.json, nothing from src/, tests/ or docs', () => {
    expect(files).toHaveLength(1)
    const rule = files[0]!
    expect(rule.from).toBe(ROOT)
    for (const shipped of [
      packageJson.main,
      'out/preload/index.js',
      'out/renderer',
      'package.json'
    ]) {
      const path = join(ROOT, shipped)
      if (existsSync(path)) expect(rule.copies(path), shipped).toBe(true)
    }
    for (const kept of [
      'src/main/electron/index.ts',
      'src/shared/status.ts',
      'tests/builder-config.test.ts',
      'docs/ARCHITECTURE.md',
      'README.md',
      'electron.vite.config.ts',
      'resources/icon.png'
    ]) {
      expect(rule.copies(join(ROOT, kept)), kept).toBe(false)
    }
  })

  it('every tray icon the app loads is copied to resourcesPath/resources', () => {
    // index.ts: resourcesDir = join(process.resourcesPath, 'resources') when packaged.
    const resourcesPath = '/packaged/Resources'
    const rules = copyRules(config, 'extraResources', resourcesPath)
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of TRAY_ICON_STATES) {
        const source = trayIconPath(state, platform, join(ROOT, 'resources'))
        expect(existsSync(source), source).toBe(true)
        const wanted = trayIconPath(state, platform, join(resourcesPath, 'resources'))
        const copiedTo = rules
          .filter((rule) => !relative(rule.from, source).startsWith('..') && rule.copies(source))
          .map((rule) => join(rule.to, relative(rule.from, source)))
        expect(copiedTo, `${platform} ${state}`).toContain(wanted)
      }
    }
  })

  it('the SVG sources stay behind', () => {
    const rules = copyRules(config, 'extraResources', '/packaged/Resources')
    const svg = join(ROOT, 'resources', 'tray', 'ok-tray.svg')
    expect(existsSync(svg)).toBe(true)
    expect(rules.some((rule) => rule.copies(svg))).toBe(false)
  })

  it('keytar’s native module is unpacked from the asar archive', () => {
    expect(config['asar']).not.toBe(false)
    const rules = copyRules(config, 'asarUnpack', appDir)
    const unpacked = (file: string): boolean => rules.some((rule) => rule.copies(file))
    const keytarNode = join(ROOT, 'node_modules/keytar/build/Release/keytar.node')
    expect(existsSync(keytarNode)).toBe(true)
    expect(unpacked(keytarNode)).toBe(true)
    // Only keytar: the rest stays inside the archive.
    expect(unpacked(join(ROOT, 'node_modules/zod/package.json'))).toBe(false)
    expect(packageJson.dependencies).toHaveProperty('keytar')
  })

  it('native modules are rebuilt for Electron', () => {
    expect(config['npmRebuild']).toBe(true)
  })
})

describe('Electron fuses', () => {
  it('closes the Node entry points and turns on cookie encryption and asar integrity', () => {
    expect(config['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
  })

  it('takes file:// its extra privileges (the pages come from credit-tray://app)', () => {
    expect(at(config, 'electronFuses', 'grantFileProtocolExtraPrivileges')).toBe(false)
    expect(at(config, 'electronFuses', 'loadBrowserProcessSpecificV8Snapshot')).toBeUndefined()
  })
})

describe('per-platform targets', () => {
  it('macOS: dmg and zip, a menu-bar app (no Dock icon), hardened runtime', () => {
    expect(at(config, 'mac', 'target')).toEqual(['dmg', 'zip'])
    expect(at(config, 'mac', 'extendInfo', 'LSUIElement')).toBe(true)
    expect(at(config, 'mac', 'hardenedRuntime')).toBe(true)
    expect(at(config, 'mac', 'category')).toBe('public.app-category.utilities')
  })

  it('Windows: a per-user NSIS installer', () => {
    expect(at(config, 'win', 'target')).toEqual(['nsis'])
    expect(at(config, 'nsis', 'perMachine')).toBe(false)
    expect(at(config, 'nsis', 'oneClick')).toBe(true)
  })

  it('Linux: AppImage and deb in the Utility category', () => {
    expect(at(config, 'linux', 'target')).toEqual(['AppImage', 'deb'])
    expect(at(config, 'linux', 'category')).toBe('Utility')
    // electron-builder refuses to build a .deb without a maintainer (package.json has no author).
    expect(at(config, 'linux', 'maintainer')).toEqual(expect.any(String))
  })
})

describe('icons', () => {
  const iconOf = (platform: 'mac' | 'win' | 'linux'): string => {
    const icon = at(config, platform, 'icon')
    expect(typeof icon, `${platform}.icon`).toBe('string')
    return join(ROOT, icon as string)
  }

  it('every icon the config names exists', () => {
    for (const platform of ['mac', 'win', 'linux'] as const) {
      expect(existsSync(iconOf(platform)), iconOf(platform)).toBe(true)
    }
  })

  it('the macOS and Linux icon is a square PNG of at least 512 px', () => {
    for (const platform of ['mac', 'linux'] as const) {
      const { width, height } = pngSize(iconOf(platform))
      expect(width).toBe(height)
      expect(width).toBeGreaterThanOrEqual(512)
    }
  })

  it('the Windows icon holds a 256 px image (the installer and Explorer need it)', () => {
    expect(iconOf('win')).toMatch(/\.ico$/)
    expect(icoSizes(iconOf('win'))).toContain(256)
  })
})

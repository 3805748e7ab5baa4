import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { inflateSync } from 'node:zlib'
import { traySvg, writeIcons } from '../scripts/make-icons'
import {
  TRAY_ICO_SIZES,
  TRAY_ICON_STATES,
  trayIconFiles,
  trayIconPath,
  type TrayIconState
} from '../src/main/electron/tray-icons'

const RESOURCES = join(__dirname, '..', 'resources')
const TRAY = join(RESOURCES, 'tray')

interface Image {
  width: number
  height: number
  /** RGBA, 8 bits per channel, row by row. */
  rgba: Buffer
}

/** A small PNG decoder (8-bit RGBA, non-interlaced: what resvg writes). */
function decodePng(file: Buffer): Image {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at)
    const type = file.toString('latin1', at + 4, at + 8)
    const data = file.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const [bitDepth, colorType, , , interlace] = data.subarray(8, 13)
      if (bitDepth !== 8 || colorType !== 6 || interlace !== 0)
        throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}`)
    } else if (type === 'IDAT') idat.push(data)
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4
  const rgba = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? rgba[y * stride + i - 4]! : 0
      const up = y > 0 ? rgba[(y - 1) * stride + i]! : 0
      const upLeft = y > 0 && i >= 4 ? rgba[(y - 1) * stride + i - 4]! : 0
      let predictor: number
      switch (filter) {
        case 0:
          predictor = 0
          break
        case 1:
          predictor = left
          break
        case 2:
          predictor = up
          break
        case 3:
          predictor = (left + up) >> 1
          break
        case 4: {
          const p = left + up - upLeft
          const pa = Math.abs(p - left)
          const pb = Math.abs(p - up)
          const pc = Math.abs(p - upLeft)
          predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft
          break
        }
        default:
          throw new Error(`bad PNG filter ${filter}`)
      }
      rgba[y * stride + i] = (line[i]! + predictor) & 0xff
    }
  }
  return { width, height, rgba }
}

function pixels(image: Image): { r: number; g: number; b: number; a: number }[] {
  const out = []
  for (let i = 0; i < image.rgba.length; i += 4)
    out.push({
      r: image.rgba[i]!,
      g: image.rgba[i + 1]!,
      b: image.rgba[i + 2]!,
      a: image.rgba[i + 3]!
    })
  return out
}

const load = (file: string): Image => decodePng(readFileSync(join(TRAY, file)))

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

/** Sizes listed in an .ico directory (0 means 256). */
function icoSizes(file: Buffer): number[] {
  expect(file.readUInt16LE(0)).toBe(0)
  expect(file.readUInt16LE(2)).toBe(1) // icon, not cursor
  const count = file.readUInt16LE(4)
  return Array.from({ length: count }, (_, i) => file[6 + i * 16] || 256)
}

describe('icon generation', () => {
  it('is reproducible: a fresh run gives exactly the committed files, byte for byte', async () => {
    const out = mkdtempSync(join(tmpdir(), 'credit-tray-icons-'))
    try {
      const written = await writeIcons(out)
      expect(listFiles(out)).toEqual(written)
      // resources/tray/ holds generated icons only: nothing stale lies around there. (Other
      // files in resources/, e.g. packaging assets, are not the generator's business.)
      expect(listFiles(TRAY)).toEqual(listFiles(join(out, 'tray')))
      for (const name of written) {
        const fresh = readFileSync(join(out, name))
        const committed = readFileSync(join(RESOURCES, name))
        expect(fresh.equals(committed), `${name} differs: run npm run icons`).toBe(true)
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})

describe('tray icons', () => {
  it('exist for every state on every platform', () => {
    for (const state of TRAY_ICON_STATES) {
      for (const platform of ['darwin', 'win32', 'linux', 'freebsd'] as const) {
        const path = trayIconPath(state, platform, RESOURCES)
        expect(existsSync(path), path).toBe(true)
      }
      // macOS loads the @2x partner from beside the 1x file.
      expect(existsSync(join(TRAY, trayIconFiles(state).template2x))).toBe(true)
    }
  })

  it('macOS gets template images named as Electron requires (…Template before @2x)', () => {
    for (const state of TRAY_ICON_STATES) {
      const path = trayIconPath(state, 'darwin', RESOURCES)
      expect(path).toMatch(/Template\.png$/)
      expect(trayIconFiles(state).template2x).toMatch(/Template@2x\.png$/)
    }
  })

  it('have the pixel sizes their names promise', () => {
    for (const state of TRAY_ICON_STATES) {
      const f = trayIconFiles(state)
      const size = (file: string): [number, number] => {
        const { width, height } = load(file)
        return [width, height]
      }
      expect(size(f.color)).toEqual([16, 16])
      expect(size(f.color2x)).toEqual([32, 32])
      expect(size(f.linux)).toEqual([32, 32])
      expect(size(f.template)).toEqual([16, 16])
      expect(size(f.template2x)).toEqual([32, 32])
      expect(icoSizes(readFileSync(join(TRAY, f.ico)))).toEqual([...TRAY_ICO_SIZES])
    }
  })

  it('template images are black plus transparency only, and not empty', () => {
    for (const state of TRAY_ICON_STATES) {
      for (const file of [trayIconFiles(state).template, trayIconFiles(state).template2x]) {
        const px = pixels(load(file))
        const visible = px.filter((p) => p.a > 0)
        expect(visible.length, file).toBeGreaterThan(px.length / 8)
        const coloured = visible.filter((p) => p.r !== 0 || p.g !== 0 || p.b !== 0)
        expect(coloured, file).toEqual([])
      }
      // …because their source uses black only.
      const colours = traySvg(state, 'template').match(/#[0-9a-f]{3,8}\b/gi) ?? []
      expect(new Set(colours)).toEqual(new Set(['#000000']))
    }
  })

  it('colour icons stand out on light and on dark taskbars alike', () => {
    const luminance = (r: number, g: number, b: number): number =>
      (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    /** Pixels that differ clearly from the taskbar colour once the icon is drawn over it. */
    const contrasting = (file: string, background: number): number =>
      pixels(load(file)).filter((p) => {
        const over = (c: number): number => (c * p.a + background * (255 - p.a)) / 255
        const l = luminance(over(p.r), over(p.g), over(p.b))
        return Math.abs(l - background / 255) > 0.5
      }).length
    for (const state of TRAY_ICON_STATES) {
      for (const file of [trayIconFiles(state).color, trayIconFiles(state).color2x]) {
        const { width, height } = load(file)
        // Light (Windows 11 light, GNOME light) and dark (Windows dark, KDE Breeze dark) bars.
        for (const background of [0xf3, 0x20]) {
          const share = contrasting(file, background) / (width * height)
          expect(share, `${file} on #${background.toString(16).repeat(3)}`).toBeGreaterThan(0.2)
        }
      }
    }
  })

  it('every state has its own shape at 16 px, not just its own colour', () => {
    // Compare the monochrome (template) masks: they carry shape only.
    const mask = (state: TrayIconState): boolean[] =>
      pixels(load(trayIconFiles(state).template)).map((p) => p.a >= 128)
    for (const a of TRAY_ICON_STATES) {
      for (const b of TRAY_ICON_STATES) {
        if (a >= b) continue
        const ma = mask(a)
        const mb = mask(b)
        const differing = ma.filter((v, i) => v !== mb[i]).length
        expect(differing, `${a} vs ${b}`).toBeGreaterThanOrEqual(8)
      }
    }
    // The colour icons keep those shapes: their dark-or-coloured marks differ as much.
    const ink = new Map(
      TRAY_ICON_STATES.map((state) => [
        state,
        pixels(load(trayIconFiles(state).color)).map(
          (p) => p.a >= 128 && Math.min(p.r, p.g, p.b) < 160
        )
      ])
    )
    for (const a of TRAY_ICON_STATES) {
      for (const b of TRAY_ICON_STATES) {
        if (a >= b) continue
        const mb = ink.get(b)!
        const differing = ink.get(a)!.filter((v, i) => v !== mb[i]).length
        expect(differing, `colour ${a} vs ${b}`).toBeGreaterThanOrEqual(8)
      }
    }
  })
})

describe('app icon', () => {
  it('comes as 1024 and 512 px PNGs and a Windows .ico up to 256 px', () => {
    const big = decodePng(readFileSync(join(RESOURCES, 'icon.png')))
    expect([big.width, big.height]).toEqual([1024, 1024])
    const small = decodePng(readFileSync(join(RESOURCES, 'icon-512.png')))
    expect([small.width, small.height]).toEqual([512, 512])
    expect(icoSizes(readFileSync(join(RESOURCES, 'icon.ico')))).toEqual([
      16, 24, 32, 48, 64, 128, 256
    ])
  })

  it('has transparent corners (rounded square), an opaque middle', () => {
    const img = decodePng(readFileSync(join(RESOURCES, 'icon-512.png')))
    const alphaAt = (x: number, y: number): number => img.rgba[(y * img.width + x) * 4 + 3]!
    expect(alphaAt(2, 2)).toBe(0)
    expect(alphaAt(256, 256)).toBe(255)
  })
})

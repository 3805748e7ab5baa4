// Draws every icon the app ships, from SVG written here, and renders it with resvg:
//   resources/tray/<state>-tray{,@2x}.png       colour tray icons (16/32 px), Windows/Linux fallback
//   resources/tray/<state>-tray-linux.png       32 px colour icon for Linux panels
//   resources/tray/<state>-tray.ico             Windows tray icon (16–64 px in one file)
//   resources/tray/<state>-trayTemplate{,@2x}.png  macOS template images (black + alpha)
//   resources/tray/*.svg                        the sources above, for review
//   resources/icon.svg, icon.png (1024), icon-512.png, icon.ico   the app icon for packaging
// Output is byte-for-byte reproducible (no fonts, no timestamps): tests/icons.test.ts renders
// into a temporary folder and compares with the committed files.
//
// Usage: npm run icons            (writes into resources/)
//        tsx scripts/make-icons.ts <out-dir>
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import pngToIco from 'png-to-ico'
import {
  TRAY_ICO_SIZES,
  TRAY_ICON_DIR,
  TRAY_ICON_STATES,
  trayIconFiles,
  type TrayIconState
} from '../src/main/electron/tray-icons'

export type TrayIconVariant = 'color' | 'template'

/** Colours of the colour variant. The state is always told by shape too, never by colour alone. */
const INK = '#1f2328' // ring and neutral marks: dark, so the icon reads on light taskbars
const PAPER = '#ffffff' // the coin face: light, so the icon reads on dark taskbars
const MARK_COLOR: Record<TrayIconState, string> = {
  ok: '#1a7f37', // green
  low: '#b35900', // amber, dark enough for white
  critical: '#cf222e', // red
  unknown: INK, // neutral: no data yet is not an alarm
  error: INK
}

/**
 * The coin glyph on a 32×32 grid (rendered at 16, 32 and more): a ring with a mark inside.
 *   ok       a full coin (solid disc inside the ring)
 *   low      a half-full coin (lower half of the disc)
 *   critical an exclamation mark
 *   unknown  a question mark
 *   error    a slash through the ring (also stale data)
 * Strokes are 3–4 units wide so they are 1.5–2 px at 16 px.
 */
function markSvg(state: TrayIconState, fill: string): string {
  switch (state) {
    case 'ok':
      return `<circle cx="16" cy="16" r="7.5" fill="${fill}"/>`
    case 'low':
      // Lower half of the same disc, drawn from the left edge clockwise through the bottom.
      return `<path d="M8.5 16.5 A7.5 7.5 0 0 0 23.5 16.5 Z" fill="${fill}"/>`
    case 'critical':
      return (
        // Bar and dot sit on whole pixels at 16 px (2 units = 1 px) with a 1 px gap between.
        `<rect x="14" y="8" width="4" height="10" rx="1" fill="${fill}"/>` +
        `<rect x="14" y="20" width="4" height="4" rx="1.2" fill="${fill}"/>`
      )
    case 'unknown':
      return (
        `<path d="M11.8 12 C11.8 6.4 20.2 6.4 20.2 12 C20.2 15.2 16 15.2 16 18" ` +
        `fill="none" stroke="${fill}" stroke-width="3.6" stroke-linecap="round" stroke-linejoin="round"/>` +
        `<rect x="14" y="21" width="4" height="4" rx="1.2" fill="${fill}"/>`
      )
    case 'error':
      return `<path d="M7.5 24.5 L24.5 7.5" stroke="${fill}" stroke-width="3.6" stroke-linecap="butt"/>`
  }
}

/** The SVG source of one tray icon. Template images use black only, so macOS can tint them. */
export function traySvg(state: TrayIconState, variant: TrayIconVariant): string {
  const ring = variant === 'template' ? '#000000' : INK
  const mark = variant === 'template' ? '#000000' : MARK_COLOR[state]
  // The colour variant sits on a light face with a light rim outside the ring, so the dark ring
  // keeps an edge on dark taskbars and the face keeps one on light taskbars.
  const face = variant === 'template' ? '' : `<circle cx="16" cy="16" r="15.5" fill="${PAPER}"/>`
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">` +
    face +
    `<circle cx="16" cy="16" r="12.5" fill="none" stroke="${ring}" stroke-width="3"/>` +
    markSvg(state, mark) +
    `</svg>\n`
  )
}

/**
 * The app icon: a gold coin with a cent sign on a dark rounded square (1024-unit grid).
 * Used by electron-builder (icon.png / icon.ico) and as the notification icon on Linux.
 */
export function appIconSvg(): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">` +
    `<defs>` +
    `<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="#24496f"/><stop offset="1" stop-color="#0d1f33"/>` +
    `</linearGradient>` +
    `<linearGradient id="coin" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="#ffd866"/><stop offset="1" stop-color="#e0a526"/>` +
    `</linearGradient>` +
    `</defs>` +
    `<rect x="64" y="64" width="896" height="896" rx="200" fill="url(#bg)"/>` +
    `<circle cx="512" cy="512" r="330" fill="url(#coin)"/>` +
    `<circle cx="512" cy="512" r="272" fill="none" stroke="#a8740f" stroke-width="26"/>` +
    // Cent sign: an open "C" and a vertical bar through it.
    `<path d="M620 405 A150 150 0 1 0 620 619" fill="none" stroke="#6b4a08" stroke-width="64" stroke-linecap="round"/>` +
    `<path d="M536 300 L536 724" stroke="#6b4a08" stroke-width="56" stroke-linecap="round"/>` +
    `</svg>\n`
  )
}

/** Render an SVG to a square PNG of `size` px. System fonts are not loaded: nothing uses text. */
export function renderPng(svg: string, size: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: size },
    font: { loadSystemFonts: false },
    logLevel: 'off'
  })
  return resvg.render().asPng()
}

const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]

/** Every output file, relative to the resources folder, with its bytes. */
export async function buildIcons(): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>()
  for (const state of TRAY_ICON_STATES) {
    const files = trayIconFiles(state)
    const color = traySvg(state, 'color')
    const template = traySvg(state, 'template')
    const put = (name: string, data: Buffer): void => {
      out.set(join(TRAY_ICON_DIR, name), data)
    }
    put(files.colorSvg, Buffer.from(color))
    put(files.templateSvg, Buffer.from(template))
    put(files.color, renderPng(color, 16))
    put(files.color2x, renderPng(color, 32))
    put(files.linux, renderPng(color, 32))
    put(files.template, renderPng(template, 16))
    put(files.template2x, renderPng(template, 32))
    // Each size rendered from the vector source (not scaled from one bitmap) stays sharp.
    put(files.ico, await pngToIco(TRAY_ICO_SIZES.map((size) => renderPng(color, size))))
  }
  const app = appIconSvg()
  out.set('icon.svg', Buffer.from(app))
  out.set('icon.png', renderPng(app, 1024))
  out.set('icon-512.png', renderPng(app, 512))
  out.set('icon.ico', await pngToIco(APP_ICO_SIZES.map((size) => renderPng(app, size))))
  return out
}

/** Write every icon into `outDir` (created when missing). Returns the relative paths written. */
export async function writeIcons(outDir: string): Promise<string[]> {
  const files = await buildIcons()
  for (const [name, data] of files) {
    const path = join(outDir, name)
    mkdirSync(resolve(path, '..'), { recursive: true })
    writeFileSync(path, data)
  }
  return [...files.keys()].sort()
}

// Run as a script (tsx scripts/make-icons.ts), not when imported by the tests.
if (process.argv[1]?.replace(/\\/g, '/').endsWith('scripts/make-icons.ts')) {
  const outDir = resolve(process.argv[2] ?? join(__dirname, '..', 'resources'))
  writeIcons(outDir).then(
    (written) => console.log(`wrote ${written.length} files into ${outDir}`),
    (err: unknown) => {
      console.error(err)
      process.exitCode = 1
    }
  )
}

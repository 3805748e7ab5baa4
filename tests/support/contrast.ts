// WCAG 2.2 contrast arithmetic for the palette test: parse the design tokens of a stylesheet
// (light :root and the prefers-color-scheme: dark :root), resolve var() references, blend
// translucent colours over what they sit on, and compute contrast ratios.

export interface Rgba {
  r: number
  g: number
  b: number
  a: number
}

/** #rgb, #rrggbb, rgb(…) or rgba(…); throws on anything else (a token the test cannot read). */
export function parseColor(text: string): Rgba {
  const value = text.trim().toLowerCase()
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(value)
  if (hex) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join('') : hex[1]!
    return {
      r: parseInt(h.slice(0, 2), 16),
      g: parseInt(h.slice(2, 4), 16),
      b: parseInt(h.slice(4, 6), 16),
      a: 1
    }
  }
  const fn = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(
    value
  )
  if (fn) return { r: +fn[1]!, g: +fn[2]!, b: +fn[3]!, a: fn[4] === undefined ? 1 : +fn[4] }
  throw new Error(`not a colour: ${text}`)
}

/** `top` painted over the opaque `bottom`. */
export function blend(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number): number => t * top.a + b * (1 - top.a)
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 }
}

function luminance({ r, g, b }: Rgba): number {
  const lin = (c: number): number => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** The WCAG contrast ratio of two opaque colours, 1…21. */
export function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

export type Tokens = Record<string, string>

function declarations(block: string): Tokens {
  const tokens: Tokens = {}
  for (const m of block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) tokens[m[1]!] = m[2]!.trim()
  return tokens
}

/** The first `{…}` block after `from`, braces balanced. */
function blockAfter(css: string, from: number): string {
  const open = css.indexOf('{', from)
  let depth = 0
  for (let i = open; i < css.length; i++) {
    if (css[i] === '{') depth++
    else if (css[i] === '}' && --depth === 0) return css.slice(open + 1, i)
  }
  throw new Error('unbalanced braces')
}

/** The light tokens, and the dark ones (light overridden by the dark media query's :root). */
export function themeTokens(css: string): { light: Tokens; dark: Tokens } {
  const lightAt = css.search(/^:root\s*\{/m)
  const darkAt = css.search(/@media\s*\(prefers-color-scheme:\s*dark\)\s*\{/)
  if (lightAt < 0 || darkAt < 0) throw new Error('no light :root or dark media query')
  const light = declarations(blockAfter(css, lightAt))
  const dark = { ...light, ...declarations(blockAfter(blockAfter(css, darkAt), 0)) }
  return { light, dark }
}

/** A token as an opaque colour: var() references followed, translucent layers blended down. */
export function resolveColor(tokens: Tokens, name: string, over: Rgba | null = null): Rgba {
  let value = tokens[name]
  for (let hops = 0; value?.startsWith('var('); hops++) {
    if (hops > 10) throw new Error(`var() loop at ${name}`)
    value = tokens[value.slice(4, -1).trim()]
  }
  if (value === undefined) throw new Error(`no token ${name}`)
  const colour = parseColor(value)
  if (colour.a === 1) return colour
  if (!over) throw new Error(`${name} is translucent: say what it sits on`)
  return blend(colour, over)
}

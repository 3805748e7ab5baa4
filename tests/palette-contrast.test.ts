// The windows' palette meets WCAG 2.2 AA in both themes: text 4.5:1 on every surface it is used
// on (the tinted badge and banner backgrounds included), non-text parts (chart bars, control
// borders, focus rings, progress fills) 3:1. axe checks contrast only for text on screen in the
// states the e2e suites show; this checks every token pair, in both themes, and that the
// stylesheets use the tokens instead of colours of their own.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { contrast, resolveColor, themeTokens, type Rgba, type Tokens } from './support/contrast'

const RENDERER = join(__dirname, '../src/renderer/src')
const STYLES = readFileSync(join(RENDERER, 'styles.css'), 'utf8')
const SHEETS = {
  'styles.css': STYLES,
  'topup/topup.css': readFileSync(join(RENDERER, 'topup/topup.css'), 'utf8')
}
const themes = themeTokens(STYLES)

/** The colour of `layers` painted in order over the last one (an opaque surface). */
function backdrop(tokens: Tokens, layers: string[]): Rgba {
  const [base, ...over] = [...layers].reverse()
  let colour = resolveColor(tokens, base!)
  for (const layer of over) colour = resolveColor(tokens, layer, colour)
  return colour
}

// [foreground, what it sits on (top layer first), where it is used]
const TEXT: Array<[string, string[], string]> = [
  ['--text', ['--bg'], 'body text'],
  ['--text', ['--surface'], 'card text'],
  ['--text', ['--surface-2'], 'hovered rows'],
  ['--text', ['--critical-soft', '--bg'], 'error banner'],
  ['--text', ['--low-soft', '--bg'], 'warning banner'],
  ['--text', ['--accent-soft', '--bg'], 'notices'],
  ['--muted', ['--bg'], 'secondary text'],
  ['--muted', ['--surface'], 'secondary text in cards'],
  ['--muted', ['--surface-2'], 'unselected segment'],
  ['--muted', ['--critical-soft', '--bg'], 'error banner hint'],
  ['--muted', ['--low-soft', '--bg'], 'warning banner hint'],
  ['--muted', ['--accent-soft', '--surface'], 'selected preset’s days'],
  ['--ok', ['--ok-soft', '--surface'], 'OK badge'],
  ['--low', ['--low-soft', '--surface'], 'Low badge'],
  ['--low', ['--low-soft', '--bg'], 'Stale badge'],
  ['--critical', ['--critical-soft', '--surface'], 'Critical badge'],
  ['--unknown', ['--unknown-soft', '--surface'], 'No balance badge'],
  ['--ok', ['--surface'], 'confirmation text'],
  ['--low', ['--surface'], 'warning text, low balance'],
  ['--critical', ['--surface'], 'field errors, critical balance'],
  ['--critical', ['--bg'], 'refresh error'],
  ['--accent', ['--bg'], 'links, Skip to billing'],
  ['--accent', ['--surface'], 'quiet buttons, step kicker'],
  ['--accent', ['--accent-soft', '--surface'], 'hovered quiet button'],
  ['--accent', ['--accent-soft', '--bg'], 'finished step dot'],
  ['--on-accent', ['--accent-fill'], 'primary buttons, current step'],
  ['--on-accent', ['--accent-fill-hover'], 'hovered primary button'],
  ['--on-critical', ['--critical-fill'], 'danger buttons'],
  ['--bg', ['--text'], 'chart tooltip']
]

const NON_TEXT: Array<[string, string[], string]> = [
  ['--bar', ['--surface'], 'chart bars'],
  ['--bar-active', ['--surface'], 'highlighted chart bar'],
  ['--control-border', ['--surface'], 'text field and button edges'],
  ['--control-border', ['--bg'], 'button edges in the action bar'],
  ['--control-border', ['--surface-2'], 'segmented control edge'],
  ['--focus', ['--bg'], 'focus ring'],
  ['--focus', ['--surface'], 'focus ring in cards'],
  ['--ok', ['--surface-2'], 'budget bar'],
  ['--low', ['--surface-2'], 'budget bar, nearly used'],
  ['--critical', ['--surface-2'], 'budget bar, over'],
  ['--accent', ['--surface-2'], 'top-up progress bar'],
  ['--accent-fill', ['--bg'], 'current step dot']
]

describe.each(['light', 'dark'] as const)('the %s palette', (theme) => {
  const tokens = themes[theme]

  it.each(TEXT)('text %s on %j (%s) reaches 4.5:1', (fg, on, _where) => {
    const bg = backdrop(tokens, on)
    expect(contrast(resolveColor(tokens, fg, bg), bg)).toBeGreaterThanOrEqual(4.5)
  })

  it.each(NON_TEXT)('%s on %j (%s) reaches 3:1', (fg, on, _where) => {
    const bg = backdrop(tokens, on)
    expect(contrast(resolveColor(tokens, fg, bg), bg)).toBeGreaterThanOrEqual(3)
  })
})

describe('the stylesheets take their colours from the tokens', () => {
  // Outside the token blocks, a colour is a var(--token), a CSS system colour (forced colours)
  // or a keyword; a literal colour would bypass the checked palette (and the dark theme).
  const COLOUR_PROPS =
    /^(color|background(-color)?|border(-\w+)?(-color)?|outline(-color)?|fill|stroke|accent-color)$/
  const LITERAL = /#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(/i

  it.each(Object.entries(SHEETS))('%s', (_name, css) => {
    const outsideTokens = css
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^:root\s*\{[^}]*\}/m, '')
      .replace(/@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{[^}]*\}\s*\}/, '')
    const offenders = [...outsideTokens.matchAll(/([\w-]+)\s*:\s*([^;{}]+);/g)]
      .filter(([, prop, value]) => COLOUR_PROPS.test(prop!) && LITERAL.test(value!))
      .map(([declaration]) => declaration)
    expect(offenders).toEqual([])
  })
})

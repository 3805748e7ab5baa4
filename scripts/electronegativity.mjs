#!/usr/bin/env node
// Electron security lint: runs Doyensec's Electronegativity over our sources (src/) and the built
// app (out/, when it exists) and fails on any finding that is not justified in the code.
//
// Justifying a finding: put `/* eng-disable CHECK_ID: why this is safe */` on the line it points
// at (`<!-- eng-disable CHECK_ID: why -->` in HTML; on the first line it covers the whole file).
// The reason after the colon is for reviewers; Electronegativity reads only the check id.
// Checks that cannot run reproducibly are skipped in scripts/electronegativity.config.json, each
// with its reason.
//
// Electronegativity 1.10 parses TypeScript with its own @babel/parser (recent enough for
// `satisfies` and the rest of our syntax), so src/ is scanned as written; files it cannot parse
// are reported and fail the run, so nothing is skipped silently.
//
// The built app (out/) is scanned too, because that is what ships: out/main and out/preload (the
// bundles that hold every Electron API call) and every built page, out/renderer/*.html (the tray
// window's index.html and the top-up window's topup.html: the CSP that ships).
// Bundling drops our comments, so a finding in a bundle counts as justified when a source line
// with the same code carries an eng-disable for the same check. The minified renderer assets are
// not scanned: that code cannot reach Electron (only window.creditTray), Electronegativity's
// name-based checks misfire on it (the bridge's `openExternal(page)` looks like
// shell.openExternal), and its source is scanned in src/renderer where annotations can live.
//
// Usage: node scripts/electronegativity.mjs [--json] [input ...]
// Exit code: 0 clean, 1 findings or unparseable files, 2 the tool itself failed.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const config = JSON.parse(
  readFileSync(path.join(root, 'scripts/electronegativity.config.json'), 'utf8')
)

const args = process.argv.slice(2)
const asJson = args.includes('--json')
const explicitInputs = args.filter((a) => !a.startsWith('--'))
const inputs = (explicitInputs.length > 0 ? explicitInputs : config.inputs)
  .map((p) => path.resolve(root, p))
  .filter((p) => explicitInputs.length > 0 || existsSync(p))

/** Tell the tool which Electron we ship, so version-dependent defaults are judged correctly. */
function electronVersion() {
  try {
    return JSON.parse(
      readFileSync(require.resolve('electron/package.json', { paths: [root] }), 'utf8')
    ).version
  } catch {
    return undefined
  }
}

/** Electronegativity prints progress and network notices with console.log; keep stdout ours. */
async function quietly(fn) {
  const { log, warn } = console
  console.log = () => undefined
  console.warn = () => undefined
  try {
    return await fn()
  } finally {
    console.log = log
    console.warn = warn
  }
}

/** Every `eng-disable` annotation in src/: which checks, on which code. */
function sourceAnnotations() {
  const found = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name)) {
        readFileSync(full, 'utf8')
          .split('\n')
          .forEach((text, index) => {
            const m = /(?:\/\*|\/\/)[ \t]*eng-disable[ \t]+([\w \t]+)/.exec(text)
            if (!m) return
            const code = text.slice(0, m.index)
            for (const check of m[1].trim().split(/[ \t]+/)) {
              found.push({
                check: check.toUpperCase(),
                code: normalizeCode(code),
                where: `${path.relative(root, full)}:${index + 1}`
              })
            }
          })
      }
    }
  }
  walk(path.join(root, 'src'))
  return found
}

/** Code as a bundler may reprint it: quotes, semicolons and spacing do not matter. */
function normalizeCode(code) {
  return code
    .replace(/\/\*.*?\*\//g, '')
    .replace(/\/\/.*$/, '')
    .replace(/['"`]/g, '"')
    .replace(/[\s;]/g, '')
}

/** Copy the parts of out/ that are scanned into a temporary folder, scanned in one run. */
function stageBuiltApp(outDir) {
  const stage = mkdtempSync(path.join(tmpdir(), 'credit-tray-eng-'))
  for (const part of ['main', 'preload']) {
    if (existsSync(path.join(outDir, part)))
      cpSync(path.join(outDir, part), path.join(stage, part), { recursive: true })
  }
  const renderer = path.join(outDir, 'renderer')
  if (existsSync(renderer)) {
    for (const page of readdirSync(renderer).filter((name) => name.endsWith('.html'))) {
      cpSync(path.join(renderer, page), path.join(stage, 'renderer', page))
    }
  }
  return stage
}

async function scan(input) {
  const run = require('@doyensec/electronegativity')
  const result = await quietly(() =>
    run({
      input,
      isRelative: true,
      electronVersionOverride: electronVersion(),
      // The API wants class names (AvailableSecurityFixesGlobalCheck), lowercased; ids map onto them.
      excludeFromScan: config.excludeChecks.map((c) => c.check.replace(/_/g, '').toLowerCase())
    })
  )
  // Global checks ("no navigation limit anywhere") have no file.
  const rel = (file) =>
    !file || file === 'N/A' ? '(whole app)' : path.relative(root, path.resolve(input, file)) || file
  const lineOf = (file, line) => {
    try {
      return readFileSync(path.resolve(input, file), 'utf8').split('\n')[line - 1] ?? ''
    } catch {
      return ''
    }
  }
  return {
    input: path.relative(root, input) || '.',
    findings: result.issues.map((i) => ({
      code: i.file && i.location ? lineOf(i.file, i.location.line) : '',
      check: i.id,
      file: rel(i.file),
      line: i.location?.line ?? 0,
      column: i.location?.column ?? 0,
      severity: i.severity?.name ?? String(i.severity),
      confidence: i.confidence?.name ?? String(i.confidence),
      description: i.description,
      sample: typeof i.sample === 'string' ? i.sample.trim().slice(0, 160) : null
    })),
    parseErrors: result.errors
      .filter((e) => !e.tolerable)
      .map((e) => ({ file: rel(e.file), message: String(e.message) }))
  }
}

async function main() {
  if (inputs.length === 0) {
    console.error('electronegativity: nothing to scan')
    return 2
  }
  const reports = []
  for (const input of inputs) {
    if (!existsSync(input)) {
      console.error(`electronegativity: ${path.relative(root, input)} does not exist`)
      return 2
    }
    const isBuild =
      path.basename(input) === 'out' || existsSync(path.join(input, 'main', 'index.js'))
    if (!isBuild) {
      reports.push({ ...(await scan(input)), built: false })
      continue
    }
    const stage = stageBuiltApp(input)
    try {
      const report = await scan(stage)
      // Name findings by their place in the real build folder, not the temporary copy.
      const inOut = (file) =>
        file === '(whole app)'
          ? `${path.relative(root, input)} (whole app)`
          : path.relative(root, path.join(input, path.relative(path.relative(root, stage), file)))
      reports.push({
        input: path.relative(root, input),
        built: true,
        findings: report.findings.map((f) => ({ ...f, file: inOut(f.file) })),
        parseErrors: report.parseErrors.map((e) => ({ ...e, file: inOut(e.file) }))
      })
    } finally {
      rmSync(stage, { recursive: true, force: true })
    }
  }

  // In bundles, carry justifications over from the source line with the same code.
  const annotations = sourceAnnotations()
  const justified = []
  for (const report of reports.filter((r) => r.built)) {
    report.findings = report.findings.filter((f) => {
      const code = normalizeCode(f.code)
      const match = code && annotations.find((a) => a.check === f.check && a.code === code)
      if (match) justified.push({ ...f, justifiedAt: match.where })
      return !match
    })
  }

  const findings = reports.flatMap((r) => r.findings)
  const parseErrors = reports.flatMap((r) => r.parseErrors)
  if (asJson) {
    console.log(
      JSON.stringify(
        { electron: electronVersion(), excluded: config.excludeChecks, reports },
        null,
        2
      )
    )
  } else {
    console.log(
      `Electronegativity (Electron ${electronVersion() ?? 'unknown'}) on ${reports.map((r) => r.input).join(', ')}`
    )
    for (const c of config.excludeChecks) console.log(`  skipped ${c.check}: ${c.reason}`)
    for (const j of justified)
      console.log(`  built ${j.check} ${j.file}:${j.line} is justified at ${j.justifiedAt}`)
    for (const f of findings) {
      const where = f.line > 0 ? `${f.file}:${f.line}:${f.column}` : f.file
      console.log(`\n${f.check} ${where} [${f.severity}/${f.confidence}]`)
      console.log(`  ${f.description}`)
      if (f.sample && f.sample !== 'N/A') console.log(`  > ${f.sample}`)
    }
    for (const e of parseErrors) console.log(`\nCould not parse ${e.file}: ${e.message}`)
    console.log(
      findings.length === 0 && parseErrors.length === 0
        ? '\nNo unjustified findings.'
        : `\n${findings.length} unjustified finding(s), ${parseErrors.length} unparseable file(s). ` +
            'Fix them, or justify a finding with /* eng-disable CHECK_ID: reason */ on its line.'
    )
  }
  return findings.length === 0 && parseErrors.length === 0 ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    console.error('electronegativity: the scan itself failed:', error)
    process.exitCode = 2
  }
)

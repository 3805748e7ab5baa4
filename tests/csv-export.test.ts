// The costs CSV: its rows, RFC 4180 quoting, the guard against formulas in names, the date range,
// and the save-dialog flow behind the tray window's Export button.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCsvSaver, csvFileName } from '../src/main/electron/csv-save'
import { EMPTY_CACHE, type CostCache } from '../src/main/engine/cost-cache'
import { costsToCsv, csvRangeProblem, formatCost, textCell } from '../src/main/engine/csv-export'
import { InputError } from '../src/main/engine/errors'
import { writeTextFileAtomic } from '../src/main/engine/text-file'
import type { DayCosts } from '../src/main/engine/types'

function day(date: string, lineItems: Record<string, number>, projects: Record<string, number>) {
  const total = Object.values(lineItems).reduce((a, b) => a + b, 0)
  return { date, total, currency: 'usd', lineItems, projects } satisfies DayCosts
}

function cacheOf(...days: DayCosts[]): CostCache {
  return { ...EMPTY_CACHE, currency: 'usd', days: Object.fromEntries(days.map((d) => [d.date, d])) }
}

/** Minimal RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}

describe('costs as CSV', () => {
  it('writes a header, then per day its total, its line items and its projects, oldest day first', () => {
    const cache = cacheOf(
      day('2024-11-04', { 'gpt-4o, output': 2 }, { proj_b: 2 }),
      day('2024-11-03', { 'gpt-4o-mini, input': 0.25, 'gpt-4o, output': 1 }, { proj_a: 1.25 })
    )
    const rows = parseCsv(costsToCsv(cache))
    expect(rows).toEqual([
      ['date', 'kind', 'name', 'cost', 'currency'],
      ['2024-11-03', 'total', '', '1.25', 'usd'],
      ['2024-11-03', 'line_item', 'gpt-4o, output', '1', 'usd'],
      ['2024-11-03', 'line_item', 'gpt-4o-mini, input', '0.25', 'usd'],
      ['2024-11-03', 'project', 'proj_a', '1.25', 'usd'],
      ['2024-11-04', 'total', '', '2', 'usd'],
      ['2024-11-04', 'line_item', 'gpt-4o, output', '2', 'usd'],
      ['2024-11-04', 'project', 'proj_b', '2', 'usd']
    ])
  })

  it('ends every line with CRLF, as RFC 4180 says', () => {
    const text = costsToCsv(cacheOf(day('2024-11-03', { a: 1 }, { p: 1 })))
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.split('\r\n')).toHaveLength(5) // header, total, line item, project, ""
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('sums each breakdown of a day to its total', () => {
    const cache = cacheOf(day('2024-11-03', { a: 0.1, b: 0.2, c: 0.3 }, { p: 0.45, q: 0.15 }))
    const rows = parseCsv(costsToCsv(cache)).slice(1)
    const sum = (kind: string) =>
      rows.filter((r) => r[1] === kind).reduce((s, r) => s + Number(r[3]), 0)
    expect(sum('line_item')).toBeCloseTo(sum('total'), 9)
    expect(sum('project')).toBeCloseTo(sum('total'), 9)
  })

  it('quotes commas, quotes and line breaks in names, and they read back unchanged', () => {
    const names = ['a, b', 'say "hi"', 'two\nlines', 'cr\rhere', 'plain']
    const cache = cacheOf(day('2024-11-03', Object.fromEntries(names.map((n) => [n, 1])), {}))
    const text = costsToCsv(cache)
    expect(text).toContain('"a, b"')
    expect(text).toContain('"say ""hi"""')
    expect(text).toContain('"two\nlines"')
    const read = parseCsv(text)
      .filter((r) => r[1] === 'line_item')
      .map((r) => r[2])
    expect(read.sort()).toEqual([...names].sort())
  })

  it('defuses names a spreadsheet would run as formulas, keeping negative costs as numbers', () => {
    const evil = ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tTAB', 'ok=1']
    const cache = cacheOf({
      ...day('2024-11-03', Object.fromEntries(evil.map((n) => [n, 1])), { proj_refund: -2.5 }),
      total: 3.5
    })
    const rows = parseCsv(costsToCsv(cache))
    const names = rows.filter((r) => r[1] === 'line_item').map((r) => r[2]!)
    for (const name of names) {
      if (name === 'ok=1') continue
      expect(name.startsWith("'")).toBe(true)
    }
    expect(names).toContain('\'=HYPERLINK("http://x")')
    expect(names).toContain('ok=1')
    expect(rows.find((r) => r[2] === 'proj_refund')?.[3]).toBe('-2.5')
  })

  it('keeps only the days in the range, both ends included', () => {
    const cache = cacheOf(
      day('2024-11-01', { a: 1 }, {}),
      day('2024-11-02', { a: 2 }, {}),
      day('2024-11-03', { a: 3 }, {})
    )
    const dates = (text: string) => [
      ...new Set(
        parseCsv(text)
          .slice(1)
          .map((r) => r[0])
      )
    ]
    expect(dates(costsToCsv(cache, { from: '2024-11-02' }))).toEqual(['2024-11-02', '2024-11-03'])
    expect(dates(costsToCsv(cache, { to: '2024-11-02' }))).toEqual(['2024-11-01', '2024-11-02'])
    expect(dates(costsToCsv(cache, { from: '2024-11-02', to: '2024-11-02' }))).toEqual([
      '2024-11-02'
    ])
  })

  it('is only the header when nothing was fetched yet', () => {
    expect(costsToCsv(EMPTY_CACHE)).toBe('date,kind,name,cost,currency\r\n')
  })

  it('writes costs as plain decimals, never in exponent notation or as -0', () => {
    expect(formatCost(0.0000004)).toBe('0')
    expect(formatCost(-0.0000001)).toBe('0')
    expect(formatCost(1234.5)).toBe('1234.5')
    expect(formatCost(0.123456789)).toBe('0.123457')
    expect(formatCost(100)).toBe('100')
    expect(textCell('plain')).toBe('plain')
  })

  it('explains a bad range in words', () => {
    expect(csvRangeProblem({ from: '2024-13-01' })).toMatch(/--from must be a day like/)
    expect(csvRangeProblem({ to: 'yesterday' })).toMatch(/--to must be a day like/)
    expect(csvRangeProblem({ to: '2024-11-31' })).toMatch(/--to must be a day like/)
    expect(csvRangeProblem({ from: '2024-11-05', to: '2024-11-01' })).toMatch(/after --to/)
    expect(csvRangeProblem({ from: '2024-11-01', to: '2024-11-05' })).toBeNull()
  })
})

describe('costs as CSV: the details', () => {
  it("names each day's own currency, else the cache's, else usd", () => {
    const eur = { ...day('2024-11-03', { a: 1 }, {}), currency: 'eur' }
    const unnamed = { ...day('2024-11-04', { a: 1 }, {}), currency: '' }
    const rows = (cache: CostCache) =>
      parseCsv(costsToCsv(cache))
        .slice(1)
        .filter((r) => r[1] === 'total')
        .map((r) => [r[0], r[4]])
    expect(rows({ ...cacheOf(eur, unnamed), currency: 'gbp' })).toEqual([
      ['2024-11-03', 'eur'],
      ['2024-11-04', 'gbp']
    ])
    expect(rows({ ...cacheOf(unnamed), currency: null })).toEqual([['2024-11-04', 'usd']])
  })

  it('lists the names of a breakdown in code-point order, whatever order they were stored in', () => {
    const cache = cacheOf(day('2024-11-03', { b: 1, B: 1, a: 1, 'a b': 1 }, { z: 1, y: 2 }))
    const names = (kind: string) =>
      parseCsv(costsToCsv(cache))
        .filter((r) => r[1] === kind)
        .map((r) => r[2])
    expect(names('line_item')).toEqual(['B', 'a', 'a b', 'b'])
    expect(names('project')).toEqual(['y', 'z'])
  })

  it('guards a name starting with a carriage return and quotes it', () => {
    expect(textCell('\r=1')).toBe('"\'\r=1"')
    expect(textCell('-')).toBe("'-")
    expect(textCell('a-b')).toBe('a-b')
    expect(textCell('x\ty')).toBe('x\ty')
  })

  it('writes zero and non-numbers as 0, and keeps whole negative numbers', () => {
    expect(formatCost(0)).toBe('0')
    expect(formatCost(Number.NaN)).toBe('0')
    expect(formatCost(Number.POSITIVE_INFINITY)).toBe('0')
    expect(formatCost(-3)).toBe('-3')
    expect(formatCost(10.5)).toBe('10.5')
  })

  it('quotes the bad day back, cut to 20 characters, and accepts a range of one day', () => {
    expect(csvRangeProblem({ from: 'x'.repeat(30) })).toBe(
      `--from must be a day like 2024-11-03 (got "${'x'.repeat(20)}").`
    )
    expect(csvRangeProblem({ from: '2024-11-05', to: '2024-11-01' })).toBe(
      '--from (2024-11-05) is after --to (2024-11-01).'
    )
    expect(csvRangeProblem({ from: '2024-11-05', to: '2024-11-05' })).toBeNull()
    expect(csvRangeProblem({})).toBeNull()
    expect(csvRangeProblem({ from: '2024-11-05' })).toBeNull()
    expect(csvRangeProblem({ to: '2024-11-05' })).toBeNull()
  })
})

describe('saving the CSV from the tray window', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ct-csv-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const now = () => new Date('2024-11-03T10:00:00Z')

  it('asks where to save, suggesting a dated name in the downloads folder, and writes the file', async () => {
    const target = join(dir, 'costs.csv')
    const dialogs: unknown[] = []
    const save = createCsvSaver({
      showSaveDialog: async (options) => {
        dialogs.push(options)
        return { canceled: false, filePath: target }
      },
      csv: () => 'date,kind,name,cost,currency\r\n',
      writeFile: writeTextFileAtomic,
      defaultDir: '/home/me/Downloads',
      now
    })
    await expect(save()).resolves.toEqual({ saved: true, path: target })
    expect(readFileSync(target, 'utf8')).toBe('date,kind,name,cost,currency\r\n')
    expect(dialogs[0]).toMatchObject({
      defaultPath: join('/home/me/Downloads', 'openai-costs-2024-11-03.csv'),
      filters: [{ extensions: ['csv'] }]
    })
    expect(csvFileName(now())).toBe('openai-costs-2024-11-03.csv')
  })

  it('writes nothing when the user cancels', async () => {
    let writes = 0
    const save = createCsvSaver({
      showSaveDialog: async () => ({ canceled: true, filePath: '' }),
      csv: () => 'x',
      writeFile: async () => void writes++,
      defaultDir: dir,
      now
    })
    await expect(save()).resolves.toEqual({ saved: false })
    expect(writes).toBe(0)
  })

  it('replaces an existing file whole', async () => {
    const target = join(dir, 'costs.csv')
    writeFileSync(target, 'old contents that are longer than the new ones\r\n'.repeat(50))
    const save = createCsvSaver({
      showSaveDialog: async () => ({ canceled: false, filePath: target }),
      csv: () => 'new\r\n',
      writeFile: writeTextFileAtomic,
      defaultDir: dir,
      now
    })
    await save()
    expect(readFileSync(target, 'utf8')).toBe('new\r\n')
  })

  it('says in words why the file could not be written', async () => {
    const save = createCsvSaver({
      showSaveDialog: async () => ({ canceled: false, filePath: join(dir, 'nope', 'costs.csv') }),
      csv: () => 'x',
      writeFile: writeTextFileAtomic,
      defaultDir: dir,
      now
    })
    const error = await save().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toBe('Could not save costs.csv: that folder does not exist.')
  })
})

// What the engine keeps of a costs fetch that stopped half-way, and how it reads today's bucket
// from a live answer: driven by a scripted costs client, so the pages and failures are exact.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CostsClient, FetchDailyCostsParams } from '../src/main/engine/costs-client'
import { CreditTrayError } from '../src/main/engine/errors'
import type { DayCosts } from '../src/main/engine/types'
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server'
import { testEngine } from './support/test-engine'

const ADMIN = 'sk-admin-TESTKEY0123456789abcdef'
const TODAY = '2026-03-10'
const clock = new Date(`${TODAY}T12:00:00Z`)

let server: FakeOpenAIServer
let dir: string
beforeEach(async () => {
  server = await startFakeOpenAIServer({ adminKeys: [ADMIN], nowMs: () => clock.getTime() })
  dir = mkdtempSync(join(tmpdir(), 'ct-engine-partial-'))
})
afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const day = (date: string, total: number, currency = 'usd'): DayCosts => ({
  date,
  total,
  currency,
  lineItems: { gpt: total },
  projects: { proj_a: total }
})

type Script = (params: FetchDailyCostsParams) => Promise<{ days: DayCosts[]; requests: number }>

function scripted(script: Script) {
  const client = {
    fetchDailyCosts: script,
    fetchModelUsage: async () => [],
    checkKey: async () => {}
  } as unknown as CostsClient
  return () => client
}

async function engineWith(script: Script, log?: (line: string) => void) {
  return testEngine({
    dir,
    server,
    key: ADMIN,
    now: () => clock,
    createClient: scripted(script),
    ...(log ? { log } : {})
  })
}

describe('a fetch that stops half-way', () => {
  it('keeps the days that arrived before the failure, and reports the failure', async () => {
    const engine = await engineWith(async (p) => {
      p.onProgress?.({ days: [day('2026-03-01', 4)], throughDay: '2026-03-01' })
      throw new CreditTrayError('bad_response', 'page two was garbled')
    })
    const status = await engine.refresh()
    expect(status.error).toEqual({ kind: 'bad_response', message: 'page two was garbled' })
    expect(engine.exportCsv({ from: '2026-03-01', to: '2026-03-01' })).toContain(
      '2026-03-01,total,,4,usd'
    )
  })

  it('keeps nothing of what arrived in another currency, and says so in the log', async () => {
    let first = true
    const lines: string[] = []
    const engine = await engineWith(
      async (p) => {
        if (first) {
          first = false
          return { days: [day('2026-03-01', 2)], requests: 1 }
        }
        p.onProgress?.({ days: [day(TODAY, 9, 'eur')], throughDay: TODAY })
        throw new CreditTrayError('bad_response', 'page two was garbled')
      },
      (l) => lines.push(l)
    )
    await engine.refresh()
    const status = await engine.refresh()
    expect(status.error?.kind).toBe('bad_response')
    expect(status.spend.today).toBe(0)
    expect(lines.filter((l) => l.startsWith('partial costs not kept: '))).toHaveLength(1)
    expect(lines.find((l) => l.startsWith('partial costs not kept: '))).toMatch(/EUR/)
  })
})

describe("today's bucket read live for a balance", () => {
  it('is taken from the answer by its date, whatever else the answer holds', async () => {
    const engine = await engineWith(async () => ({
      days: [day('2026-03-09', 5), day(TODAY, 1.25)],
      requests: 1
    }))
    await engine.recordBalance(20)
    expect(engine.getLedger()[0]).toMatchObject({ baselineDayCost: 1.25, baselineSource: 'live' })
  })

  it('an answer without a bucket for today is a live zero, not a failure', async () => {
    const engine = await engineWith(async () => ({ days: [], requests: 1 }))
    await engine.recordBalance(20)
    expect(engine.getLedger()[0]).toMatchObject({ baselineDayCost: 0, baselineSource: 'live' })
    expect(engine.getLedger()[0]).not.toHaveProperty('baselineProblem')
  })
})

// Kills a process in the middle of saving (SIGKILL, no chance to clean up) and checks that the
// document on disk is always a complete version: the last one the writer confirmed, or the one it
// was writing. Never damaged, never older than confirmed.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJsonStore } from '../src/main/engine/store'
import { crashDocSchema, crashDocument, type CrashDoc } from './support/crash-doc'

const CHILD = path.join(__dirname, 'support', 'store-crash-child.ts')
const ROUNDS = 8

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-crash-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const openStore = () =>
  createJsonStore<CrashDoc>({
    dir,
    name: 'big',
    schema: crashDocSchema,
    version: 1,
    defaults: crashDocument(0)
  })

/**
 * Runs the writer until it has confirmed `minSaves` saves, then kills it: either after a random
 * delay, or right when the next file-system event in the folder arrives (a save has just
 * opened/created a file), which aims the kill into the middle of a write.
 */
function runAndKill(minSaves: number, when: { delayMs: number } | 'on-write'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let confirmed = -1
    let seen = 0
    let buffered = ''
    let stderr = ''
    let armed = false
    let watcher: fs.FSWatcher | undefined
    const kill = () => {
      watcher?.close()
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        confirmed = Math.max(confirmed, Number(line))
        seen++
      }
      if (seen >= minSaves && !armed) {
        armed = true
        if (when === 'on-write') {
          watcher = fs.watch(dir, kill)
          setTimeout(kill, 2_000) // in case the platform reports no events
        } else setTimeout(kill, when.delayMs)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (_code, signal) => {
      watcher?.close()
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself: ${stderr}`))
      else resolve(confirmed)
    })
  })
}

describe('a save killed at a random moment', () => {
  it('always leaves the last confirmed or the next complete version', async () => {
    const outcomes: { confirmed: number; loaded: number }[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const when = round % 2 === 0 ? 'on-write' : { delayMs: Math.floor(Math.random() * 60) }
      const confirmed = await runAndKill(2 + (round % 3), when)
      const { value, problem } = openStore().load()

      expect(problem).toBeNull()
      expect(crashDocSchema.safeParse(value).success).toBe(true)
      expect([confirmed, confirmed + 1]).toContain(value.seq)
      outcomes.push({ confirmed, loaded: value.seq })
    }
    // Each round starts from what the previous one left, so versions only move forward.
    const loaded = outcomes.map((o) => o.loaded)
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b))
    expect(fs.readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toEqual([])
  }, 120_000)
})

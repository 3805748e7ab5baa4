// `npm run bench`: builds (in package.json), then prints the engine and renderer figures.
import { runEngineBench } from './engine'
import { runLockBench } from './lock'
import { runRendererBench } from './renderer'
import { runServerBench } from './server'

async function main(): Promise<void> {
  console.log('Engine (loopback fake Admin API, real SDK)')
  console.table(await runEngineBench())
  console.log('Data-file lock (proper-lockfile) per recorded entry')
  console.table(await runLockBench())
  console.log('credit-tray serve (20 accounts, loopback fake Admin API)')
  console.table(await runServerBench())
  console.log('Renderer (built bundle in headless Chromium)')
  console.table(await runRendererBench())
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})

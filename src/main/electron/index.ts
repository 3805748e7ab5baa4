// Electron entry point: hand the real `electron` module to the composed shell. Nothing else here,
// so everything that matters is testable against a fake (tests/app-shell.test.ts).
import * as electron from 'electron'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { startApp, type ElectronDeps } from './app-shell'

const resourcesDir = electron.app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(electron.app.getAppPath(), 'resources')

startApp(electron as unknown as ElectronDeps, {
  platform: process.platform,
  env: process.env,
  execPath: process.execPath,
  homeDir: homedir(),
  mainDir: __dirname,
  resourcesDir
}).catch((err: unknown) => {
  // Never print the environment or request details here: only the message.
  console.error(`[credit-tray] could not start: ${String((err as Error)?.message ?? err)}`)
  electron.app.quit()
})

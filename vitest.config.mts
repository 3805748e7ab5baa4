import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

const __dirname = dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  test: {
    globals: true,
    projects: [
      {
        // Engine, CLI, Electron wiring (against a fake `electron`), end-to-end in Chromium.
        test: {
          name: 'node',
          globals: true,
          environment: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/renderer/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000
        },
        resolve: {
          alias: { electron: resolve(__dirname, 'tests/fakes/electron.ts') }
        }
      },
      {
        // React components with Testing Library.
        plugins: [react()],
        test: {
          name: 'renderer',
          globals: true,
          environment: 'jsdom',
          include: ['tests/renderer/**/*.test.tsx'],
          setupFiles: ['tests/renderer/setup.ts']
        }
      }
    ]
  }
})

import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { devServerCsp } from './build-tools/dev-csp'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Two entries share the engine: the Electron app and the plain-Node CLI.
        input: {
          index: resolve(__dirname, 'src/main/electron/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() npm packages: bundle everything, keep CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // electron-vite leaves renderer output unminified by default (564 kB for React alone);
      // minify so the tray window loads fast and the bundle budget (< 90 KB gzip) is measurable.
      minify: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          // The guided top-up window: its own small page, sharing chunks with the tray window.
          topup: resolve(__dirname, 'src/renderer/topup.html')
        }
      }
    },
    // devServerCsp applies to `npm run dev` only (apply: 'serve'); builds keep the strict CSP.
    plugins: [react(), devServerCsp()]
  }
})

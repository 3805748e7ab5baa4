// `npm run dev` only: the Vite dev server inserts CSS as <style> elements and talks to its HMR
// server over a WebSocket, both of which the production CSP (style-src 'self', connect-src
// 'none') rightly blocks. This plugin loosens exactly those two directives in the served HTML;
// scripts stay 'self' (the dev server needs no inline script: tests/e2e/dev-server.e2e.test.ts).
// It never runs for `electron-vite build`, so the shipped pages keep the strict policy.
import type { Plugin } from 'vite'

export function relaxCspForDevServer(html: string): string {
  return html
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'none'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
}

export function devServerCsp(): Plugin {
  return {
    name: 'credit-tray:dev-server-csp',
    apply: 'serve',
    transformIndexHtml: (html) => relaxCspForDevServer(html)
  }
}

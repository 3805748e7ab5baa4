import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { devServerCsp, relaxCspForDevServer } from '../build-tools/dev-csp'

const html = readFileSync(join(__dirname, '../src/renderer/index.html'), 'utf8')

describe('the dev-server CSP', () => {
  it('loosens only what the Vite dev server needs, in the served HTML', () => {
    const dev = relaxCspForDevServer(html)
    expect(dev).toContain("script-src 'self';")
    expect(dev).toContain("style-src 'self' 'unsafe-inline'")
    expect(dev).toContain("connect-src 'self' ws://localhost:*")
    expect(dev).toContain("default-src 'self'")
    expect(dev).toContain("object-src 'none'")
    expect(dev).not.toContain('unsafe-eval')
  })

  it('never applies to builds, so the shipped pages keep the strict policy', () => {
    expect(devServerCsp().apply).toBe('serve')
    const built = readFileSync(join(__dirname, '../out/renderer/index.html'), 'utf8')
    expect(built).toContain("script-src 'self';")
    expect(built).not.toContain('unsafe-inline')
  })
})

// The allowlist in front of shell.openExternal: only https://platform.openai.com pages we link to.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  ALLOWED_EXTERNAL_PATH_PREFIXES,
  isAllowedExternalUrl,
  normalizeAllowedExternalUrl,
  openAllowedExternalUrl,
  openExternalPage
} from '../src/main/electron/external-links'
import { EXTERNAL_PAGES, type ExternalPage } from '../src/shared/ipc'
import { resetElectronWebFake, shell } from './fakes/electron-web'

beforeEach(() => {
  resetElectronWebFake()
})

describe('isAllowedExternalUrl', () => {
  it('accepts an allowed URL of up to 2048 characters, and nothing longer', () => {
    const base = 'https://platform.openai.com/docs/'
    const of = (length: number): string => base + 'a'.repeat(length - base.length)
    expect(of(2048)).toHaveLength(2048)
    expect(isAllowedExternalUrl(of(2048))).toBe(true)
    expect(isAllowedExternalUrl(of(2049))).toBe(false)
  })

  it('refuses anything that is not a string, even one that stringifies to an allowed page', () => {
    const sneaky = { toString: () => 'https://platform.openai.com/usage', length: 10 }
    expect(normalizeAllowedExternalUrl(sneaky as unknown as string)).toBeNull()
    expect(normalizeAllowedExternalUrl(42 as unknown as string)).toBeNull()
  })

  it.each(Object.entries(EXTERNAL_PAGES))('allows the %s page', (_page, url) => {
    expect(isAllowedExternalUrl(url)).toBe(true)
  })

  it('derives its path prefixes from EXTERNAL_PAGES, plus the docs', () => {
    expect(ALLOWED_EXTERNAL_PATH_PREFIXES).toContain('/settings/organization/admin-keys')
    expect(ALLOWED_EXTERNAL_PATH_PREFIXES).toContain('/docs')
    expect(ALLOWED_EXTERNAL_PATH_PREFIXES).toHaveLength(Object.keys(EXTERNAL_PAGES).length + 1)
  })

  it.each([
    'https://platform.openai.com/docs',
    'https://platform.openai.com/docs/api-reference/usage/costs',
    'https://platform.openai.com/usage/activity',
    'https://PLATFORM.OpenAI.com/usage',
    'https://platform.openai.com:443/usage'
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true)
  })

  it.each([
    ['look-alike suffix', 'https://platform.openai.com.evil.com/usage'],
    ['userinfo', 'https://user@platform.openai.com/usage'],
    ['userinfo with password', 'https://user:pw@platform.openai.com/usage'],
    ['a password without a user name', 'https://:pw@platform.openai.com/usage'],
    ['backslash userinfo trick', 'https://evil.com\\@platform.openai.com/usage'],
    ['plain http', 'http://platform.openai.com/usage'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['file:', 'file:///etc/passwd'],
    ['UNC path', '\\\\evil.com\\share\\x.exe'],
    ['smb:', 'smb://platform.openai.com/usage'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['Cyrillic a in the host', 'https://pl\u0430tform.openai.com/usage'],
    ['fullwidth dot look-alike', 'https://platform\uff0eopenai\uff0ecom.evil.com/usage'],
    ['punycode host', 'https://xn--pltform-4nf.openai.com/usage'],
    ['other subdomain', 'https://api.openai.com/usage'],
    ['parent domain', 'https://openai.com/usage'],
    ['trailing dot host', 'https://platform.openai.com./usage'],
    ['other port', 'https://platform.openai.com:8443/usage'],
    ['host in the path', 'https://evil.com/platform.openai.com/usage'],
    ['host in the fragment', 'https://evil.com#platform.openai.com/usage'],
    ['root path', 'https://platform.openai.com/'],
    ['unlisted path', 'https://platform.openai.com/chat'],
    ['prefix without a segment boundary', 'https://platform.openai.com/usagex'],
    ['dot-dot escaping an allowed prefix', 'https://platform.openai.com/usage/../chat'],
    ['encoded dot-dot', 'https://platform.openai.com/usage/%2e%2e/chat'],
    ['encoded slash', 'https://platform.openai.com/usage%2F..%2Fchat'],
    ['percent-escapes in an allowed path', 'https://platform.openai.com/usage/%41'],
    [
      'query string (open redirects live there)',
      'https://platform.openai.com/login?next=https://evil.com'
    ],
    ['bare question mark', 'https://platform.openai.com/usage?'],
    ['fragment', 'https://platform.openai.com/usage#x'],
    ['not a URL', 'platform.openai.com/usage'],
    ['empty', ''],
    ['very long', 'https://platform.openai.com/docs/' + 'a'.repeat(3000)]
  ])('rejects %s', (_name, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false)
  })

  it('normalizes before answering, so the browser gets exactly what was checked', () => {
    expect(normalizeAllowedExternalUrl('https://platform%2eopenai.com/usage')).toBe(
      'https://platform.openai.com/usage'
    )
    expect(normalizeAllowedExternalUrl('  https://PLATFORM.openai.com:443/usage\n')).toBe(
      'https://platform.openai.com/usage'
    )
  })
})

describe('openAllowedExternalUrl', () => {
  it('opens the normalized URL of an allowed page', async () => {
    await expect(openAllowedExternalUrl('https://PLATFORM.openai.com/usage', shell)).resolves.toBe(
      true
    )
    expect(shell.opened).toEqual(['https://platform.openai.com/usage'])
  })

  it('opens nothing for a URL outside the allowlist', async () => {
    await expect(
      openAllowedExternalUrl('https://platform.openai.com.evil.com/usage', shell)
    ).resolves.toBe(false)
    await expect(
      openAllowedExternalUrl('file:///Applications/Calculator.app', shell)
    ).resolves.toBe(false)
    expect(shell.opened).toEqual([])
  })
})

describe('openExternalPage', () => {
  it.each(Object.keys(EXTERNAL_PAGES) as ExternalPage[])(
    'opens %s at its URL from the contract',
    async (page) => {
      await openExternalPage(page, shell)
      expect(shell.opened).toEqual([EXTERNAL_PAGES[page]])
    }
  )

  it('refuses a page id that is not in the contract, even an inherited property name', async () => {
    await expect(openExternalPage('toString' as ExternalPage, shell)).rejects.toThrow(
      'Unknown page'
    )
    await expect(openExternalPage('constructor' as ExternalPage, shell)).rejects.toThrow(
      'Unknown page'
    )
    expect(shell.opened).toEqual([])
  })

  it('passes a browser failure on to the caller', async () => {
    shell.failWith = new Error('no browser')
    await expect(openExternalPage('usage', shell)).rejects.toThrow('no browser')
  })
})

// The read server of `credit-tray serve` over real HTTP on loopback: what a reader gets for each
// path, what is refused before anything is read (methods, bodies, long targets, a missing or
// wrong token), the headers every answer carries, and that an internal failure tells a reader
// nothing. (Host checks without a token are in metrics.test.ts.)
import { connect, type AddressInfo } from 'node:net'
import { request, type IncomingHttpHeaders, type Server } from 'node:http'
import {
  bearerMatches,
  createReadServer,
  MAX_URL_LENGTH,
  type ReadSource
} from '../src/main/engine/read-server'
import { createMetrics } from '../src/main/engine/metrics'

const TOKEN = 'read-token-0123456789abcdef'
const AUTH = { Authorization: `Bearer ${TOKEN}` }

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

let server: Server | null = null
let port: number
let asked: (string | null)[]

function source(overrides: Partial<ReadSource> = {}): ReadSource {
  return {
    statusJson: (account) => {
      asked.push(account)
      return account === 'Nobody' ? null : `{"account":${JSON.stringify(account)}}\n`
    },
    accountsJson: () => '[{"name":"default"}]\n',
    metrics: createMetrics({ statuses: () => [], defaultMetrics: false }),
    ...overrides
  }
}

let logged: string[] = []
async function start(token: string | null, src: ReadSource = source()): Promise<void> {
  const s = createReadServer({ token, source: src, log: (line) => logged.push(line) })
  server = s
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  port = (s.address() as AddressInfo).port
}

beforeEach(() => {
  asked = []
  logged = []
})
afterEach(async () => {
  const running = server
  server = null
  if (running) await new Promise((r) => running.close(r))
})

function ask(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** A request written by hand, for targets a client library would not send as they are. */
function rawStatusLine(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
    })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (c: string) => (text += c))
    socket.on('end', () => resolve(text.split('\r\n')[0] ?? ''))
    socket.on('error', reject)
  })
}

describe('bearerMatches', () => {
  it('takes the scheme in any case and spaces around the token, nothing else around it', () => {
    expect(bearerMatches(TOKEN, `BEARER   ${TOKEN}  `)).toBe(true)
    expect(bearerMatches(TOKEN, `xBearer ${TOKEN}`)).toBe(false)
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN} extra`)).toBe(false)
    expect(bearerMatches(TOKEN, `Bearer${TOKEN}`)).toBe(false)
    expect(bearerMatches(TOKEN, '')).toBe(false)
    // An empty expected token never matches a missing one.
    expect(bearerMatches('', undefined)).toBe(false)
  })
})

describe('read server with a token', () => {
  it('serves the status of the active account, or of the one asked for', async () => {
    await start(TOKEN)
    const active = await ask('/status.json', { headers: AUTH })
    expect(active.status).toBe(200)
    expect(active.body).toBe('{"account":null}\n')
    expect(active.headers['content-type']).toBe('application/json; charset=utf-8')
    const named = await ask('/status.json?account=Agency%20X', { headers: AUTH })
    expect(named.body).toBe('{"account":"Agency X"}\n')
    expect(asked).toEqual([null, 'Agency X'])
  })

  it('answers 404 in JSON for an account it does not have', async () => {
    await start(TOKEN)
    const res = await ask('/status.json?account=Nobody', { headers: AUTH })
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(res.body)).toEqual({ error: 'No such account.' })
  })

  it('serves the account list and the metrics with their own content types', async () => {
    await start(TOKEN)
    const accounts = await ask('/accounts.json', { headers: AUTH })
    expect(accounts.status).toBe(200)
    expect(accounts.body).toBe('[{"name":"default"}]\n')
    expect(accounts.headers['content-type']).toBe('application/json; charset=utf-8')
    const metrics = await ask('/metrics', { headers: AUTH })
    expect(metrics.status).toBe(200)
    expect(metrics.headers['content-type']).toBe(source().metrics.contentType)
    expect(metrics.body).toMatch(/credit_tray_/)
  })

  it('points a reader at the real paths for anything else', async () => {
    await start(TOKEN)
    const res = await ask('/status', { headers: AUTH })
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(res.body).toBe('Not found. Try /status.json, /accounts.json or /metrics.\n')
  })

  it('asks for the token (and names the scheme) on every path but /healthz', async () => {
    await start(TOKEN)
    for (const path of ['/status.json', '/accounts.json', '/metrics', '/nope']) {
      for (const headers of [{}, { Authorization: 'Bearer wrong-token-0123456789' }] as Record<
        string,
        string
      >[]) {
        const res = await ask(path, { headers })
        expect(res.status, path).toBe(401)
        expect(res.headers['www-authenticate']).toBe('Bearer realm="credit-tray"')
        expect(res.body).toBe('A read token is needed: Authorization: Bearer TOKEN\n')
      }
    }
    expect(asked).toEqual([])
    const health = await ask('/healthz')
    expect(health.status).toBe(200)
    expect(health.body).toBe('ok\n')
  })

  it('sends no-store, nosniff and the exact length with every answer', async () => {
    await start(TOKEN)
    for (const [path, headers] of [
      ['/healthz', {}],
      ['/status.json', AUTH],
      ['/status.json', {}],
      ['/nope', AUTH]
    ] as const) {
      const res = await ask(path, { headers })
      expect(res.headers['cache-control'], path).toBe('no-store')
      expect(res.headers['x-content-type-options'], path).toBe('nosniff')
      expect(res.headers['content-length'], path).toBe(String(Buffer.byteLength(res.body)))
    }
  })

  it('answers HEAD with the headers of GET and no body', async () => {
    await start(TOKEN)
    const get = await ask('/status.json', { headers: AUTH })
    const head = await ask('/status.json', { method: 'HEAD', headers: AUTH })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(head.headers['content-length']).toBe(get.headers['content-length'])
    expect(head.headers['content-type']).toBe(get.headers['content-type'])
  })
})

describe('what the read server refuses before reading anything', () => {
  it('takes GET and HEAD only, and says which', async () => {
    await start(TOKEN)
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await ask('/status.json', { method, headers: AUTH })
      expect(res.status, method).toBe(405)
      expect(res.headers['allow']).toBe('GET, HEAD')
      expect(res.body).toBe('Only GET and HEAD.\n')
    }
    expect(asked).toEqual([])
  })

  it('refuses a request with a body, sized or chunked, and closes the connection', async () => {
    await start(TOKEN)
    const sized = await ask('/status.json', {
      headers: { ...AUTH, 'Content-Length': '5' },
      body: 'hello'
    })
    expect(sized.status).toBe(413)
    expect(sized.headers['connection']).toBe('close')
    expect(sized.body).toBe('Requests have no body here.\n')
    const chunked = await ask('/status.json', {
      headers: { ...AUTH, 'Transfer-Encoding': 'chunked' },
      body: 'hello'
    })
    expect(chunked.status).toBe(413)
    // An explicit empty body is no body.
    const empty = await ask('/status.json', { headers: { ...AUTH, 'Content-Length': '0' } })
    expect(empty.status).toBe(200)
    expect(asked).toEqual([null])
  })

  it('refuses a request target longer than it reads, and takes one of exactly that length', async () => {
    await start(TOKEN)
    const base = '/status.json?account='
    const atLimit = base + 'a'.repeat(MAX_URL_LENGTH - base.length)
    expect((await ask(atLimit, { headers: AUTH })).status).toBe(200)
    const tooLong = await ask(atLimit + 'a', { headers: AUTH })
    expect(tooLong.status).toBe(414)
    expect(tooLong.body).toBe('Request target too long.\n')
    expect(asked).toHaveLength(1)
  })

  it('answers 400 for a target that is no URL path', async () => {
    await start(TOKEN)
    expect(await rawStatusLine('//')).toBe('HTTP/1.1 400 Bad Request')
  })

  it('tells a reader nothing about an internal failure, and tells the operator’s log what it was', async () => {
    await start(
      TOKEN,
      source({
        statusJson: () => {
          throw new Error(`/home/someone/.config/credit-tray/ledger.json: EACCES (${TOKEN})`)
        }
      })
    )
    const res = await ask('/status.json', { headers: AUTH })
    expect(res.status).toBe(500)
    expect(res.body).toBe('Internal error.\n')
    expect(logged).toEqual([
      'GET /status.json failed: /home/someone/.config/credit-tray/ledger.json: EACCES ([redacted])'
    ])
  })
})

describe('the read server, in its exact words', () => {
  /** The whole raw answer to a hand-written request (status line, headers, body). */
  function rawAnswer(lines: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write([...lines, 'Connection: close', '', ''].join('\r\n'))
      })
      let text = ''
      socket.setEncoding('utf8')
      socket.on('data', (c: string) => (text += c))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
  }

  it('says what is wrong with a target that is no path', async () => {
    await start(TOKEN)
    const answer = await rawAnswer(['GET // HTTP/1.1', 'Host: 127.0.0.1'])
    expect(answer.split('\r\n\r\n')[1]).toBe('Bad request target.\n')
  })

  it('without a token, refuses a Host it cannot read, in words', async () => {
    await start(null)
    const answer = await rawAnswer(['GET /status.json HTTP/1.1', 'Host: [::1'])
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden')
    expect(answer.split('\r\n\r\n')[1]).toBe(
      'Without a read token only http://localhost or 127.0.0.1 may ask.\n'
    )
  })

  it('with a token, any Host may ask', async () => {
    await start(TOKEN)
    const res = await ask('/accounts.json', { headers: { ...AUTH, Host: 'credit.example.com' } })
    expect(res.status).toBe(200)
  })

  it('ends the JSON of a missing account with a newline', async () => {
    await start(TOKEN)
    const res = await ask('/status.json?account=Nobody', { headers: AUTH })
    expect(res.body).toBe('{"error":"No such account."}\n')
  })

  it('refuses request headers over 8 KB', async () => {
    await start(TOKEN)
    const res = await ask('/healthz', { headers: { 'X-Padding': 'x'.repeat(9_000) } })
    expect(res.status).toBe(431)
    const fine = await ask('/healthz', { headers: { 'X-Padding': 'x'.repeat(7_000) } })
    expect(fine.status).toBe(200)
  })
})

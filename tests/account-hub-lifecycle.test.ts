// The hub's bookkeeping over its engines, with a recording stand-in for the engine (the real one
// is covered in account-hub.test.ts): which engine is started, stopped, paused or rebuilt when,
// which listeners still hear an account after it is removed, and that the active-account view
// talks to whichever account is active at the moment of the call.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  activeEngineView,
  createAccountHub,
  severity,
  type AccountHub
} from '../src/main/engine/account-hub'
import { createAccountRegistry, type Account } from '../src/main/engine/accounts'
import type { CliEngine } from '../src/main/engine/engine'
import type { Alert } from '../src/main/engine/engine-api'
import type { Status } from '../src/shared/status'
import { makeStatus } from './support/fixtures'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-hub-life-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

interface FakeEngine extends CliEngine {
  account: string
  /** Every call made on the engine, by method name ("start", "refresh", …). */
  calls: string[]
  status: Status
  emitStatus(): void
  emitAlert(alert: Alert): void
  listeners(): number
}

function fakeEngine(account: Account): FakeEngine {
  const statusListeners = new Set<(s: Status) => void>()
  const alertListeners = new Set<(a: Alert) => void>()
  const calls: string[] = []
  const record =
    <T>(name: string, result: T) =>
    (): T => {
      calls.push(name)
      return result
    }
  const engine: FakeEngine = {
    account: account.name,
    calls,
    status: makeStatus({ balance: 100, level: 'ok' }),
    emitStatus: () => statusListeners.forEach((l) => l(engine.status)),
    emitAlert: (a) => alertListeners.forEach((l) => l(a)),
    listeners: () => statusListeners.size + alertListeners.size,
    getStatus: () => engine.status,
    refresh: async (options) => {
      calls.push(`refresh:${options?.manual === true}`)
      return engine.status
    },
    recordBalance: async (amount) => {
      calls.push(`recordBalance:${amount}`)
      return engine.status
    },
    recordTopUp: async (amount) => {
      calls.push(`recordTopUp:${amount}`)
      return engine.status
    },
    currency: record('currency', `cur-${account.name}`),
    getSettings: () => {
      calls.push('getSettings')
      return { account: account.name } as never
    },
    updateSettings: async (patch) => {
      calls.push(`updateSettings:${JSON.stringify(patch)}`)
      return {} as never
    },
    getKeyInfo: async () => {
      calls.push('getKeyInfo')
      return { account: account.name } as never
    },
    setKey: async (key, opts) => {
      calls.push(`setKey:${key}:${opts?.check}`)
      return {} as never
    },
    clearKey: async () => {
      calls.push('clearKey')
      return {} as never
    },
    checkKey: async () => {
      calls.push('checkKey')
      return {} as never
    },
    getLedger: record('getLedger', []),
    problems: record('problems', []),
    exportCsv: (range) => {
      calls.push(`exportCsv:${JSON.stringify(range)}`)
      return `csv of ${account.name}`
    },
    setOrgLimit: async (amount) => {
      calls.push(`setOrgLimit:${amount}`)
      return engine.status
    },
    addOrgAlert: async (amount, recipients) => {
      calls.push(`addOrgAlert:${amount}:${recipients.join('+')}`)
      return engine.status
    },
    onStatus: (l) => {
      statusListeners.add(l)
      return () => statusListeners.delete(l)
    },
    onAlert: (l) => {
      alertListeners.add(l)
      return () => alertListeners.delete(l)
    },
    // Nothing of the stand-in is ever in flight.
    settled: async () => {},
    start: record('start', undefined),
    stop: record('stop', undefined),
    pause: record('pause', undefined),
    resume: record('resume', undefined)
  }
  return engine
}

function makeHub(): { hub: AccountHub; built: FakeEngine[]; latest: (name: string) => FakeEngine } {
  const registry = createAccountRegistry({ dataDir: dir })
  const built: FakeEngine[] = []
  const hub = createAccountHub({
    registry,
    engineFor: (account) => {
      const e = fakeEngine(account)
      built.push(e)
      return e
    }
  })
  const latest = (name: string): FakeEngine => built.filter((e) => e.account === name).at(-1)!
  return { hub, built, latest }
}

const alert = (title: string): Alert => ({ title, body: 'body' }) as Alert

describe('severity of one account', () => {
  it('ranks every problem that needs the user (key, keychain, storage) above critical credit', () => {
    for (const kind of ['auth', 'permission', 'no_key', 'keychain', 'storage'] as const) {
      expect(severity(makeStatus({ error: { kind, message: '' }, level: 'ok' }))).toBe(6)
    }
    expect(severity(makeStatus({ level: 'critical' }))).toBe(5)
  })

  it('ranks a passing problem (network, server) with an ok level like stale data', () => {
    const network = severity(makeStatus({ error: { kind: 'network', message: '' }, level: 'ok' }))
    expect(network).toBe(severity(makeStatus({ stale: true, level: 'ok' })))
    expect(network).toBeGreaterThan(severity(makeStatus({ level: 'ok' })))
    expect(network).toBeLessThan(severity(makeStatus({ level: 'low' })))
    // Low credit still shows through a passing network problem.
    expect(severity(makeStatus({ error: { kind: 'network', message: '' }, level: 'low' }))).toBe(
      severity(makeStatus({ level: 'low' }))
    )
  })
})

describe('the hub starts, stops, pauses and resumes every account', () => {
  it('builds one engine per account up front, and no second one for the same account', () => {
    const { hub, built } = makeHub()
    expect(built.map((e) => e.account)).toEqual(['default'])
    hub.state()
    hub.worstStatus()
    hub.statusOf('default')
    hub.active()
    expect(built).toHaveLength(1)
    // Nothing polls before start().
    expect(built[0]!.calls).not.toContain('start')
  })

  it('forwards start, pause, resume and stop to every engine', async () => {
    const { hub, latest } = makeHub()
    await hub.add('Shop')
    hub.start()
    hub.pause()
    hub.resume()
    hub.stop()
    for (const name of ['default', 'Shop']) {
      expect(latest(name).calls.filter((c) => /^(start|stop|pause|resume)$/.test(c))).toEqual([
        'start',
        'pause',
        'resume',
        'stop'
      ])
    }
  })

  it('starts an account added while running, paused too when the hub is paused', async () => {
    const { hub, latest } = makeHub()
    await hub.add('Before')
    expect(latest('Before').calls).not.toContain('start')
    hub.start()
    await hub.add('Running')
    expect(latest('Running').calls).toEqual(['start'])
    hub.pause()
    await hub.add('Paused')
    expect(latest('Paused').calls).toEqual(['start', 'pause'])
    hub.resume()
    await hub.add('Resumed')
    expect(latest('Resumed').calls).toEqual(['start'])
    hub.stop()
    await hub.add('Stopped')
    expect(latest('Stopped').calls).toEqual([])
  })

  it('stops a removed account and no longer hears its status or alerts', async () => {
    const { hub, latest } = makeHub()
    await hub.add('Gone')
    const gone = latest('Gone')
    let changes = 0
    const alerts: Alert[] = []
    hub.onChange(() => changes++)
    hub.onAlert((a) => alerts.push(a))
    await hub.remove('Gone')
    expect(gone.calls).toContain('stop')
    expect(gone.listeners()).toBe(0)
    const before = changes
    gone.emitStatus()
    gone.emitAlert(alert('late'))
    expect(changes).toBe(before)
    expect(alerts).toEqual([])
    expect(hub.state().accounts.map((a) => a.name)).toEqual(['default'])
  })

  it('reload builds the account engine again, stops the old one and starts the new one', () => {
    const { hub, built, latest } = makeHub()
    hub.start()
    const old = latest('default')
    let changes = 0
    hub.onChange(() => changes++)
    hub.reload('default')
    expect(built).toHaveLength(2)
    const fresh = latest('default')
    expect(fresh).not.toBe(old)
    expect(old.calls).toContain('stop')
    expect(old.listeners()).toBe(0)
    expect(fresh.calls).toEqual(['start'])
    expect(changes).toBe(1)
    expect(hub.active()).toBe(fresh)
    // The old engine's late news no longer reaches the hub's listeners.
    old.emitStatus()
    expect(changes).toBe(1)
    fresh.emitStatus()
    expect(changes).toBe(2)
  })
})

describe('what the hub tells its listeners', () => {
  it('keeps an alert title as it is while there is one account', () => {
    const { hub, latest } = makeHub()
    const alerts: Alert[] = []
    hub.onAlert((a) => alerts.push(a))
    latest('default').emitAlert(alert('Credit is low'))
    expect(alerts.map((a) => a.title)).toEqual(['Credit is low'])
  })

  it('names the account in the title once there are several, keeping the rest of the alert', async () => {
    const { hub, latest } = makeHub()
    await hub.add('Shop')
    const alerts: Alert[] = []
    hub.onAlert((a) => alerts.push(a))
    latest('default').emitAlert(alert('Credit is low'))
    latest('Shop').emitAlert(alert('Credit runs out'))
    expect(alerts).toEqual([
      { title: 'default: Credit is low', body: 'body' },
      { title: 'Shop: Credit runs out', body: 'body' }
    ])
  })

  it('stops telling a listener once it unsubscribed', () => {
    const { hub, latest } = makeHub()
    let changes = 0
    const alerts: Alert[] = []
    const offChange = hub.onChange(() => changes++)
    const offAlert = hub.onAlert((a) => alerts.push(a))
    latest('default').emitStatus()
    latest('default').emitAlert(alert('one'))
    offChange()
    offAlert()
    latest('default').emitStatus()
    latest('default').emitAlert(alert('two'))
    expect(changes).toBe(1)
    expect(alerts.map((a) => a.title)).toEqual(['one'])
  })

  it('switching account tells listeners and returns the state with the new active account', async () => {
    const { hub } = makeHub()
    await hub.add('Shop')
    let changes = 0
    hub.onChange(() => changes++)
    const state = await hub.switchTo('default')
    expect(changes).toBe(1)
    expect(state.active).toBe('default')
    expect(hub.active()).toBe(hub.active())
  })

  it('adding makes the new account active and tells listeners; removing tells them too', async () => {
    const { hub } = makeHub()
    let changes = 0
    hub.onChange(() => changes++)
    const added = await hub.add('Shop', ['proj_1'])
    expect(added.active).toBe('Shop')
    expect(changes).toBe(1)
    const removed = await hub.remove('Shop')
    expect(removed.active).toBe('default')
    expect(changes).toBe(2)
  })
})

describe('the state of all accounts', () => {
  it('summarises each account from its own engine', async () => {
    const { hub, latest } = makeHub()
    await hub.add('Shop', ['proj_shop'])
    latest('default').status = makeStatus({
      balance: 12.5,
      currency: 'eur',
      level: 'low',
      stale: true,
      error: { kind: 'network', message: 'offline' }
    })
    latest('Shop').status = makeStatus({ balance: null, level: 'unknown', stale: false })
    expect(hub.state()).toEqual({
      active: 'Shop',
      accounts: [
        {
          name: 'default',
          projectIds: [],
          level: 'low',
          balance: 12.5,
          currency: 'eur',
          errorKind: 'network',
          stale: true
        },
        {
          name: 'Shop',
          projectIds: ['proj_shop'],
          level: 'unknown',
          balance: null,
          currency: 'usd',
          errorKind: null,
          stale: false
        }
      ]
    })
  })

  it('watches an account another process added the first time it is asked about', async () => {
    const { hub, built } = makeHub()
    // A second registry over the same folder: the CLI adding an account while the app runs.
    await createAccountRegistry({ dataDir: dir }).add('FromCli')
    expect(built.map((e) => e.account)).toEqual(['default'])
    hub.start()
    const status = hub.statusOf('FromCli')
    expect(built.map((e) => e.account)).toEqual(['default', 'FromCli'])
    expect(status).toBe(built[1]!.status)
    expect(built[1]!.calls).toEqual(['start'])
  })

  it('the tray shows the first of equally bad accounts, and a worse one over it', async () => {
    const { hub, latest } = makeHub()
    await hub.add('Shop')
    await hub.add('Agency')
    latest('default').status = makeStatus({ level: 'low', balance: 9 })
    latest('Shop').status = makeStatus({ level: 'low', balance: 8 })
    latest('Agency').status = makeStatus({ level: 'ok', balance: 500 })
    expect(hub.worstStatus()).toBe(latest('default').status)
    latest('Agency').status = makeStatus({ level: 'critical', balance: 2 })
    expect(hub.worstStatus()).toBe(latest('Agency').status)
  })
})

describe('the active-account view', () => {
  it('sends every call to the account active at the time of the call', async () => {
    const { hub, latest } = makeHub()
    const view = activeEngineView(hub)
    await hub.add('Shop')
    await view.refresh({ manual: true })
    await view.recordBalance(10)
    await view.recordTopUp(5)
    expect(view.currency()).toBe('cur-Shop')
    expect(view.getSettings()).toEqual({ account: 'Shop' })
    await view.updateSettings({ pollMinutes: 30 } as never)
    expect(await view.getKeyInfo()).toEqual({ account: 'Shop' })
    await view.setKey('sk-admin-x', { check: false })
    await view.clearKey()
    await view.checkKey()
    expect(view.getLedger()).toEqual([])
    expect(view.problems()).toEqual([])
    expect(view.exportCsv({ from: '2026-01-01' } as never)).toBe('csv of Shop')
    await view.setOrgLimit(100)
    await view.addOrgAlert(50, ['a@example.com', 'b@example.com'])
    expect(view.getStatus()).toBe(latest('Shop').status)
    expect(latest('Shop').calls).toEqual([
      'refresh:true',
      'recordBalance:10',
      'recordTopUp:5',
      'currency',
      'getSettings',
      'updateSettings:{"pollMinutes":30}',
      'getKeyInfo',
      'setKey:sk-admin-x:false',
      'clearKey',
      'checkKey',
      'getLedger',
      'problems',
      'exportCsv:{"from":"2026-01-01"}',
      'setOrgLimit:100',
      'addOrgAlert:50:a@example.com+b@example.com'
    ])
    expect(latest('default').calls).toEqual([])
    await hub.switchTo('default')
    await view.refresh()
    expect(latest('default').calls).toEqual(['refresh:false'])
  })

  it('tells status listeners the active account status whenever any account changes', async () => {
    const { hub, latest } = makeHub()
    const view = activeEngineView(hub)
    await hub.add('Shop')
    const heard: Status[] = []
    const off = view.onStatus((s) => heard.push(s))
    latest('default').emitStatus()
    expect(heard).toEqual([latest('Shop').status])
    await hub.switchTo('default')
    expect(heard.at(-1)).toBe(latest('default').status)
    off()
    latest('Shop').emitStatus()
    expect(heard).toHaveLength(2)
  })

  it('passes alerts from every account and polling control to the whole hub', async () => {
    const { hub, latest } = makeHub()
    const view = activeEngineView(hub)
    await hub.add('Shop')
    const alerts: Alert[] = []
    view.onAlert((a) => alerts.push(a))
    latest('default').emitAlert(alert('low'))
    expect(alerts.map((a) => a.title)).toEqual(['default: low'])
    view.start()
    view.pause()
    view.resume()
    view.stop()
    for (const name of ['default', 'Shop']) {
      expect(latest(name).calls).toEqual(['start', 'pause', 'resume', 'stop'])
    }
  })
})

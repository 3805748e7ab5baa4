import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ALERT_STATE_VERSION,
  INITIAL_ALERT_STATE,
  alertStateSchema,
  evaluateAlerts,
  type AlertInput,
  type AlertState
} from '../src/main/engine/alert-policy'
import { levelFor } from '../src/main/engine/levels'
import { createJsonStore } from '../src/main/engine/store'
import type { AutoRechargeStatus, Thresholds } from '../src/shared/status'

const T: Thresholds = { lowBalance: 10, lowDays: 7, criticalBalance: 5, criticalDays: 2 }
const HOUR = 3_600_000
const START = Date.parse('2024-06-01T12:00:00Z')

/** An input where the level follows from balance and days left, like the engine computes it. */
function input(over: Partial<AlertInput> & { hour?: number } = {}): AlertInput {
  const balance = over.balance === undefined ? 50 : over.balance
  const daysLeft = over.daysLeft === undefined ? 20 : over.daysLeft
  const { hour = 0, ...rest } = over
  return {
    level: levelFor(balance, daysLeft, T),
    balance,
    daysLeft,
    burnRatePerDay: 2.7,
    currency: 'usd',
    thresholds: T,
    errorKind: null,
    stale: false,
    staleForMs: 0,
    lastTopUpAt: null,
    now: new Date(START + hour * HOUR),
    ...rest
  }
}

/** Feeds inputs one after another, carrying the state; returns the alert kinds per step. */
function run(steps: AlertInput[], state: AlertState = INITIAL_ALERT_STATE) {
  const kinds: string[][] = []
  for (const step of steps) {
    const out = evaluateAlerts(state, step)
    state = out.state
    kinds.push(out.alerts.map((a) => a.kind))
  }
  return { kinds, state }
}

describe('credit alerts: one per episode', () => {
  it('says nothing while the credit is fine', () => {
    expect(run([input(), input({ balance: 11, daysLeft: 8 })]).kinds).toEqual([[], []])
  })

  it('alerts once when the credit becomes low, not on every refresh while it stays low', () => {
    const { kinds } = run([
      input({ balance: 20 }),
      input({ balance: 9, daysLeft: 3.3, hour: 1 }),
      input({ balance: 8.5, daysLeft: 3.1, hour: 2 }),
      input({ balance: 8.2, daysLeft: 3.04, hour: 3 })
    ])
    expect(kinds).toEqual([[], ['low'], [], []])
  })

  it('alerts again when low turns critical, but not when critical eases back to low', () => {
    const { kinds } = run([
      input({ balance: 9, hour: 0 }),
      input({ balance: 4, hour: 1 }),
      input({ balance: 6, hour: 2 }),
      input({ balance: 4.5, hour: 3 })
    ])
    expect(kinds).toEqual([['low'], ['critical'], [], []])
  })

  it('alerts critical once when going straight from ok to critical', () => {
    const { kinds } = run([input(), input({ balance: 3, hour: 1 }), input({ balance: 9, hour: 2 })])
    expect(kinds).toEqual([[], ['critical'], []])
  })

  it('treats few days left like a low balance', () => {
    const { kinds } = run([
      input({ balance: 500, daysLeft: 6 }),
      input({ balance: 500, daysLeft: 1.5 })
    ])
    expect(kinds).toEqual([['low'], ['critical']])
  })
})

describe('re-arming after recovery', () => {
  it('does not alert again when the estimate wobbles just above and below the threshold', () => {
    const { kinds } = run([
      input({ balance: 9.5, daysLeft: 20 }),
      input({ balance: 10.5, daysLeft: 20, hour: 1 }), // ok, but within 20 % of the threshold
      input({ balance: 9.8, daysLeft: 20, hour: 2 })
    ])
    expect(kinds).toEqual([['low'], [], []])
  })

  it('alerts again after a real recovery: above low balance × 1.2 and low days + 1', () => {
    const { kinds } = run([
      input({ balance: 9.5, daysLeft: 20 }),
      input({ balance: 12.01, daysLeft: 8.01, hour: 5 }),
      input({ balance: 9.5, daysLeft: 20, hour: 9 })
    ])
    expect(kinds).toEqual([['low'], [], ['low']])
  })

  it('needs both halves of the hysteresis: enough money and enough days', () => {
    const { kinds } = run([
      input({ balance: 500, daysLeft: 6.5 }),
      input({ balance: 500, daysLeft: 7.5, hour: 1 }), // ok, but not more than lowDays + 1
      input({ balance: 500, daysLeft: 6.9, hour: 2 })
    ])
    expect(kinds).toEqual([['low'], [], []])
  })

  it('counts "nothing being spent" (no days left) as recovered days', () => {
    const { kinds } = run([
      input({ balance: 9 }),
      input({ balance: 13, daysLeft: null, hour: 1 }),
      input({ balance: 9, hour: 2 })
    ])
    expect(kinds).toEqual([['low'], [], ['low']])
  })

  it('re-arms after a top-up recorded during the episode, even just above the threshold', () => {
    const topUp = new Date(START + 2 * HOUR).toISOString()
    const { kinds } = run([
      input({ balance: 9 }),
      input({ balance: 10.5, lastTopUpAt: topUp, hour: 3 }),
      input({ balance: 9.9, lastTopUpAt: topUp, hour: 30 })
    ])
    expect(kinds).toEqual([['low'], [], ['low']])
  })

  it('ignores top-ups from before the episode', () => {
    const oldTopUp = new Date(START - 48 * HOUR).toISOString()
    const { kinds } = run([
      input({ balance: 9, lastTopUpAt: oldTopUp }),
      input({ balance: 10.5, lastTopUpAt: oldTopUp, hour: 1 }),
      input({ balance: 9.9, lastTopUpAt: oldTopUp, hour: 2 })
    ])
    expect(kinds).toEqual([['low'], [], []])
  })

  it('after a top-up that leaves it low, stays quiet but alerts if it turns critical again', () => {
    const topUp = new Date(START + 2 * HOUR).toISOString()
    const { kinds, state } = run([
      input({ balance: 3 }),
      input({ balance: 8, lastTopUpAt: topUp, hour: 3 }), // topped up: critical -> low
      input({ balance: 7, lastTopUpAt: topUp, hour: 10 }),
      input({ balance: 4, lastTopUpAt: topUp, hour: 20 })
    ])
    expect(kinds).toEqual([['critical'], [], [], ['critical']])
    expect(state.credit?.level).toBe('critical')
  })

  it('lets "unknown" (no balance) neither alert nor end an episode', () => {
    const { kinds } = run([
      input({ balance: 9 }),
      input({ balance: null, daysLeft: null, hour: 1 }),
      input({ balance: 9, hour: 2 })
    ])
    expect(kinds).toEqual([['low'], [], []])
    expect(run([input({ balance: null, daysLeft: null })]).kinds).toEqual([[]])
  })

  it('starts a new episode when the user raises the thresholds above the balance', () => {
    const higher = { ...T, lowBalance: 100, criticalBalance: 20 }
    const step = input({ balance: 50 })
    const { kinds } = run([
      step,
      { ...step, thresholds: higher, level: levelFor(50, 20, higher), now: new Date(START + HOUR) }
    ])
    expect(kinds).toEqual([[], ['low']])
  })
})

describe('key rejected', () => {
  it('alerts once per episode of auth or permission errors', () => {
    const { kinds } = run([
      input({ errorKind: 'auth' }),
      input({ errorKind: 'auth', hour: 1 }),
      input({ errorKind: 'permission', hour: 2 }),
      input({ errorKind: 'network', hour: 3 }), // says nothing about the key
      input({ errorKind: 'auth', hour: 4 })
    ])
    expect(kinds).toEqual([['key_rejected'], [], [], [], []])
  })

  it('alerts again after a successful refresh, or after the key was removed', () => {
    expect(
      run([input({ errorKind: 'auth' }), input({ hour: 1 }), input({ errorKind: 'auth', hour: 2 })])
        .kinds
    ).toEqual([['key_rejected'], [], ['key_rejected']])
    expect(
      run([
        input({ errorKind: 'permission' }),
        input({ errorKind: 'no_key', hour: 1 }),
        input({ errorKind: 'auth', hour: 2 })
      ]).kinds
    ).toEqual([['key_rejected'], [], ['key_rejected']])
  })

  it('explains a revoked key and a key of the wrong kind differently', () => {
    const auth = evaluateAlerts(INITIAL_ALERT_STATE, input({ errorKind: 'auth' })).alerts[0]
    const perm = evaluateAlerts(INITIAL_ALERT_STATE, input({ errorKind: 'permission' })).alerts[0]
    expect(auth?.title).toBe('OpenAI rejected the Admin key')
    expect(perm?.body).toMatch(/Admin key \(sk-admin-…\)/)
  })
})

describe('stale data', () => {
  const stale = (hours: number, over: Partial<AlertInput> = {}) =>
    input({ stale: true, staleForMs: hours * HOUR, errorKind: 'network', hour: hours, ...over })

  it('alerts once when data has not been refreshed for more than 6 hours', () => {
    const { kinds } = run([stale(1), stale(5.9), stale(6.5), stale(8), stale(30)])
    expect(kinds).toEqual([[], [], ['stale'], [], []])
  })

  it('alerts again only after a fresh refresh in between', () => {
    const { kinds } = run([stale(7), input({ hour: 8 }), stale(15)])
    expect(kinds).toEqual([['stale'], [], ['stale']])
  })

  it('stays quiet when the key is rejected or missing (that is the reason already given)', () => {
    const { kinds } = run([
      stale(7, { errorKind: 'auth' }),
      stale(8, { errorKind: 'no_key' }),
      stale(9, { errorKind: 'network' })
    ])
    expect(kinds).toEqual([['key_rejected'], [], ['stale']])
  })

  it('does not alert when there never was a successful refresh', () => {
    expect(run([input({ stale: true, staleForMs: null })]).kinds).toEqual([[]])
  })

  it('says how long and why', () => {
    const alert = evaluateAlerts(INITIAL_ALERT_STATE, stale(7.5)).alerts[0]
    expect(alert).toEqual({
      kind: 'stale',
      title: 'Credit Tray has not updated for 7 hours',
      body:
        'The spend and balance shown may be out of date (api.openai.com could not be reached). ' +
        'Credit Tray keeps retrying.'
    })
  })

  it('names the API host actually polled when it is not api.openai.com', () => {
    const alert = evaluateAlerts(INITIAL_ALERT_STATE, stale(7.5, { apiHost: 'proxy.example.com' }))
      .alerts[0]
    expect(alert?.body).toBe(
      'The spend and balance shown may be out of date (proxy.example.com could not be reached). ' +
        'Credit Tray keeps retrying.'
    )
  })
})

describe('alert text', () => {
  const first = (over: Partial<AlertInput>) =>
    evaluateAlerts(INITIAL_ALERT_STATE, input(over)).alerts[0]

  it('gives the balance, the days and the burn rate', () => {
    expect(first({ balance: 8.2, daysLeft: 3.04, burnRatePerDay: 2.7 })).toEqual({
      kind: 'low',
      title: 'OpenAI credit is low',
      body: '≈ $8.20 left, about 3 days at $2.70/day. Top up to keep API requests working.'
    })
  })

  it('handles one day, less than a day, and no spend', () => {
    expect(first({ balance: 4, daysLeft: 1.9 })?.body).toMatch(/^≈ \$4\.00 left, about 1 day at/)
    expect(first({ balance: 4, daysLeft: 0.4 })?.body).toMatch(/less than a day at \$2\.70\/day/)
    expect(first({ balance: 4, daysLeft: null })?.body).toBe(
      '≈ $4.00 left. Top up to keep API requests working.'
    )
    expect(first({ balance: 4, daysLeft: 1.9 })?.title).toBe('OpenAI credit is critically low')
  })

  it('says the credit has probably run out when the estimate is at or below zero', () => {
    const alert = first({ balance: -3.456, daysLeft: 0 })
    expect(alert?.kind).toBe('critical')
    expect(alert?.title).toBe('OpenAI credit has probably run out')
    expect(alert?.body).toMatch(/Estimated balance: -\$3\.46\./)
  })

  it('writes other currencies by code', () => {
    expect(first({ balance: 8, daysLeft: null, currency: 'eur' })?.body).toMatch(
      /^≈ 8\.00 EUR left/
    )
  })
})

describe('state survives restarts', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('does not repeat any alert after saving, reloading and evaluating again', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-alerts-'))
    const open = () =>
      createJsonStore<AlertState>({
        dir: dir!,
        name: 'alerts',
        schema: alertStateSchema,
        version: ALERT_STATE_VERSION,
        defaults: () => INITIAL_ALERT_STATE
      })
    const situation = (hour: number) =>
      input({
        balance: 4,
        daysLeft: 1.5,
        errorKind: 'auth',
        stale: true,
        staleForMs: 7 * HOUR,
        hour
      })

    const first = evaluateAlerts(open().load().value, situation(0))
    expect(first.alerts.map((a) => a.kind).sort()).toEqual(['critical', 'key_rejected'])
    open().save(first.state)

    // "Restart": a new store reads the file back.
    const { value: reloaded, problem } = open().load()
    expect(problem).toBeNull()
    expect(reloaded).toEqual(first.state)
    expect(evaluateAlerts(reloaded, situation(1)).alerts).toEqual([])

    // Without the saved state the same situation would have alerted again.
    expect(evaluateAlerts(INITIAL_ALERT_STATE, situation(1)).alerts).not.toEqual([])
  })
})

describe('alert texts, word for word', () => {
  const first = (over: Partial<AlertInput>) =>
    evaluateAlerts(INITIAL_ALERT_STATE, input(over)).alerts[0]

  it('a balance of exactly zero has run out; a cent above is only critical', () => {
    expect(first({ balance: 0, daysLeft: 0, level: 'critical' })).toEqual({
      kind: 'critical',
      title: 'OpenAI credit has probably run out',
      body:
        'Estimated balance: $0.00. API requests fail once the credit is used up. Add credit on ' +
        'the billing page.'
    })
    expect(first({ balance: 0.01, daysLeft: 0.5, level: 'critical' })?.title).toBe(
      'OpenAI credit is critically low'
    )
  })

  it('without a burn rate the runway has no rate; less than a day is said so', () => {
    expect(first({ balance: 4, daysLeft: 0.5, burnRatePerDay: 0, level: 'critical' })?.body).toBe(
      '≈ $4.00 left, less than a day. Top up to keep API requests working.'
    )
    expect(
      first({ balance: 4, daysLeft: 1.5, burnRatePerDay: undefined, level: 'critical' })?.body
    ).toBe('≈ $4.00 left, about 1 day. Top up to keep API requests working.')
  })

  const recharge = (over: Partial<AutoRechargeStatus> = {}): AutoRechargeStatus => ({
    reloadsAssumed: 4,
    assumedTotal: 80,
    monthReloaded: 80,
    monthlyLimit: 100,
    headroom: 20,
    limitReachedOn: null,
    ...over
  })

  it('auto-recharge: the three titles and the runway with and without a burn rate', () => {
    const at = (over: Partial<AlertInput>) =>
      first({ balance: 9, daysLeft: 1, level: 'critical', runOutDate: '2024-06-03', ...over })
    expect(at({ autoRecharge: recharge({ headroom: 0, monthReloaded: 100 }) })).toEqual({
      kind: 'critical',
      title: 'Auto-recharge monthly limit reached',
      body:
        '$100.00 of $100.00 reloaded this month; at $2.70/day credit runs out around Jun 3. ' +
        'About $9.00 of credit is left. Raise the monthly limit or add credit on the billing ' +
        'page to keep API requests working.'
    })
    expect(at({ autoRecharge: recharge(), burnRatePerDay: 0 })).toEqual({
      kind: 'critical',
      title: 'Auto-recharge limit almost used up',
      body:
        '$80.00 of $100.00 reloaded this month; credit runs out around Jun 3. About $9.00 of ' +
        'credit is left. Raise the monthly limit or add credit on the billing page to keep API ' +
        'requests working.'
    })
    expect(
      first({
        balance: 9,
        daysLeft: 5,
        level: 'low',
        runOutDate: null,
        autoRecharge: recharge()
      })?.title
    ).toBe('Auto-recharge limit nearly used')
  })

  it('the key alerts, word for word', () => {
    expect(first({ errorKind: 'auth' })).toEqual({
      kind: 'key_rejected',
      title: 'OpenAI rejected the Admin key',
      body:
        'Credit Tray cannot update spend or the balance estimate. The key may have been ' +
        'revoked: create a new Admin key and save it in Credit Tray.'
    })
    expect(first({ errorKind: 'permission' })).toEqual({
      kind: 'key_rejected',
      title: 'This key cannot read costs',
      body:
        'Credit Tray needs an Admin key (sk-admin-…) from an organization owner to read ' +
        'costs. Add one in Credit Tray.'
    })
  })
})

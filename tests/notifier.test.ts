import type * as Electron from 'electron'
import type { Alert } from '../src/main/engine/engine-api'
import {
  alertClickTarget,
  createNotifier,
  type NotificationLike
} from '../src/main/electron/notifier'
import { Notification, resetElectronShellFake } from './fakes/electron-shell'

// The real Electron Notification must fit the injected interface (checked by tsc).
type _RealNotificationFits = Electron.Notification extends NotificationLike ? true : never
const _fits: _RealNotificationFits = true
void _fits

const LOW: Alert = {
  kind: 'low',
  title: 'OpenAI credit is running low',
  body: '≈ $8.20 left, about 2 days at the current rate.'
}
const CRITICAL: Alert = {
  kind: 'critical',
  title: 'OpenAI credit almost gone',
  body: '≈ $1.10 left, under a day at the current rate.'
}
const KEY_REJECTED: Alert = {
  kind: 'key_rejected',
  title: 'Credit Tray stopped checking',
  body: 'OpenAI rejected the Admin key. Open Credit Tray to fix it.'
}
const STALE: Alert = {
  kind: 'stale',
  title: 'Credit Tray data is out of date',
  body: 'No update for 3 hours.'
}

function setup(opts: { enabled?: boolean; supported?: boolean } = {}) {
  let enabled = opts.enabled ?? true
  Notification.supported = opts.supported ?? true
  const clicked: Alert[] = []
  const errors: unknown[] = []
  const notifier = createNotifier({
    createNotification: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    enabled: () => enabled,
    onClick: (alert) => clicked.push(alert),
    icon: '/app/resources/icon.png',
    onError: (e) => errors.push(e)
  })
  return {
    notifier,
    clicked,
    errors,
    setEnabled(on: boolean) {
      enabled = on
    },
    shown: () => Notification.shownInstances()
  }
}

beforeEach(() => resetElectronShellFake())

describe('notifier', () => {
  it('shows each alert once, with its title and body', () => {
    const t = setup()
    expect(t.notifier.notify(LOW)).toBe(true)
    expect(t.shown()).toHaveLength(1)
    expect(t.shown()[0]!.options).toMatchObject({
      title: LOW.title,
      body: LOW.body,
      urgency: 'normal',
      icon: '/app/resources/icon.png'
    })
  })

  it('does not repeat an alert that is still on screen', () => {
    const t = setup()
    t.notifier.notify(LOW)
    expect(t.notifier.notify({ ...LOW })).toBe(false)
    expect(t.shown()).toHaveLength(1)
  })

  it('shows a new episode of the same alert once the previous one is gone', () => {
    const t = setup()
    t.notifier.notify(LOW)
    t.shown()[0]!.close()
    expect(t.notifier.notify(LOW)).toBe(true)
    expect(t.shown()).toHaveLength(2)
  })

  it('stays silent while notifications are turned off in settings', () => {
    const t = setup({ enabled: false })
    expect(t.notifier.notify(CRITICAL)).toBe(false)
    expect(Notification.instances).toHaveLength(0)
    t.setEnabled(true)
    expect(t.notifier.notify(CRITICAL)).toBe(true)
  })

  it('does nothing where the system has no notifications', () => {
    const t = setup({ supported: false })
    expect(t.notifier.notify(LOW)).toBe(false)
    expect(Notification.instances).toHaveLength(0)
  })

  it('marks critical alerts urgent (Linux keeps them until dismissed)', () => {
    const t = setup()
    t.notifier.notify(CRITICAL)
    expect(t.shown()[0]!.options.urgency).toBe('critical')
  })

  it('replaces the low-credit notification with the critical one', () => {
    const t = setup()
    t.notifier.notify(LOW)
    t.notifier.notify(CRITICAL)
    const [low, critical] = t.shown()
    expect(low!.closed).toBe(true)
    expect(critical!.closed).toBe(false)
    expect(t.notifier.liveCount()).toBe(1)
  })

  it('keeps alerts of different kinds side by side', () => {
    const t = setup()
    t.notifier.notify(CRITICAL)
    t.notifier.notify(KEY_REJECTED)
    t.notifier.notify(STALE)
    expect(t.shown().map((n) => n.closed)).toEqual([false, false, false])
    expect(t.notifier.liveCount()).toBe(3)
  })

  it('keeps a reference until clicked, then routes the click with its alert', () => {
    const t = setup()
    t.notifier.notify(CRITICAL)
    t.notifier.notify(KEY_REJECTED)
    expect(t.notifier.liveCount()).toBe(2)
    t.shown()[0]!.simulateClick()
    expect(t.clicked).toEqual([CRITICAL])
    expect(t.shown()[0]!.closed).toBe(true)
    expect(t.notifier.liveCount()).toBe(1)
    t.shown()[1]!.simulateClick()
    expect(t.clicked).toEqual([CRITICAL, KEY_REJECTED])
    expect(t.notifier.liveCount()).toBe(0)
  })

  it('drops the reference when the user closes it, without a click', () => {
    const t = setup()
    t.notifier.notify(STALE)
    t.shown()[0]!.close()
    expect(t.notifier.liveCount()).toBe(0)
    expect(t.clicked).toEqual([])
  })

  it('a replaced notification clicked late still reports its own alert', () => {
    const t = setup()
    t.notifier.notify(LOW)
    const low = t.shown()[0]!
    t.notifier.notify(CRITICAL)
    low.simulateClick()
    expect(t.clicked).toEqual([LOW])
    expect(t.notifier.liveCount()).toBe(1) // the critical one is still held
  })

  it('reports a notification that failed to show', () => {
    const t = setup()
    t.notifier.notify(LOW)
    t.shown()[0]!.emit('failed', {}, 'toast XML rejected')
    expect(t.notifier.liveCount()).toBe(0)
    expect(String(t.errors[0])).toContain('toast XML rejected')
  })

  it('never shows anything that looks like an API key', () => {
    const t = setup()
    t.notifier.notify({
      kind: 'key_rejected',
      title: 'Key sk-admin-AbCdEf123456789 rejected',
      body: 'The key sk-admin-AbCdEf123456789 was revoked.'
    })
    const { title, body } = t.shown()[0]!.options
    expect(`${title} ${body}`).not.toContain('AbCdEf123456789')
  })

  it('closes everything still on screen', () => {
    const t = setup()
    t.notifier.notify(LOW)
    t.notifier.notify(STALE)
    t.notifier.closeAll()
    expect(t.shown().every((n) => n.closed)).toBe(true)
    expect(t.notifier.liveCount()).toBe(0)
  })
})

describe('where a notification click leads', () => {
  it('credit alerts lead to topping up, the others to the tray window', () => {
    expect(alertClickTarget(LOW)).toBe('top-up')
    expect(alertClickTarget(CRITICAL)).toBe('top-up')
    expect(alertClickTarget(KEY_REJECTED)).toBe('window')
    expect(alertClickTarget(STALE)).toBe('window')
  })
})

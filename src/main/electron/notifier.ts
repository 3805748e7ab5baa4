// Desktop notifications for the alerts the engine's alert policy raises (one per episode).
// The Notification class is injected. Two Electron pitfalls shape this module:
// - A Notification object that nothing references can be garbage-collected while it is still
//   on screen, and its 'click' handler silently goes with it. Every shown notification is kept
//   until it is clicked, closed or failed.
// - Windows does not reliably report 'close' (toasts move to the Action Center), so references
//   are also bounded: a new alert replaces the live one of the same group (a critical alert
//   replaces the low one), which keeps at most one notification per group alive.
import { redactSecrets } from '../engine/errors'
import type { Alert, AlertKind } from '../engine/engine-api'

export interface NotificationOptionsLike {
  title: string
  body: string
  silent?: boolean
  /** Linux only: 'critical' notifications stay until dismissed. */
  urgency?: 'normal' | 'critical' | 'low'
  /** Linux shows no app icon unless given one. */
  icon?: string
}

/** The parts of Electron's Notification used here. */
export interface NotificationLike {
  show(): void
  close(): void
  on(event: 'click', listener: () => void): unknown
  on(event: 'close', listener: () => void): unknown
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown
}

export interface NotifierDeps {
  createNotification(options: NotificationOptionsLike): NotificationLike
  /** Electron's Notification.isSupported(). */
  isSupported(): boolean
  /** The notifications setting, read at each alert. */
  enabled(): boolean
  /** The user clicked the notification for this alert (see alertClickTarget). */
  onClick(alert: Alert): void
  /** Path of the app icon (used on Linux). */
  icon?: string
  /** A notification could not be shown (Windows reports 'failed'). */
  onError?(error: unknown): void
}

export interface Notifier {
  /** Show the alert; false when notifications are off, unsupported, or it is already shown. */
  notify(alert: Alert): boolean
  /** Notifications shown and not yet clicked or closed. */
  liveCount(): number
  /** Close every live notification (e.g. on quit). */
  closeAll(): void
}

/** Alerts that replace each other: a critical credit alert supersedes the low one. */
function groupOf(kind: AlertKind): string {
  return kind === 'low' || kind === 'critical' ? 'credit' : kind
}

/** Where a click should take the user: credit alerts to topping up, the rest to the window. */
export function alertClickTarget(alert: Alert): 'top-up' | 'window' {
  return groupOf(alert.kind) === 'credit' ? 'top-up' : 'window'
}

interface Live {
  alert: Alert
  notification: NotificationLike
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const live = new Map<string, Live>()

  const release = (group: string, entry: Live): void => {
    if (live.get(group) === entry) live.delete(group)
  }

  return {
    notify(alert) {
      if (!deps.enabled() || !deps.isSupported()) return false
      // Defence in depth: alert text is built from messages that could quote a key.
      const title = redactSecrets(alert.title)
      const body = redactSecrets(alert.body)
      const group = groupOf(alert.kind)
      const previous = live.get(group)
      if (
        previous &&
        previous.alert.kind === alert.kind &&
        previous.alert.title === alert.title &&
        previous.alert.body === alert.body
      )
        return false
      const notification = deps.createNotification({
        title,
        body,
        silent: false,
        urgency: alert.kind === 'critical' ? 'critical' : 'normal',
        ...(deps.icon !== undefined ? { icon: deps.icon } : {})
      })
      const entry: Live = { alert, notification }
      notification.on('click', () => {
        release(group, entry)
        deps.onClick(alert)
        // Clicked means handled: take it out of the notification centre too.
        notification.close()
      })
      notification.on('close', () => release(group, entry))
      notification.on('failed', (_event, error) => {
        release(group, entry)
        deps.onError?.(new Error(`notification failed: ${error}`))
      })
      if (previous) {
        live.delete(group)
        previous.notification.close()
      }
      live.set(group, entry)
      notification.show()
      return true
    },
    liveCount: () => live.size,
    closeAll() {
      const entries = [...live.values()]
      live.clear()
      for (const entry of entries) entry.notification.close()
    }
  }
}

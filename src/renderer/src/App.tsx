// The tray window. It is created once and shown/hidden, so everything it shows follows the
// status main pushes (onStatus) and the view main asks for (onShowView).
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import type { View } from '../../shared/ipc'
import type { KeyInfo } from '../../shared/settings'
import type { Status } from '../../shared/status'
import {
  refreshAnnouncement,
  refreshFailedAnnouncement,
  statusChangeAnnouncement
} from './announcements'
import type { TeamServerInfo } from '../../shared/team'
import { locale as currentLocale, messageOf, useApi } from './api'
import { useAnnounce } from './components/LiveRegion'
import { MainView } from './components/MainView'
import { Onboarding } from './components/Onboarding'
import { SettingsView } from './components/SettingsView'

/** Set once the first balance is on screen; the renderer benchmark reads it. */
export const BALANCE_PAINTED_MARK = 'balance-painted'

export function App(): ReactNode {
  const api = useApi()
  const [status, setStatus] = useState<Status | null>(null)
  const [keyInfo, setKeyInfo] = useState<KeyInfo | null>(null)
  /** The team server the active account reads from (team mode), or null. */
  const [team, setTeam] = useState<TeamServerInfo | null>(null)
  const [requestedView, setRequestedView] = useState<View | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const pushedStatus = useRef(false)
  const locale = currentLocale()
  // The live regions themselves are rendered by <Announcer> around the App (main.tsx), so they
  // stay in the page whatever the view.
  const say = useAnnounce()

  // Every new status goes through here, so a change the user did not ask for (a scheduled
  // refresh, a level change) is announced. While the user's own refresh runs, its result is
  // announced once by refreshNow instead.
  const lastStatus = useRef<Status | null>(null)
  const manualRefresh = useRef(false)
  const showStatus = useCallback(
    (next: Status) => {
      const previous = lastStatus.current
      lastStatus.current = next
      setStatus(next)
      if (previous && previous !== next && !manualRefresh.current)
        say(statusChangeAnnouncement(previous, next, locale))
    },
    [say, locale]
  )

  const refreshNow = useCallback(async (): Promise<void> => {
    const before = lastStatus.current
    manualRefresh.current = true
    try {
      const next = await api.refresh()
      showStatus(next)
      say(refreshAnnouncement(before, next, locale))
    } catch (e) {
      say(refreshFailedAnnouncement(messageOf(e)))
      throw e
    } finally {
      manualRefresh.current = false
    }
  }, [api, showStatus, say, locale])

  useEffect(() => {
    // Subscribe before asking, so a status pushed while getStatus() is in flight is not lost;
    // a pushed status is newer than the answer to that request, so it wins.
    const offStatus = api.onStatus((s) => {
      pushedStatus.current = true
      showStatus(s)
    })
    const offView = api.onShowView(setRequestedView)
    // Another account became active: its key (and status, pushed by main) replace the old ones.
    let lastActive: string | null = null
    const offAccounts = api.onAccounts((accounts) => {
      if (lastActive !== null && accounts.active !== lastActive) {
        void Promise.all([api.getKeyInfo(), api.getTeamServer()]).then(([info, server]) => {
          if (!live) return
          setKeyInfo(info)
          setTeam(server)
          if (!info.present && server === null) setRequestedView('onboarding')
        })
      }
      lastActive = accounts.active
    })
    void api.getAccounts().then(
      (accounts) => {
        lastActive ??= accounts.active
      },
      () => undefined
    )
    let live = true
    Promise.all([api.getStatus(), api.getKeyInfo(), api.getTeamServer()]).then(
      ([s, info, server]) => {
        if (!live) return
        if (!pushedStatus.current) showStatus(s)
        setKeyInfo(info)
        setTeam(server)
        // Without a key or a team server there is nothing to show but onboarding (unless main
        // asked for a view).
        if (!info.present && server === null) setRequestedView((v) => v ?? 'onboarding')
      },
      (e: unknown) => live && setLoadError(messageOf(e))
    )
    return () => {
      live = false
      offStatus()
      offView()
      offAccounts()
    }
  }, [api, showStatus])

  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (event.key === 'Escape' && !event.defaultPrevented) void api.hideWindow()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [api])

  const view: View = requestedView ?? 'main'
  const ready = status !== null && keyInfo !== null

  // Move focus to the new view's heading so keyboard and screen-reader users land in it
  // (not on the first view: the window just opened and focus is where the user expects).
  const shownView = useRef<View | null>(null)
  useEffect(() => {
    if (!ready) return
    const previous = shownView.current
    shownView.current = view
    if (previous === null || previous === view) return
    // A view that focused its own first field (autoFocus) keeps that focus.
    const active = document.activeElement
    if (active && active !== document.body && document.querySelector('.view')?.contains(active))
      return
    document.querySelector<HTMLElement>('.app-title')?.focus()
  }, [view, ready])

  const marked = useRef(false)
  useEffect(() => {
    if (marked.current || view !== 'main' || status?.balance == null) return
    marked.current = true
    // rAF runs just before the frame is painted; the timeout lands just after it.
    requestAnimationFrame(() => setTimeout(() => performance.mark(BALANCE_PAINTED_MARK), 0))
  }, [view, status])

  const navigate = useCallback((next: View) => setRequestedView(next), [])

  if (loadError) {
    return (
      <div className="view">
        <main className="content">
          <p className="field-error" role="alert">
            Credit Tray could not load its data: {loadError}
          </p>
        </main>
      </div>
    )
  }
  if (!status || !keyInfo) {
    return (
      <div className="view loading" aria-busy="true">
        <p className="muted">Loading…</p>
      </div>
    )
  }

  if (view === 'onboarding') {
    return (
      <Onboarding
        keyPresent={keyInfo.present || team !== null}
        onKeySaved={setKeyInfo}
        onTeamSaved={(info) => {
          setTeam(info)
          navigate('main')
        }}
        onStatus={showStatus}
        onDone={() => navigate('main')}
      />
    )
  }
  if (view === 'settings') {
    return (
      <SettingsView
        keyInfo={keyInfo}
        onKeyInfo={setKeyInfo}
        team={team}
        onTeam={setTeam}
        onStatus={showStatus}
        onBack={() => navigate('main')}
        onAccountAdded={() => navigate('onboarding')}
      />
    )
  }
  return (
    <MainView
      status={status}
      locale={locale}
      team={team}
      onStatus={showStatus}
      onRefresh={refreshNow}
      navigate={navigate}
    />
  )
}

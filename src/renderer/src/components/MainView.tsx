// The tray window's main view: headline balance, spend, the 30-day chart, where it goes, and
// the buttons that act on it.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { View } from '../../../shared/ipc'
import type { Status } from '../../../shared/status'
import type { TeamServerInfo } from '../../../shared/team'
import { messageOf, useApi } from '../api'
import type { ErrorAction } from '../error-advice'
import { AccountSwitcher } from './Accounts'
import { BalanceCard } from './BalanceCard'
import { ErrorBanner } from './ErrorBanner'
import { Freshness } from './Freshness'
import { ExternalButton } from './ExternalButton'
import { GearIcon, RefreshIcon } from './icons'
import { LimitsCard } from './LimitsCard'
import { Notices } from './Notices'
import { Sparkline } from './Sparkline'
import { SpendSummary } from './SpendSummary'
import { TopLists } from './TopLists'

interface MainViewProps {
  status: Status
  locale: string
  /** Team mode: the server this account reads from (no recording here), or null. */
  team?: TeamServerInfo | null
  onStatus: (status: Status) => void
  /** Refreshes now and announces the result (App); rejects with main's error. */
  onRefresh: () => Promise<void>
  navigate: (view: View) => void
}

export function MainView({
  status,
  locale,
  team = null,
  onStatus,
  onRefresh,
  navigate
}: MainViewProps): ReactNode {
  const api = useApi()
  const [refreshing, setRefreshing] = useState(false)
  const [refreshError, setRefreshError] = useState<string | null>(null)

  // A refresh can remove what had focus (Retry goes with its error banner): land on the title
  // instead of the page body, so the keyboard user is still somewhere.
  const wasRefreshing = useRef(false)
  useEffect(() => {
    if (wasRefreshing.current && !refreshing) {
      const active = document.activeElement
      if (!active || active === document.body)
        document.querySelector<HTMLElement>('.app-title')?.focus()
    }
    wasRefreshing.current = refreshing
  }, [refreshing])

  async function refresh(): Promise<void> {
    setRefreshing(true)
    setRefreshError(null)
    try {
      await onRefresh()
    } catch (e) {
      setRefreshError(messageOf(e))
    } finally {
      setRefreshing(false)
    }
  }

  function act(action: ErrorAction): void {
    if (action === 'createAdminKey') void api.openExternal('adminKeys')
    else if (action === 'replaceKey') navigate('settings')
    else if (action === 'setUp') navigate('onboarding')
    else void refresh()
  }

  return (
    <div className="view main-view">
      <header className="topbar">
        <div className="topbar-text">
          <h1 className="app-title" tabIndex={-1}>
            Credit Tray
          </h1>
          <Freshness status={status} locale={locale} />
          <AccountSwitcher />
        </div>
        <button
          type="button"
          className={`icon-btn${refreshing ? ' is-busy' : ''}`}
          aria-label={refreshing ? 'Refreshing…' : 'Refresh'}
          title="Refresh"
          aria-busy={refreshing || undefined}
          // aria-disabled, not disabled: a disabled button drops keyboard focus to the page.
          aria-disabled={refreshing || undefined}
          onClick={() => {
            if (!refreshing) void refresh()
          }}
        >
          <RefreshIcon />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label="Settings"
          title="Settings"
          onClick={() => navigate('settings')}
        >
          <GearIcon />
        </button>
      </header>

      <main className="content">
        {status.error ? (
          <ErrorBanner error={status.error} busy={refreshing} onAction={act} team={team !== null} />
        ) : null}
        {/* Announced through the window's live region (App), so no role="alert" here. */}
        {refreshError ? <p className="field-error">Refresh failed: {refreshError}</p> : null}
        <Notices notices={status.notices} />
        <BalanceCard status={status} locale={locale} team={team} onStatus={onStatus} />
        <section className="card" aria-label="Spend">
          <SpendSummary status={status} locale={locale} />
          <Sparkline daily={status.daily} currency={status.currency} locale={locale} />
        </section>
        <LimitsCard
          limits={status.limits}
          locale={locale}
          today={status.daily.at(-1)?.date ?? new Date().toISOString().slice(0, 10)}
          onChanged={onStatus}
        />
        <TopLists status={status} locale={locale} />
      </main>

      <footer className="actions">
        <button type="button" className="btn btn-primary" onClick={() => void api.openTopUp()}>
          Top up
        </button>
        <ExternalButton page="billing">Billing</ExternalButton>
        <ExternalButton page="usage">Usage</ExternalButton>
      </footer>
    </div>
  )
}

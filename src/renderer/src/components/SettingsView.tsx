// Settings: the key (masked), the ledger (balance, top-ups), alert thresholds, polling and the
// app toggles. Inputs are checked here first; main validates again and its errors are shown.
import { useEffect, useState, type ReactNode } from 'react'
import type { KeyInfo, KeyStorage, Settings } from '../../../shared/settings'
import { POLL_INTERVAL_MAX, POLL_INTERVAL_MIN } from '../../../shared/settings'
import type { Status } from '../../../shared/status'
import type { TeamServerInfo } from '../../../shared/team'
import { messageOf, useApi } from '../api'
import { settingsToForm, validateSettingsForm, type SettingsForm } from '../validation'
import { AccountsCard, useAccounts } from './Accounts'
import { AmountForm, BalanceForm } from './AmountForm'
import { ExportCard } from './ExportCard'
import { Card, ConfirmDanger, FieldError, NumberField, SaveRow, useBusyAction } from './fields'
import { KeyForm } from './KeyForm'
import { RechargeBudgetForm } from './RechargeBudgetForm'
import { useSettingsForm, type SettingsFormProps } from './settings-form'
import { SubHeader } from './SubHeader'
import { TeamNote, TeamServerCard } from './TeamServer'

const STORAGE_LABELS: Record<KeyStorage, string> = {
  keychain: 'Stored in the system keychain',
  safeStorage: 'Stored encrypted on this computer',
  memory: 'Kept in memory only, until you quit',
  env: 'From the OPENAI_ADMIN_KEY environment variable'
}

interface SettingsViewProps {
  keyInfo: KeyInfo
  onKeyInfo: (info: KeyInfo) => void
  /** Team mode of the active account (null: it uses an Admin key). */
  team?: TeamServerInfo | null
  onTeam?: (team: TeamServerInfo | null) => void
  onStatus: (status: Status) => void
  onBack: () => void
  /** A new account was added (and made active): its key is set up next. */
  onAccountAdded?: () => void
}

export function SettingsView({
  keyInfo,
  onKeyInfo,
  team = null,
  onTeam = () => {},
  onStatus,
  onBack,
  onAccountAdded
}: SettingsViewProps): ReactNode {
  const api = useApi()
  const accounts = useAccounts()
  const [settings, setSettings] = useState<Settings | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    api.getSettings().then(
      (s) => live && setSettings(s),
      (e: unknown) => live && setLoadError(messageOf(e))
    )
    return () => {
      live = false
    }
  }, [api])

  return (
    <div className="view settings-view">
      <SubHeader title="Settings" onBack={onBack} />
      <main className="content">
        {accounts && accounts.accounts.length > 1 ? (
          <p className="field-hint settings-for">
            Key, balance and alerts below are for <strong>{accounts.active}</strong>.
          </p>
        ) : null}
        {team ? (
          <>
            <TeamServerCard team={team} onTeam={onTeam} />
            <Card titleId="ledger-title" title="Balance">
              <TeamNote team={team} />
            </Card>
          </>
        ) : (
          <>
            <KeySection keyInfo={keyInfo} onKeyInfo={onKeyInfo} />
            <Card titleId="ledger-title" title="Balance">
              <BalanceForm
                label="Record balance"
                hint="The credit balance shown on the billing page now."
                submitLabel="Record"
                savedMessage="Balance recorded."
                onRecorded={onStatus}
              />
              <AmountForm
                label="Record top-up"
                hint="Credits you bought since recording the balance."
                submitLabel="Add"
                allowZero={false}
                savedMessage="Top-up recorded."
                onSubmit={async (amount) => onStatus(await api.recordTopUp(amount))}
              />
            </Card>
          </>
        )}
        {settings ? (
          <>
            {team ? (
              <p className="field-hint">
                Levels follow the team server’s thresholds; here you choose how often to ask it.
              </p>
            ) : null}
            <AlertsForm settings={settings} onSaved={setSettings} />
            {team ? null : <RechargeBudgetForm settings={settings} onSaved={setSettings} />}
            <Toggles settings={settings} onSaved={setSettings} />
            {team ? null : <ExportCard />}
          </>
        ) : loadError ? (
          <FieldError message={`Could not load settings: ${loadError}`} />
        ) : (
          <p className="muted">Loading settings…</p>
        )}
        {team ? null : <TeamServerCard team={null} onTeam={onTeam} />}
        <AccountsCard onAdded={() => onAccountAdded?.()} />
      </main>
    </div>
  )
}

function KeySection({
  keyInfo,
  onKeyInfo
}: {
  keyInfo: KeyInfo
  onKeyInfo: (info: KeyInfo) => void
}): ReactNode {
  const api = useApi()
  const [mode, setMode] = useState<'idle' | 'replace' | 'confirmRemove'>('idle')
  const { busy, error, run } = useBusyAction()

  const remove = (): Promise<void> =>
    run(async () => {
      onKeyInfo(await api.clearKey())
      setMode('idle')
    })

  return (
    <Card titleId="key-title" title="Admin key">
      {keyInfo.present ? (
        <>
          <p className="key-line">
            <code className="masked-key" aria-label="Saved key, masked">
              {keyInfo.masked ?? 'saved'}
            </code>
            {keyInfo.storage ? (
              <span className="muted">{STORAGE_LABELS[keyInfo.storage]}</span>
            ) : null}
          </p>
          {keyInfo.warning ? <p className="warning">{keyInfo.warning}</p> : null}
        </>
      ) : (
        <p className="muted">No key saved.</p>
      )}
      {keyInfo.sentTo ? (
        // OPENAI_BASE_URL points elsewhere: where the key goes is never a surprise.
        <p className="warning" data-testid="key-destination">
          The Admin key is sent to {keyInfo.sentTo} (set by OPENAI_BASE_URL), not to api.openai.com.
        </p>
      ) : null}
      {mode === 'replace' ? (
        <>
          <KeyForm
            autoFocus
            onSaved={(info) => {
              onKeyInfo(info)
              setMode('idle')
            }}
          />
          <button type="button" className="btn btn-quiet" onClick={() => setMode('idle')}>
            Cancel
          </button>
        </>
      ) : mode === 'confirmRemove' ? (
        <ConfirmDanger
          label="Confirm removing the key"
          question="Remove the key? Credit Tray stops updating until you add one."
          action="Remove key"
          busyAction="Removing…"
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setMode('idle')}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setMode('replace')}>
            {keyInfo.present ? 'Replace key' : 'Add key'}
          </button>
          {keyInfo.present && keyInfo.storage !== 'env' ? (
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => setMode('confirmRemove')}
            >
              Remove key…
            </button>
          ) : null}
        </div>
      )}
      <FieldError message={error} />
    </Card>
  )
}

function AlertsForm(props: SettingsFormProps): ReactNode {
  const { form, errors, serverError, state, change, save } = useSettingsForm(
    props,
    settingsToForm,
    validateSettingsForm
  )

  const field = (name: keyof SettingsForm, label: string, unit: string): ReactNode => (
    <NumberField
      label={label}
      unit={unit}
      value={form[name]}
      error={errors[name]}
      onChange={(value) => change({ [name]: value })}
    />
  )

  return (
    <Card titleId="alerts-title" title="Warnings" onSubmit={(e) => void save(e)}>
      <p className="field-hint">Warn when the balance or the days left fall to these values.</p>
      <div className="threshold-row" role="group" aria-labelledby="low-row">
        <span id="low-row" className="row-label">
          Low
        </span>
        {field('lowBalance', 'Low balance', '$')}
        {field('lowDays', 'Low days left', 'days')}
      </div>
      <div className="threshold-row" role="group" aria-labelledby="critical-row">
        <span id="critical-row" className="row-label">
          Critical
        </span>
        {field('criticalBalance', 'Critical balance', '$')}
        {field('criticalDays', 'Critical days left', 'days')}
      </div>
      {field(
        'pollIntervalMinutes',
        `Check every (${POLL_INTERVAL_MIN}–${POLL_INTERVAL_MAX} minutes)`,
        'min'
      )}
      <SaveRow state={state} invalid={Object.keys(errors).length > 0} />
      <FieldError message={serverError} />
    </Card>
  )
}

type ToggleName = 'notificationsEnabled' | 'launchAtLogin' | 'showAmountInMenuBar'

function Toggles({ settings, onSaved }: SettingsFormProps): ReactNode {
  const api = useApi()
  const [pending, setPending] = useState<ToggleName | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function toggle(name: ToggleName, value: boolean): Promise<void> {
    setPending(name)
    setError(null)
    try {
      onSaved(await api.setSettings({ [name]: value }))
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setPending(null)
    }
  }

  const row = (name: ToggleName, label: string, hint?: string): ReactNode => (
    <label className="toggle">
      <input
        type="checkbox"
        role="switch"
        checked={settings[name]}
        disabled={pending === name}
        onChange={(e) => void toggle(name, e.target.checked)}
      />
      <span className="toggle-text">
        {label}
        {hint ? <span className="muted"> {hint}</span> : null}
      </span>
    </label>
  )

  return (
    <Card titleId="app-title" title="App">
      {row('notificationsEnabled', 'Notify when credit runs low')}
      {row('launchAtLogin', 'Open at login')}
      {row('showAmountInMenuBar', 'Show the balance in the menu bar', '(macOS)')}
      <FieldError message={error} />
    </Card>
  )
}

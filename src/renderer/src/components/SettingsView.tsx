// Settings: the key (masked), the ledger (balance, top-ups), alert thresholds, polling and the
// app toggles. Inputs are checked here first; main validates again and its errors are shown.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import type { KeyInfo, KeyStorage, Settings } from '../../../shared/settings'
import { POLL_INTERVAL_MAX, POLL_INTERVAL_MIN } from '../../../shared/settings'
import type { Status } from '../../../shared/status'
import { messageOf, useApi } from '../api'
import {
  settingsToForm,
  validateSettingsForm,
  type SettingsForm,
  type SettingsFormErrors
} from '../validation'
import { AccountsCard, useAccounts } from './Accounts'
import { AmountForm } from './AmountForm'
import { ExportCard } from './ExportCard'
import { KeyForm } from './KeyForm'
import { RechargeBudgetForm } from './RechargeBudgetForm'
import { SubHeader } from './SubHeader'

const STORAGE_LABELS: Record<KeyStorage, string> = {
  keychain: 'Stored in the system keychain',
  safeStorage: 'Stored encrypted on this computer',
  memory: 'Kept in memory only, until you quit',
  env: 'From the OPENAI_ADMIN_KEY environment variable'
}

interface SettingsViewProps {
  keyInfo: KeyInfo
  onKeyInfo: (info: KeyInfo) => void
  onStatus: (status: Status) => void
  onBack: () => void
  /** A new account was added (and made active): its key is set up next. */
  onAccountAdded?: () => void
}

export function SettingsView({
  keyInfo,
  onKeyInfo,
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
        <KeySection keyInfo={keyInfo} onKeyInfo={onKeyInfo} />
        <section className="card" aria-labelledby="ledger-title">
          <h2 id="ledger-title" className="section-title">
            Balance
          </h2>
          <AmountForm
            label="Record balance"
            hint="The credit balance shown on the billing page now."
            submitLabel="Record"
            allowZero
            savedMessage="Balance recorded."
            onSubmit={async (amount) => onStatus(await api.recordBalance(amount))}
          />
          <AmountForm
            label="Record top-up"
            hint="Credits you bought since recording the balance."
            submitLabel="Add"
            allowZero={false}
            savedMessage="Top-up recorded."
            onSubmit={async (amount) => onStatus(await api.recordTopUp(amount))}
          />
        </section>
        {settings ? (
          <>
            <AlertsForm settings={settings} onSaved={setSettings} />
            <RechargeBudgetForm settings={settings} onSaved={setSettings} />
            <Toggles settings={settings} onSaved={setSettings} />
            <ExportCard />
          </>
        ) : loadError ? (
          <p className="field-error" role="alert">
            Could not load settings: {loadError}
          </p>
        ) : (
          <p className="muted">Loading settings…</p>
        )}
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
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function remove(): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      onKeyInfo(await api.clearKey())
      setMode('idle')
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="key-title">
      <h2 id="key-title" className="section-title">
        Admin key
      </h2>
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
        <div className="confirm" role="group" aria-label="Confirm removing the key">
          <p>Remove the key? Credit Tray stops updating until you add one.</p>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => void remove()}
            >
              {busy ? 'Removing…' : 'Remove key'}
            </button>
            <button type="button" className="btn" onClick={() => setMode('idle')}>
              Cancel
            </button>
          </div>
        </div>
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
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}

function NumberField(props: {
  label: string
  unit: string
  value: string
  error?: string
  onChange: (value: string) => void
}): ReactNode {
  const id = useId()
  return (
    <div className="num-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="field-row">
        {props.unit === '$' ? (
          <span className="input-prefix" aria-hidden="true">
            $
          </span>
        ) : null}
        <input
          id={id}
          className={`input num-input${props.unit === '$' ? ' money-input' : ''}`}
          inputMode="decimal"
          autoComplete="off"
          value={props.value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.unit === '$' ? null : (
          <span className="unit" aria-hidden="true">
            {props.unit}
          </span>
        )}
      </div>
      {props.error ? (
        <p className="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

function AlertsForm({
  settings,
  onSaved
}: {
  settings: Settings
  onSaved: (s: Settings) => void
}): ReactNode {
  const api = useApi()
  const [form, setForm] = useState<SettingsForm>(() => settingsToForm(settings))
  const [errors, setErrors] = useState<SettingsFormErrors>({})
  const [serverError, setServerError] = useState<string | null>(null)
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle')

  const field = (name: keyof SettingsForm, label: string, unit: string): ReactNode => (
    <NumberField
      label={label}
      unit={unit}
      value={form[name]}
      error={errors[name]}
      onChange={(value) => {
        setForm((f) => ({ ...f, [name]: value }))
        setState('idle')
      }}
    />
  )

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault()
    setServerError(null)
    const result = validateSettingsForm(form)
    if (!result.ok) {
      setErrors(result.errors)
      setState('idle')
      return
    }
    setErrors({})
    setState('saving')
    try {
      const saved = await api.setSettings(result.patch)
      onSaved(saved)
      setForm(settingsToForm(saved))
      setState('saved')
    } catch (e) {
      setServerError(messageOf(e))
      setState('idle')
    }
  }

  const invalid = Object.keys(errors).length > 0
  return (
    <form className="card" aria-labelledby="alerts-title" onSubmit={(e) => void save(e)} noValidate>
      <h2 id="alerts-title" className="section-title">
        Warnings
      </h2>
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
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={state === 'saving'}>
          {state === 'saving' ? 'Saving…' : 'Save'}
        </button>
        {state === 'saved' ? (
          <span className="field-ok" role="status">
            Saved.
          </span>
        ) : null}
        {invalid ? (
          <span className="field-error" role="alert">
            Fix the highlighted fields.
          </span>
        ) : null}
      </div>
      {serverError ? (
        <p className="field-error" role="alert">
          {serverError}
        </p>
      ) : null}
    </form>
  )
}

type ToggleName = 'notificationsEnabled' | 'launchAtLogin' | 'showAmountInMenuBar'

function Toggles({
  settings,
  onSaved
}: {
  settings: Settings
  onSaved: (s: Settings) => void
}): ReactNode {
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
    <section className="card" aria-labelledby="app-title">
      <h2 id="app-title" className="section-title">
        App
      </h2>
      {row('notificationsEnabled', 'Notify when credit runs low')}
      {row('launchAtLogin', 'Open at login')}
      {row('showAmountInMenuBar', 'Show the balance in the menu bar', '(macOS)')}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}

// The save cycle both settings forms share: edit text, check it here with the same rules as main,
// save the patch, then show what main kept (it may normalise) or its message if it refused.
import { useState, type FormEvent } from 'react'
import type { Settings } from '../../../shared/settings'
import { messageOf, useApi } from '../api'
import type { SaveState } from './fields'

type Checked<E> = { ok: true; patch: Partial<Settings> } | { ok: false; errors: E }

/** What every settings card gets: the settings main holds, and where to report new ones. */
export interface SettingsFormProps {
  settings: Settings
  onSaved: (s: Settings) => void
}

export function useSettingsForm<F extends object, E extends object>(
  { settings, onSaved }: SettingsFormProps,
  toForm: (s: Settings) => F,
  check: (form: F) => Checked<E>
): {
  form: F
  errors: Partial<E>
  serverError: string | null
  state: SaveState
  /** Some fields changed: a "Saved." no longer holds. */
  change: (patch: Partial<F>) => void
  save: (event: FormEvent) => Promise<void>
} {
  const api = useApi()
  const [form, setForm] = useState<F>(() => toForm(settings))
  const [errors, setErrors] = useState<Partial<E>>({})
  const [serverError, setServerError] = useState<string | null>(null)
  const [state, setState] = useState<SaveState>('idle')

  const change = (patch: Partial<F>): void => {
    setForm((f) => ({ ...f, ...patch }))
    setState('idle')
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault()
    setServerError(null)
    const result = check(form)
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
      setForm(toForm(saved))
      setState('saved')
    } catch (e) {
      setServerError(messageOf(e))
      setState('idle')
    }
  }

  return { form, errors, serverError, state, change, save }
}

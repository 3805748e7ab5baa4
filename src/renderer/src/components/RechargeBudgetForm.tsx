// Settings: OpenAI's auto-recharge as the user set it up on the billing page (Credit Tray cannot
// read it), and a monthly budget for accounts without a prepaid balance. Checked here first with
// the same rules as main; main's message is shown if it still refuses.
import type { ReactNode } from 'react'
import { rechargeBudgetToForm, validateRechargeBudgetForm } from '../validation'
import { Card, FieldError, NumberField, SaveRow } from './fields'
import { useSettingsForm, type SettingsFormProps } from './settings-form'

export function RechargeBudgetForm(props: SettingsFormProps): ReactNode {
  const { form, errors, serverError, state, change, save } = useSettingsForm(
    props,
    rechargeBudgetToForm,
    validateRechargeBudgetForm
  )

  return (
    <Card titleId="recharge-title" title="Auto-recharge and budget" onSubmit={(e) => void save(e)}>
      <label className="toggle">
        <input
          type="checkbox"
          role="switch"
          checked={form.enabled}
          onChange={(e) => change({ enabled: e.target.checked })}
        />
        <span className="toggle-text">
          Auto-recharge is on
          <span className="muted"> (as set on the OpenAI billing page)</span>
        </span>
      </label>
      <p className="field-hint">
        Credit Tray cannot see reloads: it assumes them from your spend until you record the balance
        again.
      </p>
      <div className="recharge-row" role="group" aria-label="Auto-recharge">
        <NumberField
          unit="$"
          label="When below"
          value={form.threshold}
          error={errors.threshold}
          disabled={!form.enabled}
          onChange={(threshold) => change({ threshold })}
        />
        <NumberField
          unit="$"
          label="Reload to"
          value={form.reloadTo}
          error={errors.reloadTo}
          disabled={!form.enabled}
          onChange={(reloadTo) => change({ reloadTo })}
        />
      </div>
      <NumberField
        unit="$"
        label="Monthly reload limit"
        hint="Leave empty for no limit."
        value={form.monthlyLimit}
        error={errors.monthlyLimit}
        disabled={!form.enabled}
        onChange={(monthlyLimit) => change({ monthlyLimit })}
      />
      <NumberField
        unit="$"
        label="Monthly budget"
        hint="Warn at 80% and 100% of it each month. Useful when you are invoiced. Leave empty for none."
        value={form.monthlyBudget}
        error={errors.monthlyBudget}
        onChange={(monthlyBudget) => change({ monthlyBudget })}
      />
      {/* Named apart from the Warnings form's Save: the label starts with the visible word. */}
      <SaveRow
        state={state}
        invalid={Object.keys(errors).length > 0}
        saveLabel="Save auto-recharge and budget"
      />
      <FieldError message={serverError} />
    </Card>
  )
}

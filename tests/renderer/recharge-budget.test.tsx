// The tray window's auto-recharge, budget and export parts: the settings fields and their checks,
// the assumed balance and reload headroom, the budget progress in spend-only mode, Export CSV.
import { screen, within } from '@testing-library/react'
import { validateRechargeBudgetForm } from '../../src/renderer/src/validation'
import {
  makeSettings,
  makeStatus,
  withAssumedReloads,
  withBalance,
  withBudget
} from '../support/fixtures'
import { renderApp } from './render-app'

const NOW = Date.now()

async function openSettings(initial: Parameters<typeof renderApp>[0] = {}) {
  const rendered = await renderApp(initial)
  await rendered.user.click(screen.getByRole('button', { name: 'Settings' }))
  await screen.findByLabelText('When below')
  return rendered
}

function rechargeForm(): HTMLElement {
  return screen
    .getByRole('heading', { level: 2, name: 'Auto-recharge and budget' })
    .closest('form') as HTMLElement
}

describe('settings: auto-recharge and budget', () => {
  it('saves auto-recharge with its threshold, reload-to and monthly limit, and a budget', async () => {
    const { user, bridge } = await openSettings()
    const form = within(rechargeForm())
    expect(form.getByLabelText('When below')).toBeDisabled() // off by default
    await user.click(form.getByRole('switch', { name: /Auto-recharge is on/ }))
    await user.clear(form.getByLabelText('When below'))
    await user.type(form.getByLabelText('When below'), '10')
    await user.clear(form.getByLabelText('Reload to'))
    await user.type(form.getByLabelText('Reload to'), '$50')
    await user.type(form.getByLabelText('Monthly reload limit'), '200')
    await user.type(form.getByLabelText('Monthly budget'), '1,500')
    await user.click(form.getByRole('button', { name: 'Save auto-recharge and budget' }))
    expect(await form.findByText('Saved.')).toBeInTheDocument()
    expect(bridge.callsOf('setSettings')).toEqual([
      [
        {
          autoRecharge: { enabled: true, threshold: 10, reloadTo: 50, monthlyLimit: 200 },
          monthlyBudget: 1500
        }
      ]
    ])
  })

  it('an empty limit means no limit and an empty budget means none', async () => {
    const settings = makeSettings({
      autoRecharge: { enabled: true, threshold: 5, reloadTo: 25, monthlyLimit: 100 },
      monthlyBudget: 300
    })
    const { user, bridge } = await openSettings({ settings })
    const form = within(rechargeForm())
    expect(form.getByLabelText('Monthly reload limit')).toHaveValue('100')
    await user.clear(form.getByLabelText('Monthly reload limit'))
    await user.clear(form.getByLabelText('Monthly budget'))
    await user.click(form.getByRole('button', { name: 'Save auto-recharge and budget' }))
    await form.findByText('Saved.')
    expect(bridge.callsOf('setSettings')[0]).toEqual([
      {
        autoRecharge: { enabled: true, threshold: 5, reloadTo: 25, monthlyLimit: null },
        monthlyBudget: null
      }
    ])
  })

  it('explains impossible values next to the fields, without asking main', async () => {
    const settings = makeSettings({
      autoRecharge: { enabled: true, threshold: 10, reloadTo: 50, monthlyLimit: null }
    })
    const { user, bridge } = await openSettings({ settings })
    const form = within(rechargeForm())
    await user.clear(form.getByLabelText('Reload to'))
    await user.type(form.getByLabelText('Reload to'), '8')
    await user.type(form.getByLabelText('Monthly budget'), '0')
    await user.click(form.getByRole('button', { name: 'Save auto-recharge and budget' }))
    expect(form.getByLabelText('Reload to')).toHaveAccessibleDescription(
      'Reload to must be more than the threshold ($10.00).'
    )
    expect(form.getByLabelText('Monthly budget')).toHaveAttribute('aria-invalid', 'true')
    expect(form.getByRole('alert')).toHaveTextContent('Fix the highlighted fields.')
    expect(bridge.callsOf('setSettings')).toEqual([])
  })

  it('shows main’s message when it refuses', async () => {
    const { user } = await openSettings({
      rejections: {
        setSettings: 'The monthly reload limit ($30.00) must allow at least one reload.'
      }
    })
    const form = within(rechargeForm())
    await user.click(form.getByRole('button', { name: 'Save auto-recharge and budget' }))
    expect(await form.findByRole('alert')).toHaveTextContent(
      'The monthly reload limit ($30.00) must allow at least one reload.'
    )
  })
})

describe('the form rules', () => {
  const form = {
    enabled: true,
    threshold: '10',
    reloadTo: '50',
    monthlyLimit: '30',
    monthlyBudget: ''
  }
  it('refuse a monthly limit smaller than one reload', () => {
    const r = validateRechargeBudgetForm(form)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.errors.monthlyLimit).toBe(
      'The limit must allow at least one reload of $40.00 (reload to minus threshold), or be left empty.'
    )
    expect(validateRechargeBudgetForm({ ...form, monthlyLimit: '40' }).ok).toBe(true)
  })
  it('refuse words and negative amounts', () => {
    const r = validateRechargeBudgetForm({ ...form, threshold: 'ten', monthlyBudget: '-5' })
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual(['monthlyBudget', 'threshold'])
  })
})

describe('main view: auto-recharge and budget', () => {
  it('marks a balance that includes assumed reloads, and shows the reload headroom', async () => {
    const status = withAssumedReloads(makeStatus({}, NOW), 2, 30, 100)
    await renderApp({ status })
    const card = screen.getByRole('heading', { name: 'Estimated balance' }).closest('section')!
    expect(within(card).getByTestId('balance').parentElement).toHaveTextContent(
      '≈ $41.20 (assumes 2 auto-reloads)'
    )
    expect(within(card).getByTestId('reload-headroom')).toHaveTextContent(
      'Auto-recharge: $60.00 of $100.00 reloaded this month, $40.00 left'
    )
    expect(card).toHaveTextContent('plus the reloads assumed since')
  })

  it('says nothing is assumed once the balance is recorded again', async () => {
    const status = withAssumedReloads(makeStatus({}, NOW), 0, 30, null)
    await renderApp({ status })
    expect(screen.queryByTestId('assumed')).not.toBeInTheDocument()
    expect(screen.getByTestId('reload-headroom')).toHaveTextContent(
      'Auto-recharge on, no monthly limit'
    )
  })

  it('shows month-to-date against the budget in spend-only mode, in words and as a bar', async () => {
    const spend = { today: 3, last7Days: 24, monthToDate: 85 }
    const status = withBudget(withBalance(makeStatus({ spend }, NOW), null, NOW), 100, NOW)
    await renderApp({ status })
    const budget = screen.getByTestId('budget')
    expect(budget).toHaveTextContent('Budget this month:')
    expect(budget).toHaveTextContent('$85.00 of $100.00 (85%)')
    expect(budget).toHaveTextContent('Nearly used')
    expect(within(budget).getByRole('progressbar', { name: 'Budget used: 85%' })).toHaveAttribute(
      'value',
      '85'
    )
    expect(screen.getByText('Low')).toBeInTheDocument() // the level badge follows the budget
  })

  it('says "Over budget" in words once the budget is used up', async () => {
    const spend = { today: 3, last7Days: 24, monthToDate: 120 }
    await renderApp({
      status: withBudget(withBalance(makeStatus({ spend }, NOW), null, NOW), 100, NOW)
    })
    expect(screen.getByTestId('budget')).toHaveTextContent('(120%) · Over budget')
    expect(screen.getByRole('progressbar')).toHaveAttribute('value', '100')
  })

  it('a budget saved in settings shows up on the main view', async () => {
    const { user } = await openSettings({ status: withBalance(makeStatus({}, NOW), null, NOW) })
    const form = within(rechargeForm())
    await user.type(form.getByLabelText('Monthly budget'), '100000')
    await user.click(form.getByRole('button', { name: 'Save auto-recharge and budget' }))
    await form.findByText('Saved.')
    await user.click(screen.getByRole('button', { name: /back/i }))
    expect(await screen.findByTestId('budget')).toHaveTextContent('of $100,000.00')
  })
})

describe('settings: Export CSV', () => {
  function exportButton(): HTMLElement {
    return screen.getByRole('button', { name: 'Export CSV…' })
  }

  it('exports through main and says where the file went', async () => {
    const { user, bridge } = await openSettings({ exportPath: '/home/me/Downloads/costs.csv' })
    await user.click(exportButton())
    expect(await screen.findByText('Saved to /home/me/Downloads/costs.csv.')).toBeInTheDocument()
    expect(bridge.callsOf('exportCsv')).toEqual([[]])
  })

  it('says nothing was exported when the save dialog was cancelled', async () => {
    const { user } = await openSettings({ exportPath: null })
    await user.click(exportButton())
    expect(await screen.findByText('Not exported.')).toBeInTheDocument()
  })

  it('shows main’s message when the file could not be written', async () => {
    const { user } = await openSettings({
      rejections: { exportCsv: 'Could not save costs.csv: the disk is full.' }
    })
    await user.click(exportButton())
    const section = screen.getByRole('heading', { name: 'Export' }).closest('section')!
    expect(await within(section).findByRole('alert')).toHaveTextContent(
      'Could not save costs.csv: the disk is full.'
    )
  })
})

import {
  formatCompact,
  formatDay,
  formatDaysLeft,
  formatMoney,
  formatRelative
} from '../../src/renderer/src/format'
import {
  parseAmount,
  validateSettingsForm,
  type SettingsForm
} from '../../src/renderer/src/validation'

describe('formatting', () => {
  it('formats money with the status currency in the given locale', () => {
    expect(formatMoney(41.2, 'usd', 'en-US')).toBe('$41.20')
    expect(formatMoney(41.2, 'eur', 'de-DE')).toBe('41,20\u00a0€')
  })

  it('does not break on a currency code Intl does not know', () => {
    expect(formatMoney(3, 'not-a-code', 'en-US')).toBe('3.00')
  })

  it('formats token counts compactly', () => {
    expect(formatCompact(1_234_567, 'en-US')).toBe('1.2M')
    expect(formatCompact(950, 'en-US')).toBe('950')
    expect(formatCompact(3_412, 'en-US')).toBe('3.4K')
  })

  it('formats UTC days as UTC, whatever the local zone', () => {
    expect(formatDay('2025-11-03', 'en-US')).toBe('Mon, Nov 3')
    expect(formatDay('2025-12-09', 'en-US', true)).toBe('Tue, Dec 9, 2025')
  })

  it('says how long ago, in the largest whole unit', () => {
    const now = Date.parse('2025-11-27T12:00:00Z')
    expect(formatRelative('2025-11-27T11:59:40Z', now, 'en-US')).toBe('now')
    expect(formatRelative('2025-11-27T11:57:00Z', now, 'en-US')).toBe('3 min. ago')
    expect(formatRelative('2025-11-27T09:10:00Z', now, 'en-US')).toBe('2 hr. ago')
    expect(formatRelative('2025-11-25T12:00:00Z', now, 'en-US')).toBe('2 days ago')
    // A timestamp slightly in the future (clock skew) reads as now, not "in 1 min.".
    expect(formatRelative('2025-11-27T12:01:30Z', now, 'en-US')).toBe('now')
  })

  it('rounds days left down', () => {
    expect(formatDaysLeft(12.9)).toBe('12 days')
    expect(formatDaysLeft(1.5)).toBe('1 day')
    expect(formatDaysLeft(0.4)).toBe('less than a day')
  })
})

describe('amount parsing', () => {
  it.each([
    ['41.20', 41.2],
    ['$41.20', 41.2],
    [' 1,234.50 ', 1234.5],
    ['41,20', 41.2],
    ['.5', 0.5],
    ['100', 100]
  ])('reads %j as %d', (text, value) => {
    expect(parseAmount(text, { allowZero: false })).toEqual({ ok: true, value })
  })

  it.each(['', 'abc', '-3', '1.2.3', '1,2345', '1e5', 'Infinity', '10000000'])(
    'refuses %j',
    (text) => {
      expect(parseAmount(text, { allowZero: false }).ok).toBe(false)
    }
  )

  it('allows a zero balance but not a zero top-up', () => {
    expect(parseAmount('0', { allowZero: true })).toEqual({ ok: true, value: 0 })
    expect(parseAmount('0', { allowZero: false }).ok).toBe(false)
  })
})

describe('settings form validation', () => {
  const good: SettingsForm = {
    lowBalance: '10',
    criticalBalance: '5',
    lowDays: '7',
    criticalDays: '2',
    pollIntervalMinutes: '15'
  }

  it('turns a valid form into a settings patch', () => {
    expect(validateSettingsForm(good)).toEqual({
      ok: true,
      patch: {
        thresholds: { lowBalance: 10, criticalBalance: 5, lowDays: 7, criticalDays: 2 },
        pollIntervalMinutes: 15
      }
    })
  })

  it('accepts critical equal to low', () => {
    expect(validateSettingsForm({ ...good, criticalBalance: '10', criticalDays: '7' }).ok).toBe(
      true
    )
  })

  it('reports every bad field at once', () => {
    const result = validateSettingsForm({
      ...good,
      criticalBalance: '11',
      lowDays: '-1',
      pollIntervalMinutes: '2'
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual([
      'criticalBalance',
      'lowDays',
      'pollIntervalMinutes'
    ])
  })
})

// UTC day arithmetic: every "day" in the engine is a UTC calendar date, whatever the local zone.
import {
  addDays,
  DAY_SECONDS,
  dayFromSeconds,
  dayRange,
  daysBetween,
  dayStartSeconds,
  monthStart,
  utcDay
} from '../src/main/engine/dates'

describe('UTC days', () => {
  it('a moment belongs to the UTC day it falls in', () => {
    expect(utcDay(Date.parse('2026-03-10T23:59:59.999Z'))).toBe('2026-03-10')
    expect(utcDay(Date.parse('2026-03-11T00:00:00Z'))).toBe('2026-03-11')
    expect(dayFromSeconds(Date.parse('2026-03-10T00:00:00Z') / 1000)).toBe('2026-03-10')
    expect(dayFromSeconds(Date.parse('2026-03-10T00:00:00Z') / 1000 - 1)).toBe('2026-03-09')
    expect(DAY_SECONDS).toBe(86_400)
  })

  it('refuses a day that is no calendar day, or not in the right shape', () => {
    for (const bad of ['2026-13-01', '2026-00-10', '2026-3-10', '20260310'])
      expect(() => dayStartSeconds(bad), bad).toThrow(`not a UTC day: ${bad}`)
    expect(dayStartSeconds('1970-01-02')).toBe(86_400)
  })

  it('adds and subtracts days across months, years and leap days', () => {
    expect(addDays('2026-03-10', 1)).toBe('2026-03-11')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01')
    expect(addDays('2026-03-10', 0)).toBe('2026-03-10')
    expect(addDays('2026-03-10', -365)).toBe('2025-03-10')
  })

  it('counts whole days between two days, negative when backwards', () => {
    expect(daysBetween('2026-03-10', '2026-03-10')).toBe(0)
    expect(daysBetween('2026-03-10', '2026-03-17')).toBe(7)
    expect(daysBetween('2026-03-17', '2026-03-10')).toBe(-7)
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2)
  })

  it('lists the days of a span, both ends included, and none when it is backwards', () => {
    expect(dayRange('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02'
    ])
    expect(dayRange('2026-03-02', '2026-03-02')).toEqual(['2026-03-02'])
    expect(dayRange('2026-03-03', '2026-03-02')).toEqual([])
  })

  it('the first of the month of a day', () => {
    expect(monthStart('2026-03-10')).toBe('2026-03-01')
    expect(monthStart('2026-12-31')).toBe('2026-12-01')
  })
})

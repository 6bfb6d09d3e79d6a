import { describe, expect, it } from 'vitest'
import { checkDate, daysElapsed, monthsOf, periodOf, todayAt } from './periods.js'

describe('periodOf', () => {
  it.each([
    ['2026-11-21', 'month', '2026-11-01', '2026-11-30', 30],
    ['2026-12-31', 'month', '2026-12-01', '2026-12-31', 31],
    ['2028-02-10', 'month', '2028-02-01', '2028-02-29', 29],
    ['2026-02-10', 'month', '2026-02-01', '2026-02-28', 28],
    ['2026-11-21', 'week', '2026-11-16', '2026-11-22', 7], // a Saturday
    ['2026-11-16', 'week', '2026-11-16', '2026-11-22', 7], // a Monday
    ['2026-11-22', 'week', '2026-11-16', '2026-11-22', 7], // a Sunday
    ['2026-12-30', 'week', '2026-12-28', '2027-01-03', 7],
  ] as const)('%s %s: %s – %s (%i days)', (date, kind, start, end, days) => {
    expect(periodOf(date, kind)).toEqual({ kind, start, end, days })
  })
})

describe('daysElapsed', () => {
  const november = periodOf('2026-11-21', 'month')

  it.each([
    ['2026-10-31', 0],
    ['2026-11-01', 1],
    ['2026-11-21', 21],
    ['2026-11-30', 30],
    ['2027-01-15', 30],
  ])('as of %s: %i', (asOf, days) => {
    expect(daysElapsed(november, asOf)).toBe(days)
  })

  it('lists the months a period touches', () => {
    expect(monthsOf(november)).toEqual(['2026-11'])
    expect(monthsOf(periodOf('2026-12-30', 'week'))).toEqual(['2026-12', '2027-01'])
  })
})

describe('dates', () => {
  it.each(['2026-02-30', '2026-13-01', '21.11.2026', ''])('refuses %j', (date) => {
    expect(() => checkDate(date)).toThrow(`date: "${date}" is not a real date (YYYY-MM-DD)`)
  })

  it('shifts today by the UTC offset', () => {
    const lateEvening = Date.parse('2026-11-21T22:30:00Z')
    expect(todayAt(lateEvening)).toBe('2026-11-21')
    expect(todayAt(lateEvening, 180)).toBe('2026-11-22') // Moscow
    expect(todayAt(Date.parse('2026-11-21T02:00:00Z'), -300)).toBe('2026-11-20') // New York
  })
})

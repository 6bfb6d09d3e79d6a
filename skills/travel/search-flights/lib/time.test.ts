import { describe, expect, it } from 'vitest'
import {
  addDays,
  formatDuration,
  isCalendarDate,
  isoWeekday,
  minutesOfDay,
  utcToZoned,
  zonedToUtc,
} from './time.js'

describe('time zones', () => {
  it.each([
    ['2026-12-15', '07:00', 'Europe/Moscow', '2026-12-15T04:00:00.000Z'],
    ['2026-07-01', '14:00', 'Europe/Paris', '2026-07-01T12:00:00.000Z'],
    ['2026-12-01', '14:00', 'Europe/Paris', '2026-12-01T13:00:00.000Z'],
    ['2026-12-15', '00:35', 'Asia/Bangkok', '2026-12-14T17:35:00.000Z'],
    ['2027-03-28', '03:30', 'Europe/Lisbon', '2027-03-28T02:30:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, iso) => {
    expect(new Date(zonedToUtc(date, time, zone)).toISOString()).toBe(iso)
  })

  it('shows the wall clock of an instant', () => {
    expect(utcToZoned(Date.UTC(2026, 11, 15, 21, 35), 'Europe/Lisbon')).toEqual({
      date: '2026-12-15',
      time: '21:35',
    })
    expect(utcToZoned(Date.UTC(2026, 11, 15, 21, 35), 'Asia/Dubai')).toEqual({
      date: '2026-12-16',
      time: '01:35',
    })
  })
})

describe('calendar', () => {
  it.each([
    ['2026-11-23', 1],
    ['2026-11-27', 5],
    ['2026-11-29', 7],
  ])('isoWeekday(%s) = %i', (date, day) => {
    expect(isoWeekday(date)).toBe(day)
  })

  it.each([
    ['2026-12-15', true],
    ['2027-02-29', false],
    ['2026-12-32', false],
    ['15.12.2026', false],
  ])('isCalendarDate(%s) = %s', (date, ok) => {
    expect(isCalendarDate(date)).toBe(ok)
  })

  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
  })

  it.each([
    ['00:00', 0],
    ['18:30', 1110],
    ['23:59:59', 1439],
  ])('minutesOfDay(%s) = %i', (time, minutes) => {
    expect(minutesOfDay(time)).toBe(minutes)
  })

  it.each([
    [85, '1h 25m'],
    [635, '10h 35m'],
    [60, '1h 00m'],
  ])('formatDuration(%i) = %s', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text)
  })
})

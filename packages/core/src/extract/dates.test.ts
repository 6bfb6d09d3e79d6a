import { describe, expect, it } from 'vitest'
import { findDates, findTimes, toDateTime } from './dates.js'

// A Wednesday.
const now = new Date('2026-03-11T09:00:00Z')

describe('findDates', () => {
  it.each([
    ['2026-12-01', ['2026-12-01']],
    ['15.03.2026', ['2026-03-15']],
    ['15/03/26', ['2026-03-15']],
    ['на 20.03', ['2026-03-20']],
    ['15 марта', ['2026-03-15']],
    ['1 мая', ['2026-05-01']],
    ['2 января 2027 г.', ['2027-01-02']],
    ['March 15', ['2026-03-15']],
    ['March 15th, 2027', ['2027-03-15']],
    ['the 1st of December', ['2026-12-01']],
    ['5 March', ['2027-03-05']],
    ['today, tomorrow and yesterday', ['2026-03-11', '2026-03-12', '2026-03-10']],
    ['the day after tomorrow', ['2026-03-13']],
    ['сегодня, завтра, послезавтра', ['2026-03-11', '2026-03-12', '2026-03-13']],
    ['Friday', ['2026-03-13']],
    ['next Friday', ['2026-03-20']],
    ['this Wednesday', ['2026-03-11']],
    ['в пятницу', ['2026-03-13']],
    ['в следующий вторник', ['2026-03-17']],
    ['в среду', ['2026-03-18']],
    ['in 3 days', ['2026-03-14']],
    ['in two weeks', ['2026-03-25']],
    ['через 3 дня', ['2026-03-14']],
    ['через неделю', ['2026-03-18']],
    ['через месяц', ['2026-04-11']],
    ['с 20 по 25 марта', ['2026-03-20', '2026-03-25']],
    ['March 20-25', ['2026-03-20', '2026-03-25']],
    ['31.02.2026', []],
    ['12.50 руб', []],
    ['рабочая среда', []],
  ])('reads %s', (text, expected) => {
    expect(findDates(text, { now }).map((m) => m.value)).toEqual(expected)
  })

  it('counts "today" in the requester time zone', () => {
    const lateEvening = new Date('2026-03-11T22:30:00Z')
    expect(findDates('завтра', { now: lateEvening, timeZoneOffsetMinutes: 180 })[0]?.value).toBe(
      '2026-03-13',
    )
    expect(findDates('завтра', { now: lateEvening })[0]?.value).toBe('2026-03-12')
  })

  it('returns the span of each date', () => {
    expect(findDates('вылет 15 марта из Москвы', { now })[0]).toEqual({
      value: '2026-03-15',
      text: '15 марта',
      span: [6, 14],
    })
  })
})

describe('findTimes', () => {
  it('reads 24-hour and am/pm times', () => {
    expect(findTimes('в 10:30, at 7pm or 9 am').map((m) => m.value)).toEqual([
      '10:30',
      '19:00',
      '09:00',
    ])
  })

  it('writes a date-time with the requester offset', () => {
    expect(toDateTime('2026-03-15', '10:00', 180)).toBe('2026-03-15T10:00:00+03:00')
    expect(toDateTime('2026-03-15', '10:00', 0)).toBe('2026-03-15T10:00:00Z')
  })
})

import { describe, expect, it } from 'vitest'
import { daysBetween, resolveStay } from './stay.js'

const today = '2026-11-21'

describe('resolveStay', () => {
  it.each([
    [
      { checkIn: '2026-12-10', checkOut: '2026-12-14' },
      { nights: 4, checkIn: '2026-12-10', checkOut: '2026-12-14' },
    ],
    [
      { checkIn: '2026-12-30', nights: 3 },
      { nights: 3, checkIn: '2026-12-30', checkOut: '2027-01-02' },
    ],
    [{ checkIn: '2026-12-10' }, { nights: 1, checkIn: '2026-12-10', checkOut: '2026-12-11' }],
    [
      { checkOut: '2026-12-14', nights: 2 },
      { nights: 2, checkIn: '2026-12-12', checkOut: '2026-12-14' },
    ],
    [{ nights: 5 }, { nights: 5 }],
    [{}, { nights: 1 }],
    [
      { checkIn: '2026-11-21', checkOut: '2026-11-22', nights: 1 },
      { nights: 1, checkIn: '2026-11-21', checkOut: '2026-11-22' },
    ],
  ])('%j → %j', (given, stay) => {
    expect(resolveStay(given, today)).toEqual(stay)
  })

  it.each([
    [
      { checkIn: '2026-12-14', checkOut: '2026-12-10' },
      'checkOut: 2026-12-10 must be after checkIn 2026-12-14',
    ],
    [
      { checkIn: '2026-12-10', checkOut: '2026-12-10' },
      'checkOut: 2026-12-10 must be after checkIn',
    ],
    [{ checkIn: '2026-02-30' }, 'checkIn: "2026-02-30" is not a calendar date'],
    [{ checkIn: '2026-11-01' }, 'checkIn: 2026-11-01 is in the past (today is 2026-11-21)'],
    [{ checkOut: '2026-12-14' }, 'checkIn: give the check-in date or the number of nights'],
    [{ checkOut: '2026-11-23', nights: 5 }, 'checkIn: 2026-11-18 is in the past'],
    [
      { checkIn: '2026-12-10', checkOut: '2026-12-12', nights: 3 },
      'nights: 3 nights do not match 2026-12-10 – 2026-12-12 (2 nights)',
    ],
    [{ checkIn: '2026-12-01', checkOut: '2027-03-01' }, 'nights: at most 60 nights (got 90)'],
    [{ nights: 0 }, 'nights: must be a whole number of at least 1'],
  ])('refuses %j', (given, message) => {
    expect(() => resolveStay(given, today)).toThrow(message)
  })

  it('counts days across a year end', () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3)
  })
})

import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { addDays, allocateDays, isCalendarDate } from './days.js'

describe('allocateDays', () => {
  it.each([
    [['A', 'B', 'C'], 10, {}, [4, 3, 3]],
    [['A', 'B', 'C'], 9, {}, [3, 3, 3]],
    [['A', 'B', 'C'], 11, {}, [4, 4, 3]],
    [['A'], 7, {}, [7]],
    [['A', 'B'], 10, { B: 7 }, [3, 7]],
    [['A', 'B', 'C'], 10, { A: 2, C: 5 }, [2, 3, 5]],
    [['A', 'B'], undefined, {}, [2, 2]],
    [['A', 'B'], undefined, { A: 5 }, [5, 2]],
    [['A', 'B'], 8, { A: 3, B: 5 }, [3, 5]],
  ] as const)('%j over %s days with %j → %j', (cities, total, given, expected) => {
    expect(allocateDays(cities, total, new Map(Object.entries(given)))).toEqual(expected)
  })

  it('refuses a total too short for the cities, naming the field', () => {
    expect(() => allocateDays(['A', 'B', 'C'], 2, new Map())).toThrow(
      'days: 2 days are too few for 3 cities (the stays need at least 3)',
    )
    expect(() => allocateDays(['A', 'B'], 5, new Map([['A', 5]]))).toThrow(SkillOSError)
  })

  it('refuses per-city days that do not add up to the total', () => {
    expect(() =>
      allocateDays(
        ['A', 'B'],
        10,
        new Map([
          ['A', 3],
          ['B', 3],
        ]),
      ),
    ).toThrow('days: the days given per city add up to 6, not the 10 days of the trip')
  })
})

describe('dates', () => {
  it.each([
    ['2027-06-01', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-13-01', false],
    ['01.06.2027', false],
  ])('isCalendarDate(%j) = %s', (value, ok) => {
    expect(isCalendarDate(value)).toBe(ok)
  })

  it.each([
    ['2027-06-01', 0, '2027-06-01'],
    ['2027-06-28', 4, '2027-07-02'],
    ['2027-12-30', 3, '2028-01-02'],
  ])('addDays(%s, %i) = %s', (date, days, out) => {
    expect(addDays(date, days)).toBe(out)
  })
})

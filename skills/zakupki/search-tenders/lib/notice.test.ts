import { describe, expect, it } from 'vitest'
import { parseNotices, toMinorUnits } from './notice.js'

describe('toMinorUnits', () => {
  it.each([
    ['2845600.00', 284560000],
    ['2845600.5', 284560050],
    ['2 845 600,55', 284560055],
    [1236400.1, 123640010],
    ['0', 0],
    ['-5', undefined],
    ['1.234', undefined],
    ['abc', undefined],
  ] as const)('%s → %s', (amount, minor) => {
    expect(toMinorUnits(amount)).toBe(minor)
  })
})

const valid = {
  purchaseNumber: '0373200041526000101',
  law: '44-FZ',
  purchaseObjectInfo: 'Поставка рыбы мороженой',
  placingWay: { code: 'EA20', name: 'Электронный аукцион' },
  customer: {
    fullName: 'ГБОУ Школа № 1298',
    inn: '7743019847',
    regionCode: '77',
    regionName: 'Москва',
  },
  maxPrice: { amount: '2845600.00', currency: 'RUB' },
  publishDate: '2026-11-05T10:14:00+03:00',
  collectingEndDate: '2026-11-20T09:00:00+03:00',
}

describe('parseNotices', () => {
  it('prepares valid records with the НМЦК in kopecks and the deadline as a timestamp', () => {
    const { notices, problems } = parseNotices([valid])
    expect(problems).toEqual([])
    expect(notices[0]?.nmckMinor).toBe(284560000)
    expect(notices[0]?.deadlineMs).toBe(Date.parse('2026-11-20T06:00:00Z'))
    expect(notices[0]?.record.okpd2).toEqual([])
  })

  it('names the record and field of each problem', () => {
    const { notices, problems } = parseNotices([
      valid,
      { ...valid, law: '94-FZ' },
      { ...valid, maxPrice: { amount: '-1', currency: 'RUB' } },
    ])
    expect(notices).toHaveLength(1)
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'law'],
      [2, 'maxPrice.amount'],
    ])
  })

  it('refuses something that is not a list', () => {
    expect(parseNotices({ items: [] }).problems[0]?.message).toBe('expected a JSON list of notices')
  })
})

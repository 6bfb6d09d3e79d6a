import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseNotices } from './notice.js'
import { resolveRegion } from './regions.js'
import { moscowDate, searchNotices } from './search.js'

const data = JSON.parse(
  readFileSync(new URL('../fixtures/notices.json', import.meta.url), 'utf8'),
) as { snapshotAt: string; notices: unknown[] }
const { notices } = parseNotices(data.notices)
const asOf = Date.parse(data.snapshotAt)
const moscow = resolveRegion('77')

describe('the offline dataset', () => {
  it('holds 54 valid notices dated before its snapshot', () => {
    expect(notices).toHaveLength(54)
    expect(parseNotices(data.notices).problems).toEqual([])
    expect(notices.every((n) => Date.parse(n.record.publishDate) < asOf)).toBe(true)
    expect(data.snapshotAt).toBe('2026-11-16T12:00:00+03:00')
  })
})

describe('searchNotices', () => {
  it('applies region, law and price filters exactly and ranks by keyword then deadline', () => {
    const hits = searchNotices(
      notices,
      { query: 'рыба', region: moscow, law: '44-FZ', maxPriceMinor: 500_000_000 },
      asOf,
    )
    expect(hits.map((h) => h.notice.record.purchaseNumber)).toEqual([
      '0373200041526000101',
      '0373100041226000191',
    ])
    expect(hits.map((h) => h.notice.nmckMinor)).toEqual([284_560_000, 398_000_000])
  })

  it('lists only open notices unless a deadline filter is given', () => {
    const open = searchNotices(notices, { query: 'рыба', region: moscow }, asOf)
    expect(open.every((h) => h.open)).toBe(true)
    expect(open.some((h) => h.notice.record.purchaseObjectInfo.includes('школьной столовой'))).toBe(
      false,
    )
    const closed = searchNotices(
      notices,
      { query: 'рыба', region: moscow, deadlineTo: '2026-11-10' },
      asOf,
    )
    expect(closed.map((h) => [h.notice.record.customer.inn, h.open])).toEqual([
      [expect.any(String), false],
    ])
    expect(moscowDate(closed[0]!.notice.deadlineMs)).toBe('2026-11-10')
  })

  it('judges deadlines by the Moscow calendar day', () => {
    const hits = searchNotices(
      notices,
      { deadlineFrom: '2026-11-16', deadlineTo: '2026-11-16' },
      asOf,
    )
    expect(hits.map((h) => h.notice.record.purchaseObjectInfo)).toEqual([
      'Поставка филе рыбы мороженого для получателей социальных услуг',
    ])
  })

  it('finds Russian notices from English keywords, ranking the title above the classifier', () => {
    const hits = searchNotices(notices, { query: 'office furniture', law: '44-FZ' }, asOf)
    expect(hits[0]?.score).toBe(1)
    expect(hits[0]?.notice.record.purchaseObjectInfo).toMatch(/офисной мебели/)
    const full = hits.filter((h) => h.score === 1)
    expect(full.map((h) => h.notice.record.purchaseObjectInfo)).toEqual([
      'Поставка офисной мебели для административного здания',
      'Поставка офисной мебели (столы, шкафы, кресла)',
    ])
    // One keyword of two: ranked below, but listed.
    const partial = hits.find((h) => h.notice.record.purchaseObjectInfo.includes('бумаги'))
    expect([partial?.score, partial?.matchedTerms]).toEqual([0.5, ['office']])
  })

  it('filters by customer name part or INN', () => {
    const byName = searchNotices(notices, { customer: 'зоологический парк' }, asOf)
    expect(byName.map((h) => h.notice.record.law)).toEqual(['223-FZ'])
    const inn = byName[0]!.notice.record.customer.inn
    expect(searchNotices(notices, { customer: inn }, asOf)).toHaveLength(1)
  })

  it('compares price bounds inclusively', () => {
    const hits = searchNotices(
      notices,
      { minPriceMinor: 284_560_000, maxPriceMinor: 284_560_000 },
      asOf,
    )
    expect(hits.map((h) => h.notice.nmckMinor)).toEqual([284_560_000])
  })
})

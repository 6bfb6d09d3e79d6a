import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { toCriteria, type SearchInput } from './criteria.js'

function failure(input: SearchInput): { code: string; message: string } {
  try {
    toCriteria(input)
  } catch (error) {
    if (SkillOSError.is(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a failure')
}

describe('toCriteria', () => {
  it('resolves the region and converts prices to kopecks', () => {
    expect(
      toCriteria({ query: 'рыба', region: 'в Москве', law: '44-FZ', maxPrice: 5_000_000.5 }),
    ).toEqual({
      query: 'рыба',
      region: expect.objectContaining({ code: '77' }),
      law: '44-FZ',
      maxPriceMinor: 500_000_050,
    })
  })

  it('drops a query of stop words when another filter is given', () => {
    expect(toCriteria({ query: 'найди тендеры', law: '223-FZ' })).toEqual({ law: '223-FZ' })
  })

  it.each<[SearchInput, string]>([
    [{}, 'query: say what to search for'],
    [{ query: 'find tenders' }, 'query: "find tenders" has no searchable keywords'],
    [{ region: 'Atlantis' }, 'region: unknown region "Atlantis"'],
    [{ minPrice: -1 }, 'minPrice: must be an amount in roubles of 0 or more, got -1'],
    [{ minPrice: 5, maxPrice: 1 }, 'minPrice: 5 is above maxPrice 1'],
    [{ deadlineTo: '2026-02-30' }, 'deadlineTo: "2026-02-30" is not a real date'],
    [
      { deadlineFrom: '2026-12-01', deadlineTo: '2026-11-01' },
      'deadlineFrom: 2026-12-01 is after deadlineTo 2026-11-01',
    ],
  ])('refuses %j', (input, message) => {
    const error = failure(input)
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain(message)
  })
})

import { describe, expect, it } from 'vitest'
import { clip, roundTo, toIsoDate } from './search-result.js'

describe('roundTo', () => {
  it.each([
    [0.45454545, 3, 0.455],
    [0.1 + 0.2, 2, 0.3],
    [1, 3, 1],
    [0.0004, 3, 0],
  ])('rounds %s to %i decimals as %s', (value, digits, expected) => {
    expect(roundTo(value, digits)).toBe(expected)
  })
})

describe('toIsoDate', () => {
  it.each([
    ['2025-03-14', '2025-03-14'],
    ['2025-03-14T10:20:00', '2025-03-14'],
    ['2025-03-14T23:59:00+03:00', '2025-03-14'],
    ['Fri, 14 Mar 2025 10:00:00 GMT', '2025-03-14'],
    ['2025-02-30', undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('reads %j as %j', (value, expected) => {
    expect(toIsoDate(value)).toBe(expected)
  })
})

describe('clip', () => {
  it('keeps a short text, whitespace collapsed', () => {
    expect(clip('  two\n  words ', 20)).toBe('two words')
  })

  it('cuts a long text at a word boundary and marks the cut', () => {
    expect(clip('Live oysters keep seven to nine days after packing.', 30)).toBe(
      'Live oysters keep seven to…',
    )
  })

  it('cuts inside a word that has no space in the last 40%', () => {
    expect(clip('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghi…')
  })
})

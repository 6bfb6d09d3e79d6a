import { describe, expect, it } from 'vitest'
import { extractBlocks } from './blocks.js'
import { matchesIn } from './regex.js'

describe('matchesIn', () => {
  it('finds what matchAll finds, also with empty matches and astral characters', () => {
    const cases: [string, RegExp][] = [
      ['250 EUR, 100 usd и 5 €', /\d+\s*(?:eur|usd|€)/giu],
      ['a🦪b', /x*/gu],
      ['a🦪b', /x*/g],
      ['устрицы, 5 дюжин', /\p{L}+/gu],
      ['', /a*/g],
    ]
    for (const [text, re] of cases) {
      const expected = [...text.matchAll(re)].map((m) => [m.index, m[0]])
      expect(matchesIn(text, re).map((m) => [m.index, m[0]])).toEqual(expected)
      expect(re.lastIndex).toBe(0)
    }
    // The same expression again, from a clean start.
    const re = /\d+/g
    expect(matchesIn('1 2 3', re).map((m) => m[0])).toEqual(['1', '2', '3'])
    expect(matchesIn('4 5', re).map((m) => m[0])).toEqual(['4', '5'])
  })

  it('refuses an expression without the g flag', () => {
    expect(() => matchesIn('1 2', /\d/)).toThrow(/needs the g flag/)
  })
})

describe('extractBlocks', () => {
  it('computes each block when first read, once', () => {
    const blocks = extractBlocks('переведи 250 евро в рубли в Сочи завтра', {
      now: new Date('2026-03-01T09:00:00Z'),
    })
    expect(blocks.money.map((m) => m.value)).toEqual([{ amount: 250, currency: 'EUR' }])
    expect(blocks.money).toBe(blocks.money)
    expect(blocks.currencies.map((m) => m.value)).toEqual(['EUR', 'RUB'])
    expect(blocks.cities.map((m) => m.value.name)).toContain('Sochi')
    expect(blocks.dates.map((m) => m.value)).toEqual(['2026-03-02'])
    expect(blocks.today).toBe('2026-03-01')
    expect(blocks.language).toBe('ru')
  })

  it('still hands every block over when spread or serialised, as an extractor may do', () => {
    const blocks = extractBlocks('250 евро в Сочи', { now: new Date('2026-03-01T09:00:00Z') })
    const copy = { ...blocks }
    expect(copy.money.map((m) => m.value)).toEqual([{ amount: 250, currency: 'EUR' }])
    expect(Object.keys(copy)).toEqual(expect.arrayContaining(['numbers', 'cities', 'quoted']))
    expect(JSON.parse(JSON.stringify(blocks)).today).toBe('2026-03-01')
  })
})

import { describe, expect, it } from 'vitest'
import { CATEGORIES, findCategory, normalizeCategory, parseCategories } from './categories.js'

describe('normalizeCategory', () => {
  it.each([
    ['taxi', 'taxi'],
    ['Такси', 'taxi'],
    ['Uber', 'taxi'],
    ['продукты', 'groceries'],
    ['еду', 'groceries'],
    ['food', 'groceries'],
    ['кофе', 'restaurants'],
    ['business lunch', 'restaurants'],
    ['командировку', 'travel'],
    ['авиабилеты', 'travel'],
    ['отель', 'hotels'],
    ['развлечения', 'entertainment'],
    ['устрицы', 'supplies'],
    ['  Boat   Repair ', 'boat repair'],
    ['', 'total'],
    [undefined, 'total'],
    ['TOTAL', 'total'],
  ])('%j → %s', (text, id) => {
    expect(normalizeCategory(text)).toBe(id)
  })

  it('cuts free-text categories to 40 characters', () => {
    expect(normalizeCategory('x'.repeat(50))).toBe('x'.repeat(40))
  })
})

describe('the categories file', () => {
  it('ships 13 categories with EN and RU names', () => {
    expect(CATEGORIES.map((c) => c.id)).toEqual([
      'taxi',
      'groceries',
      'restaurants',
      'transport',
      'travel',
      'hotels',
      'entertainment',
      'utilities',
      'communication',
      'health',
      'shopping',
      'office',
      'supplies',
    ])
    expect(findCategory('monthly food budget')).toBe('groceries')
    expect(findCategory('how much is left')).toBeUndefined()
  })

  it('refuses a malformed file', () => {
    expect(() =>
      parseCategories('{"categories": [{"id": "Taxi!", "en": "", "ru": "x", "patterns": []}]}'),
    ).toThrow()
    expect(() => parseCategories('not json')).toThrow()
  })
})

import { describe, expect, it } from 'vitest'
import { queryTerms, scoreKeywords, stemsMatch, stemWord } from './keywords.js'

describe('stemWord', () => {
  it.each([
    ['рыбы', 'рыб'],
    ['рыбной', 'рыбн'],
    ['морепродуктов', 'морепродукт'],
    ['мебели', 'мебел'],
    ['канцелярских', 'канцелярск'],
    ['питания', 'питан'],
    ['ремонт', 'ремонт'],
    ['tenders', 'tender'],
    ['supplies', 'suppli'],
    ['repairing', 'repair'],
    ['glass', 'glass'],
    ['рыба', 'рыб'],
    ['уфа', 'уф'],
  ])('%s → %s', (word, stem) => {
    expect(stemWord(word)).toBe(stem)
  })
})

describe('stemsMatch', () => {
  it.each([
    ['рыб', 'рыбн', true],
    ['рыбн', 'рыб', true],
    ['мебел', 'мебел', true],
    ['по', 'пол', false],
    ['рыб', 'ремонт', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(stemsMatch(a, b)).toBe(expected)
  })
})

describe('queryTerms', () => {
  it('drops request scaffolding and procurement words every notice shares', () => {
    expect(queryTerms('найди тендеры на поставку рыбы').map((t) => t.word)).toEqual(['рыбы'])
    expect(queryTerms('find tenders for the supply of').length).toBe(0)
  })

  it('widens English keywords with their Russian stems', () => {
    expect(queryTerms('office furniture')).toEqual([
      { word: 'office', stems: ['offic', 'офисн', 'офис'] },
      { word: 'furniture', stems: ['furnitur', 'мебел'] },
    ])
  })

  it('keeps one term per stem', () => {
    expect(queryTerms('рыба рыбы рыбой').map((t) => t.word)).toEqual(['рыба'])
  })
})

describe('scoreKeywords', () => {
  const title = 'Поставка рыбы мороженой (минтай, хек)'
  it.each([
    ['рыба', { score: 1, matched: ['рыба'] }],
    ['рыба мебель', { score: 0.5, matched: ['рыба'] }],
    ['филе', { score: 0.5, matched: ['филе'] }],
    ['pollock', { score: 1, matched: ['pollock'] }],
    ['furniture', { score: 0, matched: [] }],
  ])('scores "%s"', (query, expected) => {
    expect(scoreKeywords(queryTerms(query), title, ['Филе рыбное мороженое'])).toEqual(expected)
  })
})

describe('placing-way words', () => {
  it('are not keywords: the notice title never says "аукцион"', () => {
    expect(queryTerms('аукционы на поставку мебели').map((t) => t.word)).toEqual(['мебели'])
  })
})

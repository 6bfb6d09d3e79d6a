import { describe, expect, it } from 'vitest'
import type { LocalDocument } from './documents.js'
import { createDocumentIndex } from './document-index.js'
import { documentIndexFor } from './documents-provider.js'
import { BUNDLED_DOCUMENTS_DIR } from './settings.js'

const doc = (
  id: string,
  title: string,
  body: string,
  language: 'en' | 'ru' = 'en',
): LocalDocument => ({
  id,
  title,
  body,
  language,
  url: `file:///${id}`,
})

describe('createDocumentIndex', () => {
  // Each document: 3 title terms + 1 body term = 4 terms, so avgdl = 4 and the BM25 length norm
  // is k1 = 1.2. Relative score = tf / (tf + 1.2).
  const index = createDocumentIndex([
    doc('a', 'Oysters', 'Grades.'),
    doc('b', 'Visas', 'Fees.'),
    doc('c', 'Устрицы', 'Калибр.', 'ru'),
  ])

  it('scores a body match as tf / (tf + k1·norm) of a perfect match', () => {
    const { results, total } = index.search('grades', { limit: 5 })
    expect(total).toBe(1)
    expect(results).toEqual([
      {
        rank: 1,
        title: 'Oysters',
        url: 'file:///a',
        snippet: 'Grades.',
        score: 0.455,
        language: 'en',
      },
    ])
  })

  it('weights the title three times', () => {
    expect(index.search('oyster', { limit: 5 }).results[0]?.score).toBe(0.714)
  })

  it('matches inflected Russian words through their stems', () => {
    // Both terms equally rare: (3 / (3 + 1.2) + 1 / (1 + 1.2)) / 2 = 0.584
    expect(
      index.search('калибры устриц', { limit: 5 }).results.map((r) => [r.title, r.score]),
    ).toEqual([['Устрицы', 0.584]])
  })

  it('filters by language', () => {
    expect(index.search('oysters устрицы', { limit: 5 }).total).toBe(2)
    expect(
      index.search('oysters устрицы', { limit: 5, language: 'ru' }).results.map((r) => r.title),
    ).toEqual(['Устрицы'])
  })

  it('finds nothing for stop words only, and says which terms it searched', () => {
    expect(index.search('the of and', { limit: 5 })).toEqual({ results: [], total: 0, terms: [] })
  })

  it('applies the limit after counting every match', () => {
    const found = index.search('oysters visas', { limit: 1 })
    expect(found.total).toBe(2)
    expect(found.results).toHaveLength(1)
  })
})

describe('the bundled documents', () => {
  it.each([
    ['oyster grades', 'French oyster size grades (calibres No. 0 to No. 5)'],
    ['калибр устриц', 'Калибр устриц: что означают номера от 0 до 5'],
    ['bid security 44-FZ', '44-FZ public procurement basics for suppliers'],
    [
      'обеспечение заявки антидемпинг',
      '44-ФЗ: обеспечение заявки, обеспечение контракта и антидемпинг',
    ],
    ['storage temperature of live oysters', 'Cold chain rules for live oysters'],
    ['currency control import contract', 'Currency control for import contracts in Russia'],
    ['шенгенская виза сбор', 'Шенгенская виза для деловой поездки: правила и сборы'],
    [
      'ФГИС Меркурий ВСД',
      'ФГИС «Меркурий»: электронные ветеринарные документы на рыбу и морепродукты',
    ],
  ])('rank first for %j: %s', async (query, title) => {
    const index = await documentIndexFor(BUNDLED_DOCUMENTS_DIR)
    expect(index.search(query, { limit: 3 }).results[0]?.title).toBe(title)
  })

  it('returns the same index while the folder is unchanged', async () => {
    expect(await documentIndexFor(BUNDLED_DOCUMENTS_DIR)).toBe(
      await documentIndexFor(BUNDLED_DOCUMENTS_DIR),
    )
  })
})

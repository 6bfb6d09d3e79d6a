import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rankSentences, summarizeExtractive } from './extractive.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

const SMALL =
  'Oysters need cold storage. Cold storage keeps oysters alive. Visas take time. Oysters are graded by weight.'

describe('rankSentences', () => {
  it('scores every sentence; linked sentences outrank an isolated one and scores sum to 1', () => {
    const { sentences, scores, converged } = rankSentences(SMALL)
    expect(sentences.map((s) => s.text)).toHaveLength(4)
    expect(converged).toBe(true)
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10)
    const [s0 = 0, s1 = 0, s2 = 0, s3 = 0] = scores
    expect(Math.min(s0, s1, s3)).toBeGreaterThan(s2)
    // The isolated sentence keeps only the teleport share and the evenly spread dangling mass.
    expect(s2).toBeCloseTo(0.15 / 4 + (0.85 * s2) / 4, 9)
  })
})

describe('summarizeExtractive', () => {
  it('keeps the two most central sentences, in document order', () => {
    const result = summarizeExtractive(SMALL, { sentences: 2 })
    expect(result.sentences.map((s) => s.index)).toEqual([0, 1])
    expect(result.summary).toBe('Oysters need cold storage. Cold storage keeps oysters alive.')
    expect(result).toMatchObject({ language: 'en', totalSentences: 4, converged: true })
  })

  it('returns a one-sentence document as it is', () => {
    expect(summarizeExtractive('Только одно предложение.')).toMatchObject({
      language: 'ru',
      summary: 'Только одно предложение.',
      sentences: [{ index: 0, text: 'Только одно предложение.', score: 1 }],
      totalSentences: 1,
    })
  })

  it.each([
    ['oyster-season-report.en.md', 'en', 32, [2, 9, 11]],
    ['goszakupki-postavshchiku.ru.md', 'ru', 33, [11, 13, 20]],
    ['kholodovaya-tsep-ustritsy.ru.md', 'ru', 30, [8, 12, 22]],
  ] as const)(
    'summarizes %s (%s, %i sentences) in three sentences',
    (name, language, total, indices) => {
      const result = summarizeExtractive(fixture(name), { sentences: 3 })
      expect(result.language).toBe(language)
      expect(result.totalSentences).toBe(total)
      expect(result.sentences.map((s) => s.index)).toEqual(indices)
      expect(result.converged).toBe(true)
    },
  )

  it('chooses the sentences on the cold chain and temperature in the Russian logistics text', () => {
    const result = summarizeExtractive(fixture('kholodovaya-tsep-ustritsy.ru.md'), { sentences: 3 })
    expect(result.summary).toBe(
      'При более высокой температуре устрицы быстрее расходуют запасы и слабеют, а при заморозке погибают. ' +
        'В одну из коробок каждой партии кладут термологгер, который записывает температуру на всём пути. ' +
        'При приёмке партии проверяют показания термологгера, дату упаковки и внешний вид устриц.',
    )
  })

  it('keeps a share of the sentences with ratio, and a default length without', () => {
    const text = fixture('oyster-season-report.en.md')
    expect(summarizeExtractive(text, { ratio: 0.25 }).sentences).toHaveLength(8)
    expect(summarizeExtractive(text).sentences).toHaveLength(6)
  })

  it('gives scores with six decimals that rank the chosen sentences above the rest', () => {
    const text = fixture('goszakupki-postavshchiku.ru.md')
    const { scores } = rankSentences(text)
    const result = summarizeExtractive(text, { sentences: 3 })
    const lowestChosen = Math.min(...result.sentences.map((s) => s.score))
    const others = scores.filter((_, i) => !result.sentences.some((s) => s.index === i))
    expect(Math.max(...others)).toBeLessThanOrEqual(lowestChosen + 1e-6)
    for (const s of result.sentences)
      expect(s.score).toBe(Math.round((scores[s.index] ?? 0) * 1e6) / 1e6)
  })
})

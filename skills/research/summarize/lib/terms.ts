import { stemmer as stemEnglish } from '@orama/stemmers/english'
import { stemmer as stemRussian } from '@orama/stemmers/russian'
import { stopwords as englishStopwords } from '@orama/stopwords/english'
import { stopwords as russianStopwords } from '@orama/stopwords/russian'

const fold = (word: string): string => word.toLowerCase().replaceAll('ё', 'е')
const STOPWORDS = new Set([...englishStopwords, ...russianStopwords].map(fold))
const CYRILLIC = /[\u0400-\u04ff]/
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu

/**
 * The content terms of a sentence: lowercase words (ё folded into е), English and Russian stop
 * words and one-letter words dropped, each word stemmed by its script (Snowball Russian for
 * Cyrillic, Porter English otherwise; numbers kept as written).
 *
 * @example
 * ```ts
 * contentTerms('The oysters were graded') // ['oyster', 'grade']
 * contentTerms('Устрицы сортируют по калибру') // ['устриц', 'сортир', 'калибр']
 * ```
 */
export function contentTerms(sentence: string): string[] {
  const terms: string[] = []
  for (const match of sentence.normalize('NFKC').matchAll(WORD)) {
    const word = fold(match[0]).replace(/['’]s$/, '')
    if (word.length < 2 && !/^\p{N}$/u.test(word)) continue
    if (STOPWORDS.has(word)) continue
    terms.push(
      /^\p{N}+$/u.test(word) ? word : CYRILLIC.test(word) ? stemRussian(word) : stemEnglish(word),
    )
  }
  return terms
}

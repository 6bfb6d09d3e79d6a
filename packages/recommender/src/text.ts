import { stemmer as stemEnglish } from '@orama/stemmers/english'
import { stemmer as stemRussian } from '@orama/stemmers/russian'
import { stopwords as englishStopwords } from '@orama/stopwords/english'
import { stopwords as russianStopwords } from '@orama/stopwords/russian'

const STOPWORDS = new Set<string>([...englishStopwords, ...russianStopwords].map(fold))
const CYRILLIC = /[\u0400-\u04ff]/
const WORD = /[\p{L}\p{N}]+/gu
/** camelCase / PascalCase / letter-digit boundaries inside identifiers such as `AI2sql`, `createQrCode`. */
const IDENTIFIER_BOUNDARY =
  /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu
/** Words longer than this are not words (hashes, base64, garbage): skipped. */
const MAX_WORD_LENGTH = 40
/** Stems are cached; the cache is cleared when it grows past this many words. */
const STEM_CACHE_LIMIT = 50_000

const stemCache = new Map<string, string>()

/** NFKC, lowercase, ё → е: the one normalisation both channels share. */
export function normalizeText(text: string): string {
  return fold(text.normalize('NFKC'))
}

function fold(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е')
}

// A query is split twice, for its terms and for its embedding: the last answer serves the second.
let lastText: string | undefined
let lastWords: readonly string[] = []

/** The words of `text` after normalisation and identifier splitting, stopwords kept. */
export function splitWords(text: string): readonly string[] {
  if (text === lastText) return lastWords
  const folded = fold(text.normalize('NFKC').replace(IDENTIFIER_BOUNDARY, ' '))
  const words: string[] = []
  // `exec` in a loop: `matchAll` copies the expression on every call.
  WORD.lastIndex = 0
  for (let match = WORD.exec(folded); match !== null; match = WORD.exec(folded)) {
    const word = match[0]
    if (word.length <= MAX_WORD_LENGTH) words.push(word)
  }
  WORD.lastIndex = 0
  lastText = text
  lastWords = words
  return words
}

/** Whether `word` is a stopword in English or Russian, or a single Latin letter. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word) || (word.length === 1 && word >= 'a' && word <= 'z')
}

/** The stem of one normalised word: the Russian Snowball stemmer for Cyrillic, Porter for the rest. */
export function stem(word: string): string {
  const cached = stemCache.get(word)
  if (cached !== undefined) return cached
  const stemmed = CYRILLIC.test(word)
    ? stemRussian(word)
    : /^\p{N}+$/u.test(word)
      ? word
      : stemEnglish(word)
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear()
  stemCache.set(word, stemmed)
  return stemmed
}

/** Lexical terms of `text`: words, stopwords dropped, stemmed by script. */
export function analyze(text: string): string[] {
  const terms: string[] = []
  for (const word of splitWords(text)) {
    if (!isStopword(word)) terms.push(stem(word))
  }
  return terms
}

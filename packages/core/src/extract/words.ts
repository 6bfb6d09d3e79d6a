import { stem } from '@skillos/recommender'
import { matchesIn } from './regex.js'

/** Regex source: no letter, digit or underscore before this point (`\b` ignores Cyrillic). */
export const WORD_START = '(?<![\\p{L}\\p{N}_])'
/** Regex source: no letter, digit or underscore after this point. */
export const WORD_END = '(?![\\p{L}\\p{N}_])'

/** Lower case with `ё` folded to `е`, as Russian is usually typed. */
export function normalizeWord(word: string): string {
  return word.toLowerCase().replace(/ё/g, 'е')
}

export interface WordToken {
  word: string
  /** `normalizeWord(word)` */
  norm: string
  start: number
  end: number
}

/** Words (letters, with inner hyphens and apostrophes) and their offsets. */
export function tokenizeWords(text: string): WordToken[] {
  const tokens: WordToken[] = []
  for (const m of matchesIn(text, /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)) {
    tokens.push({
      word: m[0],
      norm: normalizeWord(m[0]),
      start: m.index,
      end: m.index + m[0].length,
    })
  }
  return tokens
}

/**
 * The stem for inflection-tolerant comparison ("устрицы"/"устриц", "boxes"/"box"): the Snowball
 * stemmers the skill index uses (Russian for Cyrillic, Porter for the rest).
 */
export function stemWord(word: string): string {
  return stem(normalizeWord(word))
}

/** Splits an identifier or a phrase into lower-case words: `checkInDate` → check, in, date. */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-zа-я\d])([A-ZА-Я])/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map(normalizeWord)
}

const CYRILLIC = /\p{Script=Cyrillic}/u

/** 'ru' when the text has more Cyrillic than Latin letters, else 'en'. */
export function detectLanguage(text: string): 'en' | 'ru' {
  // No Cyrillic letter: 'en' without collecting every letter into an array.
  if (!CYRILLIC.test(text)) return 'en'
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0
  return cyrillic > latin ? 'ru' : 'en'
}

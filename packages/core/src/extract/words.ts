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
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)) {
    tokens.push({
      word: m[0],
      norm: normalizeWord(m[0]),
      start: m.index,
      end: m.index + m[0].length,
    })
  }
  return tokens
}

const RU_ENDINGS = [
  'иями',
  'ями',
  'ами',
  'ого',
  'его',
  'ому',
  'ему',
  'ыми',
  'ими',
  'иях',
  'ях',
  'ах',
  'ов',
  'ев',
  'ей',
  'ой',
  'ий',
  'ый',
  'ая',
  'яя',
  'ое',
  'ее',
  'ые',
  'ие',
  'ую',
  'юю',
  'ом',
  'ем',
  'ам',
  'ям',
  'ью',
  'а',
  'я',
  'ы',
  'и',
  'у',
  'ю',
  'е',
  'о',
  'ь',
  'й',
]

/**
 * A crude stem for inflection-tolerant comparison: strips one common Russian case ending or an
 * English plural, never below three characters. "устрицы"/"устриц" and "boxes"/"box" compare equal.
 */
export function stemWord(word: string): string {
  const w = normalizeWord(word)
  if (!/[а-я]/.test(w)) {
    if (w.length < 4 || w.endsWith('ss')) return w
    if (w.endsWith('ies')) return `${w.slice(0, -3)}y`
    if (/(?:x|ch|sh|ss)es$/.test(w)) return w.slice(0, -2)
    return w.endsWith('s') ? w.slice(0, -1) : w
  }
  for (const ending of RU_ENDINGS) {
    if (w.endsWith(ending) && w.length - ending.length >= 3) return w.slice(0, -ending.length)
  }
  return w
}

/** Splits an identifier or a phrase into lower-case words: `checkInDate` → check, in, date. */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-zа-я\d])([A-ZА-Я])/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map(normalizeWord)
}

/** 'ru' when the text has more Cyrillic than Latin letters, else 'en'. */
export function detectLanguage(text: string): 'en' | 'ru' {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0
  return cyrillic > latin ? 'ru' : 'en'
}

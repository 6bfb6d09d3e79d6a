import { keepLongest, matchAt, type TextMatch } from './match.js'
import { normalizeWord, stemWord, WORD_END, WORD_START } from './words.js'
import { matchesIn } from './regex.js'

type EnumValue = string | number | boolean | null

const TO_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
}

/** Russian letters spelled in Latin, so "223-ФЗ" and "223-FZ" compare equal. */
export function latinize(word: string): string {
  return [...normalizeWord(word)].map((c) => TO_LATIN[c] ?? c).join('')
}

interface Piece {
  norm: string
  start: number
  end: number
}

// Letters and digits are separate pieces: "44фз" → 44, фз.
function pieces(text: string): Piece[] {
  return matchesIn(text, /\p{L}+|\p{N}+/gu).map((m) => ({
    norm: normalizeWord(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }))
}

function samePiece(a: string, b: string): boolean {
  if (a === b || latinize(a) === latinize(b)) return true
  if (/^\d+$/.test(a) || /^\d+$/.test(b)) return false
  const sa = stemWord(a)
  const sb = stemWord(b)
  return sa.length >= 3 && (sa === sb || latinize(sa) === latinize(sb))
}

export interface MatchEnumOptions {
  /** Other ways to say a value: `{ '223-FZ': ['223 закон'] }`. Keys are `String(value)`. */
  synonyms?: Record<string, string[]>
}

/**
 * Which enum values the text mentions: case-insensitive, tolerant of Russian endings and English
 * plurals ("устриц" ~ "устрицы", "boxes" ~ "box"), of separators and of Cyrillic/Latin spelling
 * ("223-ФЗ", "223 фз", "223-fz" → "223-FZ"), plus optional synonyms. Longer mentions win overlaps.
 *
 * @example
 * ```ts
 * matchEnum('закупки по 223-ФЗ', ['44-FZ', '223-FZ'])[0]?.value // '223-FZ'
 * ```
 */
export function matchEnum<V extends EnumValue>(
  text: string,
  values: readonly V[],
  options: MatchEnumOptions = {},
): TextMatch<V>[] {
  const textPieces = pieces(text)
  const found: TextMatch<V>[] = []
  for (const value of values) {
    if (value === null) continue
    const variants = [String(value), ...(options.synonyms?.[String(value)] ?? [])]
    for (const variant of variants) {
      const wanted = pieces(variant).map((p) => p.norm)
      if (wanted.length === 0) continue
      for (let i = 0; i + wanted.length <= textPieces.length; i++) {
        const run = textPieces.slice(i, i + wanted.length)
        const fits = run.every((p, k) => {
          const w = wanted[k]
          if (w === undefined || !samePiece(p.norm, w)) return false
          const previous = run[k - 1]
          // Pieces of one value sit next to each other: "223-ФЗ", "223 ФЗ", "223фз".
          return !previous || /^[\s\-_/.]{0,3}$/u.test(text.slice(previous.end, p.start))
        })
        const first = run[0]
        const last = run[run.length - 1]
        if (fits && first && last) found.push(matchAt(text, first.start, last.end, value))
      }
    }
  }
  return keepLongest(found)
}

const YES = 'yes|yeah|yep|sure|true|да|ага|конечно|верно|нужно|нужен|нужна'
const NO = 'no|nope|false|нет|не\\s+нужно|не\\s+надо|не\\s+нужен|не\\s+нужна'
const YES_NO_RE = new RegExp(`${WORD_START}(?:(${NO})|(${YES}))${WORD_END}`, 'giu')

/** Yes/no words, EN and RU: `yes`, `да`, `конечно` → true; `no`, `нет`, `не нужно` → false. */
export function findBooleans(text: string): TextMatch<boolean>[] {
  return matchesIn(text, YES_NO_RE).map((m) => matchAt(text, m.index, m.index + m[0].length, !m[1]))
}

/** Text in quotes: "…", «…», “…”, '…'. */
export function findQuoted(text: string): TextMatch<string>[] {
  return matchesIn(text, /"([^"]+)"|«([^»]+)»|“([^”]+)”|(?<![\p{L}])'([^']+)'(?![\p{L}])/gu).map(
    (m) =>
      matchAt(text, m.index, m.index + m[0].length, (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim()),
  )
}

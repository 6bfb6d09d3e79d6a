import { matchAt, spansOverlap, type TextMatch } from './match.js'
import { normalizeWord, tokenizeWords, WORD_END } from './words.js'
import { matchesIn } from './regex.js'

/** A number found in text. */
export interface NumberMatch extends TextMatch<number> {
  /** How the number was written: digits (`1 234,56`) or words (`двадцать пять`). */
  form: 'digits' | 'words'
  /** The multiplier word that followed (`1,5 млн` → 1_000_000), if any. */
  scale?: number
}

const GROUP = '[ \\u00A0\\u202F\\u2009]'
// Order matters: the first alternative that matches at a position wins.
const DIGITS = [
  `\\d{1,3}(?:${GROUP}\\d{3})+(?:[.,]\\d+)?`, // 12 500 000,00 · 1 234.56
  '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?', // 1,234.56
  '\\d{1,3}(?:\\.\\d{3}){2,}(?:,\\d+)?', // 1.234.567,89
  '\\d{1,3}\\.\\d{3},\\d+', // 1.234,56
  '\\d+(?:[.,]\\d+)?', // 250 · 1,5 · 2.5
].join('|')

const SCALES: [RegExp, number][] = [
  [/^(?:k|тыс\.?|тысяч\p{L}*|thousands?)$/u, 1e3],
  [/^(?:млн\.?|миллион\p{L}*|millions?|mln|mn)$/u, 1e6],
  [/^(?:млрд\.?|миллиард\p{L}*|billions?|bn)$/u, 1e9],
]
const SCALE_WORD =
  'k|тыс\\.?|тысяч\\p{L}*|thousands?|млн\\.?|миллион\\p{L}*|millions?|mln|mn|млрд\\.?|миллиард\\p{L}*|billions?|bn'

const NUMBER_RE = new RegExp(
  `(?<![\\p{L}\\d_])(?<!\\d[.,:/])(${DIGITS})(?!\\d)(?![.,:/]\\d)(?:\\s?(${SCALE_WORD})(?:(?<=\\.)|${WORD_END}))?`,
  'giu',
)

/** Parses one digit group as written in EN or RU text; `undefined` when it is not a number. */
export function parseDigits(raw: string): number | undefined {
  let s = raw.replace(/[ \u00A0\u202F\u2009]/g, '')
  const lastComma = s.lastIndexOf(',')
  const lastDot = s.lastIndexOf('.')
  if (lastComma >= 0 && lastDot >= 0) {
    // Both separators: the last one is the decimal point.
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '')
  } else if (lastComma >= 0) {
    const commas = s.split(',').length - 1
    const after = s.length - lastComma - 1
    // "1,234" and "1,234,567" group thousands; "1,5" and "12,50" are Russian decimals.
    s = commas > 1 || after === 3 ? s.replace(/,/g, '') : s.replace(',', '.')
  } else if (lastDot >= 0 && s.split('.').length - 1 > 1) {
    s = s.replace(/\./g, '')
  }
  const n = Number(s)
  return Number.isFinite(n) ? n : undefined
}

function scaleOf(word: string | undefined): number | undefined {
  if (!word) return undefined
  const w = normalizeWord(word)
  return SCALES.find(([re]) => re.test(w))?.[1]
}

type WordKind = 'unit' | 'teen' | 'ten' | 'hundred' | 'times100' | 'scale'
interface NumberWord {
  value: number
  kind: WordKind
}

const WORDS = new Map<string, NumberWord>()
function define(kind: WordKind, value: number, forms: string): void {
  for (const form of forms.split(' ')) WORDS.set(form, { value, kind })
}
;['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].forEach((w, i) =>
  define('unit', i, w),
)
;[
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
].forEach((w, i) => define('teen', 10 + i, w))
;['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'].forEach((w, i) =>
  define('ten', 20 + 10 * i, w),
)
define('times100', 100, 'hundred hundreds')
define('scale', 1e3, 'thousand thousands тысяча тысячи тысяч тысячу тысячей тысячам')
define('scale', 1e6, 'million millions миллион миллиона миллионов миллиону миллионом')
define('scale', 1e9, 'billion billions миллиард миллиарда миллиардов')
define('unit', 0, 'ноль нуля нулю нулем')
define('unit', 1, 'один одна одно одного одной одному одну одним одном')
define('unit', 1.5, 'полтора полторы полутора')
define('unit', 2, 'два две двух двум двумя')
define('unit', 3, 'три трех трем тремя')
define('unit', 4, 'четыре четырех четырем четырьмя')
// Collective numerals: "на двоих", "нас трое".
define('unit', 2, 'двое двоих двоим')
define('unit', 3, 'трое троих троим')
define('unit', 4, 'четверо четверых')
define('unit', 5, 'пятеро пятерых')
define('unit', 6, 'шестеро шестерых')
define('unit', 7, 'семеро семерых')
define('unit', 5, 'пять пяти пятью')
define('unit', 6, 'шесть шести шестью')
define('unit', 7, 'семь семи семью')
define('unit', 8, 'восемь восьми восемью восьмью')
define('unit', 9, 'девять девяти девятью')
;[
  'десят',
  'одиннадцат',
  'двенадцат',
  'тринадцат',
  'четырнадцат',
  'пятнадцат',
  'шестнадцат',
  'семнадцат',
  'восемнадцат',
  'девятнадцат',
].forEach((stem, i) => define('teen', 10 + i, `${stem}ь ${stem}и ${stem}ью`))
define('ten', 20, 'двадцать двадцати двадцатью')
define('ten', 30, 'тридцать тридцати тридцатью')
define('ten', 40, 'сорок сорока')
define('ten', 50, 'пятьдесят пятидесяти')
define('ten', 60, 'шестьдесят шестидесяти')
define('ten', 70, 'семьдесят семидесяти')
define('ten', 80, 'восемьдесят восьмидесяти')
define('ten', 90, 'девяносто девяноста')
define('hundred', 100, 'сто ста')
define('hundred', 200, 'двести двухсот')
define('hundred', 300, 'триста трехсот')
define('hundred', 400, 'четыреста четырехсот')
define('hundred', 500, 'пятьсот пятисот')
define('hundred', 600, 'шестьсот шестисот')
define('hundred', 700, 'семьсот семисот')
define('hundred', 800, 'восемьсот восьмисот')
define('hundred', 900, 'девятьсот девятисот')

/** The value of one number word (`five`, `пяти`, `двадцать`), or `undefined`. */
export function numberWordValue(word: string): number | undefined {
  const w = WORDS.get(normalizeWord(word))
  return w && w.kind !== 'times100' ? w.value : undefined
}

// Which word may follow which inside one number ("two hundred fifty", "двести пятьдесят три").
const NEXT: Record<WordKind | 'start', WordKind[]> = {
  start: ['unit', 'teen', 'ten', 'hundred', 'scale'],
  hundred: ['ten', 'teen', 'unit', 'scale'],
  times100: ['ten', 'teen', 'unit', 'scale'],
  ten: ['unit', 'scale'],
  teen: ['times100', 'scale'],
  unit: ['times100', 'scale'],
  scale: ['hundred', 'ten', 'teen', 'unit'],
}

function findWordNumbers(text: string): NumberMatch[] {
  const tokens: { norm: string; start: number; end: number }[] = []
  for (const token of tokenizeWords(text)) {
    // "twenty-five" is two number words.
    const parts = token.norm.includes('-') ? token.norm.split('-') : undefined
    if (!parts?.every((p) => WORDS.has(p))) {
      tokens.push(token)
      continue
    }
    let start = token.start
    for (const part of parts) {
      tokens.push({ norm: part, start, end: start + part.length })
      start += part.length + 1
    }
  }
  const found: NumberMatch[] = []
  let i = 0
  while (i < tokens.length) {
    const first = tokens[i]
    const firstWord = first ? WORDS.get(first.norm) : undefined
    if (!first || !firstWord || firstWord.kind === 'times100') {
      i++
      continue
    }
    let total = 0
    let group = 0
    let last: WordKind | 'start' = 'start'
    let lastScale = Infinity
    let end = first.end
    let j = i
    while (j < tokens.length) {
      let token = tokens[j]
      // "two hundred and fifty", "сто и один"
      if (j > i && (token?.norm === 'and' || token?.norm === 'и')) token = tokens[++j]
      const word = token ? WORDS.get(token.norm) : undefined
      if (!token || !word || !NEXT[last].includes(word.kind)) break
      if (j > i) {
        const gap = text.slice(end, token.start)
        if (!/^(?:[\s-]+|\s+and\s+|\s+и\s+)$/iu.test(gap)) break
      }
      if (word.kind === 'scale') {
        if (word.value >= lastScale) break
        total += (group || 1) * word.value
        group = 0
        lastScale = word.value
      } else if (word.kind === 'times100') {
        group *= 100
      } else {
        group += word.value
      }
      last = word.kind
      end = token.end
      j++
    }
    found.push({ ...matchAt(text, first.start, end, total + group), form: 'words' })
    i = j
  }
  return found
}

/**
 * Every number in the text, EN or RU: `250`, `1,234.56`, `1 234,56`, `12 500 000,00`, `2.5k`,
 * `1,5 млн`, `3 тыс.`, `two hundred fifty`, `двадцать пять`. In "от 1 до 5 млн" the scale of the
 * second number also applies to the first.
 *
 * @example
 * ```ts
 * findNumbers('НМЦК 1,5 млн руб').map((m) => m.value) // [1500000]
 * ```
 */
export function findNumbers(text: string): NumberMatch[] {
  const found: NumberMatch[] = []
  for (const m of matchesIn(text, NUMBER_RE)) {
    const raw = m[1] ?? ''
    const base = parseDigits(raw)
    if (base === undefined) continue
    const scale = scaleOf(m[2])
    const value = scale ? Math.round(base * scale * 1e6) / 1e6 : base
    found.push({
      ...matchAt(text, m.index, m.index + m[0].length, value),
      form: 'digits',
      ...(scale ? { scale } : {}),
    })
  }
  // "2 billion": the scale word belongs to the digits, not to a number of its own.
  const digits = [...found]
  found.push(
    ...findWordNumbers(text).filter((w) => !digits.some((d) => spansOverlap(d.span, w.span))),
  )
  found.sort((a, b) => a.span[0] - b.span[0])
  // "от 1 до 5 млн", "1-2 тыс.": the range shares the trailing scale.
  for (let k = 0; k + 1 < found.length; k++) {
    const a = found[k]
    const b = found[k + 1]
    if (!a || !b || a.scale || !b.scale || a.form !== 'digits') continue
    const between = text.slice(a.span[1], b.span[0])
    if (/^\s*(?:-|–|—|до|to|and|и)\s*$/iu.test(between) && a.value < b.value / b.scale) {
      found[k] = { ...a, value: Math.round(a.value * b.scale * 1e6) / 1e6, scale: b.scale }
    }
  }
  return found
}

import { matchAt, type TextMatch } from './match.js'
import { findNumbers, type NumberMatch } from './numbers.js'
import { normalizeWord, WORD_END, WORD_START } from './words.js'
import { matchesIn } from './regex.js'

/** Normalised unit names. */
export type QuantityUnit = 'pcs' | 'dozen' | 'kg' | 'g' | 't' | 'box' | 'l' | 'ml'

/** How each unit may be written, EN and RU, in any case form. */
export const UNIT_PATTERNS: Record<QuantityUnit, string> = {
  pcs: 'pcs|pc|pieces?|items?|шт\\.?|штук\\p{L}*|штуки',
  dozen: 'dozens?|doz\\.?|дюжин\\p{L}*',
  kg: 'kgs?|kilos?|kilogram(?:me)?s?|кг\\.?|килограмм\\p{L}*|кило',
  g: 'g|gr|grams?|grammes?|г|гр\\.?|грамм\\p{L}*',
  t: 't|tons?|tonnes?|т|тонн\\p{L}*',
  box: 'box(?:es)?|cases?|crates?|cartons?|коробк\\p{L}*|коробок|ящик\\p{L}*',
  l: 'l|liters?|litres?|л|литр\\p{L}*',
  ml: 'ml|milliliters?|millilitres?|мл|миллилитр\\p{L}*',
}
const UNITS = Object.keys(UNIT_PATTERNS) as QuantityUnit[]
const UNIT_AFTER = UNITS.map(
  (unit) =>
    [unit, new RegExp(`^\\s?(?:${UNIT_PATTERNS[unit]})(?:(?<=\\.)|${WORD_END})`, 'iu')] as const,
)
const UNIT_EXACT = UNITS.map(
  (unit) => [unit, new RegExp(`^(?:${UNIT_PATTERNS[unit]})$`, 'iu')] as const,
)

/** The normalised unit a word or enum value names (`штук` → pcs, `коробки` → box), if any. */
export function unitOf(word: string): QuantityUnit | undefined {
  const w = normalizeWord(word.trim())
  return UNIT_EXACT.find(([, re]) => re.test(w))?.[0]
}

/** An amount with its normalised unit. */
export interface QuantityValue {
  amount: number
  unit: QuantityUnit
}

export interface QuantityMatch extends TextMatch<QuantityValue> {
  /** Where the number was written; absent for "a dozen" / "дюжину". */
  numberSpan?: [number, number]
  unitSpan: [number, number]
}

/** "a dozen", "дюжину", "полдюжины": a quantity without a number. */
const LONE_DOZEN = new RegExp(
  `${WORD_START}(?:(a|an|one)\\s+dozen|(пол)дюжин[ыу]|дюжин[ау])${WORD_END}`,
  'giu',
)

/**
 * Every number with a unit: `100 шт`, `5 дюжин`, `two dozen`, `12 kg`, `3 коробки`, `1,5 т`,
 * `2 л`; "a dozen" / "дюжину" alone is one dozen, "полдюжины" half a dozen.
 *
 * @example
 * ```ts
 * findQuantities('5 дюжин устриц')[0]?.value // { amount: 5, unit: 'dozen' }
 * ```
 */
export function findQuantities(
  text: string,
  numbers: NumberMatch[] = findNumbers(text),
): QuantityMatch[] {
  const found: QuantityMatch[] = []
  for (const number of numbers) {
    const rest = text.slice(number.span[1])
    for (const [unit, re] of UNIT_AFTER) {
      const m = re.exec(rest)
      if (!m) continue
      const unitStart = number.span[1] + m[0].length - m[0].trimStart().length
      const end = number.span[1] + m[0].length
      found.push({
        ...matchAt(text, number.span[0], end, { amount: number.value, unit }),
        numberSpan: number.span,
        unitSpan: [unitStart, end],
      })
      break
    }
  }
  for (const m of matchesIn(text, LONE_DOZEN)) {
    const end = m.index + m[0].length
    if (found.some((q) => q.span[0] <= m.index && q.span[1] >= end)) continue
    // "дюжина" after a number word is already counted ("две дюжины" ends in ы, not а/у).
    const amount = m[2] ? 0.5 : 1
    const unitStart = m[1] ? end - 'dozen'.length : m.index
    found.push({
      ...matchAt(text, m.index, end, { amount, unit: 'dozen' }),
      unitSpan: [unitStart, end],
    })
  }
  return found.sort((a, b) => a.span[0] - b.span[0])
}

/** A percentage: `value` is the number written (15 for "15%"). */
export interface PercentMatch extends TextMatch<number> {
  numberSpan: [number, number]
}

const PERCENT_AFTER =
  /^\s?(?:%|percent|per\s+cent|pct|процент\p{L}*|проц\.?)(?:(?<=[.%])|(?![\p{L}\p{N}_]))/iu

/**
 * Every percentage: `15%`, `12,5 %`, `20 percent`, `десять процентов`.
 *
 * @example
 * ```ts
 * findPercentages('наценка 12,5%')[0]?.value // 12.5
 * ```
 */
export function findPercentages(
  text: string,
  numbers: NumberMatch[] = findNumbers(text),
): PercentMatch[] {
  const found: PercentMatch[] = []
  for (const number of numbers) {
    const m = PERCENT_AFTER.exec(text.slice(number.span[1]))
    if (!m) continue
    found.push({
      ...matchAt(text, number.span[0], number.span[1] + m[0].length, number.value),
      numberSpan: number.span,
    })
  }
  return found
}

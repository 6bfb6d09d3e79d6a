import { foldText } from './text-fold.js'

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

/** True for an ISO 4217 code Node knows (`EUR`, `RUB`); case-sensitive. */
export function isKnownCurrency(code: string): boolean {
  return ISO_CURRENCIES.has(code)
}

// Symbols and words after or before an amount; folded (lower case, no accents).
const CURRENCY_WORDS: [string, string][] = [
  ['€|eur|euros?|евро', 'EUR'],
  ['₽|rub|rur|руб\\p{L}*\\.?|р\\.|р(?![\\p{L}])', 'RUB'],
  ['\\$|usd|dollars?|доллар\\p{L}*', 'USD'],
  ['£|gbp', 'GBP'],
  ['a\\$|aud', 'AUD'],
  ['chf', 'CHF'],
  ['cny|юан\\p{L}*', 'CNY'],
]
const CURRENCY_ALTERNATION = CURRENCY_WORDS.map(([re]) => `(?:${re})`).join('|')
const CURRENCY_ONLY = new RegExp(`^(?:${CURRENCY_ALTERNATION})$`, 'u')

/** A number as written in a price list: `12,50`, `1 250,00`, `1.250,00`, `1,250.00`, `3.2`. */
export const NUMBER_PATTERN = '\\d{1,3}(?:[ \\u00a0\\u202f]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?'

/** The ISO code a currency symbol or word stands for (`€` → EUR, `руб.` → RUB, `rub` → RUB). */
export function currencyOf(word: string): string | undefined {
  const folded = foldText(word.trim())
  if (folded.length === 3 && isKnownCurrency(folded.toUpperCase())) return folded.toUpperCase()
  if (!CURRENCY_ONLY.test(folded)) return undefined
  return CURRENCY_WORDS.find(([re]) => new RegExp(`^(?:${re})$`, 'u').test(folded))?.[1]
}

/**
 * Reads a decimal written with a comma or a point and optional thousands separators. Returns
 * undefined for anything that is not one number.
 *
 * @example
 * ```ts
 * parseDecimal('1 250,50') // 1250.5
 * parseDecimal('1.250,00') // 1250
 * parseDecimal('3.20') // 3.2
 * ```
 */
export function parseDecimal(raw: string): number | undefined {
  let s = raw.trim().replace(/[\s\u00a0\u202f']/g, '')
  if (!/^\d[\d.,]*$/.test(s)) return undefined
  const lastComma = s.lastIndexOf(',')
  const lastPoint = s.lastIndexOf('.')
  if (lastComma >= 0 && lastPoint >= 0) {
    // The last mark is the decimal one; the other groups thousands.
    const decimal = lastComma > lastPoint ? ',' : '.'
    const group = decimal === ',' ? '.' : ','
    s = s.split(group).join('').replace(decimal, '.')
  } else if (lastComma >= 0 || lastPoint >= 0) {
    const mark = lastComma >= 0 ? ',' : '.'
    const parts = s.split(mark)
    // "1.250.000" groups thousands; a single mark is a decimal mark (European lists write 3,20).
    s = parts.length > 2 && parts.slice(1).every((p) => p.length === 3) ? parts.join('') : s
    if (parts.length === 2) s = parts.join('.')
  }
  if (!/^\d+(?:\.\d+)?$/.test(s)) return undefined
  return Number(s)
}

/** A price found in a line of text. */
export interface MoneyMention {
  amount: number
  currency: string
  /** Where the amount and its currency were written. */
  span: [number, number]
}

const MONEY_AFTER = new RegExp(
  `(?<![\\p{L}\\d.,])(${NUMBER_PATTERN})\\s?(${CURRENCY_ALTERNATION})(?![\\p{L}])`,
  'gu',
)
const MONEY_BEFORE = new RegExp(
  `(?<![\\p{L}])(${CURRENCY_ALTERNATION})\\s?(${NUMBER_PATTERN})(?![\\d])`,
  'gu',
)

/**
 * Every amount written with its currency in `text`: `520 ₽`, `3,20 €`, `€3.20`, `1 250 руб.`,
 * `4.5 EUR`. In order of position.
 *
 * @example
 * ```ts
 * findMoney('Гиллардо №2 — 520 ₽/шт')[0] // { amount: 520, currency: 'RUB', span: [14, 19] }
 * ```
 */
export function findMoney(text: string): MoneyMention[] {
  const folded = foldText(text)
  const candidates: (MoneyMention & { tight: boolean })[] = []
  for (const m of folded.matchAll(MONEY_AFTER)) {
    const amount = parseDecimal(m[1] ?? '')
    const currency = currencyOf(m[2] ?? '')
    if (amount === undefined || !currency) continue
    const tight = !/\s$/u.test(m[0].slice(0, m[0].length - (m[2] ?? '').length))
    candidates.push({ amount, currency, span: [m.index, m.index + m[0].length], tight })
  }
  for (const m of folded.matchAll(MONEY_BEFORE)) {
    const amount = parseDecimal(m[2] ?? '')
    const currency = currencyOf(m[1] ?? '')
    if (amount === undefined || !currency) continue
    const tight = !/^\s/u.test(m[0].slice((m[1] ?? '').length))
    candidates.push({ amount, currency, span: [m.index, m.index + m[0].length], tight })
  }
  // "N°3 €3,20": the number written against its currency sign wins over one a space away.
  candidates.sort((a, b) => Number(b.tight) - Number(a.tight))
  const found: MoneyMention[] = []
  for (const { tight: _tight, ...c } of candidates) {
    if (found.some((f) => f.span[0] < c.span[1] && c.span[0] < f.span[1])) continue
    found.push(c)
  }
  return found.sort((a, b) => a.span[0] - b.span[0])
}

/** The first currency named anywhere in `text` (a header such as `Prix HT (€)` or `Цена, руб.`). */
export function findCurrency(text: string): string | undefined {
  const folded = foldText(text)
  const re = new RegExp(`(?<![\\p{L}])(${CURRENCY_ALTERNATION})(?![\\p{L}])`, 'u')
  const m = re.exec(folded)
  if (m?.[1]) return currencyOf(m[1])
  const code = /(?<![\p{L}])([a-z]{3})(?![\p{L}])/u.exec(folded)?.[1]?.toUpperCase()
  return code && ['EUR', 'RUB', 'USD', 'GBP', 'AUD', 'CHF', 'CNY', 'JPY'].includes(code)
    ? code
    : undefined
}

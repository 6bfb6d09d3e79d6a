import { keepLongest, matchAt, spansOverlap, type TextMatch } from './match.js'
import { findNumbers, type NumberMatch } from './numbers.js'
import { WORD_END, WORD_START } from './words.js'
import { matchesIn } from './regex.js'

/** ISO 4217 codes recognised when written as codes (`usd`, `EUR`). */
export const CURRENCY_CODES = [
  'USD',
  'EUR',
  'RUB',
  'CNY',
  'GBP',
  'JPY',
  'CHF',
  'KZT',
  'TRY',
  'AED',
  'INR',
  'BYN',
  'UAH',
  'AMD',
  'GEL',
  'UZS',
  'KGS',
  'AZN',
  'KRW',
  'HKD',
  'SGD',
  'CAD',
  'AUD',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'THB',
  'VND',
  'IDR',
  'MYR',
  'BRL',
  'MXN',
  'ZAR',
  'EGP',
  'SAR',
  'QAR',
  'ILS',
] as const

// Codes that are also ordinary words: recognised only in upper case.
const UPPER_ONLY = new Set(['TRY', 'ALL'])

const S = '\\s+'
const L = '\\p{L}*'
// Longer, more specific names come first; overlaps are resolved by keeping the longest match.
const CURRENCY_NAMES: [string, string][] = [
  [`(?:us|u\\.s\\.|american)${S}dollars?|американск${L}${S}доллар${L}`, 'USD'],
  [`canadian${S}dollars?|канадск${L}${S}доллар${L}`, 'CAD'],
  [`australian${S}dollars?|австралийск${L}${S}доллар${L}`, 'AUD'],
  [`hong${S}kong${S}dollars?|гонконгск${L}${S}доллар${L}`, 'HKD'],
  [`singapore${S}dollars?|сингапурск${L}${S}доллар${L}`, 'SGD'],
  [`new${S}zealand${S}dollars?|новозеландск${L}${S}доллар${L}`, 'NZD'],
  [`belarusian${S}rub(?:le|el)s?|белорусск${L}${S}рубл${L}`, 'BYN'],
  [`swiss${S}francs?|швейцарск${L}${S}франк${L}`, 'CHF'],
  [
    `(?:pounds?${S})?sterling|british${S}pounds?|фунт${L}${S}стерлинг${L}|британск${L}${S}фунт${L}`,
    'GBP',
  ],
  [`dollars?|bucks|доллар${L}|бакс${L}`, 'USD'],
  [`euros?|евро`, 'EUR'],
  [`roubles?|rubles?|rub\\.|рубл${L}|руб\\.?|р\\.`, 'RUB'],
  [`yuan|renminbi|rmb|юан${L}|жэньминьби`, 'CNY'],
  [`pounds?|фунт${L}`, 'GBP'],
  [`francs?|франк(?:а|ов|и|ах|ам|ами)?`, 'CHF'],
  [`yen|иен${L}|йен${L}`, 'JPY'],
  [`tenge|тенге`, 'KZT'],
  [`(?:turkish${S})?liras?|лир[аыуе]?`, 'TRY'],
  [`rupees?|рупи${L}`, 'INR'],
  [`dirhams?|дирхам${L}`, 'AED'],
  [`hryvnias?|hryvnas?|гривн${L}`, 'UAH'],
  [`drams?`, 'AMD'],
  [`laris?|лари`, 'GEL'],
  [`korean${S}won|корейск${L}${S}вон${L}`, 'KRW'],
  [`baht|бат(?:ов|а|ы)?`, 'THB'],
  [`zloty|zlotys|злот${L}`, 'PLN'],
]
const SYMBOLS: [string, string][] = [
  ['US\\$', 'USD'],
  ['C\\$|CA\\$', 'CAD'],
  ['A\\$|AU\\$', 'AUD'],
  ['HK\\$', 'HKD'],
  ['S\\$', 'SGD'],
  ['CN¥|元', 'CNY'],
  ['\\$', 'USD'],
  ['€', 'EUR'],
  ['₽', 'RUB'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₸', 'KZT'],
  ['₺', 'TRY'],
  ['₹', 'INR'],
  ['₴', 'UAH'],
  ['₩', 'KRW'],
  ['₾', 'GEL'],
  ['฿', 'THB'],
]

const NAME_RES = CURRENCY_NAMES.map(
  ([source, code]) =>
    [new RegExp(`${WORD_START}(?:${source})(?:(?<=\\.)|${WORD_END})`, 'giu'), code] as const,
)
const SYMBOL_RES = SYMBOLS.map(([source, code]) => [new RegExp(source, 'gu'), code] as const)
/**
 * Found by a text that holds any currency name or symbol; one scan instead of forty-six when it
 * holds none, as most requests do. A name's regular expression matching at some place means this
 * one matches there too (the same alternatives, without what must follow), so skipping them all
 * when this one finds nothing loses nothing.
 */
const ANY_NAME_RE = new RegExp(
  `${WORD_START}(?:${CURRENCY_NAMES.map(([source]) => source).join('|')})`,
  'iu',
)
/** Every symbol's expression holds one of these characters. */
const ANY_SYMBOL_RE = /[$€₽£¥₸₺₹₴₩₾฿元]/u
const CODE_RE = new RegExp(`${WORD_START}(?:${CURRENCY_CODES.join('|')}|RUR)${WORD_END}`, 'giu')

/**
 * Every currency mentioned: ISO codes, symbols (`$`, `€`, `₽`, `US$`), EN/RU names in any case form
 * (`евро`, `долларов`, `рублей`, `руб.`, `юаней`, `francs`), mapped to ISO 4217.
 *
 * @example
 * ```ts
 * findCurrencies('переведи 250 евро в рубли').map((m) => m.value) // ['EUR', 'RUB']
 * ```
 */
export function findCurrencies(text: string): TextMatch<string>[] {
  const found: TextMatch<string>[] = []
  for (const m of matchesIn(text, CODE_RE)) {
    const code = m[0].toUpperCase()
    if (UPPER_ONLY.has(code) && m[0] !== code) continue
    found.push(matchAt(text, m.index, m.index + m[0].length, code === 'RUR' ? 'RUB' : code))
  }
  const scan = (expressions: readonly (readonly [RegExp, string])[]) => {
    for (const [re, code] of expressions) {
      for (const m of matchesIn(text, re))
        found.push(matchAt(text, m.index, m.index + m[0].length, code))
    }
  }
  if (ANY_NAME_RE.test(text)) scan(NAME_RES)
  if (ANY_SYMBOL_RE.test(text)) scan(SYMBOL_RES)
  return keepLongest(found)
}

/** An amount with its currency. */
export interface MoneyValue {
  amount: number
  currency: string
}

/** A money amount: the whole span, plus the parts so each can be claimed separately. */
export interface MoneyMatch extends TextMatch<MoneyValue> {
  number: NumberMatch
  currencyMatch: TextMatch<string>
}

/**
 * Amounts written with a currency before or after them: `250 EUR`, `$100`, `€ 1,5 млн`,
 * `12 500 000,00 ₽`, `1,5 млн руб.`, `250 долларов`. In "от 1 до 5 млн руб" both ends are RUB.
 *
 * @example
 * ```ts
 * findMoney('НМЦК 12 500 000,00 ₽')[0]?.value // { amount: 12500000, currency: 'RUB' }
 * ```
 */
export function findMoney(
  text: string,
  numbers: NumberMatch[] = findNumbers(text),
  currencies: TextMatch<string>[] = findCurrencies(text),
): MoneyMatch[] {
  const found: MoneyMatch[] = []
  const used = new Set<TextMatch<string>>()
  for (const number of numbers) {
    const after = currencies.find(
      (c) =>
        !used.has(c) &&
        c.span[0] >= number.span[1] &&
        /^\s?$/.test(text.slice(number.span[1], c.span[0])),
    )
    const before = currencies.find(
      (c) =>
        !used.has(c) &&
        c.span[1] <= number.span[0] &&
        /^\s?$/.test(text.slice(c.span[1], number.span[0])),
    )
    // "250 EUR" reads the code after the number; "$100" the symbol before it.
    const currency = after ?? before
    if (!currency) continue
    used.add(currency)
    const start = Math.min(number.span[0], currency.span[0])
    const end = Math.max(number.span[1], currency.span[1])
    found.push({
      ...matchAt(text, start, end, { amount: number.value, currency: currency.value }),
      number,
      currencyMatch: currency,
    })
  }
  // A bare number opening a range takes the currency that closes it: "от 1 до 5 млн руб", "$100-200".
  const ranged: MoneyMatch[] = []
  for (const number of numbers) {
    if (found.some((m) => spansOverlap(m.number.span, number.span))) continue
    const next = found.find(
      (m) =>
        m.span[0] >= number.span[1] &&
        /^\s*(?:-|–|—|до|to|and|и)\s*$/iu.test(text.slice(number.span[1], m.number.span[0])),
    )
    const previous = found.find(
      (m) =>
        m.span[1] <= number.span[0] &&
        /^\s*(?:-|–|—)\s*$/u.test(text.slice(m.span[1], number.span[0])) &&
        m.currencyMatch.span[0] < m.number.span[0],
    )
    const partner = next ?? previous
    if (!partner) continue
    ranged.push({
      ...matchAt(text, number.span[0], number.span[1], {
        amount: number.value,
        currency: partner.value.currency,
      }),
      number,
      currencyMatch: partner.currencyMatch,
    })
  }
  return [...found, ...ranged].sort((a, b) => a.span[0] - b.span[0])
}

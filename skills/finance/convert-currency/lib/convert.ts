import { SkillOSError } from '@skillos/contracts'
import {
  crossRate,
  fromNumber,
  multiply,
  normalizeCode,
  rateDecimals,
  requireCurrencies,
  roundRate,
  roundToString,
  SOURCE_INFO,
  type RateTable,
} from '@skillos-skills/finance-exchange-rates/rates'
import { minorUnitsOf } from './minor-units.js'

/** An amount converted at one day's official rate. */
export interface Conversion {
  amount: number
  from: string
  to: string
  /** `amount × rate`, rounded once, half away from zero, to the minor units of `to`. */
  result: number
  /** Units of `to` for one unit of `from` (six significant digits). */
  rate: number
  inverseRate: number
  /** The currency the cross rate went through (RUB for the Bank of Russia, EUR for the ECB), if any. */
  via?: string
  date: string
  source: RateTable['source']
  sourceName: string
  text: string
}

/**
 * Checks an amount of money: a finite number, not negative. Throws `VALIDATION_FAILED` naming
 * `amount` otherwise.
 */
export function checkAmount(amount: number): void {
  if (!Number.isFinite(amount) || amount < 0) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `amount: must be a number of 0 or more, got ${amount}`,
      details: { field: 'amount', value: amount },
    })
  }
}

/**
 * `1234567.5` → `1 234 567.50`: the digits of a rounded decimal string grouped by thin spaces,
 * readable in both English and Russian.
 */
export function groupDigits(decimal: string): string {
  const [whole = '', fraction] = decimal.split('.')
  const sign = whole.startsWith('-') ? '-' : ''
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')
  return `${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}`
}

function plainNumber(value: number): string {
  const ratio = fromNumber(value)
  // Exact digits of the input, without exponent notation.
  let decimals = 0
  while (10n ** BigInt(decimals) % ratio.den !== 0n && decimals < 20) decimals++
  return roundToString(ratio, decimals)
}

/**
 * Converts `amount` of `from` into `to` at the table's rates, exactly (BigInt fractions) and rounded
 * once to the minor units of `to`; a cross rate goes through the table's base. Currency codes are
 * upper-cased; one the table does not quote is a `VALIDATION_FAILED` naming `from` or `to`.
 *
 * @example
 * ```ts
 * convertAmount(cbrTable, 250, 'EUR', 'RUB').result // 21394.48 (250 × 85.5779 = 21394.475)
 * convertAmount(cbrTable, 100, 'USD', 'CNY').via // 'RUB'
 * ```
 */
export function convertAmount(
  table: RateTable,
  amount: number,
  from: string,
  to: string,
): Conversion {
  checkAmount(amount)
  const source = normalizeCode(from)
  const target = normalizeCode(to)
  requireCurrencies(table, [source], 'from')
  requireCurrencies(table, [target], 'to')
  const rate = crossRate(table, source, target)
  const inverse = crossRate(table, target, source)
  if (!rate || !inverse) throw new Error(`unreachable: ${source}/${target}`)
  const resultText = roundToString(multiply(fromNumber(amount), rate), minorUnitsOf(target))
  const via =
    source !== table.base && target !== table.base && source !== target ? table.base : undefined
  const sourceName = SOURCE_INFO[table.source].name
  const rateText = roundToString(rate, rateDecimals(rate)).replace(/(\.\d{4}\d*?)0+$/, '$1')
  const text =
    `${groupDigits(plainNumber(amount))} ${source} = ${groupDigits(resultText)} ${target} ` +
    `at 1 ${source} = ${rateText} ${target}` +
    `${via ? ` (cross rate via ${via})` : ''}, ${sourceName} rates for ${table.date}`
  return {
    amount,
    from: source,
    to: target,
    result: Number(resultText),
    rate: roundRate(rate),
    inverseRate: roundRate(inverse),
    ...(via ? { via } : {}),
    date: table.date,
    source: table.source,
    sourceName,
    text,
  }
}

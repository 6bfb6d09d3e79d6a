import { divide, parseDecimal, ratio, type Ratio } from './decimal.js'

/** Who publishes the rates: the Bank of Russia (`cbr`) or the European Central Bank (`ecb`). */
export type RatesSource = 'cbr' | 'ecb'

/** Every rates source, in the order they are tried for documentation and enums. */
export const RATES_SOURCES: readonly RatesSource[] = ['cbr', 'ecb']

/** The currency each source quotes everything against, its full name, and its short name in RU. */
export const SOURCE_INFO: Record<RatesSource, { base: string; name: string; nameRu: string }> = {
  cbr: { base: 'RUB', name: 'Bank of Russia', nameRu: 'ЦБ РФ' },
  ecb: { base: 'EUR', name: 'European Central Bank', nameRu: 'ЕЦБ' },
}

/**
 * One published rate: `units` of `code` are worth `baseUnits` of the table's base, both exact
 * decimal strings as published. Bank of Russia: `Nominal` USD = `Value` RUB (`1` = `81.2345`);
 * ECB: `1` EUR buys `rate` USD, so `units` = `1.0521`, `baseUnits` = `1`.
 */
export interface Quote {
  code: string
  /** The publisher's name of the currency (Russian for the Bank of Russia), when it gives one. */
  name?: string
  units: string
  baseUnits: string
}

/** One day of official rates: JSON, so it can be cached in `ctx.storage` as it is. */
export interface RateTable {
  source: RatesSource
  base: string
  /** The date the rates are set for, `YYYY-MM-DD`. */
  date: string
  quotes: Quote[]
}

/**
 * The value of one unit of `code` in the table's base (`1` for the base itself), exact; `undefined`
 * when the table does not quote `code`.
 *
 * @example
 * ```ts
 * unitValue(cbrTable, 'AMD') // 20.9189 / 100 RUB, as a Ratio
 * ```
 */
export function unitValue(table: RateTable, code: string): Ratio | undefined {
  if (code === table.base) return ratio(1n)
  const quote = table.quotes.find((q) => q.code === code)
  if (!quote) return undefined
  const units = parseDecimal(quote.units)
  const baseUnits = parseDecimal(quote.baseUnits)
  if (!units || !baseUnits || units.num <= 0n || baseUnits.num <= 0n) return undefined
  return divide(baseUnits, units)
}

/** Whether the table can price `code` (its base counts). */
export function hasCurrency(table: RateTable, code: string): boolean {
  return unitValue(table, code) !== undefined
}

/** Every currency the table can price, its base first, then in the publisher's order. */
export function currenciesOf(table: RateTable): string[] {
  return [table.base, ...table.quotes.map((q) => q.code).filter((c) => c !== table.base)]
}

/**
 * How many units of `to` one unit of `from` buys, exact, crossed through the table's base (RUB for
 * the Bank of Russia, EUR for the ECB); `undefined` when either is not quoted.
 *
 * @example
 * ```ts
 * crossRate(cbrTable, 'EUR', 'USD') // (85.5779 RUB) / (81.2345 RUB) ≈ 1.053467
 * ```
 */
export function crossRate(table: RateTable, from: string, to: string): Ratio | undefined {
  const fromValue = unitValue(table, from)
  const toValue = unitValue(table, to)
  if (!fromValue || !toValue) return undefined
  return divide(fromValue, toValue)
}

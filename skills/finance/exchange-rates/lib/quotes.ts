import { SkillOSError } from '@skillos/contracts'
import { rateDecimals, roundRate, roundToString } from './decimal.js'
import { crossRate, currenciesOf, hasCurrency, SOURCE_INFO, type RateTable } from './rate-table.js'

/** `' usd '` → `'USD'`. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase()
}

/**
 * Checks that `table` prices every code, else throws `VALIDATION_FAILED` naming the field and the
 * first code it lacks (`from: ISK is not quoted by the Bank of Russia on 2026-11-21`).
 *
 * @example
 * ```ts
 * requireCurrencies(cbrTable, ['USD', 'XYZ'], 'currencies') // throws "currencies: XYZ is not quoted…"
 * ```
 */
export function requireCurrencies(table: RateTable, codes: readonly string[], field: string): void {
  for (const code of codes) {
    if (!/^[A-Z]{3}$/.test(code)) {
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `${field}: "${code}" is not an ISO 4217 currency code`,
        details: { field, currency: code },
      })
    }
    if (!hasCurrency(table, code)) {
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `${field}: ${code} is not quoted by the ${SOURCE_INFO[table.source].name} (${table.source}) on ${table.date}; it quotes ${currenciesOf(table).join(', ')}`,
        details: { field, currency: code, source: table.source },
      })
    }
  }
}

/** One line of a rates answer: `1 code = rate base`, `1 base = inverse code`. */
export interface RateLine {
  code: string
  name?: string
  rate: number
  inverse: number
}

/**
 * Rates of `codes` (every quoted currency but the base when empty) expressed in `base`, the
 * table's own base or a cross rate through it, rounded to six significant digits.
 *
 * @example
 * ```ts
 * listRates(cbrTable, ['USD'], 'RUB') // [{ code: 'USD', name: 'Доллар США', rate: 81.2345, inverse: 0.0123100 }]
 * listRates(cbrTable, ['USD'], 'EUR') // [{ code: 'USD', name: 'Доллар США', rate: 0.949245, inverse: 1.05347 }]
 * ```
 */
export function listRates(table: RateTable, codes: readonly string[], base: string): RateLine[] {
  requireCurrencies(table, [base], 'base')
  requireCurrencies(table, codes, 'currencies')
  const wanted =
    codes.length > 0 ? [...new Set(codes)] : currenciesOf(table).filter((c) => c !== base)
  return wanted.map((code) => {
    const rate = crossRate(table, code, base)
    const inverse = crossRate(table, base, code)
    // requireCurrencies guarantees both.
    if (!rate || !inverse) throw new Error(`unreachable: ${code}/${base}`)
    const name = table.quotes.find((q) => q.code === code)?.name
    return { code, ...(name ? { name } : {}), rate: roundRate(rate), inverse: roundRate(inverse) }
  })
}

/**
 * `1 USD = 81.2345 RUB`: six significant digits, at least four decimals, no trailing zeros beyond.
 *
 * @example
 * ```ts
 * describeRate(ecbTable, 'USD', 'EUR') // '1 USD = 0.95048 EUR'
 * ```
 */
export function describeRate(table: RateTable, code: string, base: string): string {
  const rate = crossRate(table, code, base)
  if (!rate) return `1 ${code} = ? ${base}`
  const text = roundToString(rate, rateDecimals(rate)).replace(/(\.\d{4}\d*?)0+$/, '$1')
  return `1 ${code} = ${text} ${base}`
}

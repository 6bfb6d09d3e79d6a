import { readFileSync } from 'node:fs'
import { SkillOSError } from '@skillos/contracts'

/** Exchange rates: units of `base` per one unit of each currency, as of a date. */
export interface RateTable {
  asOf: string
  base: string
  source: string
  rates: Record<string, number>
}

/**
 * An amount in integer minor units (cents, kopecks): `89.99` → `8999`. Rounds half away from zero
 * after removing binary noise, so `0.1 + 0.2` becomes 30, not 30.000000000000004.
 *
 * @example
 * ```ts
 * toMinor(89.99) // 8999
 * ```
 */
export function toMinor(amount: number): number {
  return Math.round(Number((amount * 100).toFixed(6)))
}

/** Minor units back to a 2-decimal amount: `8999` → `89.99`. */
export function fromMinor(minor: number): number {
  return minor / 100
}

/**
 * Converts minor units between currencies through the table's base, rounding once at the end.
 * Throws `VALIDATION_FAILED` naming `field` when a currency has no rate.
 *
 * @example
 * ```ts
 * convertMinor(10000, 'EUR', 'RUB', { asOf: '2025-10-01', base: 'RUB', source: '', rates: { RUB: 1, EUR: 94 } }) // 940000
 * ```
 */
export function convertMinor(
  minor: number,
  from: string,
  to: string,
  table: RateTable,
  field = 'currency',
): number {
  if (from === to) return minor
  const rateFrom = table.rates[from]
  const rateTo = table.rates[to]
  for (const [code, rate] of [
    [from, rateFrom],
    [to, rateTo],
  ] as const) {
    if (rate === undefined)
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `${field}: no exchange rate for ${code}; known: ${Object.keys(table.rates).join(', ')}`,
      })
  }
  return Math.round((minor * (rateFrom as number)) / (rateTo as number))
}

/** Loads `fixtures/rates.json`: the rates totals are converted with. */
export function loadRates(): RateTable {
  return JSON.parse(
    readFileSync(new URL('../fixtures/rates.json', import.meta.url), 'utf8'),
  ) as RateTable
}

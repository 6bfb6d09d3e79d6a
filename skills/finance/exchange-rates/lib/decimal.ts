/**
 * Exact decimal arithmetic for rates and money: every value is a fraction of two BigInts, so cross
 * rates and conversions carry no binary floating-point error; rounding happens once, at the end.
 */

/** An exact rational number `num / den`, `den` > 0, in lowest terms. */
export interface Ratio {
  readonly num: bigint
  readonly den: bigint
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/**
 * A fraction in lowest terms with a positive denominator.
 *
 * @example
 * ```ts
 * ratio(10n, -4n) // { num: -5n, den: 2n }
 * ```
 */
export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new RangeError('division by zero')
  const sign = den < 0n ? -1n : 1n
  const divisor = gcd(num, den) || 1n
  return { num: (sign * num) / divisor, den: (sign * den) / divisor }
}

const DECIMAL_RE = /^([+-]?)(\d+)(?:[.,](\d+))?(?:e([+-]?\d+))?$/i

/**
 * Reads a decimal as written by a bank or a person: `81,2345` (Bank of Russia), `1.0521` (ECB),
 * `1e-7` (how JavaScript prints small numbers). Spaces used as thousands separators are ignored.
 * Returns `undefined` for anything else.
 *
 * @example
 * ```ts
 * parseDecimal('81,2345') // { num: 162469n, den: 2000n }
 * parseDecimal('abc') // undefined
 * ```
 */
export function parseDecimal(text: string): Ratio | undefined {
  const match = DECIMAL_RE.exec(text.trim().replace(/[\s\u00a0\u202f]/g, ''))
  if (!match) return undefined
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match
  let num = BigInt(whole + fraction)
  let den = 10n ** BigInt(fraction.length)
  const exp = Number(exponent)
  if (Math.abs(exp) > 400) return undefined
  if (exp > 0) num *= 10n ** BigInt(exp)
  else if (exp < 0) den *= 10n ** BigInt(-exp)
  return ratio(sign === '-' ? -num : num, den)
}

/**
 * The exact value of a finite JavaScript number as it prints (`0.1` is 1/10, not the binary double).
 *
 * @example
 * ```ts
 * fromNumber(0.1) // { num: 1n, den: 10n }
 * ```
 */
export function fromNumber(value: number): Ratio {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`)
  const parsed = parseDecimal(String(value))
  if (!parsed) throw new RangeError(`not a decimal number: ${value}`)
  return parsed
}

/** `a × b`. */
export function multiply(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den)
}

/** `a ÷ b`; throws a `RangeError` when `b` is zero. */
export function divide(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den, a.den * b.num)
}

/** `a + b`. */
export function add(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den)
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compare(a: Ratio, b: Ratio): number {
  const left = a.num * b.den
  const right = b.num * a.den
  return left === right ? 0 : left < right ? -1 : 1
}

/**
 * `value` rounded half away from zero to `decimals` places, as a plain decimal string (no exponent,
 * trailing zeros kept): the one place where precision is given up.
 *
 * @example
 * ```ts
 * roundToString(ratio(2n, 3n), 4) // '0.6667'
 * roundToString(ratio(-5n, 2n), 0) // '-3'
 * ```
 */
export function roundToString(value: Ratio, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError(`bad decimals: ${decimals}`)
  const negative = value.num < 0n
  const scaled = (negative ? -value.num : value.num) * 10n ** BigInt(decimals)
  let units = scaled / value.den
  if (2n * (scaled % value.den) >= value.den) units += 1n
  const digits = units.toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const text = decimals > 0 ? `${whole}.${digits.slice(-decimals)}` : whole
  return negative && units !== 0n ? `-${text}` : text
}

/** `value` rounded half away from zero to `decimals` places, as a number. */
export function roundToNumber(value: Ratio, decimals: number): number {
  return Number(roundToString(value, decimals))
}

/**
 * How many decimals show a rate to six significant digits, never fewer than four: `81.2345`,
 * `1.05210`, `0.00308120`, `15890.0000`.
 *
 * @example
 * ```ts
 * rateDecimals(ratio(3n, 1000n)) // 8
 * ```
 */
export function rateDecimals(value: Ratio): number {
  const abs = value.num < 0n ? -value.num : value.num
  if (abs === 0n) return 4
  if (abs >= value.den) {
    const intDigits = (abs / value.den).toString().length
    return Math.max(4, 6 - intDigits)
  }
  // Leading zeros after the point: 0.00308 has two.
  let zeros = 0
  let scaled = abs * 10n
  while (scaled < value.den) {
    zeros++
    scaled *= 10n
  }
  return zeros + 6
}

/** A rate rounded for display (see `rateDecimals`), as a number. */
export function roundRate(value: Ratio): number {
  return roundToNumber(value, rateDecimals(value))
}

/** Fixed-point money arithmetic in millionths, as bigint, so totals carry no float error. */

/**
 * A number as millionths (exact for values written with up to six decimals).
 *
 * @example
 * ```ts
 * toMicros(1.005) // 1005000n
 * ```
 */
export function toMicros(value: number): bigint {
  return BigInt(Math.round(value * 1e6))
}

/** `a / b` rounded half away from zero. */
export function divideRounded(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero')
  const negative = a < 0n !== b < 0n
  const absA = a < 0n ? -a : a
  const absB = b < 0n ? -b : b
  const q = (absA * 2n + absB) / (absB * 2n)
  return negative ? -q : q
}

/**
 * Millionths back to a number rounded to `decimals` places (half away from zero).
 *
 * @example
 * ```ts
 * fromMicros(2083333n, 4) // 2.0833
 * ```
 */
export function fromMicros(micros: bigint, decimals: number): number {
  const step = 10n ** BigInt(6 - decimals)
  const rounded = divideRounded(micros, step)
  return Number(rounded) / 10 ** decimals
}

/** `value / divisor` rounded to `decimals` places, computed in millionths. */
export function divideMoney(value: number, divisor: number, decimals: number): number {
  return fromMicros(divideRounded(toMicros(value), BigInt(divisor)), decimals)
}

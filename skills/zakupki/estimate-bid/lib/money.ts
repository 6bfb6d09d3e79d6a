/**
 * Money in integer kopecks. Percentages are scaled to millionths of a percent and multiplied as
 * BigInt, so no float error accumulates however many steps are priced.
 */

const PERCENT_SCALE = 1_000_000n
const HUNDRED_PERCENT = 100n * PERCENT_SCALE

/** Roubles (up to two decimals meaningful) → kopecks, rounded half away from zero. */
export function toMinor(roubles: number): number {
  return Math.round(Number((roubles * 100).toFixed(4)))
}

/** Kopecks → roubles as a number with at most two decimals. */
export function toRoubles(minor: number): number {
  return minor / 100
}

function scaledPercent(percent: number): bigint {
  return BigInt(Math.round(percent * Number(PERCENT_SCALE)))
}

function divideRounded(numerator: bigint, denominator: bigint, mode: 'half-up' | 'up'): bigint {
  const q = numerator / denominator
  const r = numerator % denominator
  if (r === 0n) return q
  if (mode === 'up') return q + 1n
  return 2n * r >= denominator ? q + 1n : q
}

/**
 * `percent` % of an amount in kopecks, rounded half up to the kopeck.
 *
 * @example
 * percentOf(450_000_000, 0.5) // 2_250_000 (0,5 % of 4 500 000,00 ₽ = 22 500,00 ₽)
 */
export function percentOf(minor: number, percent: number): number {
  return Number(divideRounded(BigInt(minor) * scaledPercent(percent), HUNDRED_PERCENT, 'half-up'))
}

/**
 * The price whose margin on price is `marginPercent`: costs ÷ (1 − margin), rounded up to the kopeck
 * so the margin is never below the target.
 *
 * @example
 * priceForMargin(360_000_000, 12) // 409_090_910 (4 090 909,10 ₽)
 */
export function priceForMargin(costsMinor: number, marginPercent: number): number {
  const denominator = HUNDRED_PERCENT - scaledPercent(marginPercent)
  return Number(divideRounded(BigInt(costsMinor) * HUNDRED_PERCENT, denominator, 'up'))
}

/**
 * Yearly-rate cost for `days`: amount × rate % × days ÷ 365, rounded half up to the kopeck.
 *
 * @example
 * annualCost(45_000_000, 3, 365) // 1_350_000
 */
export function annualCost(minor: number, ratePercent: number, days: number): number {
  return Number(
    divideRounded(
      BigInt(minor) * scaledPercent(ratePercent) * BigInt(days),
      HUNDRED_PERCENT * 365n,
      'half-up',
    ),
  )
}

/**
 * `part` as a percentage of `whole`, rounded to two decimals (0 when `whole` is 0).
 *
 * @example
 * ratioPercent(49_090_910, 409_090_910) // 12
 */
export function ratioPercent(part: number, whole: number): number {
  if (whole === 0) return 0
  return Number(divideRounded(BigInt(part) * 10_000n, BigInt(whole), 'half-up')) / 100
}

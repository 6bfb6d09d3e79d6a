/** Share of the sentences kept when neither `sentences` nor `ratio` is given… */
export const DEFAULT_RATIO = 0.2
/** …but at least this many… */
export const DEFAULT_MIN_SENTENCES = 3
/** …and at most this many. */
export const DEFAULT_MAX_SENTENCES = 7

/**
 * How many sentences the summary keeps out of `total`: `sentences` when given (capped at
 * `total`), else `round(total × ratio)` (at least 1), else 20% of the sentences, between 3 and 7.
 *
 * @example
 * ```ts
 * summaryLength(40, {}) // 7
 * summaryLength(40, { ratio: 0.1 }) // 4
 * summaryLength(4, { sentences: 10 }) // 4
 * ```
 */
export function summaryLength(
  total: number,
  wanted: { sentences?: number; ratio?: number },
): number {
  if (total <= 0) return 0
  if (wanted.sentences !== undefined)
    return Math.min(total, Math.max(1, Math.floor(wanted.sentences)))
  if (wanted.ratio !== undefined)
    return Math.min(total, Math.max(1, Math.round(total * wanted.ratio)))
  const byRatio = Math.round(total * DEFAULT_RATIO)
  return Math.min(total, Math.max(DEFAULT_MIN_SENTENCES, Math.min(DEFAULT_MAX_SENTENCES, byRatio)))
}

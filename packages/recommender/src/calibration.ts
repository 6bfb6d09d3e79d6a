/**
 * Logistic calibration of a candidate's fused evidence into the probability that it is the right
 * skill. Features are absolute (so an index of three skills and one of 100 000 read alike):
 * `lexical` = BM25 / the best BM25 the query could reach (0–1), `vector` = cosine of the skill's best
 * vector, `margin` = fused score minus the best other candidate's (clamped to ±3).
 */
export interface Calibration {
  intercept: number
  lexical: number
  vector: number
  margin: number
}

/**
 * Fitted by `bench/calibrate.mjs` (logistic regression) on the dev half of
 * `bench/routing-set.json`, with the default hash embedder; refit when the channels change.
 */
export const DEFAULT_CALIBRATION: Calibration = {
  intercept: -1.54,
  lexical: 5.07,
  vector: 2.46,
  margin: 0.54,
}

export function calibrate(
  calibration: Calibration,
  features: { lexical: number; vector: number; margin: number },
): number {
  const margin = Math.max(-3, Math.min(3, features.margin))
  const x =
    calibration.intercept +
    calibration.lexical * features.lexical +
    calibration.vector * Math.max(0, features.vector) +
    calibration.margin * margin
  return 1 / (1 + Math.exp(-x))
}

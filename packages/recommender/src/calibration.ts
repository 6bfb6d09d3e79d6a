/**
 * Logistic calibration of a candidate's evidence into the probability that it is the right skill.
 * Features are absolute (so an index of three skills and one of 100 000 read alike):
 * - `lexical`: BM25 / the best BM25 the query could reach (0–1);
 * - `vector`: cosine of the skill's best vector (absolute, not z-scored);
 * - `margin`: fused score minus the best other candidate's (clamped to ±3);
 * - `coverage`: share of the query's IDF-weighted terms the skill's text contains (0–1);
 * - `fieldCoverage`: the same for the skill's best single field — name, description, tags or one example;
 * - `matched`: distinct query terms matched, as min(n, 3) / 3 (one shared word is weak evidence);
 * - `agree`: 1 when the skill is first in both the lexical and the vector ranking.
 * Weights absent from a calibration count as 0.
 */
export interface Calibration {
  intercept: number
  lexical: number
  vector: number
  margin: number
  coverage?: number
  fieldCoverage?: number
  matched?: number
  agree?: number
}

export interface CalibrationFeatures {
  lexical: number
  vector: number
  margin: number
  coverage?: number
  fieldCoverage?: number
  /** Number of distinct query terms matched. */
  matched?: number
  agree?: boolean
}

/**
 * Fitted by `bench/calibrate.mjs --features=coverage,matched,agree` (logistic regression, ridge 0.1)
 * on the dev half of `bench/routing-set.json` only, with the default hash embedder. The feature set
 * was chosen by leave-one-out accuracy on dev (`--compare`): matched terms, IDF coverage and channel
 * agreement 0.842; the earlier lexical + vector + margin model 0.684. Lexical, vector and margin add
 * nothing once these are in, so their weights are 0. Refit when the channels change.
 */
export const DEFAULT_CALIBRATION: Calibration = {
  intercept: -3.66,
  lexical: 0,
  vector: 0,
  margin: 0,
  coverage: 0.69,
  matched: 5.94,
  agree: 1.71,
}

/** The feature vector the calibration weighs, in the order of `CALIBRATION_FEATURES`. */
export function calibrationInputs(features: CalibrationFeatures): number[] {
  return [
    features.lexical,
    Math.max(0, features.vector),
    Math.max(-3, Math.min(3, features.margin)),
    features.coverage ?? 0,
    features.fieldCoverage ?? 0,
    Math.min(features.matched ?? 0, 3) / 3,
    features.agree ? 1 : 0,
  ]
}

export const CALIBRATION_FEATURES = [
  'lexical',
  'vector',
  'margin',
  'coverage',
  'fieldCoverage',
  'matched',
  'agree',
] as const

export function calibrate(calibration: Calibration, features: CalibrationFeatures): number {
  const inputs = calibrationInputs(features)
  let x = calibration.intercept
  CALIBRATION_FEATURES.forEach((name, i) => {
    x += (calibration[name] ?? 0) * inputs[i]!
  })
  return 1 / (1 + Math.exp(-x))
}

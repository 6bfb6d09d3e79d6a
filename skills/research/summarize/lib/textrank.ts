/** PageRank settings: TextRank's damping 0.85, iterated until no score moves by `tolerance`. */
export interface PageRankOptions {
  damping?: number
  tolerance?: number
  maxIterations?: number
}

export interface PageRankResult {
  /** One score per node; they sum to 1. */
  scores: number[]
  iterations: number
  converged: boolean
}

export const DAMPING = 0.85
export const TOLERANCE = 1e-8
export const MAX_ITERATIONS = 500

/**
 * TextRank's sentence similarity (Mihalcea & Tarau, 2004): the number of distinct terms two
 * sentences share, divided by `ln |Si| + ln |Sj|` (their lengths in terms). When that is 0 (two
 * one-term sentences) the overlap alone is used, so identical one-word sentences still link.
 *
 * @example
 * ```ts
 * similarity(['oyster', 'grade', 'weight'], ['oyster', 'weight']) // 2 / (ln 3 + ln 2) ≈ 1.1162
 * ```
 */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0
  const inA = new Set(a)
  let overlap = 0
  for (const term of new Set(b)) if (inA.has(term)) overlap++
  if (overlap === 0) return 0
  const norm = Math.log(a.length) + Math.log(b.length)
  return norm > 0 ? overlap / norm : overlap
}

/** The symmetric similarity matrix of the sentences' terms, zero on the diagonal. */
export function similarityMatrix(sentences: readonly (readonly string[])[]): number[][] {
  const n = sentences.length
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = similarity(sentences[i] ?? [], sentences[j] ?? [])
      ;(matrix[i] as number[])[j] = w
      ;(matrix[j] as number[])[i] = w
    }
  }
  return matrix
}

/**
 * Weighted PageRank over a graph given as a weight matrix (`weights[j][i]`: the edge from j to i):
 * `S(i) = (1 − d) / N + d · Σ_j S(j) · w(j,i) / Σ_k w(j,k)`, where a node without edges spreads
 * its score evenly over all nodes, so scores always sum to 1. Starts from 1/N and iterates until
 * no score changes by more than `tolerance` (or `maxIterations`).
 *
 * @example
 * ```ts
 * // A star: the centre gets 0.4865, each leaf 0.2568.
 * pageRank([[0, 1, 1], [1, 0, 0], [1, 0, 0]]).scores
 * ```
 */
export function pageRank(
  weights: readonly (readonly number[])[],
  options: PageRankOptions = {},
): PageRankResult {
  const d = options.damping ?? DAMPING
  const tolerance = options.tolerance ?? TOLERANCE
  const maxIterations = options.maxIterations ?? MAX_ITERATIONS
  const n = weights.length
  if (n === 0) return { scores: [], iterations: 0, converged: true }
  const outWeight = weights.map((row) => row.reduce((sum, w) => sum + w, 0))
  let scores = new Array<number>(n).fill(1 / n)
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let dangling = 0
    for (let j = 0; j < n; j++) if ((outWeight[j] ?? 0) === 0) dangling += scores[j] ?? 0
    const next = new Array<number>(n).fill((1 - d) / n + (d * dangling) / n)
    for (let j = 0; j < n; j++) {
      const out = outWeight[j] ?? 0
      if (out === 0) continue
      const share = (d * (scores[j] ?? 0)) / out
      const row = weights[j] ?? []
      for (let i = 0; i < n; i++) {
        const w = row[i] ?? 0
        if (w !== 0) next[i] = (next[i] ?? 0) + share * w
      }
    }
    let delta = 0
    for (let i = 0; i < n; i++) delta = Math.max(delta, Math.abs((next[i] ?? 0) - (scores[i] ?? 0)))
    scores = next
    if (delta <= tolerance) return { scores, iterations: iteration, converged: true }
  }
  return { scores, iterations: maxIterations, converged: false }
}

/**
 * The indices of the `k` highest scores, best first; equal scores (within 1e-12) keep the earlier
 * index first.
 */
export function topIndices(scores: readonly number[], k: number): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => (Math.abs(b.score - a.score) > 1e-12 ? b.score - a.score : a.index - b.index))
    .slice(0, Math.max(0, k))
    .map((s) => s.index)
}

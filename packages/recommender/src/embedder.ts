/**
 * Turns texts into vectors. Vectors of one embedder share `dimensions` and are L2-normalised, so a
 * dot product is the cosine similarity. `id` names the model and its settings: vectors persisted under
 * one id are never mixed with another's.
 */
export interface Embedder {
  readonly id: string
  readonly dimensions: number
  embed(texts: readonly string[]): Promise<Float32Array[]>
}

/** Scale `vector` in place to unit length (a zero vector stays zero). */
export function normalizeVector(vector: Float32Array): Float32Array {
  let sum = 0
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum)
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale
  }
  return vector
}

/** Dot product of two vectors of the same length. */
export function dot(a: Float32Array, b: Float32Array, offsetB = 0): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  const n = a.length
  const end = n - (n % 4)
  let i = 0
  for (; i < end; i += 4) {
    s0 += a[i]! * b[offsetB + i]!
    s1 += a[i + 1]! * b[offsetB + i + 1]!
    s2 += a[i + 2]! * b[offsetB + i + 2]!
    s3 += a[i + 3]! * b[offsetB + i + 3]!
  }
  for (; i < n; i++) s0 += a[i]! * b[offsetB + i]!
  return s0 + s1 + s2 + s3
}

import { ValidationError } from '@skillos/contracts'
import { type Embedder, normalizeVector } from './embedder.js'

export interface CompositePart {
  embedder: Embedder
  /** Share of the cosine this part carries (non-negative; the weights are normalised to sum to 1). */
  weight: number
}

/**
 * Concatenates the vectors of several embedders, each L2-normalised and scaled by √(its weight
 * share), then normalises the whole. When every part has a vector, the cosine of two composite
 * vectors is the weighted sum of the parts' cosines; a part that returns the zero vector (such as the
 * USE embedder on Russian text) drops out, and the others carry that text alone.
 */
export function createCompositeEmbedder(parts: readonly CompositePart[]): Embedder {
  if (
    !Array.isArray(parts) ||
    parts.length === 0 ||
    parts.some((p) => !(p.weight >= 0 && Number.isFinite(p.weight)))
  ) {
    throw new ValidationError(
      'Invalid composite embedder: parts must be a non-empty list of { embedder, weight ≥ 0 }',
      [{ path: 'parts', message: 'must be a non-empty list of { embedder, weight ≥ 0 }' }],
    )
  }
  const total = parts.reduce((sum, p) => sum + p.weight, 0)
  if (total <= 0) {
    throw new ValidationError('Invalid composite embedder: at least one weight must be positive', [
      { path: 'parts', message: 'at least one weight must be positive' },
    ])
  }
  const scales = parts.map((p) => Math.sqrt(p.weight / total))
  const dimensions = parts.reduce((sum, p) => sum + p.embedder.dimensions, 0)
  const id = `composite(${parts.map((p) => `${p.embedder.id}*${(p.weight / total).toFixed(3)}`).join('+')})`
  return {
    id,
    dimensions,
    async embed(texts) {
      const each = await Promise.all(parts.map((p) => p.embedder.embed(texts)))
      return texts.map((_, t) => {
        const vector = new Float32Array(dimensions)
        let at = 0
        parts.forEach((part, i) => {
          const v = each[i]![t]!
          let sum = 0
          for (let d = 0; d < v.length; d++) sum += v[d]! * v[d]!
          const scale = sum > 0 ? scales[i]! / Math.sqrt(sum) : 0
          for (let d = 0; d < v.length; d++) vector[at + d] = v[d]! * scale
          at += part.embedder.dimensions
        })
        return normalizeVector(vector)
      })
    },
  }
}

import { ValidationError } from '@skillos/contracts'
import { type Embedder, normalizeVector } from './embedder.js'
import { isStopword, splitWords } from './text.js'

export interface HashEmbedderOptions {
  /** Vector length (default 512). More dimensions, fewer hash collisions, more memory and time. */
  dimensions?: number
  /** Shortest character n-gram (default 3). */
  minGram?: number
  /** Longest character n-gram (default 5). */
  maxGram?: number
}

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** Murmur3's 32-bit finaliser: spreads FNV's low-entropy high bits before taking index and sign. */
function mix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * The default embedder: hashed character n-grams of every non-stopword (with `<` `>` marking word
 * edges) plus the whole word, sublinear term frequency, signed feature hashing, L2-normalised.
 * Language-agnostic — Russian inflections share most n-grams (`перевести` / `перевод` share `<пер`,
 * `перев`) — deterministic, no weights, no network, about 20 µs per query.
 *
 * @example
 * ```ts
 * const embedder = createHashEmbedder()
 * const [vector] = await embedder.embed(['переведи 100 долларов в рубли'])
 * ```
 */
export function createHashEmbedder(options: HashEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 512
  const minGram = options.minGram ?? 3
  const maxGram = options.maxGram ?? 5
  if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 65_536) {
    throw new ValidationError('Invalid hash embedder options', [
      { path: 'dimensions', message: 'must be an integer from 8 to 65536' },
    ])
  }
  if (
    !Number.isInteger(minGram) ||
    !Number.isInteger(maxGram) ||
    minGram < 1 ||
    maxGram < minGram ||
    maxGram > 8
  ) {
    throw new ValidationError('Invalid hash embedder options', [
      {
        path: 'minGram',
        message: 'minGram and maxGram must be integers with 1 ≤ minGram ≤ maxGram ≤ 8',
      },
    ])
  }
  const id = `hash-ngram-v1:d${dimensions}:g${minGram}-${maxGram}`

  function embedOne(text: string): Float32Array {
    const counts = new Map<number, number>()
    const add = (h: number) => counts.set(h, (counts.get(h) ?? 0) + 1)
    for (const word of splitWords(text)) {
      if (isStopword(word)) continue
      const padded = `<${word}>`
      // The whole word, hashed apart from the n-grams (a different seed).
      let whole = FNV_OFFSET ^ 0x5bd1e995
      for (let i = 0; i < padded.length; i++)
        whole = Math.imul(whole ^ padded.charCodeAt(i), FNV_PRIME)
      add(whole)
      for (let start = 0; start + minGram <= padded.length; start++) {
        let h = FNV_OFFSET
        for (let end = start; end < padded.length && end - start < maxGram; end++) {
          h = Math.imul(h ^ padded.charCodeAt(end), FNV_PRIME)
          if (end - start + 1 >= minGram) add(h)
        }
      }
    }
    const vector = new Float32Array(dimensions)
    for (const [h, count] of counts) {
      const m = mix(h)
      const weight = 1 + Math.log(count)
      vector[m % dimensions]! += m & 0x80000000 ? -weight : weight
    }
    return normalizeVector(vector)
  }

  return {
    id,
    dimensions,
    embed(texts) {
      return Promise.resolve(texts.map(embedOne))
    },
  }
}

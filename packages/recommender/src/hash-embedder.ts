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
const WORD_START = '<'.charCodeAt(0)
const WORD_END = '>'.charCodeAt(0)

/**
 * How often each 32-bit hash occurred, in the order first seen: an open-addressing table in typed
 * arrays, cleared by bumping a stamp. A `Map` did the same with a boxed entry per n-gram — about
 * 6 µs and 7 KB of garbage for a short request. Embedding is synchronous, so one table serves every
 * call.
 */
class HashCounter {
  #hashes = new Int32Array(256)
  #counts = new Int32Array(256)
  #stamps = new Uint32Array(256)
  /** Slots in the order their hash was first seen. */
  #order = new Int32Array(128)
  #stamp = 1
  size = 0

  clear(): void {
    this.size = 0
    this.#stamp++
    if (this.#stamp === 0xffffffff) {
      this.#stamps.fill(0)
      this.#stamp = 1
    }
  }

  add(hash: number): void {
    const mask = this.#hashes.length - 1
    let slot = (hash ^ (hash >>> 16)) & mask
    while (this.#stamps[slot] === this.#stamp) {
      if (this.#hashes[slot] === hash) {
        this.#counts[slot]!++
        return
      }
      slot = (slot + 1) & mask
    }
    if (this.size === this.#order.length) {
      this.#grow()
      this.add(hash)
      return
    }
    this.#stamps[slot] = this.#stamp
    this.#hashes[slot] = hash
    this.#counts[slot] = 1
    this.#order[this.size++] = slot
  }

  hashAt(i: number): number {
    return this.#hashes[this.#order[i]!]!
  }

  countAt(i: number): number {
    return this.#counts[this.#order[i]!]!
  }

  /** Twice the room, the entries moved over in their order (the table stays at most half full). */
  #grow(): void {
    const entries = Array.from({ length: this.size }, (_, i) => [this.hashAt(i), this.countAt(i)])
    const capacity = this.#hashes.length * 2
    this.#hashes = new Int32Array(capacity)
    this.#counts = new Int32Array(capacity)
    this.#stamps = new Uint32Array(capacity)
    this.#order = new Int32Array(capacity / 2)
    this.#stamp = 1
    this.size = 0
    for (const [hash, count] of entries) {
      this.add(hash!)
      this.#counts[this.#order[this.size - 1]!] = count!
    }
  }
}

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
  const counter = new HashCounter()

  function embedOne(text: string): Float32Array {
    const counts = counter
    counts.clear()
    for (const word of splitWords(text)) {
      if (isStopword(word)) continue
      // The word between `<` and `>`, read in place: code `i` of `<word>`.
      const length = word.length + 2
      const codeAt = (i: number) =>
        i === 0 ? WORD_START : i === length - 1 ? WORD_END : word.charCodeAt(i - 1)
      // The whole word, hashed apart from the n-grams (a different seed).
      let whole = FNV_OFFSET ^ 0x5bd1e995
      for (let i = 0; i < length; i++) whole = Math.imul(whole ^ codeAt(i), FNV_PRIME)
      counts.add(whole)
      for (let start = 0; start + minGram <= length; start++) {
        let h = FNV_OFFSET
        for (let end = start; end < length && end - start < maxGram; end++) {
          h = Math.imul(h ^ codeAt(end), FNV_PRIME)
          if (end - start + 1 >= minGram) counts.add(h)
        }
      }
    }
    const vector = new Float32Array(dimensions)
    // In first-seen order, as the sums were always made: the same vector to the last bit.
    for (let i = 0; i < counts.size; i++) {
      const m = mix(counts.hashAt(i))
      const weight = 1 + Math.log(counts.countAt(i))
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

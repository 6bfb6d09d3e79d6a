import { OrdinalSet } from './filter-index.js'
import { TopK } from './top-k.js'

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number
  /** Length normalisation (default 0.75). */
  b?: number
}

interface Posting {
  slots: Int32Array
  tfs: Float32Array
  size: number
  /** Live documents containing the term. */
  df: number
}

/**
 * An incremental BM25 index over pre-analysed terms. Documents live in slots; an update or removal
 * tombstones the old slot (postings skip it) and the postings are compacted once dead slots outnumber
 * live ones, so upsert and remove never rebuild the whole index.
 */
export class Bm25Index {
  private readonly k1: number
  private readonly b: number
  private readonly slotOf = new Map<string, number>()
  private keys: (string | undefined)[] = []
  /** The caller's ordinal of each slot's document (−1 when none was given), for {@link OrdinalSet} filters. */
  private ordinals: number[] = []
  private docTerms: (Map<string, number> | undefined)[] = []
  private lengths: number[] = []
  private postings = new Map<string, Posting>()
  private totalLength = 0
  private dead = 0
  private scores = new Float64Array(0)
  /** Per-slot length normalisation `k1 · (1 − b + b · length / avgdl)`, refreshed when avgdl drifts. */
  private norms = new Float32Array(0)
  private normsAvgdl = -1
  private normsSlots = -1
  private touched = new Int32Array(0)

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2
    this.b = options.b ?? 0.75
  }

  get size(): number {
    return this.slotOf.size
  }

  has(key: string): boolean {
    return this.slotOf.has(key)
  }

  /**
   * Add or replace the document `key`. `ordinal` is the caller's number for it (e.g. from a
   * `FilterIndex`): a search given an {@link OrdinalSet} keeps only documents whose ordinal it holds.
   */
  upsert(key: string, terms: readonly string[], ordinal = -1): void {
    this.remove(key)
    const tf = new Map<string, number>()
    for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1)
    const slot = this.keys.length
    this.keys.push(key)
    this.ordinals.push(ordinal)
    this.docTerms.push(tf)
    this.lengths.push(terms.length)
    this.slotOf.set(key, slot)
    this.totalLength += terms.length
    for (const [term, count] of tf) this.addPosting(term, slot, count)
  }

  remove(key: string): boolean {
    const slot = this.slotOf.get(key)
    if (slot === undefined) return false
    this.slotOf.delete(key)
    const tf = this.docTerms[slot]!
    for (const term of tf.keys()) {
      const posting = this.postings.get(term)!
      posting.df--
      if (posting.df === 0) this.postings.delete(term)
    }
    this.totalLength -= this.lengths[slot]!
    this.keys[slot] = undefined
    this.docTerms[slot] = undefined
    if (slot < this.norms.length) this.norms[slot] = -1
    this.dead++
    if (this.dead > 1_000 && this.dead > this.slotOf.size) this.compact()
    return true
  }

  /** Inverse document frequency; a term no document has gets the highest value. */
  idf(term: string): number {
    const n = this.slotOf.size
    const df = this.postings.get(term)?.df ?? 0
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  /**
   * The score a document would reach if it matched every query term as well as BM25 allows:
   * dividing by it puts scores of one query on a 0–1 scale, lower when query terms are unknown.
   */
  maxScore(terms: readonly string[]): number {
    let max = 0
    for (const term of new Set(terms)) max += this.idf(term) * (this.k1 + 1)
    return max
  }

  /**
   * The `limit` best documents for `terms` that `accept` lets through, best first. `accept` is a
   * predicate on keys, or the {@link OrdinalSet} of ordinals (given to `upsert`) to keep: a set is
   * checked in the postings loop itself, so documents it excludes cost a bit test and are never scored.
   */
  search(
    terms: readonly string[],
    limit: number,
    accept?: ((key: string) => boolean) | OrdinalSet,
  ): { key: string; score: number }[] {
    const unique = [...new Set(terms)]
    if (unique.length === 0 || this.slotOf.size === 0) return []
    const slotCount = this.keys.length
    if (this.scores.length < slotCount) {
      this.scores = new Float64Array(slotCount * 2)
      this.touched = new Int32Array(slotCount * 2)
    }
    const norms = this.refreshNorms()
    const scores = this.scores
    const touched = this.touched
    let touchedCount = 0
    const k1plus1 = this.k1 + 1
    const allowed = accept instanceof OrdinalSet ? accept.words : undefined
    const predicate = accept instanceof OrdinalSet ? undefined : accept
    if (allowed && (accept as OrdinalSet).size === 0) return []
    const ordinals = this.ordinals
    for (const term of unique) {
      const posting = this.postings.get(term)
      if (!posting) continue
      const weight = this.idf(term) * k1plus1
      const { slots, tfs, size } = posting
      for (let i = 0; i < size; i++) {
        const slot = slots[i]!
        const norm = norms[slot]!
        if (norm < 0) continue // tombstoned
        if (allowed) {
          const ordinal = ordinals[slot]!
          // Out-of-range words read as undefined, which `>>>` turns into 0: not allowed.
          if (ordinal < 0 || ((allowed[ordinal >>> 5]! >>> (ordinal & 31)) & 1) === 0) continue
        }
        const tf = tfs[i]!
        const previous = scores[slot]!
        if (previous === 0) touched[touchedCount++] = slot
        scores[slot] = previous + (weight * tf) / (tf + norm)
      }
    }
    const top = new TopK<number>(limit)
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i]!
      const score = scores[slot]!
      scores[slot] = 0
      if (score <= top.threshold) continue
      if (predicate && !predicate(this.keys[slot]!)) continue
      top.push(slot, score)
    }
    return top.sorted().map(({ item, score }) => ({ key: this.keys[item]!, score }))
  }

  /** The BM25 score of one document, and which query terms it matched. */
  score(terms: readonly string[], key: string): { score: number; matched: string[] } {
    const slot = this.slotOf.get(key)
    if (slot === undefined) return { score: 0, matched: [] }
    const tfMap = this.docTerms[slot]!
    const avgdl = this.totalLength / this.slotOf.size || 1
    const norm = this.k1 * (1 - this.b + (this.b * this.lengths[slot]!) / avgdl)
    let score = 0
    const matched: string[] = []
    for (const term of new Set(terms)) {
      const tf = tfMap.get(term)
      if (!tf) continue
      matched.push(term)
      score += (this.idf(term) * tf * (this.k1 + 1)) / (tf + norm)
    }
    return { score, matched }
  }

  /** Length norms of every slot (−1 for a tombstone), recomputed when avgdl moved by more than 1 %. */
  private refreshNorms(): Float32Array {
    const avgdl = this.totalLength / this.slotOf.size || 1
    const slotCount = this.keys.length
    if (
      this.normsSlots === slotCount &&
      this.norms.length >= slotCount &&
      Math.abs(avgdl - this.normsAvgdl) <= 0.01 * this.normsAvgdl
    ) {
      return this.norms
    }
    if (this.norms.length < slotCount) this.norms = new Float32Array(slotCount * 2)
    for (let slot = 0; slot < slotCount; slot++) {
      this.norms[slot] =
        this.keys[slot] === undefined
          ? -1
          : this.k1 * (1 - this.b + (this.b * this.lengths[slot]!) / avgdl)
    }
    this.normsAvgdl = avgdl
    this.normsSlots = slotCount
    return this.norms
  }

  private addPosting(term: string, slot: number, count: number): void {
    let posting = this.postings.get(term)
    if (!posting) {
      posting = { slots: new Int32Array(4), tfs: new Float32Array(4), size: 0, df: 0 }
      this.postings.set(term, posting)
    }
    if (posting.size === posting.slots.length) {
      const slots = new Int32Array(posting.size * 2)
      slots.set(posting.slots)
      const tfs = new Float32Array(posting.size * 2)
      tfs.set(posting.tfs)
      posting.slots = slots
      posting.tfs = tfs
    }
    posting.slots[posting.size] = slot
    posting.tfs[posting.size] = count
    posting.size++
    posting.df++
  }

  /** Drop tombstoned slots: renumber live documents and rebuild postings from their term counts. */
  private compact(): void {
    const keys = this.keys
    const ordinals = this.ordinals
    const docTerms = this.docTerms
    const lengths = this.lengths
    this.keys = []
    this.ordinals = []
    this.docTerms = []
    this.lengths = []
    this.postings = new Map()
    this.slotOf.clear()
    this.dead = 0
    this.normsSlots = -1
    for (let slot = 0; slot < keys.length; slot++) {
      const key = keys[slot]
      if (key === undefined) continue
      const tf = docTerms[slot]!
      const next = this.keys.length
      this.keys.push(key)
      this.ordinals.push(ordinals[slot]!)
      this.docTerms.push(tf)
      this.lengths.push(lengths[slot]!)
      this.slotOf.set(key, next)
      for (const [term, count] of tf) this.addPosting(term, next, count)
    }
  }
}

/**
 * Keeps the `k` highest-scoring items seen, in O(n log k): a min-heap on score. Ties keep the item
 * seen first.
 */
export class TopK<T> {
  private readonly scores: number[] = []
  private readonly items: T[] = []

  constructor(private readonly k: number) {}

  /** The lowest score that would still enter (−∞ while not full). */
  get threshold(): number {
    return this.scores.length < this.k ? -Infinity : this.scores[0]!
  }

  push(item: T, score: number): void {
    if (this.k <= 0) return
    if (this.scores.length < this.k) {
      this.scores.push(score)
      this.items.push(item)
      this.up(this.scores.length - 1)
    } else if (score > this.scores[0]!) {
      this.scores[0] = score
      this.items[0] = item
      this.down(0)
    }
  }

  /** Best first. */
  sorted(): { item: T; score: number }[] {
    return this.items
      .map((item, i) => ({ item, score: this.scores[i]! }))
      .sort((a, b) => b.score - a.score)
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a]!
    this.scores[a] = this.scores[b]!
    this.scores[b] = s
    const t = this.items[a]!
    this.items[a] = this.items[b]!
    this.items[b] = t
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.scores[parent]! <= this.scores[i]!) return
      this.swap(parent, i)
      i = parent
    }
  }

  private down(i: number): void {
    const n = this.scores.length
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < n && this.scores[l]! < this.scores[m]!) m = l
      if (r < n && this.scores[r]! < this.scores[m]!) m = r
      if (m === i) return
      this.swap(m, i)
      i = m
    }
  }
}

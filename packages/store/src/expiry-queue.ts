/**
 * A min-heap of `(expiresAt, id)`: what the in-process key-value store uses to find expired leases
 * without looking at every live one. Entries are never removed early; the caller skips the ids that
 * were settled in the meantime.
 */
export class ExpiryQueue {
  private readonly times: number[] = []
  private readonly ids: string[] = []

  get size(): number {
    return this.times.length
  }

  push(expiresAt: number, id: string): void {
    let index = this.times.length
    this.times.push(expiresAt)
    this.ids.push(id)
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (this.at(parent) <= expiresAt) break
      this.swap(index, parent)
      index = parent
    }
  }

  /** Remove and return every entry with `expiresAt < before`, earliest first. */
  popBefore(before: number): { expiresAt: number; id: string }[] {
    const popped: { expiresAt: number; id: string }[] = []
    while (this.times.length > 0 && this.at(0) < before) {
      popped.push({ expiresAt: this.at(0), id: this.ids[0] ?? '' })
      this.removeTop()
    }
    return popped
  }

  clear(): void {
    this.times.length = 0
    this.ids.length = 0
  }

  private at(index: number): number {
    return this.times[index] ?? Infinity
  }

  private removeTop(): void {
    const lastTime = this.times.pop()
    const lastId = this.ids.pop()
    if (this.times.length === 0 || lastTime === undefined || lastId === undefined) return
    this.times[0] = lastTime
    this.ids[0] = lastId
    let index = 0
    for (;;) {
      const left = 2 * index + 1
      const right = left + 1
      let smallest = index
      if (this.at(left) < this.at(smallest)) smallest = left
      if (this.at(right) < this.at(smallest)) smallest = right
      if (smallest === index) return
      this.swap(index, smallest)
      index = smallest
    }
  }

  private swap(a: number, b: number): void {
    const time = this.times[a] ?? Infinity
    this.times[a] = this.times[b] ?? Infinity
    this.times[b] = time
    const id = this.ids[a] ?? ''
    this.ids[a] = this.ids[b] ?? ''
    this.ids[b] = id
  }
}

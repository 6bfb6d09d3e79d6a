/**
 * One thing found in a text: its value, the exact characters and where they are, so a caller can
 * resolve conflicts between building blocks and explain where a parameter came from.
 */
export interface TextMatch<T> {
  value: T
  /** The characters of the request that produced the value. */
  text: string
  /** `[start, end)` character offsets into the request text. */
  span: [number, number]
}

/** Whether two `[start, end)` spans share at least one character. */
export function spansOverlap(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] < b[1] && b[0] < a[1]
}

/** A match for `text.slice(start, end)`. */
export function matchAt<T>(text: string, start: number, end: number, value: T): TextMatch<T> {
  return { value, text: text.slice(start, end), span: [start, end] }
}

/** Sorts by position and drops every match that overlaps an earlier, longer (or equal) one. */
export function keepLongest<M extends { span: [number, number] }>(matches: M[]): M[] {
  const bySize = [...matches].sort(
    (a, b) => b.span[1] - b.span[0] - (a.span[1] - a.span[0]) || a.span[0] - b.span[0],
  )
  const kept: M[] = []
  for (const m of bySize) {
    if (!kept.some((k) => spansOverlap(k.span, m.span))) kept.push(m)
  }
  return kept.sort((a, b) => a.span[0] - b.span[0])
}

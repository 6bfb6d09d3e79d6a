/** Distance between nodes `i` and `j` (symmetric, ≥ 0). */
export type DistanceFn = (i: number, j: number) => number

/** Which ends of the path are fixed. Nodes are `0..count-1`; `start` and `end` are among them. */
export interface RouteEnds {
  /** The node the path must start at; free when absent. */
  start?: number
  /** The node the path must end at; free when absent. May equal `start` for a round trip. */
  end?: number
}

/** A visiting order and its length. */
export interface RouteSolution {
  /** Every node once, in visiting order; for a round trip the start node also closes the path. */
  order: number[]
  length: number
  method: 'held-karp' | 'nearest-neighbour+2-opt'
}

/** Up to this many nodes between the fixed ends, the route is solved exactly. */
export const EXACT_LIMIT = 12

/** The length of a path visiting `order` in sequence. */
export function pathLength(order: readonly number[], dist: DistanceFn): number {
  let total = 0
  for (let k = 1; k < order.length; k++) total += dist(order[k - 1] as number, order[k] as number)
  return total
}

/**
 * The shortest path through all `count` nodes with optional fixed ends: exact Held–Karp dynamic
 * programming when at most {@link EXACT_LIMIT} nodes are free to order, otherwise nearest neighbour
 * followed by 2-opt improvement. Ties keep the lower node index first, so results are reproducible.
 *
 * @example
 * ```ts
 * const xs = [0, 10, 3, 7]
 * shortestRoute(4, (i, j) => Math.abs(xs[i]! - xs[j]!), { start: 0 }).order // [0, 2, 3, 1]
 * ```
 */
export function shortestRoute(
  count: number,
  dist: DistanceFn,
  ends: RouteEnds = {},
): RouteSolution {
  const roundTrip = ends.start !== undefined && ends.start === ends.end
  const middle: number[] = []
  for (let i = 0; i < count; i++) if (i !== ends.start && i !== ends.end) middle.push(i)
  const solved =
    middle.length <= EXACT_LIMIT
      ? { order: heldKarp(middle, dist, ends), method: 'held-karp' as const }
      : { order: heuristic(middle, dist, ends), method: 'nearest-neighbour+2-opt' as const }
  // With two free ends, or a round trip, the reverse order is as short: begin with the node listed first.
  if (
    (roundTrip || (ends.start === undefined && ends.end === undefined)) &&
    solved.order.length > 1
  ) {
    if ((solved.order[solved.order.length - 1] as number) < (solved.order[0] as number))
      solved.order.reverse()
  }
  const order = [
    ...(ends.start !== undefined ? [ends.start] : []),
    ...solved.order,
    ...(ends.end !== undefined && (roundTrip || ends.end !== ends.start) ? [ends.end] : []),
  ]
  return { order, length: pathLength(order, dist), method: solved.method }
}

/** Exact order of `middle` between the fixed ends (Held–Karp, O(2ⁿ·n²)). */
function heldKarp(middle: readonly number[], dist: DistanceFn, ends: RouteEnds): number[] {
  const n = middle.length
  if (n === 0) return []
  const size = 1 << n
  const cost = new Float64Array(size * n).fill(Infinity)
  const parent = new Int32Array(size * n).fill(-1)
  const node = (k: number): number => middle[k] as number
  for (let k = 0; k < n; k++)
    cost[(1 << k) * n + k] = ends.start !== undefined ? dist(ends.start, node(k)) : 0
  for (let mask = 1; mask < size; mask++) {
    for (let last = 0; last < n; last++) {
      if (!(mask & (1 << last))) continue
      const here = cost[mask * n + last] as number
      if (here === Infinity) continue
      for (let next = 0; next < n; next++) {
        if (mask & (1 << next)) continue
        const nextMask = mask | (1 << next)
        const candidate = here + dist(node(last), node(next))
        if (candidate < (cost[nextMask * n + next] as number) - 1e-9) {
          cost[nextMask * n + next] = candidate
          parent[nextMask * n + next] = last
        }
      }
    }
  }
  const full = size - 1
  let bestLast = 0
  let best = Infinity
  for (let last = 0; last < n; last++) {
    const total =
      (cost[full * n + last] as number) + (ends.end !== undefined ? dist(node(last), ends.end) : 0)
    if (total < best - 1e-9) {
      best = total
      bestLast = last
    }
  }
  const reversed: number[] = []
  let mask = full
  let last = bestLast
  while (last >= 0) {
    reversed.push(node(last))
    const previous = parent[mask * n + last] as number
    mask &= ~(1 << last)
    last = previous
  }
  return reversed.reverse()
}

/** Nearest neighbour from each allowed first node, then 2-opt; the best result wins. */
function heuristic(middle: readonly number[], dist: DistanceFn, ends: RouteEnds): number[] {
  const starts = ends.start !== undefined ? [ends.start] : [...middle]
  let best: number[] = []
  let bestLength = Infinity
  for (const first of starts) {
    const path = [first]
    const left = new Set(middle.filter((m) => m !== first))
    while (left.size > 0) {
      const from = path[path.length - 1] as number
      let pick = -1
      for (const m of left) if (pick < 0 || dist(from, m) < dist(from, pick) - 1e-9) pick = m
      path.push(pick)
      left.delete(pick)
    }
    if (ends.end !== undefined) path.push(ends.end)
    twoOpt(path, dist, ends.start !== undefined, ends.end !== undefined)
    const length = pathLength(path, dist)
    if (length < bestLength - 1e-9) {
      bestLength = length
      best = path
    }
  }
  // Strip the fixed ends again: the caller adds them.
  return best.slice(ends.start !== undefined ? 1 : 0, ends.end !== undefined ? -1 : undefined)
}

/** Reverses segments while that shortens the path; fixed ends never move. Mutates `path`. */
export function twoOpt(
  path: number[],
  dist: DistanceFn,
  fixedStart: boolean,
  fixedEnd: boolean,
): void {
  const first = fixedStart ? 1 : 0
  const last = fixedEnd ? path.length - 2 : path.length - 1
  const at = (k: number): number => path[k] as number
  let improved = true
  while (improved) {
    improved = false
    for (let i = first; i < last; i++) {
      for (let j = i + 1; j <= last; j++) {
        const before =
          (i > 0 ? dist(at(i - 1), at(i)) : 0) + (j < path.length - 1 ? dist(at(j), at(j + 1)) : 0)
        const after =
          (i > 0 ? dist(at(i - 1), at(j)) : 0) + (j < path.length - 1 ? dist(at(i), at(j + 1)) : 0)
        if (after < before - 1e-9) {
          path.splice(i, j - i + 1, ...path.slice(i, j + 1).reverse())
          improved = true
        }
      }
    }
  }
}

import { describe, expect, it } from 'vitest'
import { EXACT_LIMIT, pathLength, shortestRoute, twoOpt, type DistanceFn } from './route.js'

/** Points on a plane: easy to reason about, exact distances. */
function plane(points: [number, number][]): DistanceFn {
  return (i, j) => {
    const a = points[i] as [number, number]
    const b = points[j] as [number, number]
    return Math.hypot(a[0] - b[0], a[1] - b[1])
  }
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  )
}

/** The optimum by trying every order (small inputs only). */
function bruteForce(count: number, dist: DistanceFn, start?: number, end?: number): number {
  const middle = [...Array(count).keys()].filter((i) => i !== start && i !== end)
  let best = Infinity
  for (const p of permutations(middle)) {
    const order = [
      ...(start !== undefined ? [start] : []),
      ...p,
      ...(end !== undefined ? [end] : []),
    ]
    best = Math.min(best, pathLength(order, dist))
  }
  return best
}

/** A deterministic pseudo-random point cloud. */
function cloud(count: number, seed: number): [number, number][] {
  let s = seed
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648
    return (s / 2147483648) * 100
  }
  return Array.from({ length: count }, () => [next(), next()])
}

describe('shortestRoute', () => {
  it('orders points on a line from a fixed start', () => {
    const xs = [0, 10, 3, 7]
    const dist: DistanceFn = (i, j) => Math.abs((xs[i] as number) - (xs[j] as number))
    expect(shortestRoute(4, dist, { start: 0 })).toEqual({
      order: [0, 2, 3, 1],
      length: 10,
      method: 'held-karp',
    })
  })

  it('closes a round trip at the start', () => {
    const dist = plane([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
    ])
    const result = shortestRoute(4, dist, { start: 0, end: 0 })
    expect(result.order[0]).toBe(0)
    expect(result.order[4]).toBe(0)
    expect(result.length).toBe(4)
  })

  it('keeps a fixed end last', () => {
    const xs = [0, 10, 3, 7]
    const dist: DistanceFn = (i, j) => Math.abs((xs[i] as number) - (xs[j] as number))
    expect(shortestRoute(4, dist, { start: 0, end: 2 }).order).toEqual([0, 3, 1, 2])
  })

  it('with free ends starts from the city listed first of the two ends', () => {
    const xs = [5, 0, 10]
    const dist: DistanceFn = (i, j) => Math.abs((xs[i] as number) - (xs[j] as number))
    expect(shortestRoute(3, dist).order).toEqual([1, 0, 2])
  })

  it('handles one and two nodes', () => {
    const dist = plane([
      [0, 0],
      [3, 4],
    ])
    expect(shortestRoute(1, dist).order).toEqual([0])
    expect(shortestRoute(2, dist, { start: 1 })).toMatchObject({ order: [1, 0], length: 5 })
  })

  it.each([
    [7, 1, undefined, undefined],
    [8, 2, 0, undefined],
    [8, 3, 0, 0],
    [8, 4, 0, 5],
    [7, 5, undefined, 3],
  ])(
    'matches brute force on %i random points (seed %i, start %s, end %s)',
    (count, seed, start, end) => {
      const dist = plane(cloud(count, seed))
      const ends = {
        ...(start !== undefined ? { start } : {}),
        ...(end !== undefined ? { end } : {}),
      }
      const result = shortestRoute(count, dist, ends)
      expect(result.length).toBeCloseTo(bruteForce(count, dist, start, end), 9)
      expect(new Set(result.order).size).toBe(count)
    },
  )

  it(`solves exactly up to ${EXACT_LIMIT} free cities and heuristically beyond`, () => {
    const small = plane(cloud(EXACT_LIMIT + 1, 7))
    expect(shortestRoute(EXACT_LIMIT + 1, small, { start: 0 }).method).toBe('held-karp')
    const large = plane(cloud(25, 7))
    const result = shortestRoute(25, large, { start: 0, end: 0 })
    expect(result.method).toBe('nearest-neighbour+2-opt')
    expect(result.order).toHaveLength(26)
    expect(result.order[0]).toBe(0)
    expect(result.order[25]).toBe(0)
    expect(new Set(result.order).size).toBe(25)
  })

  it('the heuristic finds the optimum of points on a circle', () => {
    const points = Array.from({ length: 20 }, (_, k): [number, number] => [
      Math.cos((k * 7 * 2 * Math.PI) / 20),
      Math.sin((k * 7 * 2 * Math.PI) / 20),
    ])
    const result = shortestRoute(20, plane(points), { start: 0, end: 0 })
    // The optimum is the polygon: 20 chords of 2·sin(π/20).
    expect(result.length).toBeCloseTo(20 * 2 * Math.sin(Math.PI / 20), 9)
  })
})

describe('twoOpt', () => {
  it('uncrosses a crossing path and keeps fixed ends', () => {
    const dist = plane([
      [0, 0],
      [1, 1],
      [1, 0],
      [2, 1],
    ])
    const path = [0, 1, 2, 3]
    twoOpt(path, dist, true, true)
    expect(path).toEqual([0, 2, 1, 3])
  })
})

import { describe, expect, it } from 'vitest'
import { pageRank, similarity, similarityMatrix, topIndices } from './textrank.js'

describe('similarity', () => {
  it.each([
    [['oyster', 'grade', 'weight'], ['oyster', 'weight'], 2 / (Math.log(3) + Math.log(2))],
    [['a', 'b'], ['c', 'd'], 0],
    [['a', 'a', 'b'], ['a', 'c'], 1 / (Math.log(3) + Math.log(2))],
    [['solo'], ['solo'], 1],
    [[], ['a'], 0],
  ])('%j ~ %j = %d', (a, b, expected) => {
    expect(similarity(a, b)).toBeCloseTo(expected, 12)
    expect(similarity(b, a)).toBeCloseTo(expected, 12)
  })
})

describe('similarityMatrix', () => {
  it('is symmetric with a zero diagonal', () => {
    const m = similarityMatrix([['a', 'b'], ['b', 'c'], ['d']])
    const w = 1 / (2 * Math.log(2))
    expect(m).toEqual([
      [0, w, 0],
      [w, 0, 0],
      [0, 0, 0],
    ])
  })
})

describe('pageRank', () => {
  it('ranks the centre of a star above its leaves (exact solution with d = 0.85)', () => {
    // leaf = 0.05 + 0.425·centre, centre = 0.05 + 1.7·leaf → leaf = 0.07125 / 0.2775
    const { scores, converged } = pageRank([
      [0, 1, 1],
      [1, 0, 0],
      [1, 0, 0],
    ])
    const leaf = 0.07125 / 0.2775
    expect(converged).toBe(true)
    expect(scores[0]).toBeCloseTo(1 - 2 * leaf, 7)
    expect(scores[1]).toBeCloseTo(leaf, 7)
    expect(scores[2]).toBeCloseTo(leaf, 7)
  })

  it('follows edge weights', () => {
    // 0 links to 1 with weight 3 and to 2 with weight 1; 1 and 2 link back to 0 only.
    const { scores } = pageRank([
      [0, 3, 1],
      [3, 0, 0],
      [1, 0, 0],
    ])
    const [s0 = 0, s1 = 0, s2 = 0] = scores
    expect(s1).toBeGreaterThan(s2)
    expect(s1).toBeCloseTo(0.05 + 0.85 * 0.75 * s0, 7)
    expect(s2).toBeCloseTo(0.05 + 0.85 * 0.25 * s0, 7)
    expect(s0 + s1 + s2).toBeCloseTo(1, 10)
  })

  it('spreads the score of isolated nodes evenly, so scores sum to 1', () => {
    const { scores } = pageRank([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 0],
    ])
    // Two linked nodes share what the isolated one does not keep: x = 0.05 + 0.85x + 0.85y/3,
    // y = 0.05 + 0.85y/3 → y = 0.05 / (1 − 0.85/3).
    const y = 0.05 / (1 - 0.85 / 3)
    expect(scores[2]).toBeCloseTo(y, 7)
    expect(scores[0]).toBeCloseTo((1 - y) / 2, 7)
  })

  it('gives equal scores to a graph without edges, at once', () => {
    expect(pageRank([[0], [0]].map(() => [0, 0]))).toEqual({
      scores: [0.5, 0.5],
      iterations: 1,
      converged: true,
    })
  })

  it('handles the empty graph', () => {
    expect(pageRank([])).toEqual({ scores: [], iterations: 0, converged: true })
  })

  it('reports when it stops before converging', () => {
    const result = pageRank(
      [
        [0, 1, 1],
        [1, 0, 0],
        [1, 0, 0],
      ],
      { maxIterations: 2 },
    )
    expect(result).toMatchObject({ iterations: 2, converged: false })
  })
})

describe('topIndices', () => {
  it.each([
    [[0.1, 0.5, 0.3, 0.5], 2, [1, 3]],
    [[0.1, 0.5, 0.3], 5, [1, 2, 0]],
    [[0.2, 0.2 + 1e-15, 0.1], 1, [0]],
    [[0.4], 0, []],
  ])('top of %j, k = %i → %j', (scores, k, expected) => {
    expect(topIndices(scores, k)).toEqual(expected)
  })
})

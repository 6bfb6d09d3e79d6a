import { describe, expect, it } from 'vitest'
import { summaryLength } from './summary-length.js'

describe('summaryLength', () => {
  it.each([
    [32, {}, 6],
    [40, {}, 7],
    [100, {}, 7],
    [10, {}, 3],
    [2, {}, 2],
    [0, {}, 0],
    [32, { sentences: 3 }, 3],
    [4, { sentences: 10 }, 4],
    [32, { ratio: 0.1 }, 3],
    [32, { ratio: 1 }, 32],
    [5, { ratio: 0.01 }, 1],
    [32, { sentences: 2, ratio: 0.5 }, 2],
  ])('%i sentences, %j → %i', (total, wanted, expected) => {
    expect(summaryLength(total, wanted)).toBe(expected)
  })
})

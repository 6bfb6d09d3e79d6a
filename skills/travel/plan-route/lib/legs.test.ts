import { describe, expect, it } from 'vitest'
import { estimateHours, suggestMode } from './legs.js'

describe('legs', () => {
  it.each([
    [0, 'car'],
    [150, 'car'],
    [150.1, 'train'],
    [800, 'train'],
    [800.1, 'flight'],
    [9000, 'flight'],
  ] as const)('%s km → %s', (km, mode) => {
    expect(suggestMode(km)).toBe(mode)
  })

  it.each([
    [100, 'car', 1.6],
    [633, 'train', 6.9],
    [1363, 'flight', 4.3],
    [0, 'car', 0],
  ] as const)('%s km by %s ≈ %s h', (km, mode, hours) => {
    expect(estimateHours(km, mode)).toBe(hours)
  })
})

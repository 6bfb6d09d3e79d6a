import { describe, expect, it } from 'vitest'
import { annualCost, percentOf, priceForMargin, ratioPercent, toMinor, toRoubles } from './money.js'

describe('toMinor / toRoubles', () => {
  it.each([
    [4_090_909.1, 409_090_910],
    [0.1 + 0.2, 30],
    [1.005, 101],
    [0, 0],
    [4_500_000, 450_000_000],
  ])('%d roubles → %i kopecks', (roubles, minor) => {
    expect(toMinor(roubles)).toBe(minor)
  })

  it('gives back roubles with kopecks', () => {
    expect(toRoubles(409_090_910)).toBe(4_090_909.1)
  })
})

describe('percentOf', () => {
  it.each([
    [450_000_000, 1, 4_500_000],
    [450_000_000, 0.5, 2_250_000],
    [409_090_910, 5, 20_454_546],
    [33_333_333, 50, 16_666_667],
    [1, 49.999999, 0],
    [999_999_999_999_999, 30, 300_000_000_000_000],
  ])('%i × %d %% = %i', (minor, percent, expected) => {
    expect(percentOf(minor, percent)).toBe(expected)
  })
})

describe('priceForMargin', () => {
  it.each([
    [360_000_000, 12, 409_090_910],
    [600_000_000, 10, 666_666_667],
    [100, 0, 100],
    [0, 50, 0],
  ])('costs %i at %d %% → %i', (costs, margin, price) => {
    expect(priceForMargin(costs, margin)).toBe(price)
  })
})

describe('annualCost', () => {
  it.each([
    [45_000_000, 3, 365, 1_350_000],
    [20_454_546, 3, 180, 302_615],
    [50_000_000, 3, 180, 739_726],
    [100, 0, 180, 0],
  ])('%i at %d %% for %i days = %i', (minor, rate, days, expected) => {
    expect(annualCost(minor, rate, days)).toBe(expected)
  })
})

describe('ratioPercent', () => {
  it.each([
    [48_788_295, 409_090_910, 11.93],
    [40_909_090, 450_000_000, 9.09],
    [-300, 1000, -30],
    [1, 0, 0],
  ])('%i of %i = %d %%', (part, whole, percent) => {
    expect(ratioPercent(part, whole)).toBe(percent)
  })
})

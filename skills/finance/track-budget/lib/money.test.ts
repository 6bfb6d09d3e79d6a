import { describe, expect, it } from 'vitest'
import { formatMoney, fromMinor, mulDivRound, toMinor } from './money.js'

describe('toMinor', () => {
  it.each([
    [1200, 120000],
    [0.1 + 0.2, 30],
    [1.005, 101],
    [1.004, 100],
    [19.99, 1999],
    [0, 0],
    [1e-7, 0],
    [9_999_999.995, 1_000_000_000],
  ])('%d → %i minor units', (amount, minor) => {
    expect(toMinor(amount)).toBe(minor)
  })

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, 1e14])(
    'refuses %d naming the field',
    (amount) => {
      expect(() => toMinor(amount)).toThrow(/^amount: must be a number from 0 to/)
    },
  )
})

describe('formatting and arithmetic', () => {
  it.each([
    [120050, 'RUB', '1\u202f200.50 RUB'],
    [5, 'USD', '0.05 USD'],
    [-20000, 'RUB', '-200.00 RUB'],
    [123456789, 'EUR', '1\u202f234\u202f567.89 EUR'],
  ])('formats %i %s as %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text)
  })

  it('converts back to major units', () => {
    expect(fromMinor(120050)).toBe(1200.5)
  })

  it.each([
    [120000, 30, 21, 171429], // 1714.2857… rounds up
    [100, 7, 2, 350],
    [1, 1, 2, 1], // 0.5 rounds half up
    [0, 31, 1, 0],
  ])('%i × %i / %i = %i', (a, b, c, result) => {
    expect(mulDivRound(a, b, c)).toBe(result)
  })

  it('refuses to divide by zero', () => {
    expect(() => mulDivRound(1, 1, 0)).toThrow(RangeError)
  })
})

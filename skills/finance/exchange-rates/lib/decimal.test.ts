import { describe, expect, it } from 'vitest'
import {
  add,
  compare,
  divide,
  fromNumber,
  multiply,
  parseDecimal,
  rateDecimals,
  ratio,
  roundRate,
  roundToString,
} from './decimal.js'

describe('parseDecimal', () => {
  it.each([
    ['81,2345', 162469n, 2000n],
    ['1.0521', 10521n, 10000n],
    ['100', 100n, 1n],
    ['0,0030812', 7703n, 2500000n],
    ['-2.50', -5n, 2n],
    ['1 234,5', 2469n, 2n],
    ['1e-7', 1n, 10000000n],
    ['2.5E3', 2500n, 1n],
  ])('reads %s exactly', (text, num, den) => {
    expect(parseDecimal(text)).toEqual({ num, den })
  })

  it.each(['', 'abc', '1,2,3', '1.', '.5', 'NaN', '1e999'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined()
  })
})

describe('roundToString', () => {
  it.each([
    [ratio(2n, 3n), 4, '0.6667'],
    [ratio(1n, 8n), 2, '0.13'],
    [ratio(-1n, 8n), 2, '-0.13'],
    [ratio(5n, 2n), 0, '3'],
    [ratio(-5n, 2n), 0, '-3'],
    [ratio(1n, 1000n), 2, '0.00'],
    [ratio(-1n, 1000n), 2, '0.00'],
    [ratio(123456n, 1n), 2, '123456.00'],
  ])('rounds %o to %i places half away from zero: %s', (value, decimals, expected) => {
    expect(roundToString(value, decimals)).toBe(expected)
  })

  it('refuses negative decimals', () => {
    expect(() => roundToString(ratio(1n), -1)).toThrow(RangeError)
  })
})

describe('arithmetic', () => {
  it('has no binary floating-point error: 0.1 + 0.2 is exactly 0.3', () => {
    expect(compare(add(fromNumber(0.1), fromNumber(0.2)), parseDecimal('0.3')!)).toBe(0)
  })

  it('multiplies and divides exactly, in lowest terms', () => {
    expect(multiply(ratio(3n, 4n), ratio(2n, 9n))).toEqual({ num: 1n, den: 6n })
    expect(divide(ratio(3n, 4n), ratio(3n, 8n))).toEqual({ num: 2n, den: 1n })
    expect(() => divide(ratio(1n), ratio(0n))).toThrow('division by zero')
  })

  it('reads JavaScript numbers as they print', () => {
    expect(fromNumber(250.75)).toEqual({ num: 1003n, den: 4n })
    expect(() => fromNumber(Number.NaN)).toThrow(RangeError)
  })
})

describe('rate precision', () => {
  it.each([
    ['81.2345', 4, 81.2345],
    ['1.05347', 5, 1.05347],
    ['0.0030812', 8, 0.0030812],
    ['0.9504799', 6, 0.95048],
    ['15890', 4, 15890],
    ['0', 4, 0],
  ])('%s keeps %i decimals', (text, decimals, rounded) => {
    const value = parseDecimal(text)!
    expect(rateDecimals(value)).toBe(decimals)
    expect(roundRate(value)).toBe(rounded)
  })
})

import { describe, expect, it } from 'vitest'
import { convertMinor, fromMinor, loadRates, toMinor, type RateTable } from './money.js'

const table: RateTable = {
  asOf: '2025-10-01',
  base: 'RUB',
  source: 'test',
  rates: { RUB: 1, EUR: 94, USD: 81.5, KZT: 0.163 },
}

describe('money in minor units', () => {
  it.each([
    [89.99, 8999],
    [0.1 + 0.2, 30],
    [1.005, 101],
    [0, 0],
    [41900, 4190000],
  ])('toMinor(%s) = %i', (amount, minor) => {
    expect(toMinor(amount)).toBe(minor)
  })

  it('three fares of 0.10 add up to exactly 0.30', () => {
    expect(fromMinor(toMinor(0.1) * 3)).toBe(0.3)
  })

  it.each([
    [10000, 'EUR', 'RUB', 940000],
    [4190000, 'RUB', 'EUR', 44574],
    [10000, 'EUR', 'USD', 11534],
    [17200000, 'KZT', 'RUB', 2803600],
    [12345, 'USD', 'USD', 12345],
  ])('convertMinor(%i %s → %s) = %i', (minor, from, to, out) => {
    expect(convertMinor(minor, from, to, table)).toBe(out)
  })

  it('names the field and the currency without a rate', () => {
    expect(() => convertMinor(100, 'EUR', 'XYZ', table)).toThrow(
      'currency: no exchange rate for XYZ; known: RUB, EUR, USD, KZT',
    )
  })

  it('ships dated rates with RUB as the base', () => {
    const rates = loadRates()
    expect(rates).toMatchObject({ asOf: '2025-10-01', base: 'RUB' })
    expect(rates.rates.RUB).toBe(1)
    expect(rates.rates.EUR).toBe(94)
  })
})

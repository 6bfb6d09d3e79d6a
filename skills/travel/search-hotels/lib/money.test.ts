import { convertMinor, loadRates, toMinor } from '@skillos-skills/travel-search-flights/money'
import { describe, expect, it } from 'vitest'

describe('money', () => {
  const rates = loadRates()

  it.each([
    [129.99, 12999],
    [0.1 + 0.2, 30],
  ])('toMinor(%s) = %i', (amount, minor) => {
    expect(toMinor(amount)).toBe(minor)
  })

  it.each([
    [5670000, 'RUB', 'USD', 69571],
    [25500, 'EUR', 'RUB', 2397000],
    [100, 'EUR', 'EUR', 100],
  ])('convertMinor(%i %s → %s) = %i', (minor, from, to, out) => {
    expect(convertMinor(minor, from, to, rates)).toBe(out)
  })

  it('refuses a currency without a rate', () => {
    expect(() => convertMinor(1, 'XYZ', 'RUB', rates)).toThrow('currency: no exchange rate for XYZ')
  })
})

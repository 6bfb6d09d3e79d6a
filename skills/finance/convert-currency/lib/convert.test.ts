import { readOfflineTables, type RateTable } from '@skillos-skills/finance-exchange-rates/rates'
import { describe, expect, it } from 'vitest'
import { checkAmount, convertAmount, groupDigits } from './convert.js'
import { minorUnitsOf } from './minor-units.js'

const [cbr] = await readOfflineTables('cbr')
const [ecb] = await readOfflineTables('ecb')
if (!cbr || !ecb) throw new Error('snapshots missing')

describe('convertAmount through the Bank of Russia snapshot (2026-11-21)', () => {
  it.each([
    // amount, from, to, result, rate, via
    [250, 'EUR', 'RUB', 21394.48, 85.5779, undefined], // 21394.475 rounds half up
    [100, 'USD', 'CNY', 723.88, 7.2388, 'RUB'],
    [1000, 'USD', 'JPY', 154468, 154.4685, 'RUB'], // yen have no minor unit
    [0.01, 'USD', 'RUB', 0.81, 81.2345, undefined],
    [1234567.89, 'EUR', 'USD', 1300577.06, 1.05347, 'RUB'],
    [5000, 'RUB', 'USD', 61.55, 0.01231, undefined],
    [100, 'USD', 'VND', 2636457, 26364.5658, 'RUB'],
    [0, 'USD', 'RUB', 0, 81.2345, undefined],
    [42, 'EUR', 'EUR', 42, 1, undefined],
  ])('%d %s → %s = %d', (amount, from, to, result, rate, via) => {
    const conversion = convertAmount(cbr, amount, from, to)
    expect(conversion.result).toBe(result)
    expect(conversion.rate).toBe(rate)
    expect(conversion.via).toBe(via)
    expect(conversion).toMatchObject({
      date: '2026-11-21',
      source: 'cbr',
      sourceName: 'Bank of Russia',
    })
  })

  it('has no floating-point drift: 0.1 + 0.2 EUR style amounts convert exactly', () => {
    const table: RateTable = {
      source: 'cbr',
      base: 'RUB',
      date: '2026-11-21',
      quotes: [{ code: 'USD', units: '1', baseUnits: '0.1' }],
    }
    // 0.3 × 0.1 = 0.03 exactly (as doubles it is 0.030000000000000002).
    expect(convertAmount(table, 0.3, 'USD', 'RUB').result).toBe(0.03)
    // 1.005 × 1 rounds to 1.01 (as a double, 1.005 is 1.00499999…).
    expect(
      convertAmount(
        { ...table, quotes: [{ code: 'USD', units: '1', baseUnits: '1' }] },
        1.005,
        'USD',
        'RUB',
      ).result,
    ).toBe(1.01)
  })

  it('upper-cases codes and describes the conversion with its rate, date and source', () => {
    expect(convertAmount(cbr, 100, 'usd', 'cny')).toEqual({
      amount: 100,
      from: 'USD',
      to: 'CNY',
      result: 723.88,
      rate: 7.2388,
      inverseRate: 0.138145,
      via: 'RUB',
      date: '2026-11-21',
      source: 'cbr',
      sourceName: 'Bank of Russia',
      text: '100 USD = 723.88 CNY at 1 USD = 7.2388 CNY (cross rate via RUB), Bank of Russia rates for 2026-11-21',
    })
  })

  it.each([
    [1, 'XYZ', 'RUB', 'from: XYZ is not quoted by the Bank of Russia (cbr) on 2026-11-21'],
    [1, 'USD', 'ISK', 'to: ISK is not quoted by the Bank of Russia'],
    [1, 'dollar', 'RUB', 'from: "DOLLAR" is not an ISO 4217 currency code'],
    [-250, 'EUR', 'RUB', 'amount: must be a number of 0 or more, got -250'],
    [Number.NaN, 'EUR', 'RUB', 'amount: must be a number of 0 or more, got NaN'],
  ])('refuses %d %s → %s, naming the field', (amount, from, to, message) => {
    expect(() => convertAmount(cbr, amount, from, to)).toThrow(message)
  })
})

describe('convertAmount through the ECB snapshot (2026-11-20)', () => {
  it.each([
    [100, 'EUR', 'USD', 105.21, 1.0521, undefined],
    [300, 'GBP', 'EUR', 359.35, 1.19782, undefined],
    [100, 'USD', 'ISK', 13868, 138.675, 'EUR'],
    [1000, 'CHF', 'KRW', 1575102, 1575.102, 'EUR'],
  ])('%d %s → %s = %d', (amount, from, to, result, rate, via) => {
    const conversion = convertAmount(ecb, amount, from, to)
    expect([conversion.result, conversion.rate, conversion.via]).toEqual([result, rate, via])
  })

  it('refuses RUB, which the ECB does not publish', () => {
    expect(() => convertAmount(ecb, 250, 'EUR', 'RUB')).toThrow(
      'to: RUB is not quoted by the European Central Bank (ecb) on 2026-11-20',
    )
  })
})

describe('helpers', () => {
  it.each([
    ['1234567.50', '1\u202f234\u202f567.50'],
    ['999', '999'],
    ['-1000', '-1\u202f000'],
    ['0.05', '0.05'],
  ])('groups %s as %s', (text, grouped) => {
    expect(groupDigits(text)).toBe(grouped)
  })

  it.each([
    ['RUB', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['XDR', 2],
  ])('%s has %i minor digits', (code, digits) => {
    expect(minorUnitsOf(code)).toBe(digits)
  })

  it('accepts zero and positive amounts', () => {
    expect(() => checkAmount(0)).not.toThrow()
    expect(() => checkAmount(Number.POSITIVE_INFINITY)).toThrow('amount:')
  })
})

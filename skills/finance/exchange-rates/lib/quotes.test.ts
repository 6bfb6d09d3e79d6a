import { describe, expect, it } from 'vitest'
import { divide, parseDecimal, roundToString } from './decimal.js'
import { readOfflineTables } from './provider.js'
import { describeRate, listRates, normalizeCode, requireCurrencies } from './quotes.js'
import { crossRate, currenciesOf, hasCurrency, unitValue, type RateTable } from './rate-table.js'

const [cbr] = await readOfflineTables('cbr')
const [ecb] = await readOfflineTables('ecb')
if (!cbr || !ecb) throw new Error('snapshots missing')

const tiny: RateTable = {
  source: 'cbr',
  base: 'RUB',
  date: '2026-11-21',
  quotes: [
    { code: 'USD', units: '1', baseUnits: '81.2345' },
    { code: 'JPY', units: '100', baseUnits: '52.5897' },
    { code: 'EUR', units: '1', baseUnits: '85.5779' },
  ],
}

describe('unitValue and crossRate', () => {
  it('divides Value by Nominal exactly', () => {
    expect(unitValue(tiny, 'JPY')).toEqual(parseDecimal('0.525897'))
    expect(unitValue(tiny, 'RUB')).toEqual({ num: 1n, den: 1n })
    expect(unitValue(tiny, 'CNY')).toBeUndefined()
  })

  it.each([
    ['EUR', 'USD', '1.05346743'],
    ['USD', 'EUR', '0.94924624'],
    ['USD', 'JPY', '154.46846055'],
    ['RUB', 'USD', '0.01231004'],
    ['USD', 'USD', '1.00000000'],
  ])('crosses %s → %s through RUB', (from, to, expected) => {
    const rate = crossRate(tiny, from, to)
    expect(rate && roundToString(rate, 8)).toBe(expected)
  })

  it('inverts ECB quotes: one euro buys `rate` units, so a dollar is 1/1.0521 euro', () => {
    expect(unitValue(ecb, 'USD')).toEqual(divide(parseDecimal('1')!, parseDecimal('1.0521')!))
    const gbpUsd = crossRate(ecb, 'GBP', 'USD')
    expect(gbpUsd && roundToString(gbpUsd, 6)).toBe('1.260226') // 1.0521 / 0.83485
  })

  it('lists the base first, then the publisher order', () => {
    expect(currenciesOf(tiny)).toEqual(['RUB', 'USD', 'JPY', 'EUR'])
    expect(hasCurrency(ecb, 'EUR')).toBe(true)
    expect(hasCurrency(ecb, 'RUB')).toBe(false)
  })
})

describe('listRates', () => {
  it('quotes the requested currencies in the publisher base', () => {
    expect(listRates(cbr, ['USD', 'EUR', 'CNY', 'VND'], 'RUB')).toEqual([
      { code: 'USD', name: 'Доллар США', rate: 81.2345, inverse: 0.01231 },
      { code: 'EUR', name: 'Евро', rate: 85.5779, inverse: 0.0116853 },
      { code: 'CNY', name: 'Юань', rate: 11.2221, inverse: 0.0891099 },
      { code: 'VND', name: 'Донгов', rate: 0.0030812, inverse: 324.5489 },
    ])
  })

  it('crosses to another base and lists every quoted currency when none is asked', () => {
    const rates = listRates(cbr, [], 'USD')
    expect(rates).toHaveLength(42) // 42 quoted + RUB − USD
    expect(rates.find((r) => r.code === 'RUB')).toEqual({
      code: 'RUB',
      rate: 0.01231,
      inverse: 81.2345,
    })
    expect(rates.find((r) => r.code === 'EUR')).toMatchObject({ rate: 1.05347, inverse: 0.949246 })
  })

  it('deduplicates', () => {
    expect(listRates(ecb, ['USD', 'USD'], 'EUR')).toEqual([
      { code: 'USD', rate: 0.95048, inverse: 1.0521 },
    ])
  })

  it.each([
    [['XYZ'], 'RUB', 'currencies: XYZ is not quoted by the Bank of Russia (cbr) on 2026-11-21'],
    [
      ['ISK'],
      'RUB',
      'currencies: ISK is not quoted by the Bank of Russia (cbr) on 2026-11-21; it quotes RUB, AUD, AZN, GBP',
    ],
    [['USD'], 'EURO', 'base: "EURO" is not an ISO 4217 currency code'],
    [['USD'], 'ISK', 'base: ISK is not quoted'],
  ])('refuses %j against %s, naming the field and the code', (codes, base, message) => {
    expect(() => listRates(cbr, codes, base)).toThrow(message)
  })

  it('refuses RUB at the ECB, which has not published it since March 2022', () => {
    expect(() => requireCurrencies(ecb, ['RUB'], 'from')).toThrow(
      'from: RUB is not quoted by the European Central Bank (ecb) on 2026-11-20',
    )
  })
})

describe('describeRate', () => {
  it.each([
    ['USD', 'RUB', '1 USD = 81.2345 RUB'],
    ['AUD', 'RUB', '1 AUD = 53.0200 RUB'],
    ['VND', 'RUB', '1 VND = 0.0030812 RUB'],
  ])('%s in %s: %s', (code, base, text) => {
    expect(describeRate(cbr, code, base)).toBe(text)
  })

  it('keeps six significant digits of an ECB cross rate without trailing zeros', () => {
    expect(describeRate(ecb, 'USD', 'EUR')).toBe('1 USD = 0.95048 EUR')
  })

  it('normalizes codes', () => {
    expect(normalizeCode(' usd ')).toBe('USD')
  })
})

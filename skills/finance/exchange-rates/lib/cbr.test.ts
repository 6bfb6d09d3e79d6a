import { describe, expect, it } from 'vitest'
import { parseCbrXml } from './cbr.js'
import { cbrXml, snapshotBytes, valute } from './feeds.test-data.js'
import { decodeXml } from './xml-document.js'

describe('parseCbrXml', () => {
  it('reads the shipped windows-1251 snapshot: date, Russian names, comma decimals, nominals', async () => {
    const table = parseCbrXml(decodeXml(await snapshotBytes('cbr-2026-11-21.xml')))
    expect(table.source).toBe('cbr')
    expect(table.base).toBe('RUB')
    expect(table.date).toBe('2026-11-21')
    expect(table.quotes).toHaveLength(42)
    expect(table.quotes.find((q) => q.code === 'USD')).toEqual({
      code: 'USD',
      name: 'Доллар США',
      units: '1',
      baseUnits: '81.2345',
    })
    expect(table.quotes.find((q) => q.code === 'JPY')).toMatchObject({ units: '100', name: 'Иен' })
    expect(table.quotes.find((q) => q.code === 'VND')).toMatchObject({
      units: '10000',
      baseUnits: '30.8120',
    })
  })

  it('reads documents without VunitRate (before 2023) and with many spaces', () => {
    const table = parseCbrXml(
      cbrXml(
        '01.02.2022',
        '<Valute ID="R01235">\n <CharCode> USD </CharCode><Nominal>1</Nominal><Value>77,4146</Value></Valute>',
      ),
    )
    expect(table).toEqual({
      source: 'cbr',
      base: 'RUB',
      date: '2022-02-01',
      quotes: [{ code: 'USD', units: '1', baseUnits: '77.4146' }],
    })
  })

  it.each([
    ['', 'document: the Bank of Russia rates is empty'],
    ['<html><body>Service unavailable</body>', 'is not well-formed XML'],
    ['<?xml version="1.0"?><rates/>', 'no <ValCurs> element'],
    [
      cbrXml('2026-11-21', valute('USD', '1', '81,2345')),
      '<ValCurs Date="2026-11-21"> is not a DD.MM.YYYY date',
    ],
    [cbrXml('31.02.2026', valute('USD', '1', '81,2345')), 'is not a DD.MM.YYYY date'],
    [cbrXml('21.11.2026', valute('usd', '1', '81,2345')), 'has no valid CharCode'],
    [cbrXml('21.11.2026', valute('USD', '0', '81,2345')), 'USD has a malformed Nominal "0"'],
    [
      cbrXml('21.11.2026', valute('USD', '1', '81.2345.1')),
      'USD has a malformed Value "81.2345.1"',
    ],
    [cbrXml('21.11.2026', valute('USD', '1', '-81,2345')), 'USD has a malformed Value'],
    [cbrXml('21.11.2026', ''), 'no rates for 21.11.2026'],
  ])('refuses a malformed document %#, naming the problem', (xml, message) => {
    expect(() => parseCbrXml(xml)).toThrow(message)
    try {
      parseCbrXml(xml)
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED' })
    }
  })
})

describe('decodeXml', () => {
  const bytes = Buffer.from([0xc4, 0xee, 0xeb, 0xeb, 0xe0, 0xf0]) // "Доллар" in windows-1251

  it('honours the charset of the Content-Type header first', () => {
    expect(decodeXml(bytes, 'application/xml; charset=windows-1251')).toBe('Доллар')
  })

  it('then the encoding of the XML declaration, else UTF-8', () => {
    const declared = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1251"?>'),
      bytes,
    ])
    expect(decodeXml(declared)).toBe('<?xml version="1.0" encoding="windows-1251"?>Доллар')
    expect(decodeXml(Buffer.from('<a>€</a>'))).toBe('<a>€</a>')
  })

  it('refuses an encoding it does not know', () => {
    expect(() => decodeXml(bytes, 'text/xml; charset=klingon')).toThrow(
      'document: unsupported character encoding "klingon"',
    )
  })
})

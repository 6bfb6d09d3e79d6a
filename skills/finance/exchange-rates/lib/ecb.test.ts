import { describe, expect, it } from 'vitest'
import { parseEcbXml } from './ecb.js'
import { ecbXml, snapshotBytes } from './feeds.test-data.js'

describe('parseEcbXml', () => {
  it('reads the shipped daily snapshot: one day, euro base, rates as published', async () => {
    const tables = parseEcbXml((await snapshotBytes('ecb-2026-11-20.xml')).toString('utf8'))
    expect(tables).toHaveLength(1)
    const [table] = tables
    expect(table?.date).toBe('2026-11-20')
    expect(table?.base).toBe('EUR')
    expect(table?.quotes).toHaveLength(29)
    expect(table?.quotes[0]).toEqual({ code: 'USD', units: '1.0521', baseUnits: '1' })
    expect(table?.quotes.find((q) => q.code === 'RUB')).toBeUndefined()
  })

  it('reads the history format, oldest day first', () => {
    const tables = parseEcbXml(
      ecbXml({
        '2026-11-20': { USD: '1.0521' },
        '2026-11-18': { USD: '1.0490' },
        '2026-11-19': { USD: '1.0502' },
      }),
    )
    expect(tables.map((t) => [t.date, t.quotes[0]?.units])).toEqual([
      ['2026-11-18', '1.0490'],
      ['2026-11-19', '1.0502'],
      ['2026-11-20', '1.0521'],
    ])
  })

  it.each([
    ['<rates/>', 'no <gesmes:Envelope> element'],
    [ecbXml({}), 'no <Cube time="…"> day'],
    [
      ecbXml({ '20.11.2026': { USD: '1.05' } }),
      '<Cube time="20.11.2026"> is not a YYYY-MM-DD date',
    ],
    [ecbXml({ '2026-11-20': {} }), '2026-11-20: no rates'],
    [ecbXml({ '2026-11-20': { usd: '1.05' } }), '"usd" is not a currency code'],
    [ecbXml({ '2026-11-20': { USD: '1,05' } }), 'USD has a malformed rate "1,05"'],
    [ecbXml({ '2026-11-20': { USD: '0' } }), 'USD has a malformed rate "0"'],
    ['<gesmes:Envelope><Cube>', 'not well-formed XML'],
  ])('refuses a malformed document %#, naming the problem', (xml, message) => {
    expect(() => parseEcbXml(xml)).toThrow(message)
  })
})

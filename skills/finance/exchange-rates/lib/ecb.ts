import { SkillOSError } from '@skillos/contracts'
import { parseDecimal } from './decimal.js'
import { isCalendarDate } from './dates.js'
import type { Quote, RateTable } from './rate-table.js'
import { asNodes, parseXml, textOf, type XmlNode } from './xml-document.js'

function fail(message: string): never {
  throw new SkillOSError({ code: 'VALIDATION_FAILED', message: `document: ${message}` })
}

function daysIn(node: XmlNode, out: XmlNode[]): void {
  for (const cube of asNodes(node.Cube)) {
    if (textOf(cube.time) !== undefined) out.push(cube)
    else daysIn(cube, out)
  }
}

/**
 * Parses ECB euro reference rates (`https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml`,
 * and the same format with many days: `eurofxref-hist-90d.xml`, `eurofxref-hist.xml`):
 * `<gesmes:Envelope><Cube><Cube time="2026-11-20"><Cube currency="USD" rate="1.0521"/>…`, where
 * one euro buys `rate` units. Returns one table per day, oldest first. A malformed document or
 * entry is a `VALIDATION_FAILED` naming it.
 *
 * @example
 * ```ts
 * const [table] = parseEcbXml(xml)
 * table.quotes[0] // { code: 'USD', units: '1.0521', baseUnits: '1' }
 * ```
 */
export function parseEcbXml(text: string): RateTable[] {
  const doc = parseXml(text, 'the ECB reference rates')
  const envelope = asNodes(doc.Envelope)[0]
  if (!envelope) fail('not ECB reference rates XML (no <gesmes:Envelope> element)')
  const days: XmlNode[] = []
  daysIn(envelope, days)
  if (days.length === 0) fail('no <Cube time="…"> day in the ECB reference rates')
  const tables = days.map((day): RateTable => {
    const date = textOf(day.time) ?? ''
    if (!isCalendarDate(date)) fail(`<Cube time="${date}"> is not a YYYY-MM-DD date`)
    const quotes = asNodes(day.Cube).map((cube): Quote => {
      const code = textOf(cube.currency) ?? ''
      if (!/^[A-Z]{3}$/.test(code)) fail(`${date}: "${code}" is not a currency code`)
      const rate = textOf(cube.rate) ?? ''
      const parsed = parseDecimal(rate)
      if (!parsed || parsed.num <= 0n || !/^\d+(?:\.\d+)?$/.test(rate))
        fail(`${date}: ${code} has a malformed rate "${rate}"`)
      return { code, units: rate, baseUnits: '1' }
    })
    if (quotes.length === 0) fail(`${date}: no rates`)
    return { source: 'ecb', base: 'EUR', date, quotes }
  })
  return tables.sort((a, b) => a.date.localeCompare(b.date))
}

import { SkillOSError } from '@skillos/contracts'
import { parseDecimal } from './decimal.js'
import { isCalendarDate } from './dates.js'
import type { Quote, RateTable } from './rate-table.js'
import { asNode, asNodes, parseXml, textOf } from './xml-document.js'

function fail(message: string): never {
  throw new SkillOSError({ code: 'VALIDATION_FAILED', message: `document: ${message}` })
}

/**
 * Parses the Bank of Russia daily rates (`https://www.cbr.ru/scripts/XML_daily.asp?date_req=DD/MM/YYYY`):
 * `<ValCurs Date="21.11.2026"><Valute ID="R01235"><NumCode>840</NumCode><CharCode>USD</CharCode>
 * <Nominal>1</Nominal><Name>Доллар США</Name><Value>81,2345</Value><VunitRate>81,2345</VunitRate>`.
 * Comma decimals; `Value` is the price of `Nominal` units (10 for SEK, 100 for JPY, 10000 for VND).
 * Pass text already decoded (see `decodeXml`: the feed is windows-1251). A malformed document or
 * entry is a `VALIDATION_FAILED` naming it.
 *
 * @example
 * ```ts
 * const table = parseCbrXml(decodeXml(bytes))
 * table.date // '2026-11-21'
 * table.quotes.find((q) => q.code === 'JPY') // { code: 'JPY', name: 'Иен', units: '100', baseUnits: '52.3321' }
 * ```
 */
export function parseCbrXml(text: string): RateTable {
  const root = asNode(parseXml(text, 'the Bank of Russia rates').ValCurs)
  if (!root) fail('not Bank of Russia rates XML (no <ValCurs> element)')
  const written = textOf(root.Date)
  const parts = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(written ?? '')
  const date = parts ? `${parts[3]}-${parts[2]}-${parts[1]}` : undefined
  if (!date || !isCalendarDate(date))
    fail(`<ValCurs Date="${written ?? ''}"> is not a DD.MM.YYYY date`)
  const quotes: Quote[] = []
  for (const valute of asNodes(root.Valute)) {
    const code = textOf(valute.CharCode) ?? ''
    if (!/^[A-Z]{3}$/.test(code))
      fail(`<Valute ID="${textOf(valute.ID) ?? ''}"> has no valid CharCode`)
    const nominal = textOf(valute.Nominal) ?? ''
    if (!/^[1-9]\d*$/.test(nominal)) fail(`${code} has a malformed Nominal "${nominal}"`)
    const value = textOf(valute.Value) ?? ''
    const parsed = parseDecimal(value)
    if (!parsed || parsed.num <= 0n || /e/i.test(value))
      fail(`${code} has a malformed Value "${value}"`)
    const name = textOf(valute.Name)
    quotes.push({
      code,
      ...(name ? { name } : {}),
      units: nominal,
      baseUnits: value.replace(',', '.'),
    })
  }
  if (quotes.length === 0) fail(`no rates for ${written ?? 'the requested date'}`)
  return { source: 'cbr', base: 'RUB', date, quotes }
}

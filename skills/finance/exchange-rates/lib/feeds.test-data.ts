import { readFile } from 'node:fs/promises'

/** The raw bytes of the shipped snapshots, as the live feeds serve them (CBR: windows-1251). */
export async function snapshotBytes(
  name: 'cbr-2026-11-21.xml' | 'ecb-2026-11-20.xml',
): Promise<Buffer> {
  return readFile(new URL(`../fixtures/${name}`, import.meta.url))
}

/** A Bank of Russia document around the given `<Valute>` entries. */
export function cbrXml(date: string, valutes: string): string {
  return `<?xml version="1.0" encoding="windows-1251"?><ValCurs Date="${date}" name="Foreign Currency Market">${valutes}</ValCurs>`
}

/** One `<Valute>` entry. */
export function valute(code: string, nominal: string, value: string, name = code): string {
  return `<Valute ID="R0"><NumCode>000</NumCode><CharCode>${code}</CharCode><Nominal>${nominal}</Nominal><Name>${name}</Name><Value>${value}</Value><VunitRate>${value}</VunitRate></Valute>`
}

/** An ECB document with one `<Cube time>` per day. */
export function ecbXml(days: Record<string, Record<string, string>>): string {
  const cubes = Object.entries(days)
    .map(
      ([time, rates]) =>
        `<Cube time="${time}">${Object.entries(rates)
          .map(([currency, rate]) => `<Cube currency="${currency}" rate="${rate}"/>`)
          .join('')}</Cube>`,
    )
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><gesmes:subject>Reference rates</gesmes:subject><Cube>${cubes}</Cube></gesmes:Envelope>`
}

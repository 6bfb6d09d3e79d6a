import { readFileSync } from 'node:fs'
import { captureSkillError } from '@skillos/sdk/testing'
import { describe, expect, it } from 'vitest'
import { buildXlsx } from '../testing/build-xlsx.js'
import { parsePriceList } from './parse-price-list.js'
import { parseTextLine } from './price-row.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

function brief(rows: Awaited<ReturnType<typeof parsePriceList>>['rows']) {
  return rows.map((r) => [
    r.line,
    r.variety,
    r.grade,
    r.unit,
    r.packSize,
    r.price,
    r.currency,
    r.pricePerPiece,
  ])
}

describe('parsePriceList: French supplier CSV (; and comma decimals, EUR)', () => {
  it('reads every offer with grade, pack and price per piece', async () => {
    const list = await parsePriceList({
      document: fixture('lestrade-marennes-2026-w47.csv'),
      fileName: 'lestrade-marennes-2026-w47.csv',
      supplier: 'Maison Lestrade',
    })
    expect(list.format).toBe('csv')
    expect(brief(list.rows)).toEqual([
      [3, 'gillardeau', 2, 'box', 50, 172.5, 'EUR', 3.45],
      [4, 'gillardeau', 3, 'box', 50, 149, 'EUR', 2.98],
      [5, 'speciale-de-claire', 2, 'box', 48, 69.6, 'EUR', 1.45],
      [6, 'fine-de-claire', 3, 'box', 48, 52.8, 'EUR', 1.1],
      [7, 'fine-de-claire', 3, 'dozen', undefined, 13.9, 'EUR', 1.1583],
      [8, 'fine-de-claire', 2, 'box', 48, 74.4, 'EUR', 1.55],
      [9, 'belon', 0, 'box', 25, 67.5, 'EUR', 2.7],
      [10, 'pacific', 4, 'kg', undefined, 7.8, 'EUR', undefined],
    ])
    expect(list.rows[0]).toMatchObject({
      origin: 'Marennes-Oléron, France',
      supplier: 'Maison Lestrade',
      species: 'Crassostrea gigas',
    })
    expect(list.rows[5]?.product).toBe('Fine de Claire "Verte" Label Rouge')
    expect(list.rows[6]?.origin).toBe('Brittany, France')
  })

  it('reports each line it could not read with the reason', async () => {
    const list = await parsePriceList({ document: fixture('lestrade-marennes-2026-w47.csv') })
    expect(list.errors).toEqual([
      {
        line: 11,
        text: 'Gillardeau | 7 | Marennes-Oléron | Bourriche de 50 | colis | 139,00',
        reason: 'grade N°7 is outside N°0–5',
      },
      {
        line: 12,
        text: 'Spéciale de Claire | 3 | Marennes-Oléron | Colis de 48 | colis | sur demande',
        reason: 'price "sur demande" is not a number',
      },
      {
        line: 13,
        text: 'Moules de bouchot | Charente | Sac de 5 kg | kg | 4,20',
        reason: 'no oyster variety recognised in "Moules de bouchot"',
      },
    ])
    expect(list.summary).toEqual({
      lines: 14,
      parsed: 8,
      failed: 3,
      currencies: ['EUR'],
      varieties: ['belon', 'fine-de-claire', 'gillardeau', 'pacific', 'speciale-de-claire'],
    })
  })
})

describe('parsePriceList: Russian pasted list (RUB)', () => {
  it('reads offers, skips headings and notes, and names the bad lines', async () => {
    const list = await parsePriceList({ document: fixture('ustritsy-opt-2026-11-20.txt') })
    expect(list.format).toBe('text')
    expect(brief(list.rows)).toEqual([
      [5, 'gillardeau', 2, 'piece', undefined, 540, 'RUB', 540],
      [6, 'gillardeau', 3, 'piece', undefined, 465, 'RUB', 465],
      [7, 'fine-de-claire', 3, 'piece', undefined, 310, 'RUB', 310],
      [8, 'speciale-de-claire', 2, 'box', 48, 17760, 'RUB', 370],
      [9, 'belon', 0, 'piece', undefined, 890, 'RUB', 890],
      [12, 'black-sea', 3, 'dozen', undefined, 2640, 'RUB', 220],
      [13, 'far-eastern', 1, 'kg', undefined, 1450, 'RUB', undefined],
      [14, 'kumamoto', 3, 'piece', undefined, 690, 'RUB', 690],
    ])
    expect(list.rows.map((r) => r.origin)).toEqual([
      'Marennes-Oléron, France',
      'Marennes-Oléron, France',
      'France',
      undefined,
      'Brittany, France',
      'Crimea',
      'Primorye, Russia',
      'Japan',
    ])
    expect(list.errors).toEqual([
      { line: 15, text: 'Устрица Жиллардо №1 — цена по запросу', reason: 'no price found' },
      {
        line: 16,
        text: 'Устрица дальневосточная калибр 7 — 180 ₽/шт',
        reason: 'grade N°7 is outside N°0–5',
      },
    ])
  })

  it('takes a bare number as the price when defaultCurrency is given, and says so', async () => {
    const list = await parsePriceList({
      document: 'Фин де Клер №2 — 330\nКумамото №3 — 690',
      defaultCurrency: 'rub',
    })
    expect(brief(list.rows)).toEqual([
      [1, 'fine-de-claire', 2, 'piece', undefined, 330, 'RUB', 330],
      [2, 'kumamoto', 3, 'piece', undefined, 690, 'RUB', 690],
    ])
    expect(list.rows[0]?.notes).toEqual([
      'currency not written: RUB (defaultCurrency) assumed',
      'unit not written: price per piece assumed',
    ])
  })

  it('asks for defaultCurrency when a line has a bare number only', () => {
    expect(parseTextLine('Фин де Клер №2 — 330', 3, {})).toEqual({
      line: 3,
      text: 'Фин де Клер №2 — 330',
      reason: 'no currency on this line (pass defaultCurrency)',
    })
  })

  it('does not read the grade as part of the price', () => {
    expect(parseTextLine('Устрица черноморская калибр 3 450 руб/шт', 1, {})).toMatchObject({
      grade: 3,
      price: 450,
      unit: 'piece',
    })
  })
})

describe('parsePriceList: TSV in several currencies', () => {
  it('reads pack column, unit column and currency column', async () => {
    const list = await parsePriceList({
      document: fixture('north-pacific-shellfish-2026-11.tsv'),
      fileName: 'north-pacific-shellfish-2026-11.tsv',
    })
    expect(list.format).toBe('tsv')
    expect(brief(list.rows)).toEqual([
      [2, 'kumamoto', 3, 'box', 60, 118.8, 'USD', 1.98],
      [3, 'kusshi', 4, 'box', 100, 165, 'USD', 1.65],
      [4, 'blue-point', 2, 'box', 100, 142, 'USD', 1.42],
      [5, 'sydney-rock', 3, 'box', 48, 96, 'AUD', 2],
      [6, 'pacific', 2, 'dozen', 96, 21, 'EUR', 1.75],
      [7, 'fine-de-claire', 3, 'piece', undefined, 1.05, 'EUR', 1.05],
    ])
    expect(list.rows[0]?.origin).toBe('British Columbia, Canada')
    expect(list.errors.map((e) => [e.line, e.reason])).toEqual([
      [8, 'currency "XYZ" is not recognised'],
      [9, 'grade "small" is not N°0–5'],
    ])
    expect(list.summary.currencies).toEqual(['AUD', 'EUR', 'USD'])
  })
})

describe('parsePriceList: XLSX', () => {
  it('reads the first sheet of a workbook given as base64, rows numbered as in the sheet', async () => {
    const bytes = buildXlsx([
      ['Tarif Arcachon Ostréa — 18/11/2026'],
      [],
      ['Produit', 'Calibre', 'Origine', 'Prix € / douzaine'],
      ['Fine de Claire', 2, 'Arcachon', 14.4],
      ['Spéciale de Claire', 3, 'Arcachon', '15,60'],
      ['Gillardeau', 'N°2', 'FR', 41.4],
      ['Kumamoto', 3, 'Japon', 'n/c'],
    ])
    const list = await parsePriceList({
      documentBase64: bytes.toString('base64'),
      fileName: 'tarif-arcachon.xlsx',
    })
    expect(list.format).toBe('xlsx')
    expect(brief(list.rows)).toEqual([
      [4, 'fine-de-claire', 2, 'dozen', undefined, 14.4, 'EUR', 1.2],
      [5, 'speciale-de-claire', 3, 'dozen', undefined, 15.6, 'EUR', 1.3],
      [6, 'gillardeau', 2, 'dozen', undefined, 41.4, 'EUR', 3.45],
    ])
    expect(list.rows.map((r) => r.origin)).toEqual([
      'Arcachon, France',
      'Arcachon, France',
      'France',
    ])
    expect(list.errors).toEqual([
      { line: 7, text: 'Kumamoto | 3 | Japon | n/c', reason: 'price "n/c" is not a number' },
    ])
  })

  it('refuses bytes that are not a workbook, naming the file', async () => {
    const error = await captureSkillError(
      parsePriceList({
        documentBase64: Buffer.from('PK not really a zip').toString('base64'),
        fileName: 'broken.xlsx',
      }),
    )
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toMatch(/^documentBase64: broken\.xlsx is not a readable \.xlsx workbook/)
  })

  it('reads base64 text files as text', async () => {
    const list = await parsePriceList({
      documentBase64: Buffer.from('Кумамото №3 — 690 ₽/шт').toString('base64'),
      fileName: 'price.txt',
    })
    expect(brief(list.rows)).toEqual([[1, 'kumamoto', 3, 'piece', undefined, 690, 'RUB', 690]])
  })
})

describe('parsePriceList: bad input', () => {
  it.each([
    [{ document: '' }, /^document: the price list is empty/],
    [{ document: '  \n\n ' }, /^document: the price list is empty/],
    [{}, /^document: the price list is empty/],
    [{ document: 'Gillardeau 3 €', defaultCurrency: 'EURO' }, /^defaultCurrency: "EURO" is not/],
    [{ document: 'x', fileName: 'a.xlsx' }, /^documentBase64: a\.xlsx is a workbook/],
  ])('refuses %j', async (input, message) => {
    const error = await captureSkillError(parsePriceList(input))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toMatch(message)
  })

  it('fails a list in which no line can be read, naming the first lines and reasons', async () => {
    const error = await captureSkillError(
      parsePriceList({
        document:
          'Gillardeau N°9 — 5 €/pc\nMoules de bouchot — 4 €/kg\nFine de Claire N°3 — sur demande',
      }),
    )
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toBe(
      'document: no price rows could be read — line 1: grade N°9 is outside N°0–5; line 2: no oyster variety recognised in "Moules de bouchot"; line 3: no price found',
    )
    expect((error.details?.errors as unknown[]).length).toBe(3)
  })

  it('fails prose with no offers at all', async () => {
    const error = await captureSkillError(
      parsePriceList({ document: 'Bonjour, voici notre tarif.' }),
    )
    expect(error.message).toBe(
      'document: no price rows could be read (no line names an oyster variety with a price)',
    )
  })

  it('reports a CSV line whose quotes are broken and reads the rest', async () => {
    const list = await parsePriceList({
      document: 'Produit;Calibre;Prix €\nGillardeau;2;3,45\n"Fine de Claire;3;1,10\nBelon;0;2,70',
      fileName: 'x.csv',
    })
    expect(list.rows.map((r) => [r.line, r.variety])).toEqual([[2, 'gillardeau']])
    expect(list.errors).toEqual([
      {
        line: 3,
        text: '"Fine de Claire;3;1,10',
        reason: 'a quote opened here is never closed: lines 3–4 cannot be split into cells',
      },
    ])
  })
})

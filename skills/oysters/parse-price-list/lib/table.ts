import { foldText } from './text-fold.js'
import { parseTableRow, type LineError, type PriceRow, type RowContext } from './price-row.js'

/** The meaning of a column. */
export type ColumnRole = 'product' | 'grade' | 'origin' | 'unit' | 'pack' | 'price' | 'currency'

// Folded header words (FR, EN, RU), checked in this order: "Prix colis" is a price, not a pack.
const HEADER_WORDS: [ColumnRole, RegExp][] = [
  ['currency', /^(?:devise|monnaie|currency|ccy|валюта)$/u],
  ['price', /(?:prix|price|tarif|цена|стоимость|€|₽|eur\b|руб)/u],
  [
    'pack',
    /(?:colis|conditionnement|pack|packing|colisage|per box|par colis|в коробке|упаковк|фасовк|кол-во в)/u,
  ],
  ['grade', /(?:calibre|calibrage|grade|taille|size|калибр|размер|^n[°º]$|^№$|^no\.?$)/u],
  [
    'origin',
    /(?:origine|provenance|origin|region|bassin|country|pays|происхождение|страна|регион)/u,
  ],
  ['unit', /^(?:unite|unit|uom|ед\.?|ед\.? изм\.?|единица\p{L}*|за)$/u],
  [
    'product',
    /(?:produit|designation|article|variete|variety|product|item|name|description|libelle|наименование|товар|продукция|сорт|позиция|название)/u,
  ],
]

/** Which role each header cell has; unknown headers are left out. */
export function recogniseHeader(cells: string[]): Map<number, ColumnRole> {
  const roles = new Map<number, ColumnRole>()
  const taken = new Set<ColumnRole>()
  cells.forEach((cell, index) => {
    const folded = foldText(cell).trim()
    if (folded === '') return
    const role = HEADER_WORDS.find(([r, re]) => !taken.has(r) && re.test(folded))?.[0]
    if (!role) return
    roles.set(index, role)
    taken.add(role)
  })
  return roles
}

function isHeader(roles: Map<number, ColumnRole>): boolean {
  const found = new Set(roles.values())
  return found.has('price') && (found.has('product') || found.size >= 3)
}

/** A table row: its cells and the document line it started on. */
export interface TableRecord {
  line: number
  cells: string[]
}

/** Rows parsed from a table, and the lines that were not. */
export interface TableResult {
  rows: PriceRow[]
  errors: LineError[]
  /** Lines read (header, notes and blank lines included). */
  lines: number
  /** The header row's line, when one was found. */
  headerLine?: number
}

/**
 * Turns table rows (from CSV, TSV or a sheet) into price rows: finds the header (the first row
 * naming a price column and a product column, in French, English or Russian), then reads each row
 * below it by column meaning. A table with no recognisable header is read line by line as text
 * by the caller.
 *
 * @example
 * ```ts
 * readTable([{ line: 1, cells: ['Produit', 'Calibre', 'Prix €/pce'] }, { line: 2, cells: ['Gillardeau', '2', '3,40'] }], {})
 * // { rows: [{ variety: 'gillardeau', grade: 2, price: 3.4, currency: 'EUR', unit: 'piece', … }], errors: [], … }
 * ```
 */
export function readTable(records: TableRecord[], context: RowContext): TableResult | undefined {
  const headerIndex = records.findIndex((r) => isHeader(recogniseHeader(r.cells)))
  const header = records[headerIndex]
  if (!header) return undefined
  const roles = recogniseHeader(header.cells)
  const columnOf = (role: ColumnRole): number | undefined =>
    [...roles.entries()].find(([, r]) => r === role)?.[0]
  const priceColumn = columnOf('price')
  const productColumn = columnOf('product')
  const rows: PriceRow[] = []
  const errors: LineError[] = []
  for (const record of records.slice(headerIndex + 1)) {
    const cell = (role: ColumnRole): string | undefined => {
      const index = columnOf(role)
      return index === undefined ? undefined : (record.cells[index] ?? '')
    }
    if (record.cells.every((c) => c.trim() === '')) continue
    // Without a product column, every cell that is not another column describes the product.
    const product =
      productColumn !== undefined
        ? (record.cells[productColumn] ?? '')
        : record.cells.filter((_, i) => !roles.has(i)).join(' ')
    const price = priceColumn === undefined ? undefined : record.cells[priceColumn]
    // A section title ("HUÎTRES CREUSES") fills the product cell and nothing else.
    const others = record.cells.filter((c, i) => i !== productColumn && c.trim() !== '')
    if (others.length === 0) continue
    const grade = cell('grade')
    const origin = cell('origin')
    const unit = cell('unit')
    const pack = cell('pack')
    const currency = cell('currency')
    const result = parseTableRow(
      {
        line: record.line,
        raw: record.cells.filter((c) => c.trim() !== '').join(' | '),
        product,
        ...(grade !== undefined ? { grade } : {}),
        ...(origin !== undefined ? { origin } : {}),
        ...(unit !== undefined ? { unit } : {}),
        ...(pack !== undefined ? { pack } : {}),
        ...(price !== undefined ? { price } : {}),
        ...(currency !== undefined ? { currency } : {}),
        ...(priceColumn !== undefined && header.cells[priceColumn]
          ? { priceHeader: header.cells[priceColumn] }
          : {}),
      },
      context,
    )
    if ('variety' in result) rows.push(result)
    else errors.push(result)
  }
  const last = records[records.length - 1]
  return { rows, errors, lines: last ? last.line : 0, headerLine: header.line }
}

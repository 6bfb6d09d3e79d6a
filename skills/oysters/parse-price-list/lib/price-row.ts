import { divideMoney } from './decimal.js'
import { findGrade, parseGradeCell } from './grades.js'
import { findCurrency, findMoney, parseDecimal } from './money.js'
import { findOrigin } from './origins.js'
import { squeezeSpaces } from './text-fold.js'
import {
  findPack,
  mentionsBox,
  unitAfterPrice,
  unitOfWord,
  unitPerMarker,
  type PriceUnit,
} from './units.js'
import { findVariety, type VarietyId } from './varieties.js'

/** One normalised line of a price list. */
export interface PriceRow {
  /** Line of the document (row of the sheet), counted from 1. */
  line: number
  /** The product as written. */
  product: string
  variety: VarietyId
  varietyName: string
  species: string
  origin?: string
  /** Size grade N°0–5 (0 is the largest). */
  grade?: number
  unit: PriceUnit
  /** Pieces per box: the price is per box of this many, or the goods ship in such boxes. */
  packSize?: number
  /** Kilograms per box, for boxes sold by weight. */
  packWeightKg?: number
  price: number
  currency: string
  /** The price of one oyster, to 4 decimals, when the unit allows it. */
  pricePerPiece?: number
  supplier?: string
  /** What was assumed while reading the line. */
  notes: string[]
}

/** A line that could not be read, and why. */
export interface LineError {
  line: number
  text: string
  reason: string
}

/** Document-wide facts that apply to every line. */
export interface RowContext {
  supplier?: string
  defaultCurrency?: string
}

/** The cells of a table row, by meaning (any may be absent). */
export interface RowCells {
  line: number
  /** The row as written, for error reports. */
  raw?: string
  product: string
  grade?: string
  origin?: string
  unit?: string
  pack?: string
  price?: string
  currency?: string
  /** What the price column's header says about the unit (`Prix €/douzaine`). */
  priceHeader?: string
}

function blank(text: string, span: [number, number] | undefined): string {
  if (!span) return text
  return text.slice(0, span[0]) + ' '.repeat(span[1] - span[0]) + text.slice(span[1])
}

function perPiece(
  price: number,
  unit: PriceUnit,
  packSize: number | undefined,
): number | undefined {
  if (unit === 'piece') return price
  if (unit === 'dozen') return divideMoney(price, 12, 4)
  if (unit === 'box' && packSize) return divideMoney(price, packSize, 4)
  return undefined
}

interface Parts {
  line: number
  product: string
  /** The whole line, for error reports. */
  lineText?: string
  gradeText?: string
  originText?: string
  unit?: PriceUnit
  unitFromHeader?: boolean
  pack?: { packSize?: number; packWeightKg?: number }
  price: number
  currency?: string
}

function assemble(parts: Parts, context: RowContext): PriceRow | LineError {
  const text = squeezeSpaces(parts.product)
  const error = (reason: string): LineError => ({
    line: parts.line,
    text: parts.lineText ?? text,
    reason,
  })
  const variety = findVariety(parts.product)
  if (!variety) return error(`no oyster variety recognised in "${text}"`)
  const grade = parts.gradeText?.trim() ? parseGradeCell(parts.gradeText) : findGrade(parts.product)
  if (grade && 'error' in grade) return error(grade.error)
  if (!(parts.price > 0)) return error(`price ${parts.price} is not a positive amount`)
  const notes: string[] = []
  let currency = parts.currency
  if (!currency && context.defaultCurrency) {
    currency = context.defaultCurrency
    notes.push(`currency not written: ${currency} (defaultCurrency) assumed`)
  }
  if (!currency) return error('no currency on this line or in the header (pass defaultCurrency)')
  let unit = parts.unit
  if (!unit && parts.pack?.packWeightKg) unit = 'box'
  if (!unit) {
    unit = 'piece'
    notes.push('unit not written: price per piece assumed')
  }
  const packSize = parts.pack?.packSize
  const packWeightKg = parts.pack?.packWeightKg
  if (unit === 'box' && !packSize && !packWeightKg) notes.push('box contents not stated')
  const origin =
    (parts.originText !== undefined ? findOrigin(parts.originText, { column: true }) : undefined) ??
    findOrigin(parts.product)
  const originRaw = parts.originText?.trim()
  const pricePerPiece = perPiece(parts.price, unit, packSize)
  return {
    line: parts.line,
    product: text,
    variety: variety.variety.id,
    varietyName: variety.variety.name,
    species: variety.variety.species,
    ...(origin ? { origin } : originRaw ? { origin: originRaw } : {}),
    ...(grade ? { grade: grade.grade } : {}),
    unit,
    ...(packSize ? { packSize } : {}),
    ...(packWeightKg ? { packWeightKg } : {}),
    price: parts.price,
    currency,
    ...(pricePerPiece !== undefined ? { pricePerPiece } : {}),
    ...(context.supplier ? { supplier: context.supplier } : {}),
    notes,
  }
}

/**
 * Reads one line of a pasted price list (`Устрица Жиллардо №2 (Франция) — 520 ₽/шт`,
 * `Fine de Claire N°3, bourriche de 48 … 79,00 €`). Returns undefined for a line that is not an
 * offer (a heading, a note without a per-unit price), a `LineError` for an offer that cannot be read.
 *
 * @example
 * ```ts
 * parseTextLine('Кумамото №3 — 690 ₽/шт', 4, {}) // { variety: 'kumamoto', grade: 3, unit: 'piece', price: 690, currency: 'RUB', … }
 * ```
 */
export function parseTextLine(
  raw: string,
  line: number,
  context: RowContext,
): PriceRow | LineError | undefined {
  const text = raw.trim()
  if (text === '') return undefined
  const variety = findVariety(text)
  const grade = findGrade(text)
  const pack = findPack(text)
  // Grades and pack counts are numbers too: hide them before looking for the price.
  const masked = blank(blank(text, grade?.span), pack?.span)
  const money = findMoney(masked)
  const priced = money[money.length - 1]
  const perUnit = priced ? unitAfterPrice(masked.slice(priced.span[1])) : unitPerMarker(masked)
  if (!variety && !(priced && perUnit)) return undefined
  let price = priced?.amount
  let currency = priced?.currency
  if (price === undefined) {
    // "Фин де Клер №3 … 390" with defaultCurrency: the last bare number is the price.
    const bare = [
      ...masked.matchAll(
        /(?<![\p{L}\d.,])(\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d\p{L}])/gu,
      ),
    ]
    const last = bare[bare.length - 1]?.[1]
    if (!last || !context.defaultCurrency) {
      return {
        line,
        text: squeezeSpaces(text),
        reason: last ? 'no currency on this line (pass defaultCurrency)' : 'no price found',
      }
    }
    price = parseDecimal(last)
    currency = undefined
  }
  if (price === undefined) return { line, text: squeezeSpaces(text), reason: 'no price found' }
  const productEnd = priced ? priced.span[0] : text.length
  const unit = perUnit ?? (pack || mentionsBox(text.slice(0, productEnd)) ? 'box' : undefined)
  return assemble(
    {
      line,
      lineText: squeezeSpaces(text),
      product: text.slice(0, productEnd).replace(/[\s—–\-:.,;|]+$/u, '') || text,
      ...(unit ? { unit } : {}),
      ...(pack ? { pack } : {}),
      price,
      ...(currency ? { currency } : {}),
    },
    context,
  )
}

/**
 * Reads one row of a table (CSV, TSV, XLSX) whose columns have been recognised.
 *
 * @example
 * ```ts
 * parseTableRow({ line: 2, product: 'Gillardeau', grade: '2', price: '3,40', priceHeader: 'Prix € / pièce' }, {})
 * // { variety: 'gillardeau', grade: 2, unit: 'piece', price: 3.4, currency: 'EUR', … }
 * ```
 */
export function parseTableRow(cells: RowCells, context: RowContext): PriceRow | LineError {
  const product = cells.product.trim()
  const text = squeezeSpaces(
    cells.raw ??
      [cells.product, cells.grade, cells.origin, cells.unit, cells.pack, cells.price]
        .filter((c) => c !== undefined && c.trim() !== '')
        .join(' | '),
  )
  const error = (reason: string): LineError => ({ line: cells.line, text, reason })
  if (!findVariety(product))
    return error(`no oyster variety recognised in "${squeezeSpaces(product)}"`)
  const priceCell = cells.price?.trim() ?? ''
  if (priceCell === '') return error('price is empty')
  const money = findMoney(priceCell)[0]
  const price = money?.amount ?? parseDecimal(priceCell.replace(/[^\d\s\u00a0.,]/g, ''))
  if (price === undefined || !/\d/.test(priceCell))
    return error(`price "${priceCell}" is not a number`)
  const currency =
    money?.currency ??
    (cells.currency ? findCurrency(cells.currency) : undefined) ??
    (cells.priceHeader ? findCurrency(cells.priceHeader) : undefined)
  if (cells.currency?.trim() && !currency)
    return error(`currency "${cells.currency.trim()}" is not recognised`)
  const unitCell = cells.unit?.trim()
  let unit: PriceUnit | undefined
  if (unitCell) {
    unit = unitOfWord(unitCell) ?? unitPerMarker(`/${unitCell}`)
    if (!unit && mentionsBox(unitCell)) unit = 'box'
    if (!unit) return error(`unit "${unitCell}" is not piece, dozen, kg or box`)
  }
  unit ??= cells.priceHeader ? unitPerMarker(cells.priceHeader) : undefined
  unit ??= unitAfterPrice(priceCell.slice(money ? money.span[1] : priceCell.length))
  const packText = cells.pack?.trim()
  let pack = packText ? findPack(packText) : findPack(product)
  if (packText && !pack) {
    const count = /^\d{1,4}$/.test(packText) ? Number(packText) : undefined
    if (count === undefined || count === 0) return error(`pack "${packText}" is not a piece count`)
    pack = { packSize: count, span: [0, packText.length] }
  }
  if (!unit && unitCell === undefined && pack && mentionsBox(product)) unit = 'box'
  return assemble(
    {
      line: cells.line,
      product,
      lineText: text,
      ...(cells.grade !== undefined ? { gradeText: cells.grade } : {}),
      ...(cells.origin !== undefined ? { originText: cells.origin } : {}),
      ...(unit ? { unit } : {}),
      ...(pack ? { pack } : {}),
      price,
      ...(currency ? { currency } : {}),
    },
    context,
  )
}

/** True for a parsed row, false for a line error. */
export function isPriceRow(value: PriceRow | LineError): value is PriceRow {
  return 'variety' in value
}

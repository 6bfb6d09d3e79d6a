import { SkillOSError } from '@skillos/contracts'
import { formatOfFileName, sniffDelimiter, splitDelimited, type DocumentFormat } from './formats.js'
import { isKnownCurrency } from './money.js'
import {
  isPriceRow,
  parseTextLine,
  type LineError,
  type PriceRow,
  type RowContext,
} from './price-row.js'
import { readTable, type TableRecord } from './table.js'
import { readWorkbook } from './xlsx.js'

/** What to parse. */
export interface PriceListInput {
  document?: string
  documentBase64?: string
  fileName?: string
  supplier?: string
  defaultCurrency?: string
}

/** A parsed price list. */
export interface ParsedPriceList {
  format: DocumentFormat
  supplier?: string
  rows: PriceRow[]
  errors: LineError[]
  summary: {
    lines: number
    parsed: number
    failed: number
    currencies: string[]
    varieties: string[]
  }
}

function fail(message: string, details?: Record<string, unknown>): never {
  throw new SkillOSError({ code: 'VALIDATION_FAILED', message, ...(details ? { details } : {}) })
}

function readTextLines(
  text: string,
  context: RowContext,
): { rows: PriceRow[]; errors: LineError[] } {
  const rows: PriceRow[] = []
  const errors: LineError[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    const result = parseTextLine(line, index + 1, context)
    if (!result) return
    if (isPriceRow(result)) rows.push(result)
    else errors.push(result)
  })
  return { rows, errors }
}

function readRecords(
  records: TableRecord[],
  context: RowContext,
): { rows: PriceRow[]; errors: LineError[] } {
  const table = readTable(records, context)
  if (table) return table
  // No header: each row is a line of text ("Gillardeau N°2;3,40 €").
  const rows: PriceRow[] = []
  const errors: LineError[] = []
  for (const record of records) {
    const result = parseTextLine(record.cells.join(' '), record.line, context)
    if (!result) continue
    if (isPriceRow(result)) rows.push(result)
    else errors.push(result)
  }
  return { rows, errors }
}

/**
 * Parses a supplier price list (CSV with `;` or `,`, TSV, pasted text, or an .xlsx workbook given as
 * base64) into normalised rows, and lists the lines it could not read with the reason.
 *
 * Throws `VALIDATION_FAILED` for an empty document, an unknown `defaultCurrency`, an unreadable
 * workbook, or a document in which no line could be read (the message names the first problems).
 *
 * @example
 * ```ts
 * const list = await parsePriceList({ document: 'Кумамото №3 — 690 ₽/шт' })
 * list.rows[0] // { variety: 'kumamoto', grade: 3, unit: 'piece', price: 690, currency: 'RUB', … }
 * ```
 */
export async function parsePriceList(input: PriceListInput): Promise<ParsedPriceList> {
  const defaultCurrency = input.defaultCurrency?.trim().toUpperCase()
  if (defaultCurrency !== undefined && !isKnownCurrency(defaultCurrency))
    fail(`defaultCurrency: "${input.defaultCurrency}" is not an ISO 4217 currency code`)
  const supplier = input.supplier?.trim() || undefined
  const context: RowContext = {
    ...(supplier ? { supplier } : {}),
    ...(defaultCurrency ? { defaultCurrency } : {}),
  }
  const named = formatOfFileName(input.fileName)
  let format: DocumentFormat
  let result: { rows: PriceRow[]; errors: LineError[] }
  let lines: number
  if (input.documentBase64 !== undefined && input.documentBase64.trim() !== '') {
    const bytes = Buffer.from(input.documentBase64, 'base64')
    if (bytes.length === 0) fail('documentBase64: not valid base64')
    const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b
    if (named === 'xlsx' || (named === undefined && isZip)) {
      const records = await readWorkbook(bytes, input.fileName ?? 'the file')
      format = 'xlsx'
      result = readRecords(records, context)
      lines = records[records.length - 1]?.line ?? 0
      return finish(format, supplier, result, lines)
    }
    return parsePriceList({ ...input, documentBase64: undefined, document: bytes.toString('utf8') })
  }
  const text = (input.document ?? '').replace(/^\uFEFF/, '')
  if (text.trim() === '')
    fail(
      'document: the price list is empty (pass the file text as document, or an .xlsx as documentBase64)',
    )
  if (named === 'xlsx')
    fail(`documentBase64: ${input.fileName} is a workbook; pass its bytes as documentBase64`)
  lines = text.split(/\r?\n/).length
  const delimiter = named === 'tsv' ? '\t' : named === 'text' ? undefined : sniffDelimiter(text)
  if (delimiter) {
    const { records, problems } = splitDelimited(text, delimiter)
    format = delimiter === '\t' ? 'tsv' : 'csv'
    const read = readRecords(records, context)
    result = {
      rows: read.rows,
      errors: [...problems, ...read.errors].sort((a, b) => a.line - b.line),
    }
  } else {
    format = 'text'
    result = readTextLines(text, context)
  }
  return finish(format, supplier, result, lines)
}

function finish(
  format: DocumentFormat,
  supplier: string | undefined,
  result: { rows: PriceRow[]; errors: LineError[] },
  lines: number,
): ParsedPriceList {
  if (result.rows.length === 0) {
    const first = result.errors
      .slice(0, 3)
      .map((e) => `line ${e.line}: ${e.reason}`)
      .join('; ')
    fail(
      `document: no price rows could be read${first ? ` — ${first}` : ' (no line names an oyster variety with a price)'}`,
      { errors: result.errors },
    )
  }
  return {
    format,
    ...(supplier ? { supplier } : {}),
    rows: result.rows,
    errors: result.errors,
    summary: {
      lines,
      parsed: result.rows.length,
      failed: result.errors.length,
      currencies: [...new Set(result.rows.map((r) => r.currency))].sort(),
      varieties: [...new Set(result.rows.map((r) => r.variety))].sort(),
    },
  }
}

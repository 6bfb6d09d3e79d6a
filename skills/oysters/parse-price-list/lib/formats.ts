import { parse } from 'csv-parse/sync'
import type { TableRecord } from './table.js'

/** How a price list was written. */
export const DOCUMENT_FORMATS = ['csv', 'tsv', 'text', 'xlsx'] as const
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number]

/** A table that could not be split into cells, line by line. */
export interface SyntaxProblem {
  line: number
  text: string
  reason: string
}

function countOutsideQuotes(line: string, char: string): number {
  let inQuotes = false
  let count = 0
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes
    else if (c === char && !inQuotes) count++
  }
  return count
}

/**
 * The delimiter of a delimited text, or undefined for free text: the character (tab, `;`, `,`)
 * that splits most of the first lines into the same number (≥ 2) of cells.
 *
 * @example
 * ```ts
 * sniffDelimiter('Produit;Calibre;Prix\nGillardeau;2;3,40') // ';'
 * sniffDelimiter('Гиллардо №2 — 520 ₽') // undefined
 * ```
 */
export function sniffDelimiter(text: string): '\t' | ';' | ',' | undefined {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20)
  if (lines.length === 0) return undefined
  for (const delimiter of ['\t', ';', ','] as const) {
    const counts = lines.map((l) => countOutsideQuotes(l, delimiter))
    const withCells = counts.filter((c) => c >= 1)
    // Most lines split, and the commonest split has at least two cells.
    if (withCells.length < Math.max(2, Math.ceil(lines.length * 0.6))) continue
    const common = mode(withCells)
    if (common >= 1 && withCells.filter((c) => c === common).length >= 2) return delimiter
  }
  return undefined
}

function mode(values: number[]): number {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0
}

/**
 * Splits delimited text into records with their line numbers (csv-parse; quoted cells may hold the
 * delimiter). Records csv-parse cannot read (an unclosed quote) come back as problems, not throws.
 */
export function splitDelimited(
  text: string,
  delimiter: string,
): { records: TableRecord[]; problems: SyntaxProblem[] } {
  const problems: SyntaxProblem[] = []
  const lines = text.split(/\r?\n/)
  let lastEnd = 0
  const parsed = parse(text, {
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record, context) => {
      lastEnd = context.lines
      return record
    },
    on_skip: (error) => {
      const end = Number((error as { lines?: unknown } | undefined)?.lines ?? lastEnd + 1)
      // The bad record starts on the first non-blank line after the last good one.
      let start = lastEnd + 1
      while (start < end && (lines[start - 1] ?? '').trim() === '') start++
      const unclosed = /quote not closed/i.test(error?.message ?? '')
      problems.push({
        line: start,
        text: (lines[start - 1] ?? '').trim(),
        reason: unclosed
          ? `a quote opened here is never closed: lines ${start}–${end} cannot be split into cells`
          : `the line cannot be split into cells: ${error?.message ?? 'malformed'}`,
      })
      lastEnd = end
      return undefined
    },
  }) as unknown as { record: string[]; info: { lines: number } }[]
  const records = parsed.map(({ record, info }) => ({ line: info.lines, cells: record }))
  return { records, problems }
}

/** The format a file name announces, if any. */
export function formatOfFileName(fileName: string | undefined): DocumentFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase()
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx'
  if (ext === 'tsv' || ext === 'tab') return 'tsv'
  if (ext === 'csv') return 'csv'
  if (ext === 'txt' || ext === 'md') return 'text'
  return undefined
}

import { SkillOSError } from '@skillos/contracts'
import { readSheet } from 'read-excel-file/node'
import type { TableRecord } from './table.js'

function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value)
}

/**
 * The first sheet of an .xlsx workbook as table records (row numbers as in the sheet, from 1).
 * Numbers are kept as written in the file, so prices stay exact. A file that is not a workbook is
 * `VALIDATION_FAILED` naming the file.
 */
export async function readWorkbook(bytes: Buffer, fileName: string): Promise<TableRecord[]> {
  let data: unknown[][]
  try {
    data = (await readSheet(bytes, { parseNumber: (s: string) => s })) as unknown[][]
  } catch (cause) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `documentBase64: ${fileName} is not a readable .xlsx workbook (${(cause as Error).message})`,
      cause,
    })
  }
  return data.map((row, index) => ({ line: index + 1, cells: row.map(cellText) }))
}

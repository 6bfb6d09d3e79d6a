import { isPlainRecord } from './spec.js'

/**
 * A metadata value as text: strings as they are, numbers and booleans in their usual form, `null`
 * as `''`, lists and mappings as JSON (`["uv"]`), dates as ISO strings.
 *
 * @example
 * ```ts
 * metadataValueText(['a', 'b']) // '["a","b"]'
 * ```
 */
export function metadataValueText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return safeJson(value)
  return String(value)
}

/** Spec metadata (text → text) from whatever was parsed; `{}` when it is not a mapping. */
export function metadataAsText(value: unknown): Record<string, string> {
  if (!isPlainRecord(value)) return {}
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [key, metadataValueText(entry)]),
  )
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value, (_key, entry: unknown) =>
      typeof entry === 'bigint' ? entry.toString() : entry,
    )
  } catch {
    // YAML anchors can build cycles JSON cannot express.
    return String(value)
  }
}

/**
 * `text` cut to at most `max` characters, at a word boundary when one is in the last half, ending in
 * `…`. Unchanged when it already fits. Never splits a UTF-16 surrogate pair.
 *
 * @example
 * ```ts
 * truncateAtWord('Convert money between currencies', 20) // 'Convert money…'
 * ```
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = text.slice(0, max - 1)
  const lastSpace = cut.search(/\s\S*$/)
  if (lastSpace > max / 2) cut = cut.slice(0, lastSpace)
  else if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return `${cut.trimEnd()}…`
}

/** `text` cut to at most `max` characters (no ellipsis), never splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut
}

/** Quote a value for a message, shortened so one huge value cannot flood a log line. */
export function quoteForMessage(text: string, max = 80): string {
  return JSON.stringify(truncateAtWord(text, max))
}

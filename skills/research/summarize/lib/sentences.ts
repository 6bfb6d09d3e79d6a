/** One sentence of a document: its text and where it starts. */
export interface Sentence {
  /** Position among the document's sentences, from 0. */
  index: number
  text: string
  /** Offset of the first character in the document. */
  start: number
}

// A dot after these never ends a sentence ("Dr. Smith", "e.g. Normandy", "ул. Ленина").
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof e.g i.e cf vs approx г гг им ул т.е т.к т.н напр проф акад'.split(' '),
)
// …nor these when a number follows ("No. 2", "ст. 37", "Oct. 2025").
const NUMBER_ABBREVIATIONS = new Set(
  'no nos art fig vol p pp ch sec jan feb mar apr jun jul aug sep sept oct nov dec ст п пп ч рис гл д стр №'.split(
    ' ',
  ),
)
const LIST_ITEM = /^(?:[-*•–]|\d{1,3}[.)])\s/
const TERMINAL = /[.!?…]+["»”’)\]]*/gu
// A heading or a label: one short line with no sentence punctuation at its end.
const HEADING_MAX_WORDS = 12

/**
 * Split a document into sentences. Paragraph breaks (blank lines) and list items always end a
 * sentence; a single line break inside a paragraph is a space. A `.`, `!`, `?` or `…` (with any
 * closing quotes or brackets) ends a sentence when whitespace and then something other than a
 * lowercase letter follow — except after a known abbreviation ("Dr.", "т.е."; "No.", "ст." before a
 * number), initials ("А. С. Пушкин") or the number of a list item. Headings — short lines without end
 * punctuation standing alone — are left out: they label the text rather than say something.
 *
 * @example
 * ```ts
 * splitSentences('# Report\n\nDr. Smith came. He left!').map((s) => s.text)
 * // ['Dr. Smith came.', 'He left!']
 * ```
 */
export function splitSentences(document: string): Sentence[] {
  const text = document
  const out: Sentence[] = []
  const blockPattern =
    /#{1,6}[ \t][^\n]*|[^\n]+(?:\n(?![ \t\r]*\n)(?![ \t]*(?:[-*•–]|\d{1,3}[.)]|#{1,6})[ \t])[^\n]*)*/g
  for (const block of text.matchAll(blockPattern)) {
    const raw = block[0]
    const offset = block.index
    if (!raw.trim()) continue
    if (isHeading(raw)) continue
    let from = 0
    for (const m of raw.matchAll(TERMINAL)) {
      const end = m.index + m[0].length
      const next = raw.slice(end)
      if (!/^\s/.test(next) && next !== '') continue
      const following = next.trimStart()
      if (following && /^\p{Ll}/u.test(following)) continue
      if (m[0] === '.' && isAbbreviation(raw.slice(from, m.index), following)) continue
      push(out, raw, offset, from, end)
      from = end
    }
    push(out, raw, offset, from, raw.length)
  }
  return out
}

function push(out: Sentence[], block: string, offset: number, from: number, to: number): void {
  const slice = block.slice(from, to)
  const text = slice.replace(/\s+/g, ' ').trim()
  if (!text || !/[\p{L}\p{N}]/u.test(text)) return
  out.push({ index: out.length, text, start: offset + from + slice.search(/\S/) })
}

function isAbbreviation(before: string, after: string): boolean {
  const word = /(?:^|[\s(«"])([\p{L}.]+)$/u.exec(before)?.[1]
  // "1. First item": the number of a list item.
  if (word === undefined) return /^\s*[-*•]?\s*\d{1,3}$/.test(before)
  const lower = word.toLowerCase()
  // "в 2017 г. Банк…": a year ends the sentence; "г. Москва" does not.
  if ((lower === 'г' || lower === 'гг') && /\d\s*г{1,2}$/u.test(before)) return false
  if (ABBREVIATIONS.has(lower)) return true
  if (NUMBER_ABBREVIATIONS.has(lower) && /^\d/.test(after)) return true
  // Initials: "А. С. Пушкин", "J. R. R. Tolkien" — a capital followed or preceded by another.
  if (/^\p{Lu}$/u.test(word)) {
    return /^\p{Lu}\./u.test(after) || /(?:^|\s)\p{Lu}\.\s*\p{Lu}$/u.test(before)
  }
  return false
}

function isHeading(block: string): boolean {
  const line = block.trim()
  if (/^#{1,6}\s/.test(line)) return true
  if (line.includes('\n') || LIST_ITEM.test(line)) return false
  // Any sentence end inside ("One. Two") makes it text, not a title.
  if (/[.!?…:;]["»”’)\]]*(?:\s|$)/u.test(line)) return false
  return line.split(/\s+/).length <= HEADING_MAX_WORDS
}

/** One sentence of a document, as written, and where it starts. */
export interface Sentence {
  text: string
  start: number
}

// Abbreviations after which a full stop does not end the sentence ("г. Москва", "ст. 31", "им. А.С.").
const NO_BREAK_AFTER =
  /(?:(?:^|[\s(])(?:г|гг|ул|д|ст|п|пп|ч|им|обл|пр|пер|наб|корп|стр|пос|тел|см|т\.\s?ч)|(?:^|[\s(.])\p{Lu})\.$/u

/**
 * Splits a notice or specification into sentences: at line breaks, and inside a line after `.`, `!`
 * or `?` followed by a capital letter — except after abbreviations and initials (`г.`, `ул.`,
 * `ст.`, `им. А.С.`) and after a list number (`1.`). Whitespace inside a sentence is collapsed.
 *
 * @example
 * splitSentences('Место поставки: г. Москва. Аванс не предусмотрен.').map((s) => s.text)
 * // ['Место поставки: г. Москва.', 'Аванс не предусмотрен.']
 */
export function splitSentences(document: string): Sentence[] {
  const out: Sentence[] = []
  for (const lineMatch of document.matchAll(/[^\r\n]*(?:\r\n|\r|\n|$)/g)) {
    const line = lineMatch[0].replace(/[\r\n]+$/, '')
    const lineStart = lineMatch.index
    let pieceStart = 0
    let current = ''
    let currentStart = lineStart
    const boundaries = [...line.matchAll(/(?<=[.!?])\s+(?=[\p{Lu}«"])/gu)]
    const pieces: { text: string; start: number }[] = []
    for (const b of boundaries) {
      pieces.push({ text: line.slice(pieceStart, b.index), start: pieceStart })
      pieceStart = b.index + b[0].length
    }
    pieces.push({ text: line.slice(pieceStart), start: pieceStart })
    for (const piece of pieces) {
      if (current === '') currentStart = lineStart + piece.start
      current = current ? `${current} ${piece.text}` : piece.text
      const trimmed = current.trim()
      if (NO_BREAK_AFTER.test(trimmed) || /^\d+(?:\.\d+)*\.$/.test(trimmed)) continue
      if (trimmed) out.push({ text: trimmed.replace(/\s+/g, ' '), start: currentStart })
      current = ''
    }
    if (current.trim()) out.push({ text: current.trim().replace(/\s+/g, ' '), start: currentStart })
  }
  return out
}

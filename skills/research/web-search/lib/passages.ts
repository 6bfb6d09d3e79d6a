import { analyze } from '@skillos/recommender'
import { clip } from './search-result.js'

/** Longest snippet, in characters. */
export const SNIPPET_MAX_CHARS = 280

// Abbreviations whose dot does not end a sentence ("No. 2", "ст. 37", "т. е.").
const ABBREVIATION =
  /(?:^|[\s(])(?:no|nos|art|fig|vol|e\.g|i\.e|etc|vs|approx|mr|mrs|dr|st|ст|г|гг|т\.е|т\.к|т\.н|т\.д|т\.п|др|пр|см|ок|руб|млн|млрд|тыс|№)\.$/iu

// "3. The bid deadline…": the number of a list item, not the end of a sentence.
const LIST_MARKER = /^\s*\d{1,3}\.$/

/**
 * The sentences of `text`, in order, each with its start offset: split after `.`, `!`, `?`, `…`
 * followed by a space, and at line breaks; a dot after a known abbreviation or a list item's number
 * does not end a sentence.
 */
export function splitSentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = []
  const push = (from: number, to: number): void => {
    const raw = text.slice(from, to)
    const trimmed = raw.trim()
    if (trimmed) out.push({ text: trimmed, start: from + raw.indexOf(trimmed) })
  }
  let start = 0
  const boundary = /[.!?…]+(?=\s)|\n+/g
  for (const m of text.matchAll(boundary)) {
    const end = m.index + m[0].length
    if (m[0].startsWith('.') && m[0].length === 1) {
      const before = text.slice(Math.max(start, m.index - 12), m.index + 1)
      if (ABBREVIATION.test(before) || LIST_MARKER.test(text.slice(start, m.index + 1))) continue
    }
    push(start, end)
    start = end
  }
  push(start, text.length)
  return out
}

/**
 * The passage of `body` that matches the query terms best: the sentence with the highest sum of
 * `weight(term)` over the distinct query terms it contains, extended by the following sentence
 * while the snippet stays short; the document's opening when nothing matches. Clipped to
 * {@link SNIPPET_MAX_CHARS}.
 *
 * @example
 * ```ts
 * bestPassage('Intro. No. 2 weighs 86 to 120 g. Outro.', analyze('weight of No. 2'), () => 1)
 * // 'No. 2 weighs 86 to 120 g. Outro.'
 * ```
 */
export function bestPassage(
  body: string,
  queryTerms: readonly string[],
  weight: (term: string) => number,
): string {
  const sentences = splitSentences(body)
  if (sentences.length === 0) return ''
  const wanted = new Set(queryTerms)
  let best = 0
  let bestScore = 0
  sentences.forEach((sentence, i) => {
    const terms = new Set(analyze(sentence.text).filter((t) => wanted.has(t)))
    let score = 0
    for (const term of terms) score += weight(term)
    if (score > bestScore) {
      bestScore = score
      best = i
    }
  })
  let passage = sentences[best]?.text ?? ''
  for (let i = best + 1; i < sentences.length; i++) {
    const next = sentences[i]?.text ?? ''
    if (passage.length + 1 + next.length > SNIPPET_MAX_CHARS * 0.75) break
    passage = `${passage} ${next}`
  }
  return clip(passage, SNIPPET_MAX_CHARS)
}

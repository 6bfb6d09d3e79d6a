import { detectLanguage, type Language } from './language.js'
import { splitSentences, type Sentence } from './sentences.js'
import { summaryLength } from './summary-length.js'
import { contentTerms } from './terms.js'
import { pageRank, similarityMatrix, topIndices } from './textrank.js'

export interface RankedSentence {
  /** Position among the document's sentences, from 0. */
  index: number
  text: string
  /** PageRank score (all sentences' scores sum to 1), six decimals. */
  score: number
}

export interface ExtractiveSummary {
  language: Language
  /** The chosen sentences, in document order. */
  sentences: RankedSentence[]
  summary: string
  totalSentences: number
  iterations: number
  converged: boolean
}

/** Every sentence of `document` with its TextRank score, in document order. */
export function rankSentences(document: string): {
  sentences: Sentence[]
  scores: number[]
  iterations: number
  converged: boolean
} {
  const sentences = splitSentences(document)
  const terms = sentences.map((s) => contentTerms(s.text))
  const { scores, iterations, converged } = pageRank(similarityMatrix(terms))
  return { sentences, scores, iterations, converged }
}

/**
 * Extractive summary by TextRank: sentences are nodes, edges weigh the overlap of their stemmed,
 * stop-word-free terms ({@link similarity}), PageRank (damping 0.85) runs until convergence, and
 * the best `k` sentences ({@link summaryLength}) are returned in their original order, joined by
 * spaces into `summary`. The language is detected from the whole text.
 *
 * @example
 * ```ts
 * const result = summarizeExtractive(reportText, { sentences: 3 })
 * result.sentences.map((s) => s.index) // e.g. [2, 9, 31], ascending
 * ```
 */
export function summarizeExtractive(
  document: string,
  wanted: { sentences?: number; ratio?: number } = {},
): ExtractiveSummary {
  const { sentences, scores, iterations, converged } = rankSentences(document)
  const k = summaryLength(sentences.length, wanted)
  const chosen = topIndices(scores, k)
    .sort((a, b) => a - b)
    .map((i): RankedSentence => {
      const sentence = sentences[i] as Sentence
      return { index: i, text: sentence.text, score: Math.round((scores[i] ?? 0) * 1e6) / 1e6 }
    })
  return {
    language: detectLanguage(document),
    sentences: chosen,
    summary: chosen.map((s) => s.text).join(' '),
    totalSentences: sentences.length,
    iterations,
    converged,
  }
}

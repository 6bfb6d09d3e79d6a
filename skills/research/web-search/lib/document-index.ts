import { analyze, Bm25Index } from '@skillos/recommender'
import type { LocalDocument } from './documents.js'
import { bestPassage } from './passages.js'
import { roundTo, type SearchResult } from './search-result.js'

/** Title terms count this many times: a query word in the title says more than one in the body. */
export const TITLE_WEIGHT = 3

/** A BM25 index over local documents, with the documents it was built from. */
export interface DocumentIndex {
  readonly size: number
  search(
    query: string,
    options: { limit: number; language?: 'en' | 'ru' },
  ): { results: SearchResult[]; total: number; terms: string[] }
}

/**
 * Index `documents` for BM25 search over stemmed, stopword-free RU/EN terms (the recommender's
 * `analyze`), the title counted {@link TITLE_WEIGHT} times. `search` returns the best documents
 * with their score relative to a perfect match (0–1, three decimals), a snippet around the best
 * matching passage, and how many documents matched at all.
 *
 * @example
 * ```ts
 * const index = createDocumentIndex(await loadDocuments('fixtures/documents'))
 * index.search('oyster grades', { limit: 3 }).results[0]?.title
 * // 'French oyster size grades (calibres No. 0 to No. 5)'
 * ```
 */
export function createDocumentIndex(documents: readonly LocalDocument[]): DocumentIndex {
  const bm25 = new Bm25Index()
  const byId = new Map<string, LocalDocument>()
  for (const doc of documents) {
    const titleTerms = analyze(doc.title)
    const terms = [
      ...Array.from({ length: TITLE_WEIGHT }, () => titleTerms).flat(),
      ...analyze(doc.body),
    ]
    bm25.upsert(doc.id, terms)
    byId.set(doc.id, doc)
  }
  return {
    size: bm25.size,
    search(query, { limit, language }) {
      const terms = analyze(query)
      if (terms.length === 0) return { results: [], total: 0, terms }
      const accept = language ? (id: string) => byId.get(id)?.language === language : undefined
      const matched = bm25.search(terms, Math.max(bm25.size, 1), accept)
      const max = bm25.maxScore(terms)
      const results = matched.slice(0, limit).map(({ key, score }, i): SearchResult => {
        const doc = byId.get(key) as LocalDocument
        return {
          rank: i + 1,
          title: doc.title,
          url: doc.url,
          snippet: bestPassage(doc.body, terms, (t) => bm25.idf(t)),
          score: roundTo(max > 0 ? score / max : 0, 3),
          language: doc.language,
          ...(doc.publishedDate ? { publishedDate: doc.publishedDate } : {}),
        }
      })
      return { results, total: matched.length, terms }
    },
  }
}

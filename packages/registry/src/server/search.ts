import { ValidationError } from '@skillos/contracts'
import { createSkillIndex, type Embedder, type SkillMatch } from '@skillos/recommender'
import type { Quality } from './quality.js'
import type { SearchQuery, SearchResult } from './types.js'

/** What search knows about one skill: its latest version, visibility and quality. */
export interface CatalogEntry {
  id: string
  scope: string
  version: string
  name: string
  description: string
  tags: string[]
  examples: string[]
  author?: string
  deprecated?: string
  quality: Quality
  private: boolean
}

/** Which private scopes a caller may see (`all` for instance admins). */
export interface SearchVisibility {
  all: boolean
  scopes: ReadonlySet<string>
}

export interface RegistrySearch {
  readonly size: number
  upsert(entries: readonly CatalogEntry[]): Promise<void>
  remove(ids: readonly string[]): Promise<void>
  get(id: string): CatalogEntry | undefined
  query(
    query: SearchQuery,
    visibility: SearchVisibility,
  ): Promise<{ total: number; results: SearchResult[] }>
  close(): Promise<void>
}

/** Matches the routing index returns per query (its own candidate pool), before the registry's filters. */
const POOL = 50

/**
 * Registry search over the SkillOS routing index (`createSkillIndex`: BM25 with stemming fused with
 * vectors). The index filters by tag itself; visibility (private scopes only for their members),
 * domain (= the id's scope), author, deprecation and minimum quality are checked here on the index's
 * best {@link POOL} matches, then the page is cut.
 *
 * @example
 * ```ts
 * const search = await createRegistrySearch()
 * await search.upsert([entry])
 * await search.query({ q: 'convert currency' }, { all: false, scopes: new Set() })
 * ```
 */
export async function createRegistrySearch(
  options: { embedder?: Embedder } = {},
): Promise<RegistrySearch> {
  const index = await createSkillIndex({
    ...(options.embedder ? { embedder: options.embedder } : {}),
    exampleVectors: 'centroid',
  })
  const catalog = new Map<string, CatalogEntry>()

  function visible(entry: CatalogEntry, visibility: SearchVisibility): boolean {
    return !entry.private || visibility.all || visibility.scopes.has(entry.scope)
  }

  function passes(entry: CatalogEntry, query: SearchQuery): boolean {
    if (query.tag !== undefined && !entry.tags.includes(query.tag)) return false
    if (query.domain !== undefined && entry.scope !== query.domain) return false
    if (query.author !== undefined && entry.author?.toLowerCase() !== query.author.toLowerCase())
      return false
    if (query.deprecated !== undefined && (entry.deprecated !== undefined) !== query.deprecated)
      return false
    if (query.minQuality !== undefined && entry.quality.score < query.minQuality) return false
    return true
  }

  function result(entry: CatalogEntry, score: number, why: string[]): SearchResult {
    return {
      id: entry.id,
      version: entry.version,
      description: entry.description,
      tags: entry.tags,
      ...(entry.author === undefined ? {} : { author: entry.author }),
      ...(entry.deprecated === undefined ? {} : { deprecated: entry.deprecated }),
      quality: entry.quality.score,
      score: Math.round(score * 1000) / 1000,
      why,
    }
  }

  function explain(match: SkillMatch, entry: CatalogEntry): string[] {
    const why: string[] = []
    const { matchedTerms, field, vector, channel } = match.why
    if (matchedTerms.length > 0) {
      why.push(`matched "${matchedTerms.join('", "')}"${field ? ` in ${field}` : ''}`)
    }
    if (channel !== 'lexical') why.push(`similar in meaning (cosine ${vector.toFixed(2)})`)
    why.push(`quality ${entry.quality.score.toFixed(2)}: ${qualitySummary(entry.quality)}`)
    return why
  }

  return {
    get size() {
      return catalog.size
    },
    async upsert(entries) {
      if (entries.length === 0) return
      await index.upsert(
        entries.map((entry) => ({
          id: entry.id,
          name: entry.name,
          description: entry.description,
          tags: entry.tags.slice(0, 32),
          examples: entry.examples.slice(0, 200),
          ...(entry.private ? { tenant: `private:${entry.scope}` } : {}),
        })),
      )
      for (const entry of entries) catalog.set(entry.id, entry)
    },
    async remove(ids) {
      await index.remove(ids)
      for (const id of ids) catalog.delete(id)
    },
    get(id) {
      return catalog.get(id)
    },
    async query(query, visibility) {
      const limit = query.limit ?? 20
      const offset = query.offset ?? 0
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new ValidationError('limit: must be an integer from 1 to 100', [
          { path: 'limit', message: 'must be an integer from 1 to 100' },
        ])
      if (!Number.isInteger(offset) || offset < 0)
        throw new ValidationError('offset: must be a non-negative integer', [
          { path: 'offset', message: 'must be a non-negative integer' },
        ])
      const text = query.q?.trim() ?? ''
      if (text === '') {
        // No text: list what the filters select, best quality first.
        const listed = [...catalog.values()]
          .filter((entry) => visible(entry, visibility) && passes(entry, query))
          .sort((a, b) => b.quality.score - a.quality.score || a.id.localeCompare(b.id))
        return {
          total: listed.length,
          results: listed
            .slice(offset, offset + limit)
            .map((entry) =>
              result(entry, entry.quality.score, [
                `listed by filters; quality ${entry.quality.score.toFixed(2)}: ${qualitySummary(entry.quality)}`,
              ]),
            ),
        }
      }
      // Visibility is filtered here, not by the index's tenant filter: a filtered vector scan is
      // several times slower at 100k skills (see the bench), and private skills are few.
      const matches = await index.search(text, {
        limit: POOL,
        ...(query.tag === undefined ? {} : { filters: { tags: [query.tag] } }),
      })
      const kept: SearchResult[] = []
      for (const match of matches) {
        const entry = catalog.get(match.id)
        if (!entry || !visible(entry, visibility) || !passes(entry, query)) continue
        if (match.why.matchedTerms.length === 0 && match.why.vector < 0.2) continue
        kept.push(result(entry, match.score, explain(match, entry)))
      }
      return { total: kept.length, results: kept.slice(offset, offset + limit) }
    },
    async close() {
      await index.close()
    },
  }
}

function qualitySummary(quality: Quality): string {
  const passed = quality.checks.filter((check) => check.passed).map((check) => check.detail)
  return passed.length > 0 ? passed.join(', ') : 'no quality checks passed'
}

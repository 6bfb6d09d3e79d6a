import { ValidationError } from '@skillos/contracts'
import {
  createSkillIndex,
  type Embedder,
  MAX_FILTER_IDS,
  MAX_FILTER_TENANTS,
  type SearchFilters,
  type SkillMatch,
} from '@skillos/recommender'
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

/** Matches a text search pages through: the best this many that the caller may see and that pass its filters. */
const POOL = 50
/** Largest candidate pool a search grows to when the registry's own filters let many skills through but reject matches. */
const MAX_POOL = 800

/**
 * Registry search over the SkillOS routing index (`createSkillIndex`: BM25 with stemming fused with
 * vectors). The index filters by tag and by visibility itself (private skills are indexed under the
 * tenant `private:<scope>`, and a query names the private scopes the caller may see), so other
 * scopes' private skills are never scored and never take a place among the matches. Domain (= the
 * id's scope), author, deprecation and minimum quality are the registry's own: when they let few
 * skills through (at most `MAX_FILTER_IDS`, found from the skills of the domain or the author when
 * one is given), the index ranks just those skills; when they let many through, they are checked
 * on the index's matches, and a search they leave short asks again with a pool four times larger
 * (up to {@link MAX_POOL}). The best {@link POOL} matches are paginated; `total` counts them.
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
  /** Ids by scope and by author (lower case): a domain or author filter starts from its own skills. */
  const byScope = new Map<string, Set<string>>()
  const byAuthor = new Map<string, Set<string>>()

  function forget(id: string): void {
    const entry = catalog.get(id)
    if (!entry) return
    catalog.delete(id)
    unlist(byScope, entry.scope, id)
    if (entry.author !== undefined) unlist(byAuthor, entry.author.toLowerCase(), id)
  }

  function remember(entry: CatalogEntry): void {
    forget(entry.id)
    catalog.set(entry.id, entry)
    list(byScope, entry.scope, entry.id)
    if (entry.author !== undefined) list(byAuthor, entry.author.toLowerCase(), entry.id)
  }

  /**
   * The ids of the skills the caller may see that pass its filters, or undefined when more than
   * `MAX_FILTER_IDS` do (too many for one search to list).
   */
  function eligibleIds(query: SearchQuery, visibility: SearchVisibility): string[] | undefined {
    const sources: ReadonlySet<string>[] = []
    if (query.domain !== undefined) sources.push(byScope.get(query.domain) ?? new Set())
    if (query.author !== undefined)
      sources.push(byAuthor.get(query.author.toLowerCase()) ?? new Set())
    // Any skill that passes every filter is in each source: walk the smallest (or every skill).
    const entries =
      sources.length > 0
        ? [...sources.reduce((a, b) => (b.size < a.size ? b : a))].map((id) => catalog.get(id)!)
        : catalog.values()
    const eligible: string[] = []
    for (const entry of entries) {
      if (!visible(entry, visibility) || !passes(entry, query)) continue
      if (eligible.push(entry.id) > MAX_FILTER_IDS) return undefined
    }
    return eligible
  }

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

  /**
   * The index's best `pool` matches for `text` under `filters`, kept when the caller may see them,
   * they pass the query's filters and they match at all (a term, or close in meaning), at most
   * {@link POOL}; with how many the registry's filters rejected and whether the pool was full.
   */
  async function matchesOf(
    text: string,
    query: SearchQuery,
    visibility: SearchVisibility,
    pool: number,
    filters: SearchFilters | undefined,
  ): Promise<{ kept: SearchResult[]; rejected: number; full: boolean }> {
    const matches = await index.search(text, {
      limit: pool,
      ...(pool === POOL ? {} : { candidatePool: pool }),
      ...(filters ? { filters } : {}),
    })
    const kept: SearchResult[] = []
    let rejected = 0
    for (const match of matches) {
      const entry = catalog.get(match.id)
      if (!entry) continue
      // `visible` again although the index filtered by tenant: a private skill must never leak.
      if (!visible(entry, visibility) || !passes(entry, query)) {
        rejected++
        continue
      }
      if (match.why.matchedTerms.length === 0 && match.why.vector < 0.2) continue
      kept.push(result(entry, match.score, explain(match, entry)))
      if (kept.length === POOL) break
    }
    return { kept, rejected, full: matches.length === pool }
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
      for (const entry of entries) remember(entry)
    },
    async remove(ids) {
      await index.remove(ids)
      for (const id of ids) forget(id)
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
      const filters = indexFilters(query, visibility)
      const page = (kept: SearchResult[]) => ({
        total: kept.length,
        results: kept.slice(offset, offset + limit),
      })
      // A domain or an author names few skills: the index ranks just the ones that pass.
      const named = query.domain !== undefined || query.author !== undefined
      let eligible = named ? eligibleIds(query, visibility) : undefined
      let listed = named
      let pool = POOL
      for (;;) {
        const round = await matchesOf(
          text,
          query,
          visibility,
          pool,
          eligible ? { ...filters, ids: eligible } : filters,
        )
        // More can pass only when the registry's filters rejected matches of a full pool.
        if (eligible || round.kept.length === POOL || round.rejected === 0 || !round.full)
          return page(round.kept)
        if (!listed) {
          // Deprecation or quality rejected some: when few skills pass them, rank just those.
          listed = true
          eligible = eligibleIds(query, visibility)
          if (eligible) continue
        }
        if (pool >= MAX_POOL) return page(round.kept)
        pool = Math.min(pool * 4, MAX_POOL)
      }
    },
    async close() {
      await index.close()
    },
  }
}

function list(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key)
  if (!ids) {
    ids = new Set()
    index.set(key, ids)
  }
  ids.add(id)
}

function unlist(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key)
  if (!ids) return
  ids.delete(id)
  if (ids.size === 0) index.delete(key)
}

/**
 * What the index filters itself: the tag, and visibility — everything for instance admins; else
 * shared (public) skills plus the private scopes the caller belongs to. A caller in more private
 * scopes than one search may name is filtered by `visible` alone.
 */
function indexFilters(query: SearchQuery, visibility: SearchVisibility): SearchFilters | undefined {
  const filters: SearchFilters = {}
  if (query.tag !== undefined) filters.tags = [query.tag]
  if (!visibility.all && visibility.scopes.size <= MAX_FILTER_TENANTS)
    filters.tenants = [...visibility.scopes].map((scope) => `private:${scope}`)
  return Object.keys(filters).length > 0 ? filters : undefined
}

function qualitySummary(quality: Quality): string {
  const passed = quality.checks.filter((check) => check.passed).map((check) => check.detail)
  return passed.length > 0 ? passed.join(', ') : 'no quality checks passed'
}

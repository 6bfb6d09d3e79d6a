import { SkillOSError, ValidationError } from '@skillos/contracts'
import type { Database } from '@skillos/store'
import { Bm25Index } from './bm25.js'
import { calibrate, type Calibration, DEFAULT_CALIBRATION } from './calibration.js'
import { type Embedder, normalizeVector } from './embedder.js'
import { FilterIndex } from './filter-index.js'
import { createHashEmbedder } from './hash-embedder.js'
import { createMemoryVectorStore } from './memory-vector-store.js'
import { createEntryRepository, type PersistedEntry } from './persisted-entries.js'
import {
  embeddingTexts,
  lexicalText,
  parseSkillDocuments,
  type SkillDocument,
  type SkillDocumentInput,
  textHash,
} from './skill-document.js'
import { analyze } from './text.js'
import { matchesFilter, type VectorFilter, type VectorStore } from './vector-store.js'

export interface SkillIndexOptions {
  /** Default: `createHashEmbedder()` (offline, multilingual character n-grams). */
  embedder?: Embedder
  /** Default: the in-process store (int8 vectors; exact, IVF from 2 048 vectors). */
  vectorStore?: VectorStore
  /**
   * Persist documents and vectors in the store under `tenant` (the index's owner), so that opening
   * again restores the index and re-embeds only skills whose text changed.
   */
  persistence?: { database: Database; tenant: string }
  /** `route` picks the best skill only when its confidence is at least this (default `DEFAULT_THRESHOLD`, 0.35). */
  threshold?: number
  /** Weight of the vector channel against BM25 in the fused score (default 0.5, chosen on the dev half of the seed routing set). */
  vectorWeight?: number
  calibration?: Calibration
  /** Candidates each channel contributes before fusion (default 50). */
  candidatePool?: number
  /** Longest query accepted, in characters (default 10 000); longer queries are refused. */
  maxQueryLength?: number
  /**
   * Vectors a skill keeps in the vector store: `centroid` keeps the document vector plus
   * the normalised mean of its example vectors — at most two per skill, whatever the number of
   * examples (half the memory at 3 examples, a little less accurate); `each` (default) one per example.
   */
  exampleVectors?: 'each' | 'centroid'
}

export interface SearchFilters {
  /** Only skills of this tenant, plus shared skills (those without a tenant). */
  tenant?: string
  /**
   * Only skills of one of these tenants, plus shared skills; `[]` means shared skills only. At most
   * {@link MAX_FILTER_TENANTS}. Not together with `tenant` (refused: say which one you mean).
   */
  tenants?: string[]
  /** Only skills carrying every one of these tags. */
  tags?: string[]
  /**
   * Only these skills (ids the index does not hold are ignored; `[]` lets none through). At most
   * {@link MAX_FILTER_IDS}. For a caller whose own filters select few skills: the index then ranks
   * just those, in time proportional to the list.
   */
  ids?: string[]
}

export interface SearchOptions {
  /** Results to return: 1–100, or up to `candidatePool` when that is larger (default 10). */
  limit?: number
  filters?: SearchFilters
  /**
   * Candidates each channel contributes before fusion, for this search only: 1–10 000 (default the
   * index's `candidatePool`). A caller that filters the results further asks for more, so that its
   * own filters do not leave it short; fused scores are relative to the pool, so a larger pool may
   * order close results differently.
   */
  candidatePool?: number
}

/** Why a skill matched: the evidence of each channel. */
export interface MatchExplanation {
  /** BM25 as a share of the best score the query could reach (0–1). */
  lexical: number
  /** Cosine similarity of the query to the skill's closest text (its document or an example). */
  vector: number
  /**
   * Share (0–1) of the query's IDF-weighted terms (stemmed, stopwords dropped) that the skill's text
   * contains. Low coverage — a request sharing one word with a skill — is why a route abstains.
   */
  coverage: number
  /** The skill's single field that covers most of the query (null when no term matched). */
  field: 'name' | 'description' | 'tags' | 'example' | null
  /** Coverage of that field alone. */
  fieldCoverage: number
  /** Query terms (stemmed) found in the skill's text. */
  matchedTerms: string[]
  /** Query terms (stemmed) the skill's text lacks. */
  unmatchedTerms: string[]
  /** Which channel carried the match. */
  channel: 'lexical' | 'vector' | 'both'
  /** Whether this skill is first in both the lexical and the vector ranking. */
  channelsAgree: boolean
}

export interface SkillMatch {
  id: string
  /** Fused score: z-scores of both channels over the candidate pool; only comparable within one query. */
  score: number
  /** Calibrated probability (0–1) that this is the skill the request wants. */
  confidence: number
  why: MatchExplanation
}

export interface RouteResult {
  /** The chosen skill, or null when no candidate reaches the threshold. */
  skill: string | null
  confidence: number
  /** The near misses (or the runners-up), best first. */
  candidates: SkillMatch[]
}

export interface SkillIndex {
  readonly embedder: Embedder
  readonly vectorStore: VectorStore
  /** Skills in the index. */
  readonly size: number
  /** Add or replace skills; unchanged skills are skipped, changed ones re-embedded. All or nothing on bad input. */
  upsert(
    skills: readonly SkillDocumentInput[],
  ): Promise<{ added: number; updated: number; unchanged: number; embedded: number }>
  /** Remove skills by id; unknown ids are ignored. Returns how many were removed. */
  remove(ids: readonly string[]): Promise<number>
  /** The skill documents held, by id. */
  get(id: string): SkillDocument | undefined
  search(query: string, options?: SearchOptions): Promise<SkillMatch[]>
  route(
    query: string,
    options?: { filters?: SearchFilters; threshold?: number },
  ): Promise<RouteResult>
  close(): Promise<void>
}

interface Entry {
  document: SkillDocument
  /** Dense number of the skill in the filter index and the BM25 index (reused after a removal). */
  ordinal: number
  /** Analysed terms of each field a request may echo: id + name, description, tags, each example. */
  fields: FieldTerms[]
  textHash: string
  /** The document as JSON, to tell a real change from a repeat. */
  json: string
}

/** Chosen by `bench/calibrate.mjs` on the dev half of the seed routing set (best route-or-abstain accuracy). */
export const DEFAULT_THRESHOLD = 0.35
const FILTER_KEYS = new Set(['tenant', 'tenants', 'tags', 'ids'])
/** Most tenants one search may name in `filters.tenants`. */
export const MAX_FILTER_TENANTS = 1_000
/** Most skill ids one search may name in `filters.ids`. */
export const MAX_FILTER_IDS = 10_000
/** Largest `candidatePool` one search may ask for. */
const MAX_SEARCH_POOL = 10_000
/** Below these spreads, z-scores would blow tiny differences up: a floor keeps them honest. */
const LEXICAL_SPREAD_FLOOR = 0.05
const VECTOR_SPREAD_FLOOR = 0.05

/**
 * Create a skill index: hybrid BM25 (stemmed English and Russian) + vector search with calibrated
 * confidence, and abstention below a threshold.
 *
 * @example
 * ```ts
 * const index = await createSkillIndex()
 * await index.upsert([{ id: 'finance/convert-currency', name: 'Convert currency', description: 'Convert an amount between currencies', examples: ['переведи 100 долларов в рубли'] }])
 * const { skill } = await index.route('convert 250 euro to rubles') // 'finance/convert-currency'
 * ```
 */
export async function createSkillIndex(options: SkillIndexOptions = {}): Promise<SkillIndex> {
  const embedder = options.embedder ?? createHashEmbedder()
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  const vectorWeight = options.vectorWeight ?? 0.5
  const calibration = options.calibration ?? DEFAULT_CALIBRATION
  const defaultPool = options.candidatePool ?? 50
  const maxQueryLength = options.maxQueryLength ?? 10_000
  const exampleVectors = options.exampleVectors ?? 'each'
  checkOptions({ threshold, vectorWeight, pool: defaultPool, maxQueryLength })
  const repository = options.persistence
    ? createEntryRepository(options.persistence.database, options.persistence.tenant, embedder.id)
    : undefined
  const entries = new Map<string, Entry>()
  const lexical = new Bm25Index()
  /** Tenant and tag postings by ordinal: a search's filter becomes a bitset the BM25 loop tests. */
  const filterIndex = new FilterIndex()
  const freeOrdinals: number[] = []
  let nextOrdinal = 0
  let vectorStore: VectorStore | undefined = options.vectorStore
  /** Writes run one after another, so concurrent upserts and removes apply in call order. */
  let writes: Promise<unknown> = Promise.resolve()

  function store(): VectorStore {
    if (!vectorStore)
      vectorStore = createMemoryVectorStore({ dimensions: embedder.dimensions, precision: 'int8' })
    return vectorStore
  }

  async function apply(list: readonly PersistedEntry[]): Promise<void> {
    for (const item of list) {
      const { document } = item
      const ordinal = entries.get(document.id)?.ordinal ?? freeOrdinals.pop() ?? nextOrdinal++
      entries.set(document.id, {
        document,
        ordinal,
        fields: fieldTerms(document),
        textHash: item.textHash,
        json: canonicalJson(document),
      })
      filterIndex.set(ordinal, document.tenant, document.tags)
      lexical.upsert(document.id, analyze(lexicalText(document)), ordinal)
    }
    await store().upsert(
      list.flatMap((item) =>
        storedVectors(item.vectors, exampleVectors).map((vector) => ({
          skillId: item.document.id,
          vector,
          tenant: item.document.tenant,
          tags: item.document.tags,
        })),
      ),
    )
  }

  if (repository && embedder.dimensions > 0) await apply(await repository.load(embedder.dimensions))

  function serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = writes.then(task, task)
    writes = run.catch(() => undefined)
    return run
  }

  async function upsert(skills: readonly SkillDocumentInput[]) {
    const documents = parseSkillDocuments(skills)
    const unique = new Map(documents.map((d) => [d.id, d]))
    return serialize(async () => {
      let added = 0
      let updated = 0
      let unchanged = 0
      const changed: PersistedEntry[] = []
      const toEmbed: { entry: PersistedEntry; texts: string[] }[] = []
      for (const document of unique.values()) {
        const current = entries.get(document.id)
        const texts = embeddingTexts(document)
        const hash = textHash(texts)
        if (current && current.json === canonicalJson(document)) {
          unchanged++
          continue
        }
        if (current) updated++
        else added++
        const entry: PersistedEntry = { document, textHash: hash, vectors: [] }
        const kept =
          current && current.textHash === hash ? store().vectorsOf?.(document.id) : undefined
        if (kept && kept.length === storedCount(texts.length, exampleVectors)) entry.vectors = kept
        else toEmbed.push({ entry, texts })
        changed.push(entry)
      }
      const texts = toEmbed.flatMap((item) => item.texts)
      if (texts.length > 0) {
        const vectors = await embedder.embed(texts)
        if (vectors.length !== texts.length) {
          throw new SkillOSError({
            code: 'UPSTREAM_FAILED',
            message: `Embedder ${embedder.id} returned ${vectors.length} vectors for ${texts.length} texts`,
          })
        }
        let at = 0
        for (const item of toEmbed) {
          item.entry.vectors = vectors.slice(at, at + item.texts.length)
          at += item.texts.length
        }
      }
      // Persist first: if the store refuses, the index is left as it was.
      await repository?.save(changed, embedder.dimensions)
      await apply(changed)
      return { added, updated, unchanged, embedded: texts.length }
    })
  }

  async function remove(ids: readonly string[]): Promise<number> {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      throw new ValidationError('Invalid ids: expected an array of skill ids', [
        { path: 'ids', message: 'must be an array of strings' },
      ])
    }
    return serialize(async () => {
      const present = [...new Set(ids)].filter((id) => entries.has(id))
      await repository?.remove(present)
      for (const id of present) {
        const ordinal = entries.get(id)!.ordinal
        entries.delete(id)
        filterIndex.delete(ordinal)
        freeOrdinals.push(ordinal)
        lexical.remove(id)
      }
      await store().remove(present)
      return present.length
    })
  }

  function checkQuery(query: unknown): string {
    if (typeof query !== 'string') {
      throw new ValidationError('Invalid query: expected text', [
        { path: 'query', message: 'must be a string' },
      ])
    }
    if (query.length > maxQueryLength) {
      throw new ValidationError(
        `Invalid query: ${query.length} characters is more than the limit of ${maxQueryLength}`,
        [
          {
            path: 'query',
            message: `must be at most ${maxQueryLength} characters (got ${query.length})`,
          },
        ],
        { details: { limit: maxQueryLength, length: query.length } },
      )
    }
    if (query.trim() === '') {
      throw new ValidationError('Invalid query: it is empty', [
        { path: 'query', message: 'must not be empty' },
      ])
    }
    return query
  }

  function checkFilters(filters: unknown): VectorFilter | undefined {
    if (filters === undefined) return undefined
    if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
      throw new ValidationError('Invalid filters: expected an object', [
        { path: 'filters', message: 'must be an object' },
      ])
    }
    const record = filters as Record<string, unknown>
    const issues = Object.keys(record)
      .filter((key) => !FILTER_KEYS.has(key))
      .map((key) => ({
        path: `filters.${key}`,
        message: 'is not a filter; the filters are tenant, tenants, tags and ids',
      }))
    if (
      record.tenant !== undefined &&
      (typeof record.tenant !== 'string' || record.tenant === '')
    ) {
      issues.push({ path: 'filters.tenant', message: 'must be a non-empty string' })
    }
    issues.push(...checkNames(record.tenants, 'filters.tenants', MAX_FILTER_TENANTS, 'tenants'))
    issues.push(...checkNames(record.ids, 'filters.ids', MAX_FILTER_IDS, 'ids'))
    if (record.tenants !== undefined) {
      if (record.tenant !== undefined) {
        issues.push({
          path: 'filters.tenants',
          message:
            'cannot be given with filters.tenant; list that tenant in filters.tenants instead',
        })
      }
    }
    if (
      record.tags !== undefined &&
      (!Array.isArray(record.tags) || record.tags.some((tag) => typeof tag !== 'string'))
    ) {
      issues.push({ path: 'filters.tags', message: 'must be an array of strings' })
    }
    if (issues.length > 0) {
      throw new ValidationError(
        `Invalid filters: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
        issues,
      )
    }
    return {
      tenant: record.tenant as string | undefined,
      // Lists copied: the caller may change its arrays while the search awaits the embedder.
      tenants: record.tenants === undefined ? undefined : [...(record.tenants as string[])],
      tags: record.tags as string[] | undefined,
      skillIds: record.ids === undefined ? undefined : [...(record.ids as string[])],
    }
  }

  async function search(query: string, searchOptions: SearchOptions = {}): Promise<SkillMatch[]> {
    const text = checkQuery(query)
    const pool = searchOptions.candidatePool ?? defaultPool
    if (
      searchOptions.candidatePool !== undefined &&
      (!Number.isInteger(pool) || pool < 1 || pool > MAX_SEARCH_POOL)
    ) {
      throw new ValidationError('Invalid candidatePool', [
        { path: 'candidatePool', message: `must be an integer from 1 to ${MAX_SEARCH_POOL}` },
      ])
    }
    const limit = searchOptions.limit ?? 10
    const maxLimit = Math.max(100, pool)
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
      throw new ValidationError('Invalid limit', [
        {
          path: 'limit',
          message:
            maxLimit === 100
              ? 'must be an integer from 1 to 100'
              : `must be an integer from 1 to ${maxLimit} (the candidate pool)`,
        },
      ])
    }
    const filter = checkFilters(searchOptions.filters)
    if (entries.size === 0) return []
    const terms = analyze(text)
    const [queryVector] = await embedder.embed([text])
    const vectorHits = queryVector ? await store().query(queryVector, { limit: pool, filter }) : []
    // Checks the few fused candidates; the BM25 postings loop gets the filter as a bitset instead
    // (taken now, after the awaits, so that it matches the skills the index holds).
    const listed = filter?.skillIds && new Set(filter.skillIds)
    const attributes = listed ? { ...filter, skillIds: undefined } : filter
    const accept = (id: string) => {
      const entry = entries.get(id)
      return (
        entry !== undefined &&
        (!listed || listed.has(id)) &&
        matchesFilter(entry.document.tenant, entry.document.tags, attributes)
      )
    }
    const lexicalHits = lexical.search(
      terms,
      pool,
      filterIndex.select(filter, (id) => entries.get(id)?.ordinal),
    )
    const maxLexical = lexical.maxScore(terms) || 1

    const vectorScores = new Map(vectorHits.map((hit) => [hit.skillId, hit.score]))
    // Both channels' skills, lexical first, each once, accepted ones only.
    const ids: string[] = []
    const seen = new Set<string>()
    for (const id of [
      ...lexicalHits.map((hit) => hit.key),
      ...vectorHits.map((hit) => hit.skillId),
    ]) {
      if (seen.has(id)) continue
      seen.add(id)
      if (accept(id)) ids.push(id)
    }
    if (ids.length === 0) return []
    const missing = ids.filter((id) => !vectorScores.has(id))
    if (missing.length > 0 && queryVector) {
      const floor = vectorHits.at(-1)?.score ?? 0
      const exact = (await store().scores?.(queryVector, missing)) ?? new Map<string, number>()
      for (const id of missing) vectorScores.set(id, exact.get(id) ?? floor)
    }
    const candidates = ids.map((id) => {
      const { score, matched } = lexical.score(terms, id)
      return {
        id,
        lexical: score / maxLexical,
        vector: Math.max(0, vectorScores.get(id) ?? 0),
        matched,
        score: 0,
      }
    })
    const lexicalZ = zScores(
      candidates.map((c) => c.lexical),
      LEXICAL_SPREAD_FLOOR,
    )
    const vectorZ = zScores(
      candidates.map((c) => c.vector),
      VECTOR_SPREAD_FLOOR,
    )
    candidates.forEach((c, i) => (c.score = lexicalZ[i]! + vectorWeight * vectorZ[i]!))
    const fused = candidates
    fused.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    const best = fused[0]!.score
    const second = fused[1]?.score ?? best - 3
    // The channels agree on a skill when it is the first of both (among the accepted skills).
    const lexicalTop = lexicalHits.find((hit) => accept(hit.key))?.key
    const vectorTop = vectorHits.find((hit) => accept(hit.skillId))?.skillId
    const weights = termWeights(terms, (term) => lexical.idf(term))
    return fused.slice(0, limit).map((c, i) => {
      const margin = i === 0 ? c.score - second : c.score - best
      const evidence = coverageOf(weights, entries.get(c.id)!.fields)
      const agree = c.id === lexicalTop && c.id === vectorTop
      const confidence = calibrate(calibration, {
        lexical: c.lexical,
        vector: c.vector,
        margin,
        coverage: evidence.coverage,
        fieldCoverage: evidence.fieldCoverage,
        matched: c.matched.length,
        agree,
      })
      return {
        id: c.id,
        score: round(c.score),
        confidence: round(confidence),
        why: {
          lexical: round(c.lexical),
          vector: round(c.vector),
          coverage: round(evidence.coverage),
          field: evidence.field,
          fieldCoverage: round(evidence.fieldCoverage),
          matchedTerms: c.matched,
          unmatchedTerms: weights.terms.filter((term) => !c.matched.includes(term)),
          channel: channelOf(c.lexical, c.vector),
          channelsAgree: agree,
        },
      }
    })
  }

  return {
    embedder,
    get vectorStore() {
      return store()
    },
    get size() {
      return entries.size
    },
    upsert,
    remove,
    get(id) {
      return entries.get(id)?.document
    },
    search,
    async route(query, routeOptions = {}) {
      const limit = 5
      const candidates = await search(query, {
        limit,
        ...(routeOptions.filters ? { filters: routeOptions.filters } : {}),
      })
      const top = candidates[0]
      const confidence = top?.confidence ?? 0
      const bar = routeOptions.threshold ?? threshold
      return { skill: top && confidence >= bar ? top.id : null, confidence, candidates }
    },
    async close() {
      await writes
      await vectorStore?.close()
    },
  }
}

/** Issues of an optional list of names (tenants, skill ids): an array of non-empty strings, not too long. */
function checkNames(
  value: unknown,
  path: string,
  max: number,
  what: string,
): { path: string; message: string }[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string' || name === ''))
    return [{ path, message: 'must be an array of non-empty strings' }]
  if (value.length > max)
    return [{ path, message: `must list at most ${max} ${what} (got ${value.length})` }]
  return []
}

function checkOptions(values: {
  threshold: number
  vectorWeight: number
  pool: number
  maxQueryLength: number
}): void {
  const issues = []
  if (!(values.threshold >= 0 && values.threshold <= 1))
    issues.push({ path: 'threshold', message: 'must be between 0 and 1' })
  if (!(values.vectorWeight >= 0 && Number.isFinite(values.vectorWeight)))
    issues.push({ path: 'vectorWeight', message: 'must be a non-negative number' })
  if (!Number.isInteger(values.pool) || values.pool < 1)
    issues.push({ path: 'candidatePool', message: 'must be a positive integer' })
  if (!Number.isInteger(values.maxQueryLength) || values.maxQueryLength < 1)
    issues.push({ path: 'maxQueryLength', message: 'must be a positive integer' })
  if (issues.length > 0) throw new ValidationError('Invalid skill index options', issues)
}

/** JSON with sorted keys: jsonb does not keep key order, so equal documents must print alike. */
function canonicalJson(document: SkillDocument): string {
  return JSON.stringify(document, Object.keys(document).sort())
}

/**
 * What a skill keeps in the vector store from its embedded texts (document first, then examples):
 * all of them, or the document plus the normalised centroid of the examples. Idempotent, so vectors
 * persisted in either shape load alike.
 */
function storedVectors(
  vectors: readonly Float32Array[],
  mode: 'each' | 'centroid',
): Float32Array[] {
  if (storedCount(vectors.length, mode) === vectors.length) return [...vectors]
  const centroid = new Float32Array(vectors[0]!.length)
  for (let i = 1; i < vectors.length; i++) {
    const v = vectors[i]!
    for (let d = 0; d < centroid.length; d++) centroid[d]! += v[d]!
  }
  return [vectors[0]!, normalizeVector(centroid)]
}

function storedCount(texts: number, mode: 'each' | 'centroid'): number {
  return mode === 'each' ? texts : Math.min(texts, 2)
}

type FieldName = MatchExplanation['field'] & string
interface FieldTerms {
  field: FieldName
  terms: Set<string>
}

/** Each field's analysed terms, so coverage can say which single field echoes the request best. */
function fieldTerms(document: SkillDocument): FieldTerms[] {
  const of = (field: FieldName, text: string): FieldTerms => ({
    field,
    terms: new Set(analyze(text)),
  })
  return [
    of('name', `${document.id.replace(/[/_.-]+/g, ' ')} ${document.name}`),
    of('description', document.description),
    of('tags', document.tags.join(' ')),
    ...document.examples.map((example) => of('example', example)),
  ]
}

/** IDF of each distinct query term: a word no skill has weighs most, so an unknown request covers little. */
interface TermWeights {
  /** Distinct terms, in the order of the query. */
  terms: string[]
  weights: number[]
  total: number
}

function termWeights(terms: readonly string[], idf: (term: string) => number): TermWeights {
  const distinct: string[] = []
  const weights: number[] = []
  const seen = new Set<string>()
  let total = 0
  for (const term of terms) {
    if (seen.has(term)) continue
    seen.add(term)
    const weight = idf(term)
    distinct.push(term)
    weights.push(weight)
    total += weight
  }
  return { terms: distinct, weights, total }
}

/**
 * Share of the query's IDF weight that the skill's text matches (`coverage`), and the same for its
 * best single field — one example or the name echoing the whole request is stronger evidence than
 * scattered words. Plain loops: this runs for every candidate of every routed request.
 */
function coverageOf(
  { terms, weights, total }: TermWeights,
  fields: readonly FieldTerms[],
): { coverage: number; field: MatchExplanation['field']; fieldCoverage: number } {
  if (total <= 0) return { coverage: 0, field: null, fieldCoverage: 0 }
  let covered = 0
  for (let t = 0; t < terms.length; t++) {
    for (const f of fields) {
      if (f.terms.has(terms[t]!)) {
        covered += weights[t]!
        break
      }
    }
  }
  let field: MatchExplanation['field'] = null
  let fieldCoverage = 0
  for (const f of fields) {
    let sum = 0
    for (let t = 0; t < terms.length; t++) if (f.terms.has(terms[t]!)) sum += weights[t]!
    if (sum > fieldCoverage) {
      fieldCoverage = sum
      field = f.field
    }
  }
  return { coverage: covered / total, field, fieldCoverage: fieldCoverage / total }
}

function zScores(values: readonly number[], floor: number): number[] {
  const n = values.length
  const mean = values.reduce((a, b) => a + b, 0) / n
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n
  const spread = Math.max(Math.sqrt(variance), floor)
  return values.map((v) => (v - mean) / spread)
}

function channelOf(lexicalScore: number, vectorScore: number): MatchExplanation['channel'] {
  if (lexicalScore > 0 && vectorScore >= 0.2) return 'both'
  return lexicalScore > 0 ? 'lexical' : 'vector'
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000
}

import { describe, expect, it } from 'vitest'
import { createHashEmbedder } from './hash-embedder.js'
import { createMemoryVectorStore } from './memory-vector-store.js'
import { createSkillIndex, type SearchFilters, type SkillIndex } from './skill-index.js'
import { syntheticQueries, syntheticSkills } from './synthetic.test-data.js'
import { matchesFilter, type VectorFilter } from './vector-store.js'

const SKILLS = syntheticSkills(3_000)
const QUERIES = syntheticQueries(20)
/** No filter, a tag, a tenant, both, two tags and a tenant, and filters nothing passes. */
const FILTERS: (SearchFilters | undefined)[] = [
  undefined,
  { tags: ['tag-4'] },
  { tenant: 'tenant-2' },
  { tenant: 'tenant-5', tags: ['tag-0'] },
  { tenant: 'tenant-1', tags: ['tag-2', 'tag-9'] },
  { tenant: 'nobody' },
  { tags: ['no-such-tag'] },
]

/** Every seventh skill (some removed by the churn below), an unknown id and a duplicate. */
const LISTED = [
  ...SKILLS.filter((_, i) => i % 7 === 0).map((s) => s.id),
  'nope/none',
  SKILLS[7]!.id,
]
/**
 * Tenant lists: none (shared only), one, several, with unknown names and duplicates, and with tags;
 * skill ids, alone and with tenants and tags.
 */
const LIST_FILTERS: SearchFilters[] = [
  { tenants: [] },
  { tenants: ['tenant-3'] },
  { tenants: ['tenant-1', 'tenant-4'] },
  { tenants: ['tenant-0', 'tenant-2', 'tenant-5', 'nobody', 'tenant-0'] },
  { tenants: [], tags: ['tag-4'] },
  { tenants: ['tenant-2', 'tenant-5'], tags: ['tag-0'] },
  { ids: LISTED },
  { ids: LISTED, tenants: ['tenant-1'], tags: ['tag-3'] },
]

/** The vector store's form of a search's filters. */
function vectorFilter({ ids, ...rest }: SearchFilters): VectorFilter {
  return { ...rest, ...(ids ? { skillIds: ids } : {}) }
}

function passes(skill: (typeof SKILLS)[number], filters: SearchFilters | undefined): boolean {
  return matchesFilter(skill.tenant, skill.tags ?? [], filters && vectorFilter(filters), skill.id)
}

async function indexOf(options: Parameters<typeof createSkillIndex>[0] = {}): Promise<SkillIndex> {
  const index = await createSkillIndex(options)
  await index.upsert(SKILLS)
  // Churn: removed and re-added skills reuse ordinals; retagged ones move between postings.
  await index.remove(SKILLS.slice(0, 300).map((s) => s.id))
  await index.upsert(SKILLS.slice(0, 200))
  await index.upsert(
    SKILLS.slice(1_000, 1_100).map(({ tenant, ...skill }, i) => ({
      ...skill,
      tags: [`tag-${i % 12}`],
      ...(tenant === undefined ? { tenant: 'tenant-2' } : {}),
    })),
  )
  return index
}

/** Exact vectors and a pool as large as the index: every skill that passes a filter is a candidate. */
function exhaustiveIndex(): Promise<SkillIndex> {
  const embedder = createHashEmbedder()
  return indexOf({
    embedder,
    vectorStore: createMemoryVectorStore({
      dimensions: embedder.dimensions,
      approximateFrom: Infinity,
    }),
    candidatePool: 3_000,
  })
}

/**
 * Expect `actual` to be `expected`, hit for hit, except for the order of equal scores (a tie's order
 * is a heap's, which depends on the limit): the same scores, and the same skills at each score but the
 * lowest (which the cut may split).
 */
function expectSameRanking(
  actual: { skillId: string; score: number }[],
  expected: { skillId: string; score: number }[],
): void {
  expect(actual.map((h) => h.score)).toEqual(expected.map((h) => h.score))
  const cut = expected.at(-1)?.score
  const aboveCut = (hits: typeof actual) =>
    hits
      .filter((h) => h.score !== cut)
      .map((h) => `${h.score} ${h.skillId}`)
      .sort()
  expect(aboveCut(actual)).toEqual(aboveCut(expected))
}

function held(index: SkillIndex) {
  return SKILLS.map((s) => index.get(s.id)).filter((s) => s !== undefined)
}

describe('createSkillIndex: filtered search over 3,000 synthetic skills', () => {
  it('ranks and scores exactly as the index did before filters became bitsets', async () => {
    // The snapshot was written by the code that checked each candidate against the filter; the
    // bitsets must change speed only. Update it (`vitest -u`) only for an intended ranking change.
    const index = await indexOf()
    expect(index.vectorStore).toHaveProperty('mode', 'approximate')
    const lines: string[] = []
    for (const query of QUERIES) {
      for (const filters of FILTERS) {
        const results = await index.search(query, { limit: 5, ...(filters ? { filters } : {}) })
        lines.push(`${query} ${JSON.stringify(filters ?? {})}`)
        for (const r of results) lines.push(`  ${r.id} ${r.score} ${r.confidence} ${r.why.vector}`)
      }
    }
    expect(lines.filter((line) => line.startsWith('  ')).length).toBeGreaterThan(400)
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('__snapshots__/filtered-search.txt')
    await index.close()
  })

  it('keeps only skills that pass the filter, in both channels, whatever the filter', async () => {
    const index = await indexOf()
    const skills = held(index)
    for (const query of QUERIES.slice(0, 8)) {
      const [vector] = await index.embedder.embed([query])
      const everything = await index.vectorStore.query(vector!, { limit: 100_000 })
      for (const filters of FILTERS) {
        const results = await index.search(query, { limit: 100, ...(filters ? { filters } : {}) })
        for (const r of results) expect(passes(index.get(r.id)!, filters)).toBe(true)
        // The vector channel: the unfiltered hits restricted to the filter.
        const restricted = everything.filter((hit) => passes(index.get(hit.skillId)!, filters))
        const filtered = await index.vectorStore.query(vector!, { limit: 50, filter: filters })
        expectSameRanking(filtered, restricted.slice(0, 50))
      }
    }
    expect(skills.length).toBe(2_900)
    await index.close()
  })

  it('combines tag and tenant filters: exactly the skills of the tenant or shared, with every tag', async () => {
    const index = await exhaustiveIndex()
    const skills = held(index)
    const combined: SearchFilters[] = [
      { tenant: 'tenant-1', tags: ['tag-2', 'tag-9'] },
      { tenant: 'tenant-2', tags: ['tag-0', 'tag-5'] },
      { tags: ['tag-3', 'tag-7'] },
      { tenant: 'tenant-4', tags: ['tag-11', 'tag-6'] },
      { tenant: 'nobody', tags: ['tag-1', 'tag-2'] },
    ]
    for (const filters of combined) {
      const expected = skills.filter((s) => passes(s, filters)).map((s) => s.id)
      expect(expected.length).toBeGreaterThan(5)
      expect(expected.length).toBeLessThanOrEqual(100)
      // With a tenant, neither it nor the tags alone would do: each lets others through.
      const { tenant, tags } = filters
      if (tenant) {
        expect(skills.filter((s) => passes(s, { tenant })).length).toBeGreaterThan(100)
        expect(skills.filter((s) => passes(s, { tags })).length).toBeGreaterThan(expected.length)
      }
      for (const query of QUERIES.slice(0, 3)) {
        const results = await index.search(query, { limit: 100, filters })
        expect(results.map((r) => r.id).sort()).toEqual([...expected].sort())
      }
    }
    await index.close()
  })
})

describe('createSkillIndex: the tenants and ids filters', () => {
  it('ranks exactly as the unfiltered search restricted to the allowed skills', async () => {
    // Ranked by BM25 alone (fused order = lexical order whatever the pool), with a pool as large as
    // the index: the filter may change which skills compete, never their order or lexical score.
    const index = await indexOf({ vectorWeight: 0, candidatePool: 3_000 })
    let compared = 0
    for (const query of QUERIES.slice(0, 6)) {
      const everything = await index.search(query, { limit: 3_000 })
      for (const filters of LIST_FILTERS) {
        const allowed = everything.filter((r) => passes(index.get(r.id)!, filters)).slice(0, 100)
        const results = await index.search(query, { limit: 100, filters })
        expect(results.map((r) => r.id)).toEqual(allowed.map((r) => r.id))
        expect(results.map((r) => r.why.lexical)).toEqual(allowed.map((r) => r.why.lexical))
        compared += results.length
      }
    }
    expect(compared).toBeGreaterThan(2_000)
    await index.close()
  })

  it('keeps in both channels exactly the skills the lists allow', async () => {
    const index = await indexOf()
    for (const query of QUERIES.slice(0, 6)) {
      const [vector] = await index.embedder.embed([query])
      const everything = await index.vectorStore.query(vector!, { limit: 100_000 })
      for (const filters of LIST_FILTERS) {
        const results = await index.search(query, { limit: 100, filters })
        expect(results.length).toBeGreaterThan(0)
        for (const r of results) expect(passes(index.get(r.id)!, filters)).toBe(true)
        const restricted = everything.filter((hit) => passes(index.get(hit.skillId)!, filters))
        const filtered = await index.vectorStore.query(vector!, {
          limit: 50,
          filter: vectorFilter(filters),
        })
        expectSameRanking(filtered, restricted.slice(0, 50))
      }
    }
    await index.close()
  })

  it('answers a one-tenant list as that tenant, and an empty list as shared skills only', async () => {
    const index = await indexOf()
    const skills = held(index)
    for (const query of QUERIES.slice(0, 8)) {
      for (const [tenants, tenant] of [
        [['tenant-3'], 'tenant-3'],
        [[], 'nobody'],
      ] as const) {
        for (const tags of [undefined, ['tag-2']]) {
          const extra = tags ? { tags } : {}
          const viaList = await index.search(query, {
            limit: 30,
            filters: { tenants: [...tenants], ...extra },
          })
          const viaOne = await index.search(query, { limit: 30, filters: { tenant, ...extra } })
          expect(viaList).toEqual(viaOne)
        }
      }
      const shared = await index.search(query, { limit: 100, filters: { tenants: [] } })
      expect(shared.length).toBeGreaterThan(0)
      for (const r of shared) expect(index.get(r.id)!.tenant).toBeUndefined()
    }
    expect(skills.some((s) => s.tenant === undefined)).toBe(true)
    await index.close()
  })

  it('returns every allowed skill and no other when the pool covers the index', async () => {
    const index = await exhaustiveIndex()
    const skills = held(index)
    const few = SKILLS.filter((_, i) => i % 97 === 5).map((s) => s.id)
    for (const filters of [
      { tenants: [], tags: ['tag-3', 'tag-7'] },
      { tenants: ['tenant-1', 'tenant-4'], tags: ['tag-2', 'tag-9'] },
      { ids: few },
    ]) {
      const expected = skills.filter((s) => passes(s, filters)).map((s) => s.id)
      expect(expected.length).toBeGreaterThan(5)
      expect(expected.length).toBeLessThanOrEqual(100)
      const results = await index.search(QUERIES[0]!, { limit: 100, filters })
      expect(results.map((r) => r.id).sort()).toEqual([...expected].sort())
    }
    await index.close()
  })

  it('lets no skill through an empty id list, and ignores ids it does not hold', async () => {
    const index = await indexOf()
    expect(await index.search(QUERIES[0]!, { filters: { ids: [] } })).toEqual([])
    const held = SKILLS[2_000]!.id
    const results = await index.search(QUERIES[0]!, { filters: { ids: ['nope/none', held] } })
    expect(results.map((r) => r.id)).toEqual([held])
    await index.close()
  })

  it('refuses bad tenant lists, and tenant with tenants, naming filters.tenants', async () => {
    const index = await createSkillIndex()
    await index.upsert(SKILLS.slice(0, 20))
    const bad: unknown[] = [
      'tenant-1',
      [''],
      ['tenant-1', 7],
      [null],
      Array.from({ length: 1_001 }, (_, i) => `t-${i}`),
    ]
    for (const tenants of bad) {
      const error = await index
        .search('flight', { filters: { tenants } as never })
        .catch((e: unknown) => e)
      expect(error, JSON.stringify(tenants).slice(0, 40)).toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'filters.tenants' }],
      })
    }
    const both = await index
      .search('flight', { filters: { tenant: 'tenant-1', tenants: ['tenant-1'] } })
      .catch((e: unknown) => e)
    expect(both).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'filters.tenants' }] })
    expect((both as Error).message).toContain('filters.tenant')
    for (const ids of ['a/b', [''], [3], Array.from({ length: 10_001 }, (_, i) => `x/${i}`)]) {
      const error = await index
        .search('flight', { filters: { ids } as never })
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'filters.ids' }] })
    }
    // A thousand is the most a search may name.
    const many = Array.from({ length: 1_000 }, (_, i) => `t-${i}`)
    expect(Array.isArray(await index.search('flight', { filters: { tenants: many } }))).toBe(true)
    await index.close()
  })

  it('takes a larger candidate pool per search, and a limit up to it', async () => {
    const index = await indexOf()
    const query = QUERIES[1]!
    expect(await index.search(query, { limit: 101 }).catch((e: unknown) => e)).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'limit' }],
    })
    const wide = await index.search(query, { limit: 400, candidatePool: 400 })
    expect(wide.length).toBe(400)
    expect(new Set(wide.map((r) => r.id)).size).toBe(400)
    for (const candidatePool of [0, 1.5, 10_001]) {
      expect(await index.search(query, { candidatePool }).catch((e: unknown) => e)).toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'candidatePool' }],
      })
    }
    await index.close()
  })
})

import { describe, expect, it } from 'vitest'
import { createHashEmbedder } from './hash-embedder.js'
import { createMemoryVectorStore } from './memory-vector-store.js'
import { createSkillIndex, type SearchFilters, type SkillIndex } from './skill-index.js'
import { syntheticQueries, syntheticSkills } from './synthetic.test-data.js'
import { matchesFilter } from './vector-store.js'

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

function passes(skill: (typeof SKILLS)[number], filters: SearchFilters | undefined): boolean {
  return matchesFilter(skill.tenant, skill.tags ?? [], filters)
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
    // Exact vectors and a pool as large as the index: every skill that passes is a candidate.
    const embedder = createHashEmbedder()
    const index = await indexOf({
      embedder,
      vectorStore: createMemoryVectorStore({
        dimensions: embedder.dimensions,
        approximateFrom: Infinity,
      }),
      candidatePool: 3_000,
    })
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

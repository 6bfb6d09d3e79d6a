import { describe, expect, it } from 'vitest'
import { Bm25Index } from './bm25.js'
import { FilterIndex, type OrdinalSet } from './filter-index.js'
import { lexicalText, parseSkillDocuments } from './skill-document.js'
import {
  seededRandom,
  SYNTHETIC_TAGS,
  SYNTHETIC_TENANTS,
  syntheticQueries,
  syntheticSkills,
} from './synthetic.test-data.js'
import { analyze } from './text.js'
import { matchesFilter, type VectorFilter } from './vector-store.js'

/** Filters of every shape: none, tenant, one tag, two tags, both, unknown tenant or tag, duplicates. */
const FILTERS: (VectorFilter | undefined)[] = [
  undefined,
  {},
  { tags: [] },
  { tenant: 'tenant-1' },
  { tenant: 'nobody' },
  { tags: ['tag-3'] },
  { tags: ['tag-3', 'tag-5'] },
  { tags: ['tag-3', 'tag-3'] },
  { tags: ['no-such-tag'] },
  { tenant: 'tenant-2', tags: ['tag-0'] },
  { tenant: 'tenant-4', tags: ['tag-1', 'tag-7'] },
  { tenant: 'nobody', tags: ['tag-2'] },
]

function passing(set: OrdinalSet | undefined, ordinals: number): number[] {
  return Array.from({ length: ordinals }, (_, o) => o).filter((o) => set?.has(o) ?? true)
}

describe('FilterIndex', () => {
  it('selects exactly the skills matchesFilter lets through, across replacements and removals', () => {
    const rand = seededRandom(3)
    const index = new FilterIndex()
    const held: ({ tenant: string | undefined; tags: string[] } | undefined)[] = []
    for (let step = 0; step < 3_000; step++) {
      const ordinal = Math.floor(rand() * 700)
      if (rand() < 0.2) {
        index.delete(ordinal)
        held[ordinal] = undefined
        continue
      }
      const tenant =
        rand() < 0.4 ? undefined : SYNTHETIC_TENANTS[Math.floor(rand() * SYNTHETIC_TENANTS.length)]
      const tags = SYNTHETIC_TAGS.filter(() => rand() < 0.25)
      index.set(ordinal, tenant, tags)
      held[ordinal] = { tenant, tags }
    }
    expect(held.filter(Boolean).length).toBeGreaterThan(300)
    for (const filter of FILTERS) {
      const expected = held.flatMap((skill, o) =>
        skill && matchesFilter(skill.tenant, skill.tags, filter) ? [o] : [],
      )
      const selected = index.select(filter)
      if (!filter?.tenant && !filter?.tags?.length) {
        expect(selected).toBeUndefined()
        continue
      }
      expect(passing(selected, 800), JSON.stringify(filter)).toEqual(expected)
      expect(selected!.size).toBe(expected.length)
    }
  })

  it('selects nothing for an ordinal it never held, a negative one, or one past the end', () => {
    const index = new FilterIndex()
    index.set(2, undefined, ['a'])
    index.set(40, 't', ['a'])
    const set = index.select({ tenant: 't', tags: ['a'] })!
    expect(passing(set, 100)).toEqual([2, 40])
    expect(set.has(-1)).toBe(false)
    expect(set.has(10_000)).toBe(false)
    index.delete(40)
    index.delete(40)
    expect(passing(index.select({ tenant: 't' }), 100)).toEqual([2])
    expect(passing(index.select({ tags: ['a'] }), 100)).toEqual([2])
  })
})

describe('Bm25Index with an OrdinalSet', () => {
  it('returns the unfiltered ranking restricted to the set, as the key predicate does', () => {
    const documents = parseSkillDocuments(syntheticSkills(2_000))
    const filters = new FilterIndex()
    const bm25 = new Bm25Index()
    documents.forEach((document, ordinal) => {
      filters.set(ordinal, document.tenant, document.tags)
      bm25.upsert(document.id, analyze(lexicalText(document)), ordinal)
    })
    // Churn, so that tombstoned and compacted slots are exercised too.
    for (const document of documents.slice(0, 1_500)) bm25.remove(document.id)
    documents.slice(0, 1_500).forEach((document, ordinal) => {
      bm25.upsert(document.id, analyze(lexicalText(document)), ordinal)
    })
    const byId = new Map(documents.map((d) => [d.id, d]))
    let compared = 0
    for (const query of syntheticQueries(30)) {
      const terms = analyze(query)
      const everything = bm25.search(terms, documents.length)
      for (const filter of FILTERS) {
        const accept = (key: string) =>
          matchesFilter(byId.get(key)!.tenant, byId.get(key)!.tags, filter)
        const viaSet = bm25.search(terms, 20, filters.select(filter))
        expect(viaSet).toEqual(bm25.search(terms, 20, accept))
        // Scores are the unfiltered ones; the keys too, except among skills tied at the cut
        // (a tie's order is the heap's, which depends on the limit).
        const restricted = everything.filter((hit) => accept(hit.key)).slice(0, 20)
        expect(viaSet.map((h) => h.score)).toEqual(restricted.map((h) => h.score))
        const cut = restricted.at(-1)?.score
        const beforeCut = (hits: { key: string; score: number }[]) =>
          hits
            .filter((h) => h.score !== cut)
            .map((h) => `${h.score} ${h.key}`)
            .sort()
        expect(beforeCut(viaSet)).toEqual(beforeCut(restricted))
        compared += viaSet.length
      }
    }
    expect(compared).toBeGreaterThan(1_000)
  })
})

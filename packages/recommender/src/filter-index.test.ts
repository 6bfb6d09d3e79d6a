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

/** The id of the synthetic skill at `ordinal` (as both tests below name them). */
const idOf = (ordinal: number) => `synthetic/skill-${ordinal}`
const ordinalOf = (id: string) =>
  id.startsWith('synthetic/skill-') ? Number(id.slice('synthetic/skill-'.length)) : undefined
/** Every third of the first 900 ordinals, plus an unknown id and a duplicate. */
const LISTED = [...Array.from({ length: 300 }, (_, i) => idOf(i * 3)), 'nope/none', idOf(3)]

/**
 * Filters of every shape: none, tenant, tenants (none, one, several, unknown, duplicates, and with
 * `tenant` as well), one tag, two tags, both, unknown tenant or tag, duplicates, skill ids (none,
 * some, with tags and tenants).
 */
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
  { tenants: [] },
  { tenants: ['tenant-1'] },
  { tenants: ['tenant-1', 'tenant-3', 'nobody'] },
  { tenants: ['tenant-2', 'tenant-2'] },
  { tenants: [], tags: ['tag-3'] },
  { tenants: ['tenant-0', 'tenant-5'], tags: ['tag-1'] },
  { tenants: ['tenant-0', 'tenant-5'], tags: ['tag-1', 'tag-4'] },
  { tenant: 'tenant-1', tenants: ['tenant-1', 'tenant-2'] },
  { tenant: 'tenant-1', tenants: ['tenant-2'], tags: ['tag-0'] },
  { skillIds: [] },
  { skillIds: LISTED },
  { skillIds: LISTED, tags: ['tag-3'] },
  { skillIds: LISTED, tenants: ['tenant-1'], tags: ['tag-2'] },
  { skillIds: LISTED, tenant: 'tenant-4' },
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
        skill && matchesFilter(skill.tenant, skill.tags, filter, idOf(o)) ? [o] : [],
      )
      const selected = index.select(filter, ordinalOf)
      if (!filter?.tenant && !filter?.tenants && !filter?.tags?.length && !filter?.skillIds) {
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

  it("selects shared skills plus the listed tenants' own, and only shared ones for an empty list", () => {
    const index = new FilterIndex()
    index.set(0, undefined, ['a'])
    index.set(1, 'acme', ['a'])
    index.set(33, 'globex', ['a', 'b'])
    index.set(70, 'initech', [])
    index.set(71, undefined, ['b'])
    expect(passing(index.select({ tenants: [] }), 100)).toEqual([0, 71])
    expect(index.select({ tenants: [] })!.size).toBe(2)
    expect(passing(index.select({ tenants: ['acme', 'initech'] }), 100)).toEqual([0, 1, 70, 71])
    expect(index.select({ tenants: ['acme', 'initech', 'acme'] })!.size).toBe(4)
    expect(passing(index.select({ tenants: ['globex'], tags: ['a'] }), 100)).toEqual([0, 33])
    expect(passing(index.select({ tenants: [], tags: ['b'] }), 100)).toEqual([71])
    expect(passing(index.select({ tenants: ['nobody'], tags: ['b'] }), 100)).toEqual([71])
    // Both: the one tenant, only when listed.
    expect(passing(index.select({ tenant: 'acme', tenants: ['acme', 'globex'] }), 100)).toEqual([
      0, 1, 71,
    ])
    expect(passing(index.select({ tenant: 'acme', tenants: ['globex'] }), 100)).toEqual([0, 71])
  })

  it('selects listed skills that pass the rest of the filter, and needs to know their ordinals', () => {
    const index = new FilterIndex()
    index.set(0, undefined, ['a'])
    index.set(1, 'acme', ['a'])
    index.set(40, 'globex', ['a', 'b'])
    const ordinals = new Map([
      ['x/zero', 0],
      ['x/one', 1],
      ['x/forty', 40],
      ['x/gone', 7],
    ])
    const at = (id: string) => ordinals.get(id)
    const listed = ['x/one', 'x/forty', 'x/gone', 'x/unknown', 'x/one']
    expect(passing(index.select({ skillIds: listed }, at), 100)).toEqual([1, 40])
    expect(index.select({ skillIds: listed }, at)!.size).toBe(2)
    expect(passing(index.select({ skillIds: listed, tags: ['b'] }, at), 100)).toEqual([40])
    expect(passing(index.select({ skillIds: listed, tenants: [] }, at), 100)).toEqual([])
    expect(
      passing(index.select({ skillIds: ['x/zero', 'x/one'], tenant: 'globex' }, at), 100),
    ).toEqual([0])
    expect(index.select({ skillIds: [] }, at)!.size).toBe(0)
    expect(() => index.select({ skillIds: ['x/one'] })).toThrow(/ordinalOf/)
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
          matchesFilter(byId.get(key)!.tenant, byId.get(key)!.tags, filter, key)
        const viaSet = bm25.search(terms, 20, filters.select(filter, ordinalOf))
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

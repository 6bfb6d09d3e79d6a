import { createHashEmbedder, type Embedder } from '@skillos/recommender'
import { afterEach, describe, expect, it } from 'vitest'
import { computeQuality } from './quality.js'
import {
  type CatalogEntry,
  createRegistrySearch,
  type RegistrySearch,
  type SearchVisibility,
} from './search.js'

const now = new Date('2026-01-01T00:00:00Z')
const QUERY = 'convert currency exchange rate'

/** Fields of a test entry: any of the catalog's, and whether it ships a test file (quality). */
type Fields = Partial<Omit<CatalogEntry, 'id' | 'scope'>> & { tested?: boolean }

function entry(scope: string, name: string, fields: Fields = {}): CatalogEntry {
  const { tested = false, ...rest } = fields
  const description = rest.description ?? `Monthly ${name} of currency balances for accountants`
  const examples = rest.examples ?? []
  return {
    id: `${scope}/${name}`,
    scope,
    version: '1.0.0',
    name,
    description,
    tags: [],
    examples,
    quality: computeQuality({
      manifest: { description, examples },
      files: tested ? ['skill/skill.yaml', 'skill/index.test.ts'] : ['skill/skill.yaml'],
      signed: false,
      publishedAt: now,
      now,
    }),
    private: false,
    ...rest,
  }
}

/** A skill that answers {@link QUERY} on every word: it outranks {@link weak} ones. */
function strong(scope: string, i: number, fields: Fields = {}): CatalogEntry {
  return entry(scope, `convert-currency-${i}`, {
    description: `Convert an amount between currencies at the current exchange rate (variant ${i})`,
    examples: ['convert 100 dollars to euro at the exchange rate', 'currency exchange rate today'],
    ...fields,
  })
}

/** A skill that shares only "currency" with {@link QUERY}. */
function weak(scope: string, i: number, fields: Fields = {}): CatalogEntry {
  return entry(scope, `currency-report-${i}`, fields)
}

const outsider: SearchVisibility = { all: false, scopes: new Set(['globex']) }
const anonymous: SearchVisibility = { all: false, scopes: new Set() }
const acmeMember: SearchVisibility = { all: false, scopes: new Set(['acme']) }
const admin: SearchVisibility = { all: true, scopes: new Set() }

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

let search: RegistrySearch | undefined
/** Texts the index embedded one at a time: each index search embeds its query once. */
let queriesEmbedded = 0

/** A registry search whose embedder counts the index searches a query takes. */
async function openSearch(entries: CatalogEntry[]): Promise<RegistrySearch> {
  const hash = createHashEmbedder()
  const embedder: Embedder = {
    id: hash.id,
    dimensions: hash.dimensions,
    embed(texts) {
      if (texts.length === 1) queriesEmbedded++
      return hash.embed(texts)
    },
  }
  search = await createRegistrySearch({ embedder })
  // In batches of more than one, so that only queries count.
  await search.upsert(entries.length === 1 ? [...entries, ...entries] : entries)
  queriesEmbedded = 0
  return search
}

/** The answer to `query`, and how many index searches it took. */
async function searched(
  index: RegistrySearch,
  ...args: Parameters<RegistrySearch['query']>
): Promise<Awaited<ReturnType<RegistrySearch['query']>> & { rounds: number }> {
  const before = queriesEmbedded
  const answer = await index.query(...args)
  return { ...answer, rounds: queriesEmbedded - before }
}

afterEach(async () => {
  await search?.close()
  search = undefined
})

describe('createRegistrySearch: private skills of other scopes', () => {
  const open = () =>
    openSearch([
      ...range(60).map((i) => strong('acme', i, { private: true })),
      ...range(5).map((i) => weak('public', i)),
    ])

  it('gives a caller outside the scope every public match and counts only those', async () => {
    const index = await open()
    for (const visibility of [outsider, anonymous]) {
      const { total, results, rounds } = await searched(index, { q: QUERY }, visibility)
      // In one index search: acme's skills were never candidates.
      expect(rounds).toBe(1)
      expect(total).toBe(5)
      expect(results.map((r) => r.id).sort()).toEqual(
        range(5).map((i) => `public/currency-report-${i}`),
      )
      expect(results.map((r) => r.why[0])).toEqual(Array(5).fill('matched "currenc" in name'))
    }
    const page = await index.query({ q: QUERY, limit: 2, offset: 4 }, outsider)
    expect(page.total).toBe(5)
    expect(page.results).toHaveLength(1)
  })

  it('gives a member of the scope its private skills first, and an admin the same', async () => {
    const index = await open()
    const member = await index.query({ q: QUERY, limit: 100 }, acmeMember)
    expect(member.total).toBe(50)
    expect(member.results).toHaveLength(50)
    expect(member.results.every((r) => r.id.startsWith('acme/convert-currency-'))).toBe(true)
    const everyone = await index.query({ q: QUERY, limit: 100 }, admin)
    expect(everyone.results.map((r) => r.id)).toEqual(member.results.map((r) => r.id))
    // Asked for public skills only, the member still gets them: the pool is not spent on acme's.
    const listed = await index.query({ q: QUERY, domain: 'public' }, acmeMember)
    expect(listed.total).toBe(5)
  })

  it('still hides them from a member of more private scopes than the index takes at once', async () => {
    const index = await open()
    const scopes = new Set(range(1_001).map((i) => `scope-${i}`))
    const { total, results, rounds } = await searched(index, { q: QUERY }, { all: false, scopes })
    expect(total).toBe(5)
    expect(results.every((r) => r.id.startsWith('public/'))).toBe(true)
    // Filtered by the registry: a first pool of acme's skills, then the public ones listed.
    expect(rounds).toBe(2)
  })

  it("keeps another member's private scopes out, with and without a tag", async () => {
    const index = await openSearch([
      ...range(60).map((i) => strong('acme', i, { private: true, tags: ['money'] })),
      ...range(3).map((i) => weak('globex', i, { private: true, tags: ['money'] })),
      ...range(4).map((i) => weak('public', i, { tags: i < 2 ? ['money'] : [] })),
    ])
    const all = await searched(index, { q: QUERY }, outsider)
    expect(all.total).toBe(7)
    expect(all.rounds).toBe(1)
    expect(all.results.some((r) => r.id.startsWith('acme/'))).toBe(false)
    const tagged = await searched(index, { q: QUERY, tag: 'money' }, outsider)
    expect(tagged.rounds).toBe(1)
    expect(tagged.results.map((r) => r.id).sort()).toEqual([
      'globex/currency-report-0',
      'globex/currency-report-1',
      'globex/currency-report-2',
      'public/currency-report-0',
      'public/currency-report-1',
    ])
    expect(tagged.total).toBe(5)
  })
})

describe("createRegistrySearch: the registry's own filters", () => {
  it('finds the few skills of a domain, an author or a quality that better matches outrank', async () => {
    const index = await openSearch([
      ...range(120).map((i) => strong('big', i, { author: 'Busy Author' })),
      ...range(5).map((i) => weak('small', i, { author: 'Rare Author', tested: true })),
    ])
    const small = range(5).map((i) => `small/currency-report-${i}`)
    const byDomain = await searched(index, { q: QUERY, domain: 'small' }, anonymous)
    expect(byDomain.total).toBe(5)
    expect(byDomain.results.map((r) => r.id).sort()).toEqual(small)
    // The domain's skills are listed for the index: one search, whatever outranks them.
    expect(byDomain.rounds).toBe(1)
    const byAuthor = await searched(index, { q: QUERY, author: 'rare author' }, anonymous)
    expect(byAuthor.results.map((r) => r.id).sort()).toEqual(small)
    expect(byAuthor.rounds).toBe(1)
    const both = await searched(
      index,
      { q: QUERY, domain: 'big', author: 'rare author' },
      anonymous,
    )
    expect(both.total).toBe(0)
    const tested = index.get('small/currency-report-0')!.quality.score
    expect(tested).toBeGreaterThan(index.get('big/convert-currency-0')!.quality.score)
    // Quality: checked on a first pool, then the few that pass are listed for a second search.
    const byQuality = await searched(index, { q: QUERY, minQuality: tested }, anonymous)
    expect(byQuality.results.map((r) => r.id).sort()).toEqual(small)
    expect(byQuality.rounds).toBe(2)
    // Nothing passes: an empty answer, not an error.
    expect(await index.query({ q: QUERY, domain: 'nobody' }, anonymous)).toEqual({
      total: 0,
      results: [],
    })
    expect(await index.query({ q: QUERY, deprecated: true }, anonymous)).toEqual({
      total: 0,
      results: [],
    })
  })

  it('forgets a removed or re-authored skill in its domain and author lists', async () => {
    const index = await openSearch([...range(3).map((i) => weak('small', i, { author: 'Ann' }))])
    await index.remove(['small/currency-report-0'])
    await index.upsert([weak('small', 1, { author: 'Bob' })])
    const ids = async (query: { domain?: string; author?: string }) =>
      (await index.query({ q: QUERY, ...query }, anonymous)).results.map((r) => r.id).sort()
    expect(await ids({ domain: 'small' })).toEqual([
      'small/currency-report-1',
      'small/currency-report-2',
    ])
    expect(await ids({ author: 'ann' })).toEqual(['small/currency-report-2'])
    expect(await ids({ author: 'BOB' })).toEqual(['small/currency-report-1'])
  })

  it('asks again with larger pools when a filter that many skills pass rejects the best matches', async () => {
    // More skills pass the quality bar than an id list may name, but 200 better matches fail it.
    const many = 10_020
    const entries = [
      ...range(200).map((i) => strong('big', i)),
      ...range(many).map((i) =>
        weak('good', i, {
          tested: true,
          description: `Weekly currency digest ${i} for the treasury team`,
        }),
      ),
    ]
    const index = await openSearch(entries.slice(0, 2))
    for (let at = 2; at < entries.length; at += 2_500)
      await index.upsert(entries.slice(at, at + 2_500))
    queriesEmbedded = 0
    const minQuality = index.get('good/currency-report-0')!.quality.score
    expect(minQuality).toBeGreaterThan(index.get('big/convert-currency-0')!.quality.score)
    const { total, results, rounds } = await searched(
      index,
      { q: QUERY, minQuality, limit: 100 },
      anonymous,
    )
    expect(total).toBe(50)
    expect(results.every((r) => r.id.startsWith('good/'))).toBe(true)
    // Pools of 50 and 200 hold only the 200 better matches; 800 holds 600 that pass.
    expect(rounds).toBe(3)
  })

  it('pages through the same ranking whatever the offset', async () => {
    const index = await openSearch([
      ...range(200).map((i) => strong('big', i)),
      ...range(80).map((i) => weak(`small`, i, { author: 'Rare Author' })),
    ])
    const whole = await index.query({ q: QUERY, author: 'Rare Author', limit: 100 }, anonymous)
    expect(whole.total).toBe(50)
    expect(whole.results.every((r) => r.id.startsWith('small/'))).toBe(true)
    const pages = []
    for (let offset = 0; offset < 50; offset += 20) {
      const page = await index.query(
        { q: QUERY, author: 'Rare Author', limit: 20, offset },
        anonymous,
      )
      expect(page.total).toBe(50)
      pages.push(...page.results)
    }
    expect(pages.map((r) => r.id)).toEqual(whole.results.map((r) => r.id))
  })
})

import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import type { Embedder } from './embedder.js'
import { FIXTURE_SKILLS } from './fixtures.test-data.js'
import { createHashEmbedder } from './hash-embedder.js'
import { createSkillIndex, DEFAULT_THRESHOLD } from './skill-index.js'

async function fixtureIndex() {
  const index = await createSkillIndex()
  await index.upsert(FIXTURE_SKILLS)
  return index
}

describe('createSkillIndex: ranking', () => {
  it('ranks the currency converter first for a Russian conversion request', async () => {
    const index = await fixtureIndex()
    const results = await index.search('переведи 100 долларов в рубли')
    expect(results[0]?.id).toBe('finance/convert-currency')
    const route = await index.route('переведи 100 долларов в рубли')
    expect(route.skill).toBe('finance/convert-currency')
    expect(route.confidence).toBeGreaterThan(0.5)
  })

  it('ranks the flight search first for an English flight request, hotels second among travel skills', async () => {
    const index = await fixtureIndex()
    const results = await index.search('cheap flight from Berlin to Rome on Monday', { limit: 5 })
    expect(results[0]?.id).toBe('travel/search-flights')
    expect(results.map((r) => r.id)).toContain('travel/search-hotels')
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score)
  })

  it('routes Russian inflections through stemming: гостиницы → гостиницу', async () => {
    const index = await fixtureIndex()
    const route = await index.route('недорогие гостиницы в Казани')
    expect(route.skill).toBe('travel/search-hotels')
  })

  it('explains a match with its channels and the query terms it matched', async () => {
    const index = await fixtureIndex()
    const [top] = await index.search('euro exchange rate')
    expect(top?.id).toBe('finance/exchange-rates')
    expect(top?.why.matchedTerms).toEqual(expect.arrayContaining(['euro', 'exchang', 'rate']))
    expect(top?.why.channel).toBe('both')
    expect(top?.why.lexical).toBeGreaterThan(0)
    expect(top?.why.vector).toBeGreaterThan(0)
    expect(top?.why.coverage).toBe(1)
    expect(top?.why.field).toBe('example')
    expect(top?.why.unmatchedTerms).toEqual([])
    expect(top?.why.channelsAgree).toBe(true)
    expect(top!.confidence).toBeGreaterThanOrEqual(0)
    expect(top!.confidence).toBeLessThanOrEqual(1)
  })
})

describe('createSkillIndex: abstention', () => {
  it.each([
    'what is the weather in Moscow tomorrow',
    'напиши стихотворение про осень',
    'play some jazz music',
  ])('answers no skill for the out-of-scope request %j, with the near misses', async (query) => {
    const index = await fixtureIndex()
    const route = await index.route(query)
    expect(route.skill).toBeNull()
    expect(route.confidence).toBeLessThan(DEFAULT_THRESHOLD)
    for (const candidate of route.candidates)
      expect(candidate.confidence).toBeLessThan(DEFAULT_THRESHOLD)
  })

  it('abstains on a request that shares one word with a skill, and says how little it covers', async () => {
    const index = await fixtureIndex()
    const route = await index.route('search my inbox for the invoice from Bob')
    expect(route.skill).toBeNull()
    const [near] = route.candidates
    expect(near?.why.matchedTerms).toEqual(['search'])
    expect(near?.why.unmatchedTerms).toEqual(expect.arrayContaining(['inbox', 'bob']))
    expect(near!.why.coverage).toBeLessThan(0.2)
    expect(near!.why.fieldCoverage).toBeLessThanOrEqual(near!.why.coverage)
    expect(near?.why.channelsAgree).toBe(false)
  })

  it('abstains when told to by a higher threshold, and routes at a lower one', async () => {
    const index = await fixtureIndex()
    const route = await index.route('convert 10 dollars', { threshold: 0.9999 })
    expect(route.skill).toBeNull()
    expect(route.candidates[0]?.id).toBe('finance/convert-currency')
    const low = await index.route('convert 10 dollars', { threshold: 0.01 })
    expect(low.skill).toBe('finance/convert-currency')
  })

  it('routes nothing in an empty index', async () => {
    const index = await createSkillIndex()
    expect(await index.route('convert money')).toEqual({
      skill: null,
      confidence: 0,
      candidates: [],
    })
  })
})

describe('createSkillIndex: filters', () => {
  it('keeps only skills carrying every requested tag', async () => {
    const index = await fixtureIndex()
    const results = await index.search('search', { filters: { tags: ['travel', 'hotels'] } })
    expect(results.map((r) => r.id)).toEqual(['travel/search-hotels'])
  })

  it("hides another tenant's skills and shows shared ones", async () => {
    const index = await fixtureIndex()
    const other = await index.search('cheapest oyster supplier', {
      filters: { tenant: 'globex' },
      limit: 10,
    })
    expect(other.map((r) => r.id)).not.toContain('oysters/compare-suppliers')
    expect(other.length).toBeGreaterThan(0)
    const own = await index.search('cheapest oyster supplier', { filters: { tenant: 'acme' } })
    expect(own[0]?.id).toBe('oysters/compare-suppliers')
  })

  it('refuses an unknown filter key, naming it', async () => {
    const index = await fixtureIndex()
    const error = await index
      .search('flights', { filters: { region: 'eu' } as never })
      .catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    expect((error as Error).message).toContain('filters.region')
  })
})

describe('createSkillIndex: incremental updates', () => {
  it('forgets a removed skill at once and ignores unknown ids', async () => {
    const index = await fixtureIndex()
    expect(await index.remove(['travel/search-flights', 'nope/none'])).toBe(1)
    expect(index.size).toBe(4)
    const results = await index.search('cheapest flight Paris to Lisbon', { limit: 10 })
    expect(results.map((r) => r.id)).not.toContain('travel/search-flights')
  })

  it('re-embeds only skills whose text changed', async () => {
    let embedded = 0
    const base = createHashEmbedder()
    const counting: Embedder = {
      ...base,
      id: base.id,
      dimensions: base.dimensions,
      embed: (texts) => ((embedded += texts.length), base.embed(texts)),
    }
    const index = await createSkillIndex({ embedder: counting })
    const first = await index.upsert(FIXTURE_SKILLS)
    expect(first).toMatchObject({ added: 5, updated: 0, unchanged: 0 })
    const again = await index.upsert(FIXTURE_SKILLS)
    expect(again).toEqual({ added: 0, updated: 0, unchanged: 5, embedded: 0 })
    const retenanted = await index.upsert([{ ...FIXTURE_SKILLS[0]!, tenant: 'acme' }])
    expect(retenanted).toEqual({ added: 0, updated: 1, unchanged: 0, embedded: 0 })
    embedded = 0
    const changed = await index.upsert([{ ...FIXTURE_SKILLS[1]!, examples: ['курс юаня'] }])
    expect(changed).toMatchObject({ updated: 1, embedded: 2 })
    expect(embedded).toBe(2)
    expect((await index.search('курс юаня'))[0]?.id).toBe('finance/exchange-rates')
  })

  it('stays consistent under concurrent upserts, removes and searches', async () => {
    const index = await fixtureIndex()
    const extra = Array.from({ length: 40 }, (_, i) => ({
      id: `bulk/skill-${i}`,
      name: `Bulk skill ${i}`,
      description: `Handles bulk request number ${i} about parcels and warehouses`,
    }))
    const searches: Promise<unknown>[] = []
    const writes: Promise<unknown>[] = []
    for (let i = 0; i < extra.length; i++) {
      writes.push(index.upsert([extra[i]!]))
      if (i % 4 === 0) writes.push(index.remove([`bulk/skill-${i}`]))
      searches.push(
        index.search('bulk request about parcels', { limit: 20 }).then((results) => {
          for (const r of results) expect(r.id === r.id.trim() && r.id.length > 0).toBe(true)
          return results
        }),
      )
    }
    await Promise.all([...writes, ...searches])
    // Writes apply in call order: every fourth skill was added, then removed.
    expect(index.size).toBe(FIXTURE_SKILLS.length + 30)
    const results = await index.search('bulk request about parcels', { limit: 100 })
    const ids = results.map((r) => r.id).filter((id) => id.startsWith('bulk/'))
    expect(ids).toHaveLength(30)
    expect(ids).not.toContain('bulk/skill-0')
    expect(ids).toContain('bulk/skill-1')
  })
})

describe('createSkillIndex: robustness', () => {
  it('refuses an empty query', async () => {
    const index = await fixtureIndex()
    await expect(index.search('   ')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('empty'),
    })
  })

  it('refuses a 1 MB query, naming the limit', async () => {
    const index = await fixtureIndex()
    const error = await index.route('a'.repeat(1_048_576)).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    expect((error as Error).message).toContain('10000')
  })

  it('answers binary garbage with no match instead of crashing', async () => {
    const index = await fixtureIndex()
    const garbage = String.fromCharCode(
      ...Array.from({ length: 2_000 }, (_, i) => (i * 7919) % 65_536),
    )
    const route = await index.route(garbage)
    expect(route.skill).toBeNull()
    const symbols = await index.route('\u0000\u0001\uD800 %%% ###')
    expect(symbols).toEqual({
      skill: null,
      confidence: expect.any(Number),
      candidates: expect.any(Array),
    })
    expect(symbols.skill).toBeNull()
  })

  it('refuses malformed skills without changing the index', async () => {
    const index = await fixtureIndex()
    const error = await index
      .upsert([{ id: 'a/b', name: 'ok', description: 'ok' }, { id: '', name: 'x' } as never])
      .catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    expect(index.get('a/b')).toBeUndefined()
    expect(index.size).toBe(5)
  })
})

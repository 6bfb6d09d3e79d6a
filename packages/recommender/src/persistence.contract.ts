import type { Database } from '@skillos/store'
import { skillIndexEntries } from '@skillos/store'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Embedder } from './embedder.js'
import { FIXTURE_SKILLS } from './fixtures.test-data.js'
import { createHashEmbedder } from './hash-embedder.js'
import { createSkillIndex } from './skill-index.js'

function countingEmbedder(): Embedder & { calls: number; texts: number } {
  const base = createHashEmbedder()
  const counter = {
    id: base.id,
    dimensions: base.dimensions,
    calls: 0,
    texts: 0,
    embed(texts: readonly string[]) {
      counter.calls++
      counter.texts += texts.length
      return base.embed(texts)
    },
  }
  return counter
}

/** The persistence behaviour every database the store supports must show. One database per file. */
export function describePersistenceContract(label: string, open: () => Promise<Database>): void {
  describe(`skill index persistence (${label})`, () => {
    let database: Database
    beforeAll(async () => {
      database = await open()
    })
    afterAll(async () => {
      await database?.close()
    })

    it('restores the index on reopen without embedding unchanged skills again', async () => {
      const tenant = 'persist-a'
      const first = countingEmbedder()
      const index = await createSkillIndex({ embedder: first, persistence: { database, tenant } })
      await index.upsert(FIXTURE_SKILLS)
      expect(first.texts).toBeGreaterThan(0)
      await index.close()

      const second = countingEmbedder()
      const reopened = await createSkillIndex({
        embedder: second,
        persistence: { database, tenant },
      })
      expect(reopened.size).toBe(FIXTURE_SKILLS.length)
      expect((await reopened.route('конвертируй 100 долларов в рубли')).skill).toBe(
        'finance/convert-currency',
      )
      expect(second.texts).toBe(1) // the query only
      const again = await reopened.upsert(FIXTURE_SKILLS)
      expect(again).toEqual({ added: 0, updated: 0, unchanged: FIXTURE_SKILLS.length, embedded: 0 })
      expect(second.texts).toBe(1)
    })

    it('persists updates and removals, and keeps tenants apart', async () => {
      const index = await createSkillIndex({ persistence: { database, tenant: 'persist-b' } })
      await index.upsert(FIXTURE_SKILLS)
      await index.upsert([
        { ...FIXTURE_SKILLS[2]!, description: 'Search air tickets and flights by route and date.' },
      ])
      await index.remove(['travel/search-hotels'])
      const rows = await database.db
        .select()
        .from(skillIndexEntries)
        .where(eq(skillIndexEntries.tenantId, 'persist-b'))
      expect(rows.map((r) => r.skillId).sort()).toEqual([
        'finance/convert-currency',
        'finance/exchange-rates',
        'oysters/compare-suppliers',
        'travel/search-flights',
      ])
      const flights = rows.find((r) => r.skillId === 'travel/search-flights')!
      expect(flights.document.description).toBe('Search air tickets and flights by route and date.')
      expect(flights.vectors.byteLength).toBe(3 * flights.dimensions * 4)

      const reopened = await createSkillIndex({ persistence: { database, tenant: 'persist-b' } })
      expect(reopened.size).toBe(4)
      expect(reopened.get('travel/search-hotels')).toBeUndefined()
      const empty = await createSkillIndex({ persistence: { database, tenant: 'persist-nobody' } })
      expect(empty.size).toBe(0)
    })

    it('keeps the vectors of different embedders apart', async () => {
      const tenant = 'persist-c'
      const index = await createSkillIndex({ persistence: { database, tenant } })
      await index.upsert(FIXTURE_SKILLS)
      const other = createHashEmbedder({ dimensions: 256 })
      const reopened = await createSkillIndex({
        embedder: other,
        persistence: { database, tenant },
      })
      expect(reopened.size).toBe(0)
    })
  })
}

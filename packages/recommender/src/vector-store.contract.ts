import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VectorStore } from './vector-store.js'

const v = (...values: number[]) => new Float32Array(values)

/**
 * What every vector store must do (memory, pgvector, Qdrant): best vector per skill, highest first;
 * tenant, tenants, tag and skill id filters; upsert replaces all vectors of a skill; remove forgets it; exact `scores`.
 * `open` gets 3-dimensional stores and a fresh, empty store each time.
 */
export function describeVectorStoreContract(name: string, open: () => Promise<VectorStore>): void {
  describe(`vector store contract: ${name}`, () => {
    let store: VectorStore
    beforeAll(async () => {
      store = await open()
      await store.upsert([
        { skillId: 'a/x', vector: v(1, 0, 0), tags: ['t', 'u'] },
        { skillId: 'a/x', vector: v(0, 1, 0), tags: ['t', 'u'] },
        { skillId: 'b/y', vector: v(0.8, 0.6, 0), tags: ['t'], tenant: 'acme' },
        { skillId: 'c/z', vector: v(0, 0, 1), tags: [], tenant: 'globex' },
      ])
    })
    afterAll(async () => {
      await store.close()
    })

    it('returns the best vector per skill, best first, scored by cosine', async () => {
      const hits = await store.query(v(0, 1, 0), { limit: 5 })
      expect(hits.map((h) => h.skillId)).toEqual(['a/x', 'b/y', 'c/z'])
      expect(hits[0]!.score).toBeCloseTo(1, 2)
      expect(hits[1]!.score).toBeCloseTo(0.6, 2)
      expect(await store.query(v(0, 1, 0), { limit: 1 })).toHaveLength(1)
    })

    it("keeps a tenant's own and shared skills, and skills with every tag", async () => {
      const ids = async (filter: { tenant?: string; tags?: string[] }) =>
        (await store.query(v(0, 1, 0), { limit: 5, filter })).map((h) => h.skillId)
      expect(await ids({ tenant: 'acme' })).toEqual(['a/x', 'b/y'])
      expect(await ids({ tags: ['t'] })).toEqual(['a/x', 'b/y'])
      expect(await ids({ tags: ['t', 'u'] })).toEqual(['a/x'])
      expect(await ids({ tenant: 'globex', tags: ['t'] })).toEqual(['a/x'])
    })

    it('keeps the skills of any listed tenant plus shared ones; an empty list keeps shared only', async () => {
      const ids = async (filter: { tenants: string[]; tags?: string[] }) =>
        (await store.query(v(0, 1, 0), { limit: 5, filter })).map((h) => h.skillId)
      expect(await ids({ tenants: [] })).toEqual(['a/x'])
      expect(await ids({ tenants: ['acme'] })).toEqual(['a/x', 'b/y'])
      expect(await ids({ tenants: ['acme', 'globex', 'nobody'] })).toEqual(['a/x', 'b/y', 'c/z'])
      expect(await ids({ tenants: ['globex'] })).toEqual(['a/x', 'c/z'])
      expect(await ids({ tenants: ['globex'], tags: ['t'] })).toEqual(['a/x'])
      expect(await ids({ tenants: ['acme', 'globex'], tags: ['t'] })).toEqual(['a/x', 'b/y'])
    })

    it('keeps only the listed skills that pass the rest of the filter', async () => {
      const ids = async (filter: { skillIds: string[]; tenants?: string[]; tags?: string[] }) =>
        (await store.query(v(0, 1, 0), { limit: 5, filter })).map((h) => h.skillId)
      expect(await ids({ skillIds: [] })).toEqual([])
      expect(await ids({ skillIds: ['c/z', 'b/y', 'never/was'] })).toEqual(['b/y', 'c/z'])
      expect(await ids({ skillIds: ['c/z', 'b/y'], tenants: ['globex'] })).toEqual(['c/z'])
      expect(await ids({ skillIds: ['a/x', 'c/z'], tags: ['t'] })).toEqual(['a/x'])
    })

    it('gives exact best-vector scores for named skills when it can', async () => {
      if (!store.scores) return
      const scores = await store.scores(v(0, 0, 1), ['a/x', 'c/z', 'nope'])
      expect(scores.get('c/z')).toBeCloseTo(1, 2)
      expect(scores.get('a/x')).toBeCloseTo(0, 2)
      expect(scores.has('nope')).toBe(false)
    })

    it('replaces all vectors of a skill on upsert, and forgets removed skills', async () => {
      await store.upsert([{ skillId: 'a/x', vector: v(0, 0, 1), tags: [] }])
      const hits = await store.query(v(0, 1, 0), { limit: 5 })
      expect(hits.find((h) => h.skillId === 'a/x')!.score).toBeCloseTo(0, 2)
      await store.remove(['a/x', 'never/was'])
      expect((await store.query(v(0, 0, 1), { limit: 5 })).map((h) => h.skillId)).toEqual([
        'c/z',
        'b/y',
      ])
    })

    it('refuses a vector of the wrong length', async () => {
      await expect(
        store.upsert([{ skillId: 'd/w', vector: v(1, 0), tags: [] }]),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    })
  })
}

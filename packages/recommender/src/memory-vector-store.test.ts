import { describe, expect, it } from 'vitest'
import { normalizeVector } from './embedder.js'
import { createMemoryVectorStore } from './memory-vector-store.js'
import { matchesFilter, type VectorFilter } from './vector-store.js'

function randomVectors(count: number, dims: number, seed: number): Float32Array[] {
  let state = seed
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32 - 0.5
  }
  return Array.from({ length: count }, () =>
    normalizeVector(Float32Array.from({ length: dims }, rand)),
  )
}

describe('createMemoryVectorStore', () => {
  it('returns the best vector per skill, best first, and respects filters', async () => {
    const store = createMemoryVectorStore({ dimensions: 2 })
    await store.upsert([
      { skillId: 'a', vector: new Float32Array([1, 0]), tags: ['x'] },
      { skillId: 'a', vector: new Float32Array([0, 1]), tags: ['x'] },
      { skillId: 'b', vector: new Float32Array([0.8, 0.6]), tags: [], tenant: 't1' },
    ])
    const hits = await store.query(new Float32Array([0, 1]), { limit: 5 })
    expect(hits).toEqual([
      { skillId: 'a', score: 1 },
      { skillId: 'b', score: expect.closeTo(0.6, 5) },
    ])
    expect(
      await store.query(new Float32Array([0, 1]), { limit: 5, filter: { tenant: 't2' } }),
    ).toEqual([{ skillId: 'a', score: 1 }])
    expect(
      await store.query(new Float32Array([0, 1]), { limit: 5, filter: { tags: ['x'] } }),
    ).toHaveLength(1)
    await store.remove(['a'])
    expect(
      (await store.query(new Float32Array([0, 1]), { limit: 5 })).map((h) => h.skillId),
    ).toEqual(['b'])
    expect(store.size).toBe(1)
  })

  it('finds what exact search finds for most queries once approximate', async () => {
    const dims = 128
    const vectors = randomVectors(3_000, dims, 1)
    const exact = createMemoryVectorStore({ dimensions: dims, approximateFrom: Infinity })
    const approximate = createMemoryVectorStore({
      dimensions: dims,
      approximateFrom: 1_000,
      probes: 12,
    })
    const records = vectors.map((vector, i) => ({ skillId: `s${i}`, vector, tags: [] }))
    await exact.upsert(records)
    await approximate.upsert(records)
    expect(approximate.mode).toBe('approximate')
    // Queries near stored vectors, as real queries are near their skills.
    const queries = randomVectors(50, dims, 2).map((noise, i) =>
      normalizeVector(vectors[i * 7]!.map((v, d) => v + 0.3 * noise[d]!)),
    )
    let agree = 0
    for (const q of queries) {
      const [e] = await exact.query(q, { limit: 1 })
      const [a] = await approximate.query(q, { limit: 1 })
      if (e?.skillId === a?.skillId) agree++
    }
    expect(agree / queries.length).toBeGreaterThanOrEqual(0.8)
  })

  it('filters before scoring yet returns the unfiltered hits restricted to the filter', async () => {
    const dims = 64
    const vectors = randomVectors(4_000, dims, 5)
    const skill = (i: number) => ({
      tenant: i % 3 === 0 ? undefined : `t${i % 5}`,
      tags: [`tag${i % 7}`, ...(i % 2 ? ['odd'] : [])],
    })
    // Two vectors per skill; some skills removed and re-added, so ordinals are reused.
    const records = Array.from({ length: 2_000 }, (_, i) => [
      { skillId: `s${i}`, vector: vectors[2 * i]!, ...skill(i) },
      { skillId: `s${i}`, vector: vectors[2 * i + 1]!, ...skill(i) },
    ]).flat()
    const filters: VectorFilter[] = [
      { tags: ['tag3'] },
      { tenant: 't2' },
      { tenant: 't4', tags: ['tag1', 'odd'] },
      { tenant: 'nobody', tags: ['odd'] },
      { tags: ['no-such-tag'] },
    ]
    for (const precision of ['float32', 'int8'] as const) {
      for (const approximateFrom of [Infinity, 1_000]) {
        const store = createMemoryVectorStore({ dimensions: dims, approximateFrom, precision })
        await store.upsert(records)
        await store.remove(['s10', 's11', 's12'])
        await store.upsert(records.filter((r) => r.skillId === 's12' || r.skillId === 's11'))
        const queries = randomVectors(20, dims, 6)
        let hits = 0
        for (const query of queries) {
          const all = await store.query(query, { limit: 10_000 })
          for (const filter of filters) {
            const filtered = await store.query(query, { limit: 25, filter })
            const restricted = all.filter((hit) => {
              const i = Number(hit.skillId.slice(1))
              return matchesFilter(skill(i).tenant, skill(i).tags, filter)
            })
            expect(filtered).toEqual(restricted.slice(0, 25))
            hits += filtered.length
          }
        }
        expect(hits).toBeGreaterThan(20 * 25)
        await store.close()
      }
    }
  })
})

import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createQdrantVectorStore } from './qdrant-vector-store.js'

// No Qdrant server can be installed on the project's machines: this suite runs only where
// SKILLOS_TEST_QDRANT_URL points at one (it is skipped even under CI=true otherwise).
const url = process.env.SKILLOS_TEST_QDRANT_URL

describe.skipIf(!url)('createQdrantVectorStore', () => {
  it('stores, queries best-per-skill with filters, and removes', async () => {
    const store = await createQdrantVectorStore({
      url: url!,
      dimensions: 2,
      collection: `skillos_test_${randomBytes(4).toString('hex')}`,
    })
    await store.upsert([
      { skillId: 'a/x', vector: new Float32Array([1, 0]), tags: ['t'] },
      { skillId: 'a/x', vector: new Float32Array([0, 1]), tags: ['t'] },
      { skillId: 'b/y', vector: new Float32Array([0.8, 0.6]), tags: [], tenant: 'acme' },
    ])
    const hits = await store.query(new Float32Array([0, 1]), { limit: 5 })
    expect(hits.map((h) => h.skillId)).toEqual(['a/x', 'b/y'])
    expect(hits[0]?.score).toBeCloseTo(1, 4)
    expect(
      (await store.query(new Float32Array([0, 1]), { limit: 5, filter: { tenant: 'globex' } })).map(
        (h) => h.skillId,
      ),
    ).toEqual(['a/x'])
    await store.remove(['a/x'])
    expect(
      (await store.query(new Float32Array([0, 1]), { limit: 5 })).map((h) => h.skillId),
    ).toEqual(['b/y'])
  })
})

describe('createQdrantVectorStore without a server', () => {
  it('fails with UNAVAILABLE naming the URL', async () => {
    const error = await createQdrantVectorStore({ url: 'http://127.0.0.1:1', dimensions: 2 }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('http://127.0.0.1:1'),
    })
  })
})

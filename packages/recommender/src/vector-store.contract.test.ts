import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { describe, expect, it } from 'vitest'
import { createMemoryVectorStore } from './memory-vector-store.js'
import { createPgvectorVectorStore } from './pgvector-vector-store.js'
import { createQdrantVectorStore } from './qdrant-vector-store.js'
import { describeVectorStoreContract } from './vector-store.contract.js'

describeVectorStoreContract('memory (float32)', () =>
  Promise.resolve(createMemoryVectorStore({ dimensions: 3 })),
)
describeVectorStoreContract('memory (int8)', () =>
  Promise.resolve(createMemoryVectorStore({ dimensions: 3, precision: 'int8' })),
)
describeVectorStoreContract('pgvector on PGlite', async () => {
  const client = await PGlite.create({ extensions: { vector } })
  const store = await createPgvectorVectorStore({ client, dimensions: 3 })
  return { ...store, close: async () => (await store.close(), await client.close()) }
})

// No Qdrant server can be installed here: runs only where SKILLOS_TEST_QDRANT_URL points at one.
const qdrantUrl = process.env.SKILLOS_TEST_QDRANT_URL
if (qdrantUrl) {
  describeVectorStoreContract('qdrant', () =>
    createQdrantVectorStore({
      url: qdrantUrl,
      dimensions: 3,
      collection: `skillos_contract_${randomBytes(4).toString('hex')}`,
    }),
  )
}

describe('createPgvectorVectorStore without the vector extension', () => {
  it('fails with UNAVAILABLE naming the extension, on a PGlite without it', async () => {
    const client = await PGlite.create()
    const error = await createPgvectorVectorStore({ client, dimensions: 3 }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('"vector" extension'),
    })
    await client.close()
  })

  // Debian's PostgreSQL here has no pgvector: the store must say so, naming the URL (password hidden).
  const url = process.env.SKILLOS_TEST_DATABASE_URL
  it.skipIf(!url)(
    'on PostgreSQL, works with pgvector or names the missing extension and the URL',
    async () => {
      const result = await createPgvectorVectorStore({
        url: url!,
        dimensions: 3,
        table: `skillos_contract_${randomBytes(4).toString('hex')}`,
      }).catch((e: unknown) => e)
      if (result instanceof Error) {
        const host = new URL(url!).host
        expect(result).toMatchObject({ code: 'UNAVAILABLE' })
        expect(result.message).toContain(host)
        expect(result.message).toContain('"vector" extension')
        expect(result.message).not.toContain(':postgres@')
      } else {
        await (result as { close(): Promise<void> }).close()
      }
    },
  )
})

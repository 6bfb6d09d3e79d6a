import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeIntegrity } from '../pack/integrity.js'
import { blobKeyOf, type BlobStore } from './blob-store.js'

/** What every blob store adapter must do: the same suite for local disk and S3. */
export function describeBlobStore(
  name: string,
  open: () => Promise<{ store: BlobStore; cleanup(): Promise<void> }>,
): void {
  describe(`blob store: ${name}`, () => {
    let store: BlobStore
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ store, cleanup } = await open())
    })
    afterAll(async () => {
      await cleanup?.()
    })

    const bytes = (text: string) => new TextEncoder().encode(text)
    const keyOf = (data: Uint8Array) => blobKeyOf(computeIntegrity(data))

    it('stores, reads back, lists and deletes a blob by its content key', async () => {
      const data = bytes(`blob ${name} ${Date.now()}`)
      const key = keyOf(data)
      expect(key).toBe(createHash('sha512').update(data).digest('hex'))
      await store.put(key, data)
      expect(Buffer.from((await store.get(key))!).equals(Buffer.from(data))).toBe(true)
      const listed: string[] = []
      for await (const entry of store.list()) listed.push(entry.key)
      expect(listed).toContain(key)
      expect(await store.delete(key)).toBe(true)
      expect(await store.get(key)).toBeUndefined()
      expect(await store.delete(key)).toBe(false)
    })

    it('treats a second put of the same bytes as a no-op', async () => {
      const data = bytes(`again ${name} ${Date.now()}`)
      const key = keyOf(data)
      await store.put(key, data)
      await store.put(key, data)
      expect((await store.get(key))?.length).toBe(data.length)
      await store.delete(key)
    })

    it('is ready when it can be written', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
    })
  })
}

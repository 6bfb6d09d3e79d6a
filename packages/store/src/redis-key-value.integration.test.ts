import { randomUUID } from 'node:crypto'
import { integrationUrl } from '@skillos/vitest-config'
import { afterAll, describe, expect, it } from 'vitest'
import type { KeyValueStore } from './key-value.js'
import { describeKeyValueContract } from './key-value.contract.js'
import { openKeyValue } from './open-key-value.js'
import { createRedisKeyValue } from './redis-key-value.js'

const url = integrationUrl('SKILLOS_TEST_REDIS_URL')
const filePrefix = `skillos-test:${randomUUID()}:`

describe.skipIf(!url)('Redis key-value store', () => {
  const redisUrl = url ?? ''
  describeKeyValueContract('redis', (prefix) => createRedisKeyValue(redisUrl, { prefix }), {
    prefix: filePrefix,
  })

  describe('createRedisKeyValue', () => {
    const opened: KeyValueStore[] = []
    async function openStore(prefix: string): Promise<KeyValueStore> {
      const store = await createRedisKeyValue(redisUrl, { prefix })
      opened.push(store)
      return store
    }

    afterAll(async () => {
      for (const store of opened) {
        await store.clear()
        await store.close()
      }
    })

    it('names itself redis with the masked URL', async () => {
      const store = await openStore(`${filePrefix}name:`)
      expect(store.kind).toBe('redis')
      expect(store.url).toBe(new URL(redisUrl).toString())
    })

    it('admits exactly 100 of 500 reservations split across two clients against one limit', async () => {
      const prefix = `${filePrefix}shared:`
      const [first, second] = [await openStore(prefix), await openStore(prefix)]
      const results = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          (i % 2 === 0 ? first : second).reserve([{ key: 'pool', amount: 1, limit: 100 }]),
        ),
      )
      expect(results.filter((result) => result.ok)).toHaveLength(100)
      expect(await first.get('pool')).toBe('100')
      expect(await second.get('pool')).toBe('100')
    })

    it('lets another client read and settle a lease it did not make', async () => {
      const prefix = `${filePrefix}lease:`
      const [first, second] = [await openStore(prefix), await openStore(prefix)]
      await first.reserve(
        [
          { key: '{acme}:day', amount: 70, limit: 100 },
          { key: '{acme}:u1:day', amount: 70, limit: 100 },
        ],
        { lease: { id: '{acme}:run-1', ttlMs: 60_000, data: 'run-1 of u1' } },
      )
      expect(await second.getLease('{acme}:run-1')).toMatchObject({
        state: 'held',
        data: 'run-1 of u1',
      })
      const settled = await second.settleLease('{acme}:run-1', [], { outcome: 'released' })
      expect(settled.counters.map(({ key, held, total }) => [key, held, total]).sort()).toEqual([
        ['{acme}:day', 70, 0],
        ['{acme}:u1:day', 70, 0],
      ])
      expect(await first.settleLease('{acme}:run-1')).toMatchObject({
        status: 'already-settled',
        outcome: 'released',
      })
    })

    it('shares one sliding window and one lock between clients', async () => {
      const prefix = `${filePrefix}window:`
      const [first, second] = [await openStore(prefix), await openStore(prefix)]
      const window = { limit: 30, windowMs: 10_000 }
      const hits = await Promise.all(
        Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? first : second).hit('api', window)),
      )
      expect(hits.filter((hit) => hit.allowed)).toHaveLength(30)
      const lock = await first.acquireLock('job', 10_000)
      expect(await second.acquireLock('job', 10_000)).toBeNull()
      expect(await second.releaseLock('job', lock?.token ?? '')).toBe(true)
    })

    it('treats glob characters in its prefix literally when it clears', async () => {
      const globbed = await openStore(`${filePrefix}a*:`)
      const neighbour = await openStore(`${filePrefix}ab:`)
      await globbed.set('k', '1')
      await neighbour.set('k', '2')
      expect(await globbed.clear()).toBe(1)
      expect(await neighbour.get('k')).toBe('2')
    })

    it('opens through openKeyValue for a redis:// URL', async () => {
      const store = await openKeyValue(redisUrl, { prefix: `${filePrefix}open:` })
      opened.push(store)
      expect(store.kind).toBe('redis')
      await expect(store.ping()).resolves.toBeUndefined()
    })
  })
})

describe('Redis key-value store that cannot be reached', () => {
  it('fails to open with UNAVAILABLE naming the URL and the cause', async () => {
    const error = await openKeyValue('redis://127.0.0.1:1').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'UNAVAILABLE', details: { service: 'redis' } })
    expect((error as Error).message).toContain('127.0.0.1:1')
    expect((error as Error).message).toContain('ECONNREFUSED')
  })

  it('masks the password in the error', async () => {
    const error = await openKeyValue('redis://:hunter2@127.0.0.1:1').catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ code: 'UNAVAILABLE' })
    expect((error as Error).message).toContain('127.0.0.1:1')
    expect((error as Error).message).not.toContain('hunter2')
    expect(JSON.stringify((error as { details: unknown }).details)).not.toContain('hunter2')
  })
})

import { openKeyValue, type KeyValueStore } from '@skillos/store'
import { uniqueTestPrefix } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { afterAll, describe, expect, it } from 'vitest'
import { compilePolicy } from './compile-policy.js'
import { describeRateLimiterContract } from './rate-limiter.contract.js'
import { createRateLimiter } from './rate-limiter.js'

const url = integrationUrl('SKILLOS_TEST_REDIS_URL')
const filePrefix = uniqueTestPrefix('policy-rate-limits')

describe.skipIf(!url)('rate limits on Redis', () => {
  const redisUrl = url ?? ''
  describeRateLimiterContract('redis', (prefix) => openKeyValue(redisUrl, { prefix }), {
    prefix: filePrefix,
  })

  describe('shared between instances', () => {
    const opened: KeyValueStore[] = []
    afterAll(async () => {
      for (const store of opened) {
        await store.clear()
        await store.close()
      }
    })

    it('admits exactly the limit across two app instances hitting one Redis at once', async () => {
      const policy = compilePolicy([
        {
          path: 'l.yaml',
          text: 'version: 1\nrateLimits:\n  - { id: runs, per: tenant, actions: [skill:run], limit: 25, windowMs: 60000 }\n',
        },
      ])
      const prefix = `${filePrefix}shared:`
      const stores = [
        await openKeyValue(redisUrl, { prefix }),
        await openKeyValue(redisUrl, { prefix }),
      ]
      opened.push(...stores)
      const limiters = stores.map((kv) => createRateLimiter({ kv, policy }))
      const results = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          limiters[i % 2]!.check({ tenant: 'acme', principal: `p${i}`, action: 'skill:run' }),
        ),
      )
      expect(results.filter((result) => result.allowed)).toHaveLength(25)
      const refused = results.filter((result) => !result.allowed)
      expect(refused.every((result) => result.limitId === 'runs' && result.retryAfterMs > 0)).toBe(
        true,
      )
    })
  })
})

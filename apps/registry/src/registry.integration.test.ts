import { createTestDatabase, uniqueTestPrefix } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { describe, it } from 'vitest'
import { describeRegistry } from './registry.contract.js'

const databaseUrl = integrationUrl('SKILLOS_TEST_DATABASE_URL')
const redisUrl = integrationUrl('SKILLOS_TEST_REDIS_URL')

if (databaseUrl && redisUrl) {
  describeRegistry({
    name: 'PostgreSQL + Redis',
    async open() {
      const database = await createTestDatabase(databaseUrl)
      const keyPrefix = uniqueTestPrefix('registry')
      return {
        options: { databaseUrl: database.url, redisUrl, keyPrefix },
        async cleanup() {
          const { openKeyValue } = await import('@skillos/store')
          const kv = await openKeyValue(redisUrl, { prefix: keyPrefix })
          await kv.clear()
          await kv.close()
          await database.drop()
        },
      }
    },
  })
} else {
  describe.skip('registry on PostgreSQL + Redis (SKILLOS_TEST_DATABASE_URL / SKILLOS_TEST_REDIS_URL unset)', () => {
    it('runs the registry suite', () => undefined)
  })
}

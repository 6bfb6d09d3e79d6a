import { createTestDatabase, uniqueTestPrefix } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { describe, it } from 'vitest'
import { describeSkillOS } from './skillos.contract.js'

const databaseUrl = integrationUrl('SKILLOS_TEST_DATABASE_URL')
const redisUrl = integrationUrl('SKILLOS_TEST_REDIS_URL')

if (databaseUrl && redisUrl) {
  describeSkillOS({
    name: 'PostgreSQL + Redis',
    async open() {
      const database = await createTestDatabase(databaseUrl)
      const { openDatabase, openKeyValue } = await import('@skillos/store')
      const db = await openDatabase(database.url)
      const kv = await openKeyValue(redisUrl, { prefix: uniqueTestPrefix('core') })
      return {
        database: db,
        redis: kv,
        async cleanup() {
          await kv.clear()
          await kv.close()
          await db.close()
          await database.drop()
        },
      }
    },
  })
} else {
  describe.skip('createSkillOS on PostgreSQL + Redis (SKILLOS_TEST_DATABASE_URL / SKILLOS_TEST_REDIS_URL unset)', () => {
    it('runs the orchestrator suite', () => undefined)
  })
}

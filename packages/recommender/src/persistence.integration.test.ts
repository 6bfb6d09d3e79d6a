import { openDatabase } from '@skillos/store'
import { createTestDatabase, type TestDatabase } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { afterAll, describe } from 'vitest'
import { describePersistenceContract } from './persistence.contract.js'

const server = integrationUrl('SKILLOS_TEST_DATABASE_URL')

describe.skipIf(!server)('PostgreSQL', () => {
  let testDb: TestDatabase | undefined
  afterAll(async () => {
    await testDb?.drop()
  })
  describePersistenceContract('PostgreSQL', async () => {
    testDb = await createTestDatabase(server!)
    return openDatabase(testDb.url)
  })
})

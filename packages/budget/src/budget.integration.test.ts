import { openDatabase, openKeyValue, type Database } from '@skillos/store'
import { createTestDatabase, type TestDatabase } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { afterAll, beforeAll, describe } from 'vitest'
import { describeBudgetContract } from './budget.contract.js'

const databaseUrl = integrationUrl('SKILLOS_TEST_DATABASE_URL')
const redisUrl = integrationUrl('SKILLOS_TEST_REDIS_URL')

describe.skipIf(!databaseUrl || !redisUrl)('Budget on PostgreSQL + Redis', () => {
  let testDatabase: TestDatabase
  let database: Database

  beforeAll(async () => {
    testDatabase = await createTestDatabase(databaseUrl ?? '')
    database = await openDatabase(testDatabase.url)
  })

  afterAll(async () => {
    await database?.close()
    await testDatabase?.drop()
  })

  describeBudgetContract('PostgreSQL + Redis', {
    database: () => database,
    openKeyValue: (prefix) => openKeyValue(redisUrl ?? '', { prefix: `skillos-test:${prefix}` }),
  })
})

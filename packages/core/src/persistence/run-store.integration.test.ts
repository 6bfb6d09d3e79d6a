import { openDatabase, type Database } from '@skillos/store'
import { createTestDatabase, type TestDatabase } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { afterAll, beforeAll, describe } from 'vitest'
import { describeRunStoreContract } from './run-store.contract.js'

const databaseUrl = integrationUrl('SKILLOS_TEST_DATABASE_URL')

describe.skipIf(!databaseUrl)('RunStore on PostgreSQL', () => {
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

  describeRunStoreContract('PostgreSQL', { database: () => database })
})

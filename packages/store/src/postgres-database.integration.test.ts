import { SkillOSError } from '@skillos/contracts'
import { integrationUrl } from '@skillos/vitest-config'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeDatabaseContract } from './database.contract.js'
import { openDatabase } from './database.js'
import { createTestDatabase, type TestDatabase } from './testing.js'

const serverUrl = integrationUrl('SKILLOS_TEST_DATABASE_URL')

describe.skipIf(!serverUrl)('PostgreSQL adapter', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    testDb = await createTestDatabase(serverUrl!)
  })
  afterAll(async () => {
    await testDb?.drop()
  })

  describeDatabaseContract('PostgreSQL', () => openDatabase(testDb.url))

  it('lets several processes migrate one database at once without applying anything twice', async () => {
    const fresh = await createTestDatabase(serverUrl!)
    try {
      const opened = await Promise.all([
        openDatabase(fresh.url),
        openDatabase(fresh.url),
        openDatabase(fresh.url),
      ])
      const status = await opened[0]!.migrationStatus()
      expect(status.applied).toBe(status.available)
      const result = await opened[0]!.db.execute<{ n: number }>(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )
      expect(Number((result as unknown as { n: number }[])[0]?.n)).toBe(status.available)
      await Promise.all(opened.map((d) => d.close()))
    } finally {
      await fresh.drop()
    }
  })
})

describe('PostgreSQL adapter without a server', () => {
  it('fails loudly with the URL it tried, password masked, and the cause', async () => {
    const error = await openDatabase('postgres://skillos:hunter2@127.0.0.1:1/skillos', {
      connectTimeoutSeconds: 2,
    }).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'UNAVAILABLE')).toBe(true)
    const message = (error as Error).message
    expect(message).toContain(
      'Cannot reach PostgreSQL at postgres://skillos:***@127.0.0.1:1/skillos',
    )
    expect(message).toMatch(/ECONNREFUSED/)
    expect(message).not.toContain('hunter2')
    expect(JSON.stringify((error as SkillOSError).details)).not.toContain('hunter2')
  })
})

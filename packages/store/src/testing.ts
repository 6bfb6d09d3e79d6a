import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { maskUrl } from '@skillos/contracts'

export interface TestDatabase {
  /** URL of a new, empty database on the same server. */
  url: string
  /** Drop the database (closing any connection still open to it). */
  drop(): Promise<void>
}

/**
 * Create a fresh database on a real PostgreSQL server for one test file, so files never see each
 * other's rows and can run in any order. Pair with `drop()` in `afterAll`.
 *
 * @example
 * ```ts
 * const server = integrationUrl('SKILLOS_TEST_DATABASE_URL') // from @skillos/vitest-config
 * const testDb = await createTestDatabase(server!)
 * const database = await openDatabase(testDb.url)
 * // …
 * await database.close()
 * await testDb.drop()
 * ```
 */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `skillos_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 })
  try {
    await admin.unsafe(`create database "${name}"`)
  } catch (cause) {
    await admin.end({ timeout: 0 })
    throw new Error(`Cannot create a test database on ${maskUrl(serverUrl)}`, { cause })
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`)
      } finally {
        await admin.end({ timeout: 5 })
      }
    },
  }
}

/** A key prefix no other test run shares: `skillos-test:<label>:<random>:`. */
export function uniqueTestPrefix(label: string): string {
  return `skillos-test:${label}:${randomBytes(6).toString('hex')}:`
}

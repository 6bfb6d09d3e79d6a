import { SkillOSError, type SkillStorage } from '@skillos/contracts'
import { skillState, type Database } from '@skillos/store'
import { and, asc, eq, like, sql, type SQL } from 'drizzle-orm'

const MAX_KEY = 512
const MAX_VALUE_BYTES = 1024 * 1024

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY)
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `storage key must be 1–${MAX_KEY} characters`,
    })
}

/**
 * `ctx.storage` of one skill for one tenant, in the `skill_state` table: every query is scoped by
 * both, so a skill never reads another skill's or tenant's state. Values are JSON (at most 1 MiB).
 *
 * @example
 * ```ts
 * const storage = createSkillStorage(database, 'acme', 'finance/track-budget')
 * await storage.set('expenses/u1/2026-11', [{ amount: 12.5, category: 'taxi' }])
 * await storage.list('expenses/u1/') // [{ key: 'expenses/u1/2026-11', value: [...] }]
 * ```
 */
export function createSkillStorage(
  database: Database,
  tenant: string,
  skillId: string,
): SkillStorage {
  const db = database.db
  // Every step gets a storage and most never use it: the scope is built on first use.
  let built: SQL | undefined
  const scope = () =>
    (built ??= and(eq(skillState.tenantId, tenant), eq(skillState.skillId, skillId)) as SQL)
  return {
    async get<T>(key: string) {
      checkKey(key)
      const rows = await db
        .select({ value: skillState.value })
        .from(skillState)
        .where(and(scope(), eq(skillState.key, key)))
        .limit(1)
      return rows[0]?.value as T | undefined
    },
    async set(key, value) {
      checkKey(key)
      const json = JSON.stringify(value)
      if (json === undefined)
        throw new SkillOSError({
          code: 'VALIDATION_FAILED',
          message: `storage value for "${key}" is not JSON`,
        })
      if (Buffer.byteLength(json) > MAX_VALUE_BYTES)
        throw new SkillOSError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `storage value for "${key}" is over ${MAX_VALUE_BYTES} bytes`,
        })
      const stored = JSON.parse(json) as unknown
      await db
        .insert(skillState)
        .values({ tenantId: tenant, skillId, key, value: stored })
        .onConflictDoUpdate({
          target: [skillState.tenantId, skillState.skillId, skillState.key],
          set: { value: stored, updatedAt: sql`now()` },
        })
    },
    async delete(key) {
      checkKey(key)
      const rows = await db
        .delete(skillState)
        .where(and(scope(), eq(skillState.key, key)))
        .returning({ key: skillState.key })
      return rows.length > 0
    },
    async list<T>(prefix = '') {
      const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`)
      const rows = await db
        .select({ key: skillState.key, value: skillState.value })
        .from(skillState)
        .where(and(scope(), like(skillState.key, `${escaped}%`)))
        .orderBy(asc(skillState.key))
      return rows as { key: string; value: T }[]
    },
  }
}

import { randomUUID } from 'node:crypto'
import { SkillOSError } from '@skillos/contracts'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from './database.js'
import {
  budgetLedger,
  runEventBatches,
  runs,
  skillVersions,
  skills,
  tenants,
  usageEvents,
} from './schema/index.js'

/** Postgres error code of a failed statement, whichever driver raised it (drizzle wraps it in `cause`). */
function pgCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

async function expectPgError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `expected the statement to fail with SQLSTATE ${code}`).toBeDefined()
  expect(pgCode(error)).toBe(code)
}

const UNIQUE_VIOLATION = '23505'
const FOREIGN_KEY_VIOLATION = '23503'
const CHECK_VIOLATION = '23514'
const AT = '2026-01-02T03:04:05.000Z'
const started = (seq: number) => ({ seq, type: 'run.started', at: AT, data: {} })

/**
 * The relational store's contract: every adapter (PGlite in memory, PGlite on disk, PostgreSQL)
 * must pass it. `open` returns a migrated database; the suite uses fresh tenant ids so it can share
 * one instance across its tests.
 */
export function describeDatabaseContract(name: string, open: () => Promise<Database>): void {
  describe(`relational store contract: ${name}`, () => {
    let database: Database
    const tenant = () => `t-${randomUUID().slice(0, 8)}`

    async function newTenant(): Promise<string> {
      const id = tenant()
      await database.db.insert(tenants).values({ id, name: `Tenant ${id}` })
      return id
    }

    beforeAll(async () => {
      database = await open()
    })
    afterAll(async () => {
      await database?.close()
    })

    it('applies every shipped migration at open and reports the status', async () => {
      const status = await database.migrationStatus()
      expect(status.available).toBeGreaterThanOrEqual(1)
      expect(status.applied).toBe(status.available)
      expect(status.latest).toMatch(/^\d{4}_/)
      await expect(database.ping()).resolves.toBeUndefined()
    })

    it('creates every wave-1 table, each tenant table with a tenant_id column', async () => {
      const result = await database.db.execute<{ table_name: string }>(
        sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name`,
      )
      const rows = (
        Array.isArray(result)
          ? result
          : (result as unknown as { rows: { table_name: string }[] }).rows
      ) as {
        table_name: string
      }[]
      expect(rows.map((r) => r.table_name)).toEqual([
        'api_keys',
        'approvals',
        'budget_ledger',
        'budget_tenant_limits',
        'registry_dist_tags',
        'registry_events',
        'registry_packages',
        'registry_scope_members',
        'registry_scopes',
        'registry_tokens',
        'registry_versions',
        'run_event_batches',
        'run_queue',
        'runs',
        'skill_index_entries',
        'skill_state',
        'skill_versions',
        'skills',
        'usage_events',
        'webhook_deliveries',
        'webhook_subscriptions',
      ])
    })

    it('round-trips a run with JSON, big integers and timestamps exactly', async () => {
      const t = await newTenant()
      const createdAt = new Date('2026-03-01T10:20:30.123Z')
      await database.db.insert(runs).values({
        tenantId: t,
        id: 'run-1',
        status: 'succeeded',
        skillId: 'finance/convert-currency',
        skillVersion: '1.2.0',
        principalId: 'u1',
        input: { text: 'convert 250 EUR to RUB', nested: { a: [1, 2, 3] } },
        output: { amount: 24_750.5, currency: 'RUB' },
        tokensIn: 12,
        tokensOut: 34,
        costMicros: 9_007_199_254_740_991,
        createdAt,
      })
      const [row] = await database.db
        .select()
        .from(runs)
        .where(and(eq(runs.tenantId, t), eq(runs.id, 'run-1')))
      expect(row?.input).toEqual({ text: 'convert 250 EUR to RUB', nested: { a: [1, 2, 3] } })
      expect(row?.output).toEqual({ amount: 24_750.5, currency: 'RUB' })
      expect(row?.costMicros).toBe(9_007_199_254_740_991)
      expect(row?.createdAt.toISOString()).toBe('2026-03-01T10:20:30.123Z')
      expect(row?.completedAt).toBeNull()
    })

    it('keeps rows of one tenant invisible to a query scoped to another', async () => {
      const a = await newTenant()
      const b = await newTenant()
      await database.db.insert(runs).values([
        { tenantId: a, id: 'same-id', status: 'running', principalId: 'u1' },
        { tenantId: b, id: 'same-id', status: 'failed', principalId: 'u2' },
      ])
      const onlyA = await database.db.select().from(runs).where(eq(runs.tenantId, a))
      expect(onlyA.map((r) => [r.tenantId, r.id, r.status])).toEqual([[a, 'same-id', 'running']])
    })

    it("refuses to attach an event to another tenant's run", async () => {
      const a = await newTenant()
      const b = await newTenant()
      await database.db
        .insert(runs)
        .values({ tenantId: a, id: 'r', status: 'running', principalId: 'u' })
      const batch = { runId: 'r', firstSeq: 0, lastSeq: 0, events: [started(0)] }
      await database.db.insert(runEventBatches).values({ tenantId: a, ...batch })
      await expectPgError(
        database.db.insert(runEventBatches).values({ tenantId: b, ...batch }),
        FOREIGN_KEY_VIOLATION,
      )
    })

    it('allows one idempotency key per tenant, and the same key in another tenant', async () => {
      const a = await newTenant()
      const b = await newTenant()
      const base = { status: 'running' as const, principalId: 'u', idempotencyKey: 'key-1' }
      await database.db.insert(runs).values({ ...base, tenantId: a, id: 'r1' })
      await database.db.insert(runs).values({ ...base, tenantId: b, id: 'r1' })
      await expectPgError(
        database.db.insert(runs).values({ ...base, tenantId: a, id: 'r2' }),
        UNIQUE_VIOLATION,
      )
    })

    it('rejects an unknown run status, a negative cost and a malformed skill id or tenant id', async () => {
      const t = await newTenant()
      await expectPgError(
        database.db
          .insert(runs)
          .values({ tenantId: t, id: 'x', status: 'exploded' as 'failed', principalId: 'u' }),
        CHECK_VIOLATION,
      )
      await expectPgError(
        database.db
          .insert(budgetLedger)
          .values({ tenantId: t, id: 'c1', kind: 'model', costMicros: -5 }),
        CHECK_VIOLATION,
      )
      await expectPgError(
        database.db
          .insert(skills)
          .values({ tenantId: t, id: 'NoSlash', name: 'n', description: 'd' }),
        CHECK_VIOLATION,
      )
      await expectPgError(
        database.db.insert(tenants).values({ id: 'Bad Tenant!', name: 'x' }),
        CHECK_VIOLATION,
      )
    })

    it('records a charge key once per tenant, so a retried commit cannot double-charge', async () => {
      const t = await newTenant()
      const charge = {
        tenantId: t,
        kind: 'model' as const,
        costMicros: 1500,
        chargeKey: 'run-7:commit',
      }
      await database.db.insert(budgetLedger).values({ ...charge, id: 'c1' })
      await expectPgError(
        database.db.insert(budgetLedger).values({ ...charge, id: 'c2' }),
        UNIQUE_VIOLATION,
      )
      const inserted = await database.db
        .insert(budgetLedger)
        .values({ ...charge, id: 'c3' })
        .onConflictDoNothing()
        .returning()
      expect(inserted).toEqual([])
      const [sum] = await database.db
        .select({ total: sql<number>`sum(${budgetLedger.costMicros})::bigint`.mapWith(Number) })
        .from(budgetLedger)
        .where(eq(budgetLedger.tenantId, t))
      expect(sum?.total).toBe(1500)
    })

    it('rolls a transaction back completely when it throws, and commits it when it resolves', async () => {
      const t = await newTenant()
      const failure = await database
        .transaction(async (tx) => {
          await tx
            .insert(runs)
            .values({ tenantId: t, id: 'r-tx', status: 'running', principalId: 'u' })
          await tx
            .insert(runEventBatches)
            .values({ tenantId: t, runId: 'r-tx', firstSeq: 0, lastSeq: 0, events: [started(0)] })
          throw new Error('crash after two writes')
        })
        .catch((e: unknown) => e)
      expect((failure as Error).message).toBe('crash after two writes')
      expect(await database.db.select().from(runs).where(eq(runs.tenantId, t))).toEqual([])
      expect(
        await database.db.select().from(runEventBatches).where(eq(runEventBatches.tenantId, t)),
      ).toEqual([])

      await database.transaction(async (tx) => {
        await tx
          .insert(runs)
          .values({ tenantId: t, id: 'r-ok', status: 'succeeded', principalId: 'u' })
        const completed = { seq: 1, type: 'run.completed', at: AT, data: { ms: 3 } }
        await tx.insert(runEventBatches).values({
          tenantId: t,
          runId: 'r-ok',
          firstSeq: 0,
          lastSeq: 1,
          events: [started(0), completed],
        })
      })
      const batches = await database.db
        .select({ events: runEventBatches.events })
        .from(runEventBatches)
        .where(eq(runEventBatches.tenantId, t))
      expect(batches).toEqual([
        {
          events: [
            { seq: 0, type: 'run.started', at: AT, data: {} },
            { seq: 1, type: 'run.completed', at: AT, data: { ms: 3 } },
          ],
        },
      ])
    })

    it('keeps every write of many concurrent transactions', async () => {
      const t = await newTenant()
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          database.transaction(async (tx) => {
            await tx
              .insert(usageEvents)
              .values({ tenantId: t, id: `u${i}`, skillId: 'finance/rates', kind: 'run' })
          }),
        ),
      )
      const [count] = await database.db
        .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
        .from(usageEvents)
        .where(eq(usageEvents.tenantId, t))
      expect(count?.n).toBe(25)
    })

    it('stores immutable skill versions under their skill, and cascades a tenant deletion', async () => {
      const t = await newTenant()
      await database.db
        .insert(skills)
        .values({ tenantId: t, id: 'oysters/price-check', name: 'Price', description: 'd' })
      await database.db.insert(skillVersions).values({
        tenantId: t,
        skillId: 'oysters/price-check',
        version: '1.0.0',
        manifest: { id: 'oysters/price-check' },
        integrity: 'sha512-' + 'A'.repeat(86) + '==',
      })
      await expectPgError(
        database.db
          .insert(skillVersions)
          .values({ tenantId: t, skillId: 'oysters/price-check', version: '1.0.0', manifest: {} }),
        UNIQUE_VIOLATION,
      )
      await expectPgError(
        database.db.insert(skillVersions).values({
          tenantId: t,
          skillId: 'oysters/price-check',
          version: '1.0.1',
          manifest: {},
          integrity: 'md5-abc',
        }),
        CHECK_VIOLATION,
      )
      await database.db.delete(tenants).where(eq(tenants.id, t))
      expect(
        await database.db.select().from(skillVersions).where(eq(skillVersions.tenantId, t)),
      ).toEqual([])
    })

    it('fails with a SkillOS error after close, never hangs', async () => {
      const second = await open()
      await second.close()
      await second.close() // closing twice is harmless
      const error = await second.ping().catch((e: unknown) => e)
      expect(SkillOSError.is(error, 'UNAVAILABLE')).toBe(true)
    })
  })
}

import { randomBytes } from 'node:crypto'
import { SkillOSError } from '@skillos/contracts'
import { runEventBatches, runQueue, runs, type Database } from '@skillos/store'
import { and, asc, count, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { NewStoredEvent } from '../persistence/index.js'
import { eventBatch } from '../persistence/run-store.js'

/** A queued run: where it lives. */
export interface QueuedRun {
  tenant: string
  runId: string
}

/**
 * The durable side of the async run queue: rows of `run_queue`, written in the same transaction that
 * moves the run to `queued`, claimed by one worker at a time (a lease that another instance may take
 * over once it passes), and deleted when the run has been executed. Every method but the background
 * sweeps (`claimDue`, `stale`, `depth`) takes the tenant.
 */
export interface RunQueueStore {
  /** Move a just-begun run (version 0) to `queued` with its resumable state and enqueue it, atomically. */
  accept(tenant: string, runId: string, state: unknown, now: Date): Promise<void>
  /** Take `runId` for `leaseMs` if nobody holds it; false when held or gone. */
  claim(tenant: string, runId: string, worker: string, leaseMs: number, now: Date): Promise<boolean>
  /** Take up to `limit` runs nobody holds (oldest first). The one unscoped path: workers only. */
  claimDue(worker: string, leaseMs: number, limit: number, now: Date): Promise<QueuedRun[]>
  /** Runs enqueued before `before` and not held now (to publish again to a shared dispatcher). */
  stale(before: Date, now: Date, limit: number): Promise<QueuedRun[]>
  /** Done with it (executed, or found finished or cancelled). */
  complete(tenant: string, runId: string): Promise<void>
  /** Let go of a claim without executing (shutting down): the next worker takes it at once. */
  release(tenant: string, runId: string, worker: string): Promise<void>
  /**
   * Cancel a run still waiting in the queue: true when it was queued and is now `cancelled`, with
   * `event` (its `run.cancelled`) stored in its trace in the same transaction.
   */
  cancelQueued(
    tenant: string,
    runId: string,
    by: string,
    now: Date,
    event?: NewStoredEvent,
  ): Promise<boolean>
  /** How many runs wait or run (every tenant). */
  depth(): Promise<number>
}

/** A worker id: unique per process and queue. */
export function newWorkerId(): string {
  return `w_${process.pid}_${randomBytes(4).toString('hex')}`
}

export function createRunQueueStore(database: Database): RunQueueStore {
  const db = database.db
  const free = (now: Date) => or(isNull(runQueue.claimedUntil), lt(runQueue.claimedUntil, now))

  return {
    async accept(tenant, runId, state, now) {
      await database.transaction(async (tx) => {
        const moved = await tx
          .update(runs)
          .set({ status: 'queued', state, updatedAt: now, version: sql`${runs.version} + 1` })
          .where(and(eq(runs.tenantId, tenant), eq(runs.id, runId), eq(runs.version, 0)))
          .returning({ id: runs.id })
        if (moved.length === 0)
          throw new SkillOSError({
            code: 'CONFLICT',
            message: `Run "${runId}" changed before it was queued`,
            details: { runId },
          })
        await tx.insert(runQueue).values({ tenantId: tenant, runId, enqueuedAt: now })
      })
    },

    async claim(tenant, runId, worker, leaseMs, now) {
      const rows = await db
        .update(runQueue)
        .set({
          claimedBy: worker,
          claimedUntil: new Date(now.getTime() + leaseMs),
          attempts: sql`${runQueue.attempts} + 1`,
        })
        .where(and(eq(runQueue.tenantId, tenant), eq(runQueue.runId, runId), free(now)))
        .returning({ runId: runQueue.runId })
      return rows.length > 0
    },

    async claimDue(worker, leaseMs, limit, now) {
      const until = new Date(now.getTime() + leaseMs)
      const result = await db.execute(sql`
        update ${runQueue} q set claimed_by = ${worker}, claimed_until = ${until.toISOString()}::timestamptz,
          attempts = q.attempts + 1
        from (
          select tenant_id, run_id from ${runQueue}
          where claimed_until is null or claimed_until < ${now.toISOString()}::timestamptz
          order by enqueued_at
          limit ${limit}
          for update skip locked
        ) due
        where q.tenant_id = due.tenant_id and q.run_id = due.run_id
        returning q.tenant_id, q.run_id`)
      return rowsOf<{ tenant_id: string; run_id: string }>(result).map((row) => ({
        tenant: row.tenant_id,
        runId: row.run_id,
      }))
    },

    async stale(before, now, limit) {
      const rows = await db
        .select({ tenant: runQueue.tenantId, runId: runQueue.runId })
        .from(runQueue)
        .where(and(lt(runQueue.enqueuedAt, before), free(now)))
        .orderBy(asc(runQueue.enqueuedAt))
        .limit(limit)
      return rows
    },

    async complete(tenant, runId) {
      await db.delete(runQueue).where(and(eq(runQueue.tenantId, tenant), eq(runQueue.runId, runId)))
    },

    async release(tenant, runId, worker) {
      await db
        .update(runQueue)
        .set({ claimedBy: null, claimedUntil: null })
        .where(
          and(
            eq(runQueue.tenantId, tenant),
            eq(runQueue.runId, runId),
            eq(runQueue.claimedBy, worker),
          ),
        )
    },

    async cancelQueued(tenant, runId, by, now, event) {
      return database.transaction(async (tx) => {
        const cancelled = await tx
          .update(runs)
          .set({
            status: 'cancelled',
            error: {
              code: 'CANCELLED',
              message: `Cancelled by ${by} before it started`,
              details: { by },
            },
            completedAt: now,
            updatedAt: now,
            version: sql`${runs.version} + 1`,
          })
          .where(and(eq(runs.tenantId, tenant), eq(runs.id, runId), eq(runs.status, 'queued')))
          .returning({ id: runs.id })
        if (cancelled.length === 0) return false
        await tx
          .delete(runQueue)
          .where(and(eq(runQueue.tenantId, tenant), eq(runQueue.runId, runId)))
        const batch = event ? eventBatch(tenant, runId, [event]) : undefined
        if (batch) await tx.insert(runEventBatches).values(batch)
        return true
      })
    },

    async depth() {
      const [row] = await db.select({ n: count() }).from(runQueue)
      return Number(row?.n ?? 0)
    },
  }
}

/** Rows of `db.execute`, whichever driver ran it (postgres.js: an array; PGlite: `{ rows }`). */
function rowsOf<Row>(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[]
}

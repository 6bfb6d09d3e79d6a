import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { runStatuses } from '@skillos/contracts'
import { tenants } from './tenants.js'

/**
 * One run of the orchestrator. Primary keys lead with `tenant_id` everywhere so that a Citus
 * deployment can distribute every table by tenant without a schema change.
 */
export const runs = pgTable(
  'runs',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    status: text('status', { enum: runStatuses }).notNull(),
    skillId: text('skill_id'),
    skillVersion: text('skill_version'),
    mode: text('mode'),
    principalId: text('principal_id').notNull(),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    input: jsonb('input').$type<unknown>(),
    output: jsonb('output').$type<unknown>(),
    error: jsonb('error').$type<{
      code: string
      message: string
      details?: Record<string, unknown>
    }>(),
    tokensIn: integer('tokens_in').notNull().default(0),
    tokensOut: integer('tokens_out').notNull().default(0),
    /** Cost in micro-dollars (1e-6 USD): integers add up exactly. */
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull().default(0),
    durationMs: integer('duration_ms'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    idempotencyExpiresAt: timestamp('idempotency_expires_at', { withTimezone: true, mode: 'date' }),
    /**
     * What the orchestrator needs to resume the run (plan, step results, the pending step, filled
     * parameters) after `needs_input` or an approval. Opaque to the store.
     */
    state: jsonb('state').$type<unknown>(),
    /** The run that started this one (a sub-run of a plan step), in the same tenant. */
    parentRunId: text('parent_run_id'),
    /** Optimistic concurrency: every write checks the version it read and increments it. */
    version: integer('version').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('runs_idempotency_key').on(t.tenantId, t.idempotencyKey),
    index('runs_tenant_created').on(t.tenantId, t.createdAt),
    index('runs_tenant_status').on(t.tenantId, t.status),
    index('runs_tenant_parent')
      .on(t.tenantId, t.parentRunId)
      .where(sql`${t.parentRunId} is not null`),
    check(
      'runs_status_known',
      sql`${t.status} in (${sql.raw(runStatuses.map((s) => `'${s}'`).join(', '))})`,
    ),
    check(
      'runs_usage_non_negative',
      sql`${t.tokensIn} >= 0 and ${t.tokensOut} >= 0 and ${t.costMicros} >= 0`,
    ),
  ],
)

/** One stored event of a run, as it sits in `run_event_batches.events`. */
export interface StoredRunEvent {
  seq: number
  type: string
  /** ISO 8601. */
  at: string
  data: Record<string, unknown>
}

/**
 * A run's stored trace: the events one write of the run added, in `seq` order, as one row. A run
 * that ends at once is one row here however many events it emitted, and an event is never stored
 * without its run (the foreign key) or in another tenant's run (the composite key). The events are
 * `json`, kept as written: the trace is read back whole, never queried field by field (ADR 015).
 */
export const runEventBatches = pgTable(
  'run_event_batches',
  {
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id').notNull(),
    /** The `seq` of the first and of the last event of `events`. */
    firstSeq: integer('first_seq').notNull(),
    lastSeq: integer('last_seq').notNull(),
    events: json('events').$type<StoredRunEvent[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId, t.firstSeq] }),
    foreignKey({
      columns: [t.tenantId, t.runId],
      foreignColumns: [runs.tenantId, runs.id],
    }).onDelete('cascade'),
    check('run_event_batches_seq_range', sql`${t.firstSeq} >= 0 and ${t.lastSeq} >= ${t.firstSeq}`),
  ],
)

import { sql } from 'drizzle-orm'
import {
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'
import { riskLevels, sideEffectClasses } from '@skillos/contracts'
import { runs } from './runs.js'

/** Where an approval stands: `pending` until a person decides or it passes `expires_at`. */
export const approvalStatuses = ['pending', 'approved', 'rejected', 'expired'] as const

/**
 * A human approval a run waits for (`awaiting_approval`). It belongs to its run through
 * `(tenant_id, run_id)`, so it can never point at another tenant's run, and goes when the run goes.
 */
export const approvals = pgTable(
  'approvals',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    runId: text('run_id').notNull(),
    /** The plan step that asked, when the run has several. */
    step: text('step'),
    status: text('status', { enum: approvalStatuses }).notNull().default('pending'),
    /** Why approval is needed, as shown to the approver. */
    reason: text('reason').notNull(),
    risk: text('risk', { enum: riskLevels }).notNull(),
    sideEffects: text('side_effects', { enum: sideEffectClasses }).notNull(),
    /** Roles any one of which may decide. */
    approvers: jsonb('approvers').$type<string[]>().notNull().default([]),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedBy: text('decided_by'),
    /** When it was approved, rejected, or found expired. */
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    comment: text('comment'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.runId],
      foreignColumns: [runs.tenantId, runs.id],
    }).onDelete('cascade'),
    index('approvals_tenant_status_expires').on(t.tenantId, t.status, t.expiresAt),
    index('approvals_tenant_run').on(t.tenantId, t.runId),
    // The background expiry sweep looks across tenants; only pending rows are ever in this index.
    index('approvals_pending_expires')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'pending'`),
    check(
      'approvals_status_known',
      sql`${t.status} in (${sql.raw(approvalStatuses.map((s) => `'${s}'`).join(', '))})`,
    ),
    check(
      'approvals_decision_recorded',
      sql`${t.status} = 'pending' or ${t.decidedAt} is not null`,
    ),
    check(
      'approvals_decider_named',
      sql`${t.status} not in ('approved', 'rejected') or ${t.decidedBy} is not null`,
    ),
  ],
)

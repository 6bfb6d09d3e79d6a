import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { tenants } from './tenants.js'

/**
 * The durable budget ledger: one row per committed charge (model tokens or a paid tool call), so
 * spend survives restarts and can be reported per tenant / user / skill / model / day. Live
 * reservations are counters in the key-value port; this table is the record of what was spent.
 */
export const budgetLedger = pgTable(
  'budget_ledger',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    runId: text('run_id'),
    principalId: text('principal_id'),
    skillId: text('skill_id'),
    model: text('model'),
    /** `model` (tokens) or `tool` (a paid call) or `adjustment` (an operator correction). */
    kind: text('kind', { enum: ['model', 'tool', 'adjustment'] }).notNull(),
    tokensIn: integer('tokens_in').notNull().default(0),
    tokensOut: integer('tokens_out').notNull().default(0),
    /** Micro-dollars; negative only for an adjustment (a refund). */
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull(),
    /** Idempotency of the charge itself: committing the same charge twice records it once. */
    chargeKey: text('charge_key'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('budget_ledger_tenant_at').on(t.tenantId, t.at),
    index('budget_ledger_tenant_skill_at').on(t.tenantId, t.skillId, t.at),
    index('budget_ledger_tenant_principal_at').on(t.tenantId, t.principalId, t.at),
    uniqueIndex('budget_ledger_charge_key').on(t.tenantId, t.chargeKey),
    check('budget_ledger_tokens_non_negative', sql`${t.tokensIn} >= 0 and ${t.tokensOut} >= 0`),
    check(
      'budget_ledger_refund_is_adjustment',
      sql`${t.costMicros} >= 0 or ${t.kind} = 'adjustment'`,
    ),
  ],
)

/**
 * Limits an administrator set for one tenant at run time (the hosted API's `PUT /v1/budgets/limits`),
 * on top of the configured `budget.limits`: one row per tenant, replaced as a whole, versioned so
 * two administrators cannot overwrite each other unknowingly.
 */
export const budgetTenantLimits = pgTable(
  'budget_tenant_limits',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** `BudgetLimit[]` as validated by `budgetLimitSchema`, each narrowed to this tenant. */
    limits: jsonb('limits').$type<Record<string, unknown>[]>().notNull(),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
)

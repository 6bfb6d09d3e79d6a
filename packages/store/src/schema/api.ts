import { sql } from 'drizzle-orm'
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { runs } from './runs.js'
import { tenants } from './tenants.js'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * API keys of the hosted API. Only a SHA-256 of the secret part is kept; `id` is the public part of
 * the key (`sk_<id>_<secret>`), unique across tenants so that a key finds its tenant.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    /** The principal every request with this key acts as. */
    principalId: text('principal_id').notNull(),
    roles: jsonb('roles').$type<string[]>().notNull().default([]),
    /** Hex SHA-256 of the secret part. */
    secretHash: text('secret_hash').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('api_keys_id').on(t.id)],
)

export const webhookStatuses = ['active', 'disabled'] as const

/** A tenant's subscription to run events, delivered by POST and signed with `secret` (HMAC-SHA256). */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    url: text('url').notNull(),
    /** Event types (`run.completed`, `approval.requested`, …) or `*`. */
    events: jsonb('events').$type<string[]>().notNull(),
    /** The signing secret: needed in clear to sign, never returned after creation. */
    secret: text('secret').notNull(),
    status: text('status', { enum: webhookStatuses }).notNull().default('active'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    disabledReason: text('disabled_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check(
      'webhook_subscriptions_status_known',
      sql`${t.status} in (${sql.raw(webhookStatuses.map((s) => `'${s}'`).join(', '))})`,
    ),
  ],
)

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const

/** One event for one subscription: the delivery log, and the outbox the sender works from. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    eventType: text('event_type').notNull(),
    runId: text('run_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    /** A sender holds the delivery until then (another instance may take it over after). */
    claimedUntil: at('claimed_until'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
    deliveredAt: at('delivered_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.subscriptionId],
      foreignColumns: [webhookSubscriptions.tenantId, webhookSubscriptions.id],
    }).onDelete('cascade'),
    index('webhook_deliveries_tenant_subscription').on(t.tenantId, t.subscriptionId, t.createdAt),
    // The sender's sweep looks across tenants; only pending rows are in this index.
    index('webhook_deliveries_due')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    check(
      'webhook_deliveries_status_known',
      sql`${t.status} in (${sql.raw(webhookDeliveryStatuses.map((s) => `'${s}'`).join(', '))})`,
    ),
  ],
)

/**
 * Accepted async runs not yet executed: the durable queue. The run row (status `queued`) holds the
 * request; this row says it still has to run, and which worker holds it until when.
 */
export const runQueue = pgTable(
  'run_queue',
  {
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id').notNull(),
    enqueuedAt: at('enqueued_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    claimedBy: text('claimed_by'),
    claimedUntil: at('claimed_until'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId] }),
    foreignKey({
      columns: [t.tenantId, t.runId],
      foreignColumns: [runs.tenantId, runs.id],
    }).onDelete('cascade'),
    index('run_queue_enqueued').on(t.enqueuedAt),
  ],
)

import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { tenants } from './tenants.js'

/**
 * Durable JSON state a skill keeps per tenant (`ctx.storage`): a user's expenses, a cached rate
 * table. Keyed by tenant, skill and key; a skill never sees another skill's or tenant's rows.
 */
export const skillState = pgTable(
  'skill_state',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    skillId: text('skill_id').notNull(),
    key: text('key').notNull(),
    value: jsonb('value').$type<unknown>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.skillId, t.key] })],
)

import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { tenants } from './tenants.js'

/** Usage signals that feed recommendations and quality scores (runs, installs, feedback). */
export const usageEvents = pgTable(
  'usage_events',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    skillId: text('skill_id').notNull(),
    principalId: text('principal_id'),
    runId: text('run_id'),
    kind: text('kind', { enum: ['run', 'install', 'search_hit', 'feedback'] }).notNull(),
    outcome: text('outcome'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('usage_events_tenant_skill_at').on(t.tenantId, t.skillId, t.at),
    index('usage_events_tenant_principal_at').on(t.tenantId, t.principalId, t.at),
  ],
)

import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'
import { tenants } from './tenants.js'

/** A skill known to a tenant (installed, or published to its registry scope). */
export const skills = pgTable(
  'skills',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    latestVersion: text('latest_version'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('skills_id_format', sql`${t.id} ~ '^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
)

/** One immutable published version of a skill: the manifest, and the archive's integrity. */
export const skillVersions = pgTable(
  'skill_versions',
  {
    tenantId: text('tenant_id').notNull(),
    skillId: text('skill_id').notNull(),
    version: text('version').notNull(),
    manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
    /** SRI string of the packed archive: `sha512-<base64>`. */
    integrity: text('integrity'),
    signature: text('signature'),
    signingKeyId: text('signing_key_id'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    publishedBy: text('published_by'),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
    deprecated: text('deprecated'),
    yanked: boolean('yanked').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.skillId, t.version] }),
    foreignKey({
      columns: [t.tenantId, t.skillId],
      foreignColumns: [skills.tenantId, skills.id],
    }).onDelete('cascade'),
    index('skill_versions_published').on(t.tenantId, t.publishedAt),
    check(
      'skill_versions_integrity_format',
      sql`${t.integrity} is null or ${t.integrity} ~ '^sha512-[A-Za-z0-9+/]+={0,2}$'`,
    ),
  ],
)

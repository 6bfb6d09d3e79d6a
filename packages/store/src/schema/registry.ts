import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

// The registry server's tables (apps/registry). `tenant_id` is the registry instance's tenant
// (config `registryServer.tenant`); every query filters on it. See docs/decisions/011-registry-server.md
// for why these are separate from `skills` / `skill_versions` (the runtime's installed skills).

/** An API token: only its SHA-256 is stored; the secret is shown once at creation. */
export const registryTokens = pgTable(
  'registry_tokens',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    user: text('user_name').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** Hex SHA-256 of the token. */
    hash: text('hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('registry_tokens_hash').on(t.tenantId, t.hash),
    index('registry_tokens_user').on(t.tenantId, t.user),
    check('registry_tokens_role', sql`${t.role} in ('read', 'publish', 'admin')`),
  ],
)

/** A scope (the first segment of a skill id): the unit of ownership and visibility. */
export const registryScopes = pgTable(
  'registry_scopes',
  {
    tenantId: text('tenant_id').notNull(),
    scope: text('scope').notNull(),
    visibility: text('visibility').notNull().default('public'),
    requireSignatures: boolean('require_signatures').notNull().default(false),
    /** `[{ keyId, publicKey }]`, public keys as SPKI PEM. */
    trustedKeys: jsonb('trusted_keys')
      .$type<{ keyId: string; publicKey: string }[]>()
      .notNull()
      .default([]),
    /** Mirrored from an upstream registry (read-only here). */
    mirrored: boolean('mirrored').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scope] }),
    check('registry_scopes_visibility', sql`${t.visibility} in ('public', 'private')`),
  ],
)

/** A user's role in a scope. */
export const registryScopeMembers = pgTable(
  'registry_scope_members',
  {
    tenantId: text('tenant_id').notNull(),
    scope: text('scope').notNull(),
    user: text('user_name').notNull(),
    role: text('role').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scope, t.user] }),
    index('registry_scope_members_user').on(t.tenantId, t.user),
    check('registry_scope_members_role', sql`${t.role} in ('owner', 'publisher', 'reader')`),
  ],
)

/** A skill published to (or mirrored into) the registry. */
export const registryPackages = pgTable(
  'registry_packages',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    scope: text('scope').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    modifiedAt: timestamp('modified_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('registry_packages_scope').on(t.tenantId, t.scope),
  ],
)

/**
 * One published version. Unpublishing sets `unpublished_at` and keeps the row as a tombstone, so the
 * version number stays taken forever.
 */
export const registryVersions = pgTable(
  'registry_versions',
  {
    tenantId: text('tenant_id').notNull(),
    packageId: text('package_id').notNull(),
    version: text('version').notNull(),
    manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
    integrity: text('integrity').notNull(),
    /** `{ keyId, algorithm, value }` when signed. */
    signature: jsonb('signature').$type<{ keyId: string; algorithm: string; value: string }>(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** Number of files in the archive (quality score: tests, examples). */
    files: jsonb('files').$type<string[]>().notNull().default([]),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
    publishedBy: text('published_by').notNull(),
    deprecated: text('deprecated'),
    unpublishedAt: timestamp('unpublished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.packageId, t.version] }),
    index('registry_versions_integrity').on(t.tenantId, t.integrity),
    check(
      'registry_versions_integrity_format',
      sql`${t.integrity} ~ '^sha512-[A-Za-z0-9+/]+={0,2}$'`,
    ),
  ],
)

/** `latest`, `beta`, …: a name pointing at one live version. */
export const registryDistTags = pgTable(
  'registry_dist_tags',
  {
    tenantId: text('tenant_id').notNull(),
    packageId: text('package_id').notNull(),
    tag: text('tag').notNull(),
    version: text('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.packageId, t.tag] })],
)

/** One row per write (publish, unpublish, dist-tag, deprecate, token, scope, member): the audit trail. */
export const registryEvents = pgTable(
  'registry_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    /** What the event is about: a skill id, a scope, a token id. */
    subject: text('subject').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('registry_events_tenant_seq').on(t.tenantId, t.seq),
    index('registry_events_subject').on(t.tenantId, t.subject),
  ],
)

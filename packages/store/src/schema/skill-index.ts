import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'

/** `bytea` as bytes in, bytes out (postgres.js gives a Buffer, PGlite a Uint8Array: both are Uint8Array). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea'
  },
  toDriver(value) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  },
})

/**
 * The persisted skill search index (@skillos/recommender): one row per skill and embedder, holding the
 * analysed document and its vectors, so a restart re-embeds only documents whose text changed.
 */
export const skillIndexEntries = pgTable(
  'skill_index_entries',
  {
    /** The tenant that owns the index (a shared catalogue uses its own tenant id). */
    tenantId: text('tenant_id').notNull(),
    skillId: text('skill_id').notNull(),
    /** `Embedder.id`: vectors of different embedders never mix. */
    embedderId: text('embedder_id').notNull(),
    /** sha256 of the text that was embedded: equal hash, same vectors. */
    textHash: text('text_hash').notNull(),
    dimensions: integer('dimensions').notNull(),
    /** `count × dimensions` little-endian float32 values: the document vector, then one per example. */
    vectors: bytea('vectors').notNull(),
    /** The indexed skill document (id, name, description, tags, examples, tenant). */
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.embedderId, t.skillId] }),
    index('skill_index_entries_updated').on(t.tenantId, t.updatedAt),
  ],
)

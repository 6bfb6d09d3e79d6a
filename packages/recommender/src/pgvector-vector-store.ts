import { SkillOSError, ValidationError } from '@skillos/contracts'
import type { VectorFilter, VectorHit, VectorRecord, VectorStore } from './vector-store.js'

/** What the store needs of a SQL client: PGlite's `query` fits as is. */
export interface PgvectorClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>
}

export interface PgvectorVectorStoreOptions {
  /**
   * A connected client: a PGlite created with `extensions: { vector }` from
   * `@electric-sql/pglite-pgvector`, or anything with the same `query(text, params)`.
   */
  client?: PgvectorClient
  /** Or a `postgres://` URL (postgres.js); the server must have the `vector` extension. */
  url?: string
  dimensions: number
  /** Table holding the vectors (default `skillos_skill_vectors_<dimensions>`). */
  table?: string
  /** How the database is named in errors (default: the URL without its password, or `PGlite`). */
  label?: string
}

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/
/** Nearest vectors fetched per requested skill before grouping by skill (a skill has several). */
const OVERFETCH = 8

/**
 * The vector store on pgvector: one row per vector (skill id, tenant, tags, `vector(dimensions)`),
 * an HNSW index on inner product (vectors are unit length, so inner product = cosine). On a server
 * without the `vector` extension it fails with `UNAVAILABLE` naming the extension and the database —
 * it never falls back to anything else.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite'
 * import { vector } from '@electric-sql/pglite-pgvector'
 * const store = await createPgvectorVectorStore({ client: await PGlite.create({ extensions: { vector } }), dimensions: 512 })
 * ```
 */
export async function createPgvectorVectorStore(
  options: PgvectorVectorStoreOptions,
): Promise<VectorStore> {
  const dims = options.dimensions
  const table = options.table ?? `skillos_skill_vectors_${dims}`
  const issues = []
  if (!Number.isInteger(dims) || dims <= 0 || dims > 16_000)
    issues.push({ path: 'dimensions', message: 'must be an integer from 1 to 16000' })
  if (!TABLE_NAME.test(table))
    issues.push({ path: 'table', message: 'must be a lowercase SQL identifier' })
  if (!options.client === !options.url)
    issues.push({ path: 'client', message: 'give exactly one of client and url' })
  if (issues.length > 0) throw new ValidationError('Invalid pgvector store options', issues)

  let close = () => Promise.resolve()
  let client = options.client
  const label = options.label ?? (options.url ? redact(options.url) : 'PGlite')
  if (!client) {
    const { default: postgres } = await import('postgres')
    const sql = postgres(options.url!, { max: 1, onnotice: () => undefined })
    client = {
      async query<T>(text: string, params: unknown[] = []) {
        return { rows: (await sql.unsafe(text, params as never[])) as unknown as T[] }
      },
    }
    close = () => sql.end({ timeout: 5 })
  }
  const db = client

  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS vector')
  } catch (error) {
    await close().catch(() => undefined)
    const reason = error instanceof Error ? error.message : String(error)
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `pgvector is not available on ${label}: the PostgreSQL "vector" extension could not be enabled (${reason}). Install pgvector on that server (https://github.com/pgvector/pgvector), or for PGlite pass extensions: { vector } from @electric-sql/pglite-pgvector.`,
      details: { extension: 'vector', database: label },
    })
  }
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${table} (
       skill_id text NOT NULL,
       tenant text,
       tags text[] NOT NULL DEFAULT '{}',
       embedding vector(${dims}) NOT NULL
     )`,
  )
  await db.query(`CREATE INDEX IF NOT EXISTS ${table}_skill ON ${table} (skill_id)`)
  await db.query(
    `CREATE INDEX IF NOT EXISTS ${table}_hnsw ON ${table} USING hnsw (embedding vector_ip_ops)`,
  )

  const literal = (vector: Float32Array) => `[${Array.from(vector).join(',')}]`

  function where(filter: VectorFilter | undefined, params: unknown[]): string {
    const clauses: string[] = []
    if (filter?.tenant !== undefined) {
      params.push(filter.tenant)
      clauses.push(`(tenant IS NULL OR tenant = $${params.length})`)
    }
    if (filter?.tenants !== undefined) {
      // `= ANY('{}')` is false: an empty list keeps shared skills only.
      params.push([...filter.tenants])
      clauses.push(`(tenant IS NULL OR tenant = ANY($${params.length}::text[]))`)
    }
    if (filter?.skillIds !== undefined) {
      params.push([...filter.skillIds])
      clauses.push(`skill_id = ANY($${params.length}::text[])`)
    }
    if (filter?.tags && filter.tags.length > 0) {
      params.push([...filter.tags])
      clauses.push(`tags @> $${params.length}::text[]`)
    }
    return clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''
  }

  return {
    kind: 'pgvector',
    async upsert(records: readonly VectorRecord[]) {
      for (const record of records) {
        if (record.vector.length !== dims) {
          throw new ValidationError('Vector has the wrong length', [
            {
              path: 'vector',
              message: `has ${record.vector.length} dimensions, the store holds ${dims}`,
            },
          ])
        }
      }
      const ids = [...new Set(records.map((r) => r.skillId))]
      if (ids.length === 0) return
      await db.query('BEGIN')
      try {
        await db.query(`DELETE FROM ${table} WHERE skill_id = ANY($1::text[])`, [ids])
        for (const record of records) {
          await db.query(
            `INSERT INTO ${table} (skill_id, tenant, tags, embedding) VALUES ($1, $2, $3::text[], $4::vector)`,
            [record.skillId, record.tenant ?? null, [...record.tags], literal(record.vector)],
          )
        }
        await db.query('COMMIT')
      } catch (error) {
        await db.query('ROLLBACK')
        throw error
      }
    },
    async remove(skillIds) {
      if (skillIds.length === 0) return
      await db.query(`DELETE FROM ${table} WHERE skill_id = ANY($1::text[])`, [[...skillIds]])
    },
    async query(vector, { limit, filter }) {
      if (vector.length !== dims) return []
      const params: unknown[] = [literal(vector)]
      const condition = where(filter, params)
      params.push(limit * OVERFETCH)
      const { rows } = await db.query<{ skill_id: string; score: number }>(
        `SELECT skill_id, max(score) AS score FROM (
           SELECT skill_id, -(embedding <#> $1::vector) AS score FROM ${table} ${condition}
           ORDER BY embedding <#> $1::vector LIMIT $${params.length}
         ) nearest GROUP BY skill_id ORDER BY score DESC, skill_id LIMIT ${Math.max(1, Math.floor(limit))}`,
        params,
      )
      return rows.map((row): VectorHit => ({ skillId: row.skill_id, score: Number(row.score) }))
    },
    async scores(vector, skillIds) {
      const out = new Map<string, number>()
      if (vector.length !== dims || skillIds.length === 0) return out
      const { rows } = await db.query<{ skill_id: string; score: number }>(
        `SELECT skill_id, max(-(embedding <#> $1::vector)) AS score FROM ${table}
         WHERE skill_id = ANY($2::text[]) GROUP BY skill_id`,
        [literal(vector), [...skillIds]],
      )
      for (const row of rows) out.set(row.skill_id, Number(row.score))
      return out
    },
    close,
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the configured database'
  }
}

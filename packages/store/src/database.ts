import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { maskUrl, SkillOSError, UnavailableError, ValidationError } from '@skillos/contracts'
import { sql as rawSql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { parseServiceUrl } from './connection-url.js'
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js'
import { readMigrationJournal } from './migration-journal.js'
import { createPgliteTemplateCache, type PgliteTemplateCache } from './pglite-template.js'
import { PgliteThread } from './pglite-thread.js'
import * as schema from './schema/index.js'

/** The drizzle database over SkillOS's schema; the same type for PostgreSQL and PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
/** The handle a `Database.transaction` callback receives. */
export type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface MigrationStatus {
  /** Migrations recorded as applied in this database. */
  applied: number
  /** Migrations this version of @skillos/store ships. */
  available: number
  /** Tag of the newest shipped migration (`0000_init`). */
  latest: string | null
}

export interface Database {
  /** `postgres` (postgres.js) or `pglite` (embedded, on disk or in memory). */
  readonly kind: 'postgres' | 'pglite'
  /** The URL in use, password masked. */
  readonly url: string
  /** The drizzle handle. Every table holding tenant data has `tenant_id`: filter on it. */
  readonly db: Db
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  /** One round-trip; throws `UNAVAILABLE` naming the URL when the database does not answer. */
  ping(): Promise<void>
  migrationStatus(): Promise<MigrationStatus>
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations at open (default true). */
  migrate?: boolean
  /** PostgreSQL pool size (default 10). */
  poolSize?: number
  /** Seconds to wait for PostgreSQL to accept a connection (default 5). */
  connectTimeoutSeconds?: number
  /** Directory a relative `pglite://./path` is resolved against (default: the working directory). */
  cwd?: string
  /**
   * Where a migrated PGlite snapshot is cached so new embedded databases start in under a second
   * instead of running initdb (default `~/.cache/skillos`); `false` turns the cache off.
   */
  snapshotCache?: string | false
  /**
   * Run embedded PGlite in a worker thread (default true), so a query never blocks this thread's
   * event loop and the database works on another core. `false` runs it in this thread.
   */
  workerThread?: boolean
}

const SCHEMES = ['postgres:', 'postgresql:', 'pglite:', 'memory:'] as const
/**
 * `memory://` dies with the process, so nothing in it is recovered after a crash: the write-ahead
 * log needs only what a running server needs. Minimal WAL, no full-page images, no zero-filling
 * of new segments and no waiting on the WAL at commit: 5–8 % more runs stored a second (ADR 014).
 */
const IN_MEMORY_START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...[
    'wal_level=minimal',
    'max_wal_senders=0',
    'wal_init_zero=off',
    'full_page_writes=off',
    'synchronous_commit=off',
  ].flatMap((setting) => ['-c', setting]),
]
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url))
/** Serialises concurrent migrators on one PostgreSQL database (any constant unique to SkillOS). */
const MIGRATION_LOCK_ID = 0x5_1c_11_05

/**
 * Open the relational store and bring its schema up to date.
 *
 * - `postgres://user:pass@host:5432/db` → PostgreSQL through postgres.js
 * - `pglite://./.skillos/db` (relative) or `pglite:///var/lib/skillos` (absolute) → embedded PGlite on disk
 * - `memory://` → PGlite in memory (tests, demos)
 *
 * An unreachable server fails with `UNAVAILABLE` naming the masked URL and the cause; nothing falls
 * back silently to another adapter.
 *
 * @example
 * ```ts
 * const database = await openDatabase('memory://')
 * await database.db.insert(tenants).values({ id: 'acme', name: 'Acme' })
 * await database.close()
 * ```
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  if (typeof url !== 'string' || url.length === 0) {
    throw new ValidationError(
      'url: a database URL is required (postgres://…, pglite://path or memory://)',
      [{ path: 'url', message: 'required' }],
    )
  }
  const parsed = parseServiceUrl(url, 'url', SCHEMES)
  if (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:')
    return openPostgres(url, options)
  const dataDir = parsed.protocol === 'memory:' ? undefined : pglitePath(url, options.cwd)
  return openPglite(dataDir, url, options)
}

/** `pglite://./a/b` → `./a/b`; `pglite:///abs` → `/abs`; resolved against `cwd`. */
function pglitePath(url: string, cwd = process.cwd()): string {
  const path = decodeURIComponent(url.slice('pglite://'.length))
  if (path.length === 0 || path.includes('\0')) {
    throw new ValidationError(
      `url: "${url}" names no data directory; use pglite://./.skillos/db or pglite:///abs/path`,
      [{ path: 'url', message: 'pglite URL needs a path' }],
    )
  }
  return resolve(cwd, path)
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const masked = maskUrl(url)
  const clientOptions = {
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    onnotice: () => {},
    connection: { application_name: 'skillos' },
  }
  const client = postgres(url, { ...clientOptions, max: options.poolSize ?? 10 })
  try {
    await client`select 1`
  } catch (cause) {
    await client.end({ timeout: 0 }).catch(() => {})
    throw unreachable('PostgreSQL', masked, cause)
  }

  if (options.migrate !== false) {
    // A single connection holds the advisory lock and runs every migration statement, so two
    // processes starting at once never apply the same migration twice.
    const migrator = postgres(url, { ...clientOptions, max: 1 })
    try {
      await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`
      await migratePostgres(drizzlePostgres(migrator), { migrationsFolder: MIGRATIONS_FOLDER })
    } catch (cause) {
      await client.end({ timeout: 0 }).catch(() => {})
      throw migrationFailed(masked, cause)
    } finally {
      await migrator.end({ timeout: 5 }).catch(() => {})
    }
  }

  const db = drizzlePostgres(client, { schema }) as unknown as Db
  return createDatabase('postgres', masked, db, () => client.end({ timeout: 5 }))
}

async function openPglite(
  dataDir: string | undefined,
  url: string,
  options: OpenDatabaseOptions,
): Promise<Database> {
  const masked = dataDir === undefined ? 'memory://' : maskUrl(url)
  const template =
    options.migrate === false || options.snapshotCache === false
      ? undefined
      : templateCache(options.snapshotCache)
  const create = (from?: Blob): Promise<PGlite | PgliteThread> => {
    const start = {
      ...(dataDir === undefined ? { startParams: IN_MEMORY_START_PARAMS } : { dataDir }),
      ...(from ? { loadDataDir: from } : {}),
    }
    return options.workerThread === false ? PGlite.create(start) : PgliteThread.open(start)
  }
  let lock: DataDirLock | undefined
  let pg: PGlite | PgliteThread
  let fromTemplate = false
  let fresh: boolean
  try {
    if (dataDir !== undefined) {
      mkdirSync(dataDir, { recursive: true })
      lock = acquireDataDirLock(dataDir)
    }
    // Only an empty database may start from the migrated snapshot; an existing folder is opened as is.
    fresh = dataDir === undefined || isFreshDataDir(dataDir)
    const snapshot = fresh ? template?.load() : undefined
    if (snapshot) {
      try {
        pg = await create(snapshot)
        fromTemplate = true
      } catch {
        template?.discard()
        if (dataDir !== undefined) clearDataDir(dataDir)
        pg = await create()
      }
    } else {
      pg = await create()
    }
  } catch (cause) {
    lock?.release()
    if (SkillOSError.is(cause)) throw cause
    throw unreachable('PGlite', dataDir ?? masked, cause)
  }
  // The thread's handle offers what drizzle's PGlite driver calls (query, exec, transaction).
  const db = drizzlePglite(pg as PGlite, { schema })
  if (options.migrate !== false) {
    try {
      await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER })
      // Snapshot only a database this call created empty: never one holding someone's data.
      if (fresh && !fromTemplate) await template?.save(pg)
    } catch (cause) {
      await pg.close().catch(() => {})
      lock?.release()
      throw migrationFailed(masked, cause)
    }
  }
  return createDatabase('pglite', masked, db as unknown as Db, async () => {
    await pg.close()
    lock?.release()
  })
}

const templateCaches = new Map<string, PgliteTemplateCache>()
function templateCache(folder = join(homedir(), '.cache', 'skillos')): PgliteTemplateCache {
  let cache = templateCaches.get(folder)
  if (!cache) {
    cache = createPgliteTemplateCache(
      MIGRATIONS_FOLDER,
      readMigrationJournal(MIGRATIONS_FOLDER),
      folder,
    )
    templateCaches.set(folder, cache)
  }
  return cache
}

/** An empty data folder has never been initialised. */
function isFreshDataDir(dataDir: string): boolean {
  return readdirSync(dataDir).length === 0
}

function clearDataDir(dataDir: string): void {
  for (const name of readdirSync(dataDir))
    rmSync(join(dataDir, name), { recursive: true, force: true })
}

function createDatabase(
  kind: Database['kind'],
  url: string,
  db: Db,
  end: () => Promise<void>,
): Database {
  let closed: Promise<void> | undefined
  return {
    kind,
    url,
    db,
    transaction: (fn) => db.transaction(fn),
    async ping() {
      try {
        await db.execute(rawSql`select 1`)
      } catch (cause) {
        throw unreachable(kind === 'postgres' ? 'PostgreSQL' : 'PGlite', url, cause)
      }
    },
    async migrationStatus() {
      const journal = readMigrationJournal(MIGRATIONS_FOLDER)
      const result = await db.execute<{ count: number | string }>(
        rawSql`select count(*)::int as count from drizzle.__drizzle_migrations`,
      )
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        count: number | string
      }[]
      return {
        applied: Number(rows[0]?.count ?? 0),
        available: journal.length,
        latest: journal.at(-1) ?? null,
      }
    },
    close() {
      closed ??= end()
      return closed
    },
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0)
    return describeCause(cause.errors[0])
  if (cause instanceof Error) return cause.message || cause.name
  return String(cause)
}

function unreachable(service: string, url: string, cause: unknown): UnavailableError {
  return new UnavailableError(
    `Cannot reach ${service} at ${url} (${describeCause(cause)})`,
    { url, service },
    cause,
  )
}

function migrationFailed(url: string, cause: unknown): SkillOSError {
  return new SkillOSError({
    code: 'INTERNAL',
    message: `Migrating the database at ${url} failed (${describeCause(cause)}); the schema was left as it was`,
    details: { url },
    cause,
  })
}

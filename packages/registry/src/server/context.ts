import type {
  Database,
  KeyValueStore,
  registryScopes,
  registryVersions,
  Transaction,
} from '@skillos/store'
import type { BlobStore } from './blob-store.js'
import { HOUR } from './checks.js'
import { createEventLog, type EventLog } from './events.js'
import { createTenantFilters, type TenantFilters } from './filters.js'
import { createQueries, type RegistryQueries } from './queries.js'
import type { RegistryLogger, RegistryServiceOptions } from './registry-service.js'
import { createUpstream, type Upstream } from './upstream.js'

/** Where a query runs: the database, or a transaction that is open. */
export type Executor = Database['db'] | Transaction
export type ScopeRow = typeof registryScopes.$inferSelect
export type VersionRow = typeof registryVersions.$inferSelect

/** The service's limits and cache lifetimes, with the defaults filled in. */
export interface ServiceLimits {
  maxTarballBytes: number
  unpublishWindowMs: number
  writeRateLimit: number
  packumentTtlMs: number
  mirrorTtlMs: number
}

/** Keys of what the service keeps in the key-value store, all under `registry:<tenant>:`. */
export interface CacheKeys {
  token(hash: string): string
  packument(id: string): string
  scope(scope: string): string
  writes(user: string): string
}

/**
 * What every part of the registry service shares: the stores, the tenant, the limits, and the
 * tenant-bound filters, queries and event log. Built once per service by {@link createServiceContext}.
 */
export interface ServiceContext {
  readonly tenant: string
  readonly database: Database
  readonly db: Database['db']
  readonly keyValue: KeyValueStore
  readonly blobs: BlobStore
  readonly now: () => Date
  readonly logger: RegistryLogger | undefined
  readonly limits: ServiceLimits
  readonly keys: CacheKeys
  readonly where: TenantFilters
  readonly queries: RegistryQueries
  readonly events: EventLog
  /** The registry mirrored from, when one is configured. */
  readonly upstream: Upstream | undefined
  readonly beforePublishCommit: RegistryServiceOptions['beforePublishCommit']
}

const DEFAULT_MAX_TARBALL = 10 * 1024 * 1024

/** The context of a service built with `options`, the defaults applied. */
export function createServiceContext(options: RegistryServiceOptions): ServiceContext {
  const { database, keyValue, blobs, tenant } = options
  const db = database.db
  const now = options.now ?? (() => new Date())
  const where = createTenantFilters(tenant)
  return {
    tenant,
    database,
    db,
    keyValue,
    blobs,
    now,
    logger: options.logger,
    limits: {
      maxTarballBytes: options.maxTarballBytes ?? DEFAULT_MAX_TARBALL,
      unpublishWindowMs: options.unpublishWindowMs ?? 72 * HOUR,
      writeRateLimit: options.writeRateLimit ?? 120,
      packumentTtlMs: options.packumentTtlMs ?? 5 * 60 * 1000,
      mirrorTtlMs: options.mirrorTtlMs ?? 5 * 60 * 1000,
    },
    keys: {
      token: (hash) => `registry:${tenant}:token:${hash}`,
      packument: (id) => `registry:${tenant}:packument:${id}`,
      scope: (scope) => `registry:${tenant}:scope:${scope}`,
      writes: (user) => `registry:${tenant}:writes:${user}`,
    },
    where,
    queries: createQueries({ tenant, db, where, now }),
    events: createEventLog(tenant, db, where),
    upstream: options.upstream ? createUpstream(options.upstream) : undefined,
    beforePublishCommit: options.beforePublishCommit,
  }
}

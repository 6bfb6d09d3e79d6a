import type { Database, KeyValueStore } from '@skillos/store'
import type { Embedder } from '@skillos/recommender'
import { createAccess } from './access.js'
import type { BlobStore } from './blob-store.js'
import { createCatalog, type Catalog } from './catalog.js'
import { createServiceContext } from './context.js'
import { createManagement, type Management } from './manage.js'
import { createMirror, type Mirror } from './mirror.js'
import { sweepOrphanBlobs } from './orphan-blobs.js'
import { createPublisher, type Publisher } from './publish.js'
import { createReader, type Reader } from './reads.js'
import { createScopeService, type ScopeService } from './scopes.js'
import { createRegistrySearch } from './search.js'
import { createTokenService, type TokenRole, type TokenService } from './tokens.js'
import type { Principal } from './types.js'
import type { UpstreamOptions } from './upstream.js'

/** A logger the service reports to; default silent. */
export interface RegistryLogger {
  info(object: Record<string, unknown>, message: string): void
  warn(object: Record<string, unknown>, message: string): void
}

export interface RegistryServiceOptions {
  database: Database
  keyValue: KeyValueStore
  blobs: BlobStore
  /** The tenant every row is stored under (required: there is no unscoped path). */
  tenant: string
  /** Largest tarball publish accepts (default 10 MiB). */
  maxTarballBytes?: number
  /** Any version may be unpublished this long after its publish (default 72 h). */
  unpublishWindowMs?: number
  /** Writes per user per minute (default 120). */
  writeRateLimit?: number
  /** Mirror: fetch skills missing here from this registry. */
  upstream?: UpstreamOptions
  /** How long a mirrored packument is served before it is refreshed from upstream (default 5 min). */
  mirrorTtlMs?: number
  /** How long a packument stays in the key-value cache (default 5 min; writes invalidate it). */
  packumentTtlMs?: number
  now?: () => Date
  logger?: RegistryLogger
  /**
   * Turns skill texts and queries into vectors for search (default: the built-in offline hash
   * embedder). Give the one the configuration names (`createEmbedderFromConfig` of
   * `@skillos/core`), so the registry searches as the orchestrator routes.
   */
  embedder?: Embedder
  /**
   * Called inside the publish transaction after every row is written and before commit. Tests use
   * it to kill the process mid-publish; nothing else should.
   */
  beforePublishCommit?: (info: { id: string; version: string }) => Promise<void>
}

export type { PackumentResponse, TarballResponse } from './reads.js'

/**
 * The registry's domain logic; the HTTP app maps requests onto these methods. Each part is built by
 * its own module (tokens, scopes, publish, reads, manage, catalog, mirror) over one shared context.
 */
export interface RegistryService
  extends
    TokenService,
    ScopeService,
    Pick<Publisher, 'publish'>,
    Reader,
    Management,
    Pick<Catalog, 'search'>,
    Pick<Mirror, 'sync'> {
  readonly tenant: string
  whoami(principal: Principal | undefined): { user: string; role: TokenRole }
  /** Delete blobs no live version references, older than `olderThanMs` (default 1 h). */
  sweepOrphanBlobs(options?: { olderThanMs?: number }): Promise<{ deleted: string[] }>
  /** Throws when the database, key-value store or blob store is not usable. */
  ready(): Promise<void>
  close(): Promise<void>
}

/**
 * The SkillOS registry's domain logic over a database, a key-value store and a blob store:
 * tokens, scopes and members, transactional publish, packuments, tarballs, dist-tags, deprecation,
 * unpublish, search, mirroring and the orphan-blob sweep. Every row is stored under `tenant`; every
 * write records an event in `registry_events` in the same transaction.
 *
 * @example
 * ```ts
 * const service = await createRegistryService({ database, keyValue, blobs: createDiskBlobStore(dir), tenant: 'registry' })
 * const { token } = await service.createToken('system', { user: 'admin', role: 'admin' })
 * const admin = await service.authenticate(token)
 * await service.publish(admin, { id: packed.manifest.id, version: packed.manifest.version, tarball: packed.tarball, integrity: packed.integrity })
 * ```
 */
export async function createRegistryService(
  options: RegistryServiceOptions,
): Promise<RegistryService> {
  const ctx = createServiceContext(options)
  const search = await createRegistrySearch(options.embedder ? { embedder: options.embedder } : {})
  const access = createAccess(ctx)
  const catalog = createCatalog(ctx, access, search)
  const tokens = createTokenService(ctx, access)
  const scopes = createScopeService(ctx, access, catalog)
  const publisher = createPublisher(ctx, access, catalog)
  const mirror = createMirror(ctx, publisher, catalog)
  const reader = createReader(ctx, access, mirror)
  const management = createManagement(ctx, access, catalog)

  await catalog.syncIndex(true)

  return {
    tenant: ctx.tenant,
    ...tokens,
    whoami(principal) {
      const caller = access.requirePrincipal(principal)
      return { user: caller.user, role: caller.role }
    },
    ...scopes,
    publish: publisher.publish,
    ...reader,
    ...management,
    search: catalog.search,
    sync: mirror.sync,
    sweepOrphanBlobs: (sweep) => sweepOrphanBlobs(ctx, sweep),
    async ready() {
      await ctx.database.ping()
      await ctx.keyValue.ping()
      await ctx.blobs.ping()
    },
    async close() {
      await search.close()
    },
  }
}

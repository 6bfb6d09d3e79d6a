import type { SkillManifest } from '@skillos/contracts'
import {
  registryDistTags,
  registryPackages,
  registryScopes,
  registryVersions,
} from '@skillos/store'
import { sql } from 'drizzle-orm'
import type { Access } from './access.js'
import type { ServiceContext } from './context.js'
import { joins } from './filters.js'
import { computeQuality } from './quality.js'
import type { CatalogEntry, RegistrySearch } from './search.js'
import type { Principal, SearchQuery, SearchResult } from './types.js'

/**
 * What readers see after a write: the cached packuments and scopes it changed are dropped, and the
 * in-process search index catches up from the event log (which every instance writes), so each
 * instance's search follows the others' writes too.
 */
export interface Catalog {
  /** Drop the cached packuments of `ids` and rows of `scopes`, then bring the index up to date. */
  invalidate(ids: readonly string[], scopes?: readonly string[]): Promise<void>
  /** Index the events written since the last sync; unless `force`, at most once a second. */
  syncIndex(force?: boolean): Promise<void>
  /** Search the skills `principal` may see. */
  search(
    principal: Principal | undefined,
    query: SearchQuery,
  ): Promise<{ total: number; results: SearchResult[] }>
}

/** The catalog of `ctx`'s tenant over the search index `search`. */
export function createCatalog(
  ctx: ServiceContext,
  access: Access,
  search: RegistrySearch,
): Catalog {
  const { db, keyValue, keys, where, queries, events, now } = ctx
  let indexedSeq = 0
  let lastIndexSync = 0

  /** The search entries of the skills in `ids`: their `latest` version, visibility and quality. */
  async function catalogEntries(ids: readonly string[]): Promise<CatalogEntry[]> {
    const rows = await db
      .select({
        id: registryPackages.id,
        scope: registryPackages.scope,
        visibility: registryScopes.visibility,
        version: registryVersions.version,
        manifest: registryVersions.manifest,
        files: registryVersions.files,
        signed: sql<boolean>`${registryVersions.signature} is not null`,
        publishedAt: registryVersions.publishedAt,
        deprecated: registryVersions.deprecated,
      })
      .from(registryPackages)
      .innerJoin(registryDistTags, joins.latestTagOfPackage)
      .innerJoin(registryVersions, joins.taggedVersionOfPackage)
      .leftJoin(registryScopes, joins.scopeOfPackage)
      .where(where.packagesAmong(ids))
    const at = now()
    return rows.map((row) => {
      const manifest = row.manifest as Partial<SkillManifest>
      return {
        id: row.id,
        scope: row.scope,
        version: row.version,
        name: manifest.name ?? row.id,
        description: manifest.description ?? row.id,
        tags: manifest.tags ?? [],
        examples: manifest.examples ?? [],
        ...(manifest.author ? { author: manifest.author } : {}),
        ...(row.deprecated ? { deprecated: row.deprecated } : {}),
        quality: computeQuality({
          manifest,
          files: row.files,
          signed: Boolean(row.signed),
          publishedAt: row.publishedAt,
          now: at,
        }),
        private: row.visibility === 'private',
      }
    })
  }

  async function syncIndex(force = false): Promise<void> {
    if (!force && Date.now() - lastIndexSync < 1000) return
    lastIndexSync = Date.now()
    const written = await events.readAfter(indexedSeq)
    if (written.length === 0) return
    const ids = new Set<string>()
    for (const event of written) {
      if (event.subject.includes('/')) ids.add(event.subject)
      else if (event.type.startsWith('scope.'))
        for (const id of await queries.packageIdsOfScope(event.subject)) ids.add(id)
    }
    const through = written.at(-1)!.seq
    if (ids.size > 0) {
      const entries = await catalogEntries([...ids])
      const present = new Set(entries.map((entry) => entry.id))
      await search.remove([...ids].filter((id) => !present.has(id)))
      await search.upsert(entries)
    }
    // Only once indexed: a failure above leaves these events for the next sync to retry.
    indexedSeq = Math.max(indexedSeq, through)
  }

  async function invalidate(ids: readonly string[], scopes: readonly string[] = []) {
    await Promise.all([
      ...ids.map((id) => keyValue.delete(keys.packument(id))),
      ...scopes.map((scope) => keyValue.delete(keys.scope(scope))),
    ])
    // The write is committed already: a search index that cannot catch up now (a brief database
    // error) is retried by the next sync, and must not turn the caller's success into an error.
    await syncIndex(true).catch((error: unknown) => {
      ctx.logger?.warn({ err: error }, 'search index sync failed; retried on the next search')
    })
  }

  async function searchSkills(principal: Principal | undefined, query: SearchQuery) {
    await syncIndex()
    return search.query(query, await access.visibleScopesFor(principal))
  }

  return { invalidate, syncIndex, search: searchSkills }
}

import { createHash } from 'node:crypto'
import { SkillOSError } from '@skillos/contracts'
import { registryPackages, registryVersions } from '@skillos/store'
import semver from 'semver'
import type { SkillSignature } from '../pack/signature.js'
import type { Access } from './access.js'
import { blobKeyOf } from './blob-store.js'
import { checkVersion, notFound } from './checks.js'
import type { ScopeRow, ServiceContext, VersionRow } from './context.js'
import type { Mirror } from './mirror.js'
import type { Packument, Principal, VersionInfo } from './types.js'

/** A packument ready to send: the JSON text and its strong ETag. */
export interface PackumentResponse {
  body: string
  etag: string
  private: boolean
}

/** A tarball ready to send, with its integrity; `private` tells the app not to let caches share it. */
export interface TarballResponse {
  bytes: Uint8Array
  integrity: string
  private: boolean
}

/** The read side: packuments (cached, with strong ETags), single versions and tarballs. */
export interface Reader {
  /** The packument as JSON text with tarball links under `baseUrl`. */
  packument(
    principal: Principal | undefined,
    id: string,
    baseUrl: string,
  ): Promise<PackumentResponse>
  version(
    principal: Principal | undefined,
    id: string,
    version: string,
    baseUrl: string,
  ): Promise<VersionInfo>
  tarball(principal: Principal | undefined, id: string, version: string): Promise<TarballResponse>
}

/** A packument as cached in the key-value store: the JSON with a base-URL placeholder, and the live versions' integrity. */
interface CachedPackument {
  template: string
  etag: string
  integrity: Record<string, string>
  private: boolean
}

/** Tarballs are immutable and content-addressed: small ones are kept in memory up to this total. */
const BLOB_CACHE_BYTES = 64 * 1024 * 1024
const BLOB_CACHE_MAX_ITEM = 1024 * 1024
/** Placeholder for the base URL inside cached packuments: filled per request. */
const BASE = '\u0000base\u0000'

function versionInfo(row: VersionRow, baseUrl: string): VersionInfo {
  const [scope, name] = row.packageId.split('/') as [string, string]
  return {
    version: row.version,
    manifest: row.manifest,
    integrity: row.integrity,
    ...(row.signature ? { signature: row.signature as SkillSignature } : {}),
    size: row.sizeBytes,
    publishedAt: row.publishedAt.toISOString(),
    publishedBy: row.publishedBy,
    ...(row.deprecated ? { deprecated: row.deprecated } : {}),
    tarball: `${baseUrl}/${scope}/${name}/-/${name}-${row.version}.tgz`,
  }
}

/**
 * The reads of `ctx`'s tenant. A skill missing here (or a stale mirrored one) is fetched through
 * `mirror` first; outsiders of a private scope get 404.
 */
export function createReader(ctx: ServiceContext, access: Access, mirror: Mirror): Reader {
  const { db, keyValue, blobs, keys, where, queries } = ctx
  const { packumentTtlMs } = ctx.limits
  const parsedPackuments = new Map<string, { raw: string; value: CachedPackument }>()
  const blobCache = new Map<string, Uint8Array>()
  let blobCacheBytes = 0

  async function loadPackument(id: string): Promise<CachedPackument | undefined> {
    const cached = await keyValue.get(keys.packument(id))
    if (cached !== null) {
      // Parsing is skipped when the cached text is the one parsed last time.
      const memo = parsedPackuments.get(id)
      if (memo && memo.raw === cached) return memo.value
      const value = JSON.parse(cached) as CachedPackument
      parsedPackuments.set(id, { raw: cached, value })
      if (parsedPackuments.size > 10_000)
        parsedPackuments.delete(parsedPackuments.keys().next().value!)
      return value
    }
    const [pkg] = await db.select().from(registryPackages).where(where.packageWithId(id))
    if (!pkg) return undefined
    const versions = await db.select().from(registryVersions).where(where.liveVersionsOfPackage(id))
    if (versions.length === 0) return undefined
    versions.sort((a, b) => semver.compare(a.version, b.version))
    const distTags = await queries.distTagsOf(db, id)
    const latest = versions.find((row) => row.version === distTags.latest) ?? versions.at(-1)!
    const packument: Packument = {
      id,
      description: String(latest.manifest.description ?? ''),
      distTags,
      versions: Object.fromEntries(versions.map((row) => [row.version, versionInfo(row, BASE)])),
      time: {
        created: pkg.createdAt.toISOString(),
        modified: pkg.modifiedAt.toISOString(),
        ...Object.fromEntries(versions.map((row) => [row.version, row.publishedAt.toISOString()])),
      },
    }
    const template = JSON.stringify(packument)
    const etag = createHash('sha256').update(template).digest('base64url').slice(0, 32)
    const integrity = Object.fromEntries(versions.map((row) => [row.version, row.integrity]))
    const isPrivate = (await access.scopeRow(pkg.scope))?.visibility === 'private'
    const value: CachedPackument = { template, etag, integrity, private: isPrivate }
    await keyValue.set(keys.packument(id), JSON.stringify(value), { ttlMs: packumentTtlMs })
    return value
  }

  async function packument(
    principal: Principal | undefined,
    id: string,
    baseUrl: string,
  ): Promise<PackumentResponse> {
    const { scopeName, scope } = await access.readableScope(principal, id)
    let loaded = await loadPackument(id)
    if (!loaded ? await mirror.maybeMirror(scopeName, scope, id, 'missing') : false)
      loaded = await loadPackument(id)
    else if (loaded && scope?.mirrored && (await mirror.maybeMirror(scopeName, scope, id, 'stale')))
      loaded = await loadPackument(id)
    if (!loaded) throw notFound(`Skill ${id}`)
    const base = baseUrl.replace(/\/+$/, '')
    const etag = `"${loaded.etag}${createHash('sha1').update(base).digest('base64url').slice(0, 8)}"`
    return {
      body: loaded.template.replaceAll(JSON.stringify(BASE).slice(1, -1), base),
      etag,
      private: scope?.visibility === 'private',
    }
  }

  /** A live version `principal` may read, mirroring it on demand; 404 otherwise. */
  async function liveVersion(
    principal: Principal | undefined,
    id: string,
    version: string,
  ): Promise<{ row: VersionRow; scope: ScopeRow | undefined }> {
    const { scopeName, scope } = await access.readableScope(principal, id)
    checkVersion(version)
    let row = await queries.versionRow(db, id, version)
    if (!row && (await mirror.maybeMirror(scopeName, scope, id, scope ? 'stale' : 'missing')))
      row = await queries.versionRow(db, id, version)
    if (!row || row.unpublishedAt) throw notFound(`${id}@${version}`)
    return { row, scope: scope ?? (await access.scopeRow(scopeName)) }
  }

  async function version(
    principal: Principal | undefined,
    id: string,
    versionText: string,
    baseUrl: string,
  ): Promise<VersionInfo> {
    const { row } = await liveVersion(principal, id, versionText)
    return versionInfo(row, baseUrl.replace(/\/+$/, ''))
  }

  async function readBlob(integrity: string): Promise<Uint8Array | undefined> {
    const key = blobKeyOf(integrity)
    const cached = blobCache.get(key)
    if (cached) return cached
    const bytes = await blobs.get(key)
    if (bytes && bytes.length <= BLOB_CACHE_MAX_ITEM) {
      blobCache.set(key, bytes)
      blobCacheBytes += bytes.length
      for (const [oldest, value] of blobCache) {
        if (blobCacheBytes <= BLOB_CACHE_BYTES) break
        blobCache.delete(oldest)
        blobCacheBytes -= value.length
      }
    }
    return bytes
  }

  async function tarball(
    principal: Principal | undefined,
    id: string,
    versionText: string,
  ): Promise<TarballResponse> {
    // Fast path: the cached packument knows every live version's integrity.
    const { scope: known } = await access.readableScope(principal, id)
    const cachedIntegrity = known ? (await loadPackument(id))?.integrity[versionText] : undefined
    if (cachedIntegrity) {
      const bytes = await readBlob(cachedIntegrity)
      if (bytes)
        return { bytes, integrity: cachedIntegrity, private: known?.visibility === 'private' }
    }
    const { row, scope } = await liveVersion(principal, id, versionText)
    const bytes = await readBlob(row.integrity)
    if (!bytes) {
      throw new SkillOSError({
        code: 'INTERNAL',
        message: `The tarball of ${id}@${versionText} is missing from the blob store`,
      })
    }
    return { bytes, integrity: row.integrity, private: scope?.visibility === 'private' }
  }

  return { packument, version, tarball }
}

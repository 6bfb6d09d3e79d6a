import { SkillOSError, semverSchema, type SkillManifest } from '@skillos/contracts'
import { registryDistTags, registryScopes, registryVersions } from '@skillos/store'
import semver from 'semver'
import { inspectTarball } from '../pack/unpack.js'
import { blobKeyOf } from './blob-store.js'
import type { Catalog } from './catalog.js'
import { checkScope, conflict, TAG_PATTERN } from './checks.js'
import type { ScopeRow, ServiceContext } from './context.js'
import type { Publisher } from './publish.js'
import type { VersionInfo } from './types.js'

/**
 * Mirroring from the upstream registry: whole scopes on `sync`, and single skills on demand when a
 * read misses (or a mirrored copy is stale). Every upstream tarball is checked like a publish.
 */
export interface Mirror {
  /** Mirror these upstream scopes now: every skill and version not yet here. */
  sync(scopes: readonly string[]): Promise<{ scope: string; skills: string[] }[]>
  /**
   * Mirror `id` on demand when it is `missing` here or its mirrored copy is `stale`; true when it
   * was fetched. A failed refresh of a stale copy is logged and the cached copy served.
   */
  maybeMirror(
    scopeName: string,
    scope: ScopeRow | undefined,
    id: string,
    reason: 'missing' | 'stale',
  ): Promise<boolean>
}

/** The mirror of `ctx`'s tenant (it does nothing when no upstream is configured). */
export function createMirror(ctx: ServiceContext, publisher: Publisher, catalog: Catalog): Mirror {
  const { tenant, database, db, blobs, where, queries, upstream, logger } = ctx
  const { maxTarballBytes, mirrorTtlMs } = ctx.limits
  /** When each skill was last checked upstream (a success or a failure), most recent last. */
  const mirroredAt = new Map<string, number>()
  const MAX_TRACKED = 10_000
  function checked(id: string): void {
    mirroredAt.delete(id)
    mirroredAt.set(id, Date.now())
    if (mirroredAt.size > MAX_TRACKED) {
      const oldest = mirroredAt.keys().next().value
      if (oldest !== undefined) mirroredAt.delete(oldest)
    }
  }

  async function mirrorPackage(id: string, scopeName: string): Promise<boolean> {
    if (!upstream) return false
    const remote = await upstream.packument(id)
    checked(id)
    if (!remote) return false
    const local = await db
      .select({ version: registryVersions.version })
      .from(registryVersions)
      .where(where.versionsOfPackage(id))
    const have = new Set(local.map((row) => row.version))
    const fetched: {
      manifest: SkillManifest
      info: VersionInfo
      files: string[]
      size: number
    }[] = []
    for (const info of Object.values(remote.versions)) {
      if (have.has(info.version) || !semverSchema.safeParse(info.version).success) continue
      const bytes = await upstream.tarball(info.tarball)
      const inspected = await inspectTarball(bytes, {
        integrity: info.integrity,
        maxCompressedBytes: maxTarballBytes,
      }).catch((error: unknown) => {
        const reason = SkillOSError.is(error, 'INTEGRITY_FAILED')
          ? 'failed its integrity check'
          : 'was refused'
        throw new SkillOSError({
          code: 'UPSTREAM_FAILED',
          message: `Upstream tarball of ${id}@${info.version} ${reason}: ${error instanceof Error ? error.message : String(error)}`,
          details: { upstream: upstream.url, id, version: info.version },
          cause: error,
        })
      })
      if (inspected.manifest?.id !== id || inspected.manifest.version !== info.version) {
        throw new SkillOSError({
          code: 'UPSTREAM_FAILED',
          message: `Upstream tarball of ${id}@${info.version} holds ${inspected.manifest?.id ?? 'no manifest'}@${inspected.manifest?.version ?? '?'}`,
        })
      }
      await blobs.put(blobKeyOf(inspected.integrity), bytes)
      fetched.push({
        manifest: inspected.manifest,
        info,
        files: inspected.files.map((f) => f.path),
        size: bytes.length,
      })
    }
    await database.transaction(async (tx) => {
      const [scope] = await tx.select().from(registryScopes).where(where.scopeNamed(scopeName))
      if (scope && !scope.mirrored)
        throw conflict(`Scope ${scopeName} is local here; it is not mirrored`)
      fetched.sort((a, b) => semver.compare(a.info.version, b.info.version))
      let first = !scope
      for (const item of fetched) {
        await publisher.writeVersion(tx, {
          caller: 'upstream',
          id,
          scope: scopeName,
          manifest: item.manifest,
          integrity: item.info.integrity,
          signature: item.info.signature,
          size: item.size,
          files: item.files,
          tag: 'latest',
          createScope: first,
          mirrored: true,
          publishedAt: new Date(item.info.publishedAt),
          publishedBy: item.info.publishedBy,
        })
        first = false
      }
      // The upstream's dist-tags and deprecations replace ours, for the versions we hold.
      const haveNow = new Set([...have, ...fetched.map((item) => item.info.version)])
      await tx.delete(registryDistTags).where(where.distTagsOfPackage(id))
      for (const [tag, target] of Object.entries(remote.distTags)) {
        if (!haveNow.has(target) || !TAG_PATTERN.test(tag)) continue
        await tx
          .insert(registryDistTags)
          .values({ tenantId: tenant, packageId: id, tag, version: target })
      }
      for (const info of Object.values(remote.versions)) {
        if (!haveNow.has(info.version)) continue
        await tx
          .update(registryVersions)
          .set({ deprecated: info.deprecated ?? null })
          .where(where.versionOfPackage(id, info.version))
      }
      if (fetched.length === 0 && haveNow.size > 0) await queries.touchPackage(tx, id)
    })
    await catalog.invalidate([id], [scopeName])
    return true
  }

  async function maybeMirror(
    scopeName: string,
    scope: ScopeRow | undefined,
    id: string,
    reason: 'missing' | 'stale',
  ): Promise<boolean> {
    if (!upstream || (scope && !scope.mirrored)) return false
    if (reason === 'stale' && Date.now() - (mirroredAt.get(id) ?? 0) < mirrorTtlMs) return false
    try {
      return await mirrorPackage(id, scopeName)
    } catch (error) {
      if (reason === 'missing') throw error
      // A down upstream is asked again after the mirror TTL, not on every read.
      checked(id)
      logger?.warn({ id, error: String(error) }, 'mirror refresh failed; serving the cached copy')
      return false
    }
  }

  async function sync(scopes: readonly string[]) {
    if (!upstream)
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: 'No upstream registry is configured (registryServer.upstreamUrl)',
      })
    const report: { scope: string; skills: string[] }[] = []
    for (const scope of scopes) {
      checkScope(scope)
      const ids = await upstream.listScope(scope)
      const skills: string[] = []
      for (const id of ids) {
        if (!id.startsWith(`${scope}/`)) continue
        if (await mirrorPackage(id, scope)) skills.push(id)
      }
      report.push({ scope, skills })
    }
    return report
  }

  return { sync, maybeMirror }
}

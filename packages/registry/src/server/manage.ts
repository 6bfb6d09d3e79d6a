import { registryDistTags, registryVersions, type Transaction } from '@skillos/store'
import semver from 'semver'
import type { Access } from './access.js'
import type { Catalog } from './catalog.js'
import { checkTag, checkVersion, conflict, HOUR, invalid, notFound } from './checks.js'
import type { ServiceContext } from './context.js'
import type { Principal } from './types.js'

/** Changes to published skills by their publishers: dist-tags, deprecation and unpublish. */
export interface Management {
  setDistTag(
    principal: Principal | undefined,
    id: string,
    tag: string,
    version: string,
  ): Promise<Record<string, string>>
  /** Remove a dist-tag (never `latest`). */
  removeDistTag(
    principal: Principal | undefined,
    id: string,
    tag: string,
  ): Promise<Record<string, string>>
  /** Deprecate the live versions in `range` (default all); an empty message undeprecates. */
  deprecate(
    principal: Principal | undefined,
    id: string,
    input: { range?: string; message: string },
  ): Promise<{ versions: string[] }>
  /**
   * Unpublish a version: always within the unpublish window, later only when no live version of
   * another skill depends on it. The number is never reused; `latest` moves to the highest left.
   */
  unpublish(principal: Principal | undefined, id: string, version: string): Promise<void>
}

/** The management operations of `ctx`'s tenant; each is one transaction with its event. */
export function createManagement(
  ctx: ServiceContext,
  access: Access,
  catalog: Catalog,
): Management {
  const { tenant, database, where, queries, events, now } = ctx
  const { unpublishWindowMs } = ctx.limits

  async function setDistTag(
    principal: Principal | undefined,
    id: string,
    tag: string,
    versionText: string,
  ) {
    checkTag(tag)
    checkVersion(versionText)
    const { caller } = await access.requirePublisherOf(principal, id)
    const tags = await database.transaction(async (tx) => {
      const row = await queries.versionRow(tx, id, versionText)
      if (!row || row.unpublishedAt) throw notFound(`${id}@${versionText}`)
      await queries.pointDistTag(tx, id, tag, versionText)
      await queries.touchPackage(tx, id)
      await events.record(tx, 'dist-tag.set', caller.user, id, { tag, version: versionText })
      return queries.distTagsOf(tx, id)
    })
    await catalog.invalidate([id])
    return tags
  }

  async function removeDistTag(principal: Principal | undefined, id: string, tag: string) {
    checkTag(tag)
    if (tag === 'latest') throw invalid('tag', 'latest cannot be removed; point it elsewhere')
    const { caller } = await access.requirePublisherOf(principal, id)
    const tags = await database.transaction(async (tx) => {
      const removed = await tx
        .delete(registryDistTags)
        .where(where.distTagNamed(id, tag))
        .returning()
      if (removed.length === 0) throw notFound(`Dist-tag ${tag} of ${id}`)
      await queries.touchPackage(tx, id)
      await events.record(tx, 'dist-tag.removed', caller.user, id, { tag })
      return queries.distTagsOf(tx, id)
    })
    await catalog.invalidate([id])
    return tags
  }

  async function deprecate(
    principal: Principal | undefined,
    id: string,
    input: { range?: string; message: string },
  ) {
    if (typeof input.message !== 'string') throw invalid('message', 'is required ("" undeprecates)')
    if (input.message.length > 1000) throw invalid('message', 'must be at most 1000 characters')
    const range = input.range ?? '*'
    if (semver.validRange(range) === null)
      throw invalid('range', `"${range}" is not a semver range`)
    const { caller } = await access.requirePublisherOf(principal, id)
    const versions = await database.transaction(async (tx) => {
      const matched = (await queries.liveVersionNumbers(tx, id)).filter((v) =>
        semver.satisfies(v, range, { includePrerelease: true }),
      )
      if (matched.length === 0) throw notFound(`A version of ${id} in range ${range}`)
      await tx
        .update(registryVersions)
        .set({ deprecated: input.message === '' ? null : input.message })
        .where(where.versionsOfPackageIn(id, matched))
      await queries.touchPackage(tx, id)
      await events.record(
        tx,
        input.message === '' ? 'skill.undeprecated' : 'skill.deprecated',
        caller.user,
        id,
        { range, versions: matched, ...(input.message ? { message: input.message } : {}) },
      )
      return matched.sort(semver.compare)
    })
    await catalog.invalidate([id])
    return { versions }
  }

  async function unpublish(principal: Principal | undefined, id: string, versionText: string) {
    checkVersion(versionText)
    const { caller } = await access.requirePublisherOf(principal, id)
    await database.transaction(async (tx) => {
      const row = await queries.versionRow(tx, id, versionText)
      if (!row || row.unpublishedAt) throw notFound(`${id}@${versionText}`)
      const age = now().getTime() - row.publishedAt.getTime()
      if (age > unpublishWindowMs) {
        const dependents = await dependentsOf(tx, id, versionText)
        if (dependents.length > 0) {
          throw conflict(
            `${id}@${versionText} was published more than ${describeWindow(unpublishWindowMs)} ago and ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on it; deprecate it instead`,
            { dependents },
          )
        }
      }
      await tx
        .update(registryVersions)
        .set({ unpublishedAt: now() })
        .where(where.versionOfPackage(id, versionText))
      await tx.delete(registryDistTags).where(where.distTagsPointingAt(id, versionText))
      // `latest` moves to the highest remaining stable version (or any remaining one).
      const remaining = await queries.liveVersionNumbers(tx, id)
      const tags = await queries.distTagsOf(tx, id)
      if (remaining.length > 0 && tags.latest === undefined) {
        const stable = remaining.filter((v) => semver.prerelease(v) === null)
        const next = semver.rsort(stable.length > 0 ? stable : remaining)[0]!
        await tx
          .insert(registryDistTags)
          .values({ tenantId: tenant, packageId: id, tag: 'latest', version: next })
      }
      await queries.touchPackage(tx, id)
      await events.record(tx, 'skill.unpublished', caller.user, id, {
        version: versionText,
        integrity: row.integrity,
      })
    })
    await catalog.invalidate([id])
  }

  /** Live versions of other skills whose dependencies accept `id@version`. */
  async function dependentsOf(tx: Transaction, id: string, versionText: string) {
    const rows = await tx
      .select({
        packageId: registryVersions.packageId,
        version: registryVersions.version,
        manifest: registryVersions.manifest,
      })
      .from(registryVersions)
      .where(where.liveVersionsDependingOn(id))
    return rows
      .filter((row) => {
        const range = (row.manifest.dependencies as Record<string, string> | undefined)?.[id]
        return (
          range !== undefined && semver.satisfies(versionText, range, { includePrerelease: true })
        )
      })
      .map((row) => `${row.packageId}@${row.version}`)
  }

  return { setDistTag, removeDistTag, deprecate, unpublish }
}

/** The unpublish window in words: `72 h`, or `30 min` below an hour. */
function describeWindow(ms: number): string {
  return ms >= HOUR ? `${Math.round(ms / HOUR)} h` : `${Math.round(ms / 60_000)} min`
}

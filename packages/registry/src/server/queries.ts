import {
  registryDistTags,
  registryPackages,
  registryScopeMembers,
  registryVersions,
  type Database,
  type Transaction,
} from '@skillos/store'
import type { Executor, VersionRow } from './context.js'
import type { TenantFilters } from './filters.js'
import type { ScopeRole } from './tokens.js'

/**
 * The small reads and writes of the registry tables that several parts of the service share, bound
 * to one tenant. Each takes the executor (the database or an open transaction) it must run on.
 */
export interface RegistryQueries {
  /** `user`'s role in `scope`, or undefined when they are not a member. */
  memberRole(executor: Executor, scope: string, user: string): Promise<ScopeRole | undefined>
  /** One version of a package, unpublished or not. */
  versionRow(executor: Executor, id: string, version: string): Promise<VersionRow | undefined>
  /** The version numbers of a package that are not unpublished, in database order. */
  liveVersionNumbers(executor: Executor, id: string): Promise<string[]>
  /** A package's dist-tags as `{ tag: version }`. */
  distTagsOf(executor: Executor, id: string): Promise<Record<string, string>>
  /** Point `tag` of a package at `version`, creating the tag if needed. */
  pointDistTag(tx: Transaction, id: string, tag: string, version: string): Promise<void>
  /** Record that a package changed now (its packument's `time.modified`). */
  touchPackage(tx: Transaction, id: string): Promise<void>
  /** The ids of the skills in `scope`. */
  packageIdsOfScope(scope: string): Promise<string[]>
}

/** The shared queries of `tenant`, filtered by `where` (see {@link createTenantFilters}). */
export function createQueries(options: {
  tenant: string
  db: Database['db']
  where: TenantFilters
  now: () => Date
}): RegistryQueries {
  const { tenant, db, where, now } = options
  return {
    async memberRole(executor, scope, user) {
      const [row] = await executor
        .select({ role: registryScopeMembers.role })
        .from(registryScopeMembers)
        .where(where.membership(scope, user))
      return row?.role as ScopeRole | undefined
    },
    async versionRow(executor, id, version) {
      const [row] = await executor
        .select()
        .from(registryVersions)
        .where(where.versionOfPackage(id, version))
      return row
    },
    async liveVersionNumbers(executor, id) {
      const rows = await executor
        .select({ version: registryVersions.version })
        .from(registryVersions)
        .where(where.liveVersionsOfPackage(id))
      return rows.map((row) => row.version)
    },
    async distTagsOf(executor, id) {
      const rows = await executor
        .select({ tag: registryDistTags.tag, version: registryDistTags.version })
        .from(registryDistTags)
        .where(where.distTagsOfPackage(id))
      return Object.fromEntries(rows.map((row) => [row.tag, row.version]))
    },
    async pointDistTag(tx, id, tag, version) {
      await tx
        .insert(registryDistTags)
        .values({ tenantId: tenant, packageId: id, tag, version })
        .onConflictDoUpdate({
          target: [registryDistTags.tenantId, registryDistTags.packageId, registryDistTags.tag],
          set: { version },
        })
    },
    async touchPackage(tx, id) {
      await tx.update(registryPackages).set({ modifiedAt: now() }).where(where.packageWithId(id))
    },
    async packageIdsOfScope(scope) {
      const rows = await db
        .select({ id: registryPackages.id })
        .from(registryPackages)
        .where(where.packagesInScope(scope))
      return rows.map((row) => row.id)
    },
  }
}

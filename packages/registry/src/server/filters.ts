import {
  registryDistTags,
  registryEvents,
  registryPackages,
  registryScopeMembers,
  registryScopes,
  registryTokens,
  registryVersions,
} from '@skillos/store'
import { and, eq, gt, inArray, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm'

/**
 * The where-conditions of the registry's queries, each bound to one tenant: a query filtered by
 * one of these cannot read or change another tenant's rows, and reads as what it asks for.
 */
export function createTenantFilters(tenant: string) {
  /** `table.tenant_id = tenant` and the other conditions: the start of every filter below. */
  const ofTenant = (table: { tenantId: AnyColumn }, ...conditions: (SQL | undefined)[]) =>
    and(eq(table.tenantId, tenant), ...conditions)
  const tokens = registryTokens
  const scopes = registryScopes
  const members = registryScopeMembers
  const packages = registryPackages
  const versions = registryVersions
  const distTags = registryDistTags

  return {
    // ----- tokens -----
    tokenWithHash: (hash: string) => ofTenant(tokens, eq(tokens.hash, hash)),
    tokenWithId: (id: string) => ofTenant(tokens, eq(tokens.id, id)),
    /** Every token of the tenant, or only `user`'s. */
    tokensOf: (user: string | undefined) =>
      ofTenant(tokens, user === undefined ? undefined : eq(tokens.user, user)),

    // ----- scopes and members -----
    scopeNamed: (scope: string) => ofTenant(scopes, eq(scopes.scope, scope)),
    membersOf: (scope: string) => ofTenant(members, eq(members.scope, scope)),
    membership: (scope: string, user: string) =>
      ofTenant(members, eq(members.scope, scope), eq(members.user, user)),
    ownersOf: (scope: string) =>
      ofTenant(members, eq(members.scope, scope), eq(members.role, 'owner')),
    /** `user`'s memberships of private scopes; needs the {@link joins.scopeOfMember} join. */
    privateMembershipsOf: (user: string) =>
      ofTenant(members, eq(members.user, user), eq(scopes.visibility, 'private')),

    // ----- packages -----
    packageWithId: (id: string) => ofTenant(packages, eq(packages.id, id)),
    packagesInScope: (scope: string) => ofTenant(packages, eq(packages.scope, scope)),
    packagesAmong: (ids: readonly string[]) => ofTenant(packages, inArray(packages.id, [...ids])),

    // ----- versions -----
    /** Every version of a package, unpublished ones included. */
    versionsOfPackage: (id: string) => ofTenant(versions, eq(versions.packageId, id)),
    /** The versions of a package that are not unpublished. */
    liveVersionsOfPackage: (id: string) =>
      ofTenant(versions, eq(versions.packageId, id), isNull(versions.unpublishedAt)),
    versionOfPackage: (id: string, version: string) =>
      ofTenant(versions, eq(versions.packageId, id), eq(versions.version, version)),
    versionsOfPackageIn: (id: string, list: string[]) =>
      ofTenant(versions, eq(versions.packageId, id), inArray(versions.version, list)),
    /** Live versions (of any package) that list `id` among their dependencies. */
    liveVersionsDependingOn: (id: string) =>
      ofTenant(
        versions,
        isNull(versions.unpublishedAt),
        sql`jsonb_exists(${versions.manifest} -> 'dependencies', ${id})`,
      ),
    /** Live versions whose tarball is the blob with this integrity. */
    liveVersionsWithIntegrity: (integrity: string) =>
      ofTenant(versions, eq(versions.integrity, integrity), isNull(versions.unpublishedAt)),

    // ----- dist-tags -----
    distTagsOfPackage: (id: string) => ofTenant(distTags, eq(distTags.packageId, id)),
    distTagNamed: (id: string, tag: string) =>
      ofTenant(distTags, eq(distTags.packageId, id), eq(distTags.tag, tag)),
    distTagsPointingAt: (id: string, version: string) =>
      ofTenant(distTags, eq(distTags.packageId, id), eq(distTags.version, version)),

    // ----- events -----
    eventsAfter: (seq: number) => ofTenant(registryEvents, gt(registryEvents.seq, seq)),
  }
}

/** The tenant-bound filters {@link createTenantFilters} returns. */
export type TenantFilters = ReturnType<typeof createTenantFilters>

/**
 * Join conditions between the registry tables. Each one matches on `tenant_id` as well as the ids,
 * so a query whose root table is filtered by tenant stays within that tenant across its joins.
 */
export const joins = {
  /** registry_dist_tags → the `latest` tag of a registry_packages row. */
  latestTagOfPackage: and(
    eq(registryDistTags.tenantId, registryPackages.tenantId),
    eq(registryDistTags.packageId, registryPackages.id),
    eq(registryDistTags.tag, 'latest'),
  ),
  /** registry_versions → the version of a package that a joined registry_dist_tags row points at. */
  taggedVersionOfPackage: and(
    eq(registryVersions.tenantId, registryPackages.tenantId),
    eq(registryVersions.packageId, registryPackages.id),
    eq(registryVersions.version, registryDistTags.version),
  ),
  /** registry_scopes → the scope of a registry_packages row. */
  scopeOfPackage: and(
    eq(registryScopes.tenantId, registryPackages.tenantId),
    eq(registryScopes.scope, registryPackages.scope),
  ),
  /** registry_scopes → the scope of a registry_scope_members row. */
  scopeOfMember: and(
    eq(registryScopes.tenantId, registryScopeMembers.tenantId),
    eq(registryScopes.scope, registryScopeMembers.scope),
  ),
}

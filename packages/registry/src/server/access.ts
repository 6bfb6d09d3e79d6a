import { SkillOSError } from '@skillos/contracts'
import { registryScopeMembers, registryScopes } from '@skillos/store'
import { checkId, denied, notFound, unauthenticated } from './checks.js'
import type { Executor, ScopeRow, ServiceContext } from './context.js'
import { joins } from './filters.js'
import type { SearchVisibility } from './search.js'
import { scopeRoleRank, type ScopeRole } from './tokens.js'
import type { Principal } from './types.js'

/**
 * Who may do what: principals, scope visibility and membership, role checks and the write rate
 * limit. Deny by default; outsiders of a private scope are told it does not exist.
 */
export interface Access {
  /** A scope's row, cached briefly in the key-value store (writes to the scope invalidate it). */
  scopeRow(scope: string): Promise<ScopeRow | undefined>
  /** Whether `principal` may see `scope` (a missing or public scope is visible to everyone). */
  canRead(principal: Principal | undefined, scope: ScopeRow | undefined): Promise<boolean>
  requirePrincipal(principal: Principal | undefined): Principal
  /** A principal whose token may write (not a read token). */
  requireWriteRole(principal: Principal | undefined): Principal
  /** Counts a write by `caller`; throws `RATE_LIMITED` past the per-minute limit. */
  rateLimitWrite(caller: Principal): Promise<void>
  /** Throws `PERMISSION_DENIED` unless `user` holds at least `least` in `scope` (admins are not exempt here). */
  requireScopeRole(
    executor: Executor,
    scope: string,
    user: string,
    least: 'publisher' | 'owner',
  ): Promise<void>
  /** Publisher (or instance admin) of the existing, local scope of `id`; counts the write. */
  requirePublisherOf(
    principal: Principal | undefined,
    id: string,
  ): Promise<{ caller: Principal; scope: ScopeRow }>
  /** Owner (or instance admin) of an existing scope; counts the write. */
  requireScopeOwner(
    principal: Principal | undefined,
    scope: string,
  ): Promise<{ caller: Principal; row: ScopeRow }>
  /** The scope of `id` when `principal` may read it (or when it does not exist yet). */
  readableScope(
    principal: Principal | undefined,
    id: string,
  ): Promise<{ scopeName: string; scope: ScopeRow | undefined }>
  /** Which private scopes search may show `principal`: all for admins, else their memberships. */
  visibleScopesFor(principal: Principal | undefined): Promise<SearchVisibility>
}

const roleWithArticle: Record<'publisher' | 'owner', string> = {
  publisher: 'a publisher',
  owner: 'an owner',
}

/** The access checks of the service over `ctx`. */
export function createAccess(ctx: ServiceContext): Access {
  const { db, keyValue, keys, where, queries } = ctx
  const { writeRateLimit } = ctx.limits

  async function scopeRow(scope: string): Promise<ScopeRow | undefined> {
    const cached = await keyValue.get(keys.scope(scope))
    if (cached !== null) {
      if (cached === 'none') return undefined
      const row = JSON.parse(cached) as ScopeRow & { createdAt: string }
      return { ...row, createdAt: new Date(row.createdAt) }
    }
    const [row] = await db.select().from(registryScopes).where(where.scopeNamed(scope))
    await keyValue.set(keys.scope(scope), row ? JSON.stringify(row) : 'none', { ttlMs: 60_000 })
    return row
  }

  /** Private scopes answer 404 to outsiders, exactly as if they did not exist. */
  async function canRead(principal: Principal | undefined, scope: ScopeRow | undefined) {
    if (!scope || scope.visibility === 'public') return true
    if (!principal) return false
    if (principal.role === 'admin') return true
    return (await queries.memberRole(db, scope.scope, principal.user)) !== undefined
  }

  function requirePrincipal(principal: Principal | undefined): Principal {
    if (!principal) throw unauthenticated()
    return principal
  }

  function requireWriteRole(principal: Principal | undefined): Principal {
    const caller = requirePrincipal(principal)
    if (caller.role === 'read')
      throw denied(`A read token cannot change the registry (user ${caller.user})`)
    return caller
  }

  async function rateLimitWrite(caller: Principal): Promise<void> {
    const result = await keyValue.hit(keys.writes(caller.user), {
      limit: writeRateLimit,
      windowMs: 60_000,
    })
    if (!result.allowed) {
      throw new SkillOSError({
        code: 'RATE_LIMITED',
        message: `Too many writes by ${caller.user}: ${writeRateLimit} per minute; retry in ${Math.ceil(result.retryAfterMs / 1000)} s`,
        details: { retryAfterMs: result.retryAfterMs, limit: writeRateLimit },
      })
    }
  }

  async function requireScopeRole(
    executor: Executor,
    scope: string,
    user: string,
    least: 'publisher' | 'owner',
  ): Promise<void> {
    const role: ScopeRole | undefined = await queries.memberRole(executor, scope, user)
    if (role === undefined || scopeRoleRank(role) < scopeRoleRank(least))
      throw denied(`${user} is not ${roleWithArticle[least]} of scope ${scope}`)
  }

  async function requirePublisherOf(principal: Principal | undefined, id: string) {
    const caller = requireWriteRole(principal)
    const { scope: scopeName } = checkId(id)
    const scope = await scopeRow(scopeName)
    if (!scope || !(await canRead(caller, scope))) throw notFound(`Skill ${id}`)
    if (caller.role !== 'admin') await requireScopeRole(db, scopeName, caller.user, 'publisher')
    if (scope.mirrored)
      throw denied(`Scope ${scopeName} is mirrored from the upstream registry and read-only here`)
    await rateLimitWrite(caller)
    return { caller, scope }
  }

  async function requireScopeOwner(principal: Principal | undefined, scope: string) {
    const caller = requireWriteRole(principal)
    const row = await scopeRow(scope)
    if (!row || !(await canRead(caller, row))) throw notFound(`Scope ${scope}`)
    if (caller.role !== 'admin') await requireScopeRole(db, scope, caller.user, 'owner')
    await rateLimitWrite(caller)
    return { caller, row }
  }

  async function readableScope(principal: Principal | undefined, id: string) {
    const { scope: scopeName } = checkId(id)
    const scope = await scopeRow(scopeName)
    if (scope && !(await canRead(principal, scope))) throw notFound(`Skill ${id}`)
    return { scopeName, scope }
  }

  async function visibleScopesFor(principal: Principal | undefined): Promise<SearchVisibility> {
    if (!principal || principal.role === 'admin')
      return { all: principal?.role === 'admin', scopes: new Set() }
    const rows = await db
      .select({ scope: registryScopeMembers.scope })
      .from(registryScopeMembers)
      .innerJoin(registryScopes, joins.scopeOfMember)
      .where(where.privateMembershipsOf(principal.user))
    return { all: false, scopes: new Set(rows.map((row) => row.scope)) }
  }

  return {
    scopeRow,
    canRead,
    requirePrincipal,
    requireWriteRole,
    rateLimitWrite,
    requireScopeRole,
    requirePublisherOf,
    requireScopeOwner,
    readableScope,
    visibleScopesFor,
  }
}

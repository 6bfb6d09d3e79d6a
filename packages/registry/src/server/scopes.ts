import { registryScopeMembers, registryScopes, type Transaction } from '@skillos/store'
import { keyIdOf } from '../pack/signature.js'
import type { Access } from './access.js'
import type { Catalog } from './catalog.js'
import { checkScope, checkUser, conflict, denied, invalid, notFound } from './checks.js'
import type { ScopeRow, ServiceContext } from './context.js'
import { scopeRoles, type ScopeRole } from './tokens.js'
import type { Principal, ScopeInfo, ScopeSettings } from './types.js'

/** Scope settings and membership: who owns a scope, who may publish in it, who may read it. */
export interface ScopeService {
  /** Create a scope (the caller becomes its owner) or change the settings of one they own. */
  putScope(
    principal: Principal | undefined,
    scope: string,
    settings: ScopeSettings,
  ): Promise<ScopeInfo>
  getScope(principal: Principal | undefined, scope: string): Promise<ScopeInfo>
  setMember(
    principal: Principal | undefined,
    scope: string,
    user: string,
    role: ScopeRole,
  ): Promise<ScopeInfo>
  /** Remove a member; a scope always keeps at least one owner. */
  removeMember(principal: Principal | undefined, scope: string, user: string): Promise<ScopeInfo>
}

function checkTrustedKeys(keys: ScopeSettings['trustedKeys']) {
  if (keys === undefined) return undefined
  if (!Array.isArray(keys)) throw invalid('trustedKeys', 'must be an array')
  return keys.map((key, index) => {
    let actual: string
    try {
      actual = keyIdOf(key.publicKey)
    } catch {
      throw invalid(`trustedKeys.${index}.publicKey`, 'is not an Ed25519 public key (SPKI PEM)')
    }
    if (key.keyId !== actual)
      throw invalid(
        `trustedKeys.${index}.keyId`,
        `"${key.keyId}" does not match the public key (its id is ${actual})`,
      )
    return { keyId: key.keyId, publicKey: key.publicKey }
  })
}

/** The scope operations over `ctx`; every change records an event and drops the cached scope. */
export function createScopeService(
  ctx: ServiceContext,
  access: Access,
  catalog: Catalog,
): ScopeService {
  const { tenant, database, db, where, queries, events } = ctx

  async function scopeInfo(row: ScopeRow): Promise<ScopeInfo> {
    const members = await db
      .select({ user: registryScopeMembers.user, role: registryScopeMembers.role })
      .from(registryScopeMembers)
      .where(where.membersOf(row.scope))
      .orderBy(registryScopeMembers.user)
    return {
      scope: row.scope,
      visibility: row.visibility as 'public' | 'private',
      requireSignatures: row.requireSignatures,
      trustedKeys: row.trustedKeys.map((key) => key.keyId),
      mirrored: row.mirrored,
      members: members.map((member) => ({ user: member.user, role: member.role as ScopeRole })),
    }
  }

  async function putScope(
    principal: Principal | undefined,
    scope: string,
    settings: ScopeSettings,
  ): Promise<ScopeInfo> {
    checkScope(scope)
    const caller = access.requireWriteRole(principal)
    const trustedKeys = checkTrustedKeys(settings.trustedKeys)
    if (settings.visibility !== undefined && !['public', 'private'].includes(settings.visibility))
      throw invalid('visibility', 'must be public or private')
    const existing = await access.scopeRow(scope)
    if (existing && !(await access.canRead(caller, existing))) throw notFound(`Scope ${scope}`)
    if (existing && caller.role !== 'admin')
      await access.requireScopeRole(db, scope, caller.user, 'owner')
    if (existing?.mirrored) throw denied(`Scope ${scope} is mirrored and read-only here`)
    await access.rateLimitWrite(caller)
    const row = await database.transaction(async (tx) => {
      const values = {
        ...(settings.visibility ? { visibility: settings.visibility } : {}),
        ...(settings.requireSignatures === undefined
          ? {}
          : { requireSignatures: settings.requireSignatures }),
        ...(trustedKeys ? { trustedKeys } : {}),
      }
      const [created] = await tx
        .insert(registryScopes)
        .values({ tenantId: tenant, scope, ...values })
        .onConflictDoNothing()
        .returning()
      if (created) {
        await tx
          .insert(registryScopeMembers)
          .values({ tenantId: tenant, scope, user: caller.user, role: 'owner' })
        await events.record(tx, 'scope.created', caller.user, scope, values)
        return created
      }
      if (!existing) throw conflict(`Scope ${scope} was created concurrently; retry`)
      if (Object.keys(values).length === 0) {
        // Nothing to change (SQL has no empty UPDATE): answer with the scope as it stands.
        const [current] = await tx.select().from(registryScopes).where(where.scopeNamed(scope))
        return current ?? existing
      }
      const [updated] = await tx
        .update(registryScopes)
        .set(values)
        .where(where.scopeNamed(scope))
        .returning()
      await events.record(tx, 'scope.updated', caller.user, scope, values)
      return updated!
    })
    await catalog.invalidate(await queries.packageIdsOfScope(scope), [scope])
    return scopeInfo(row)
  }

  async function getScope(principal: Principal | undefined, scope: string): Promise<ScopeInfo> {
    checkScope(scope)
    const row = await access.scopeRow(scope)
    if (!row || !(await access.canRead(principal, row))) throw notFound(`Scope ${scope}`)
    return scopeInfo(row)
  }

  /** Throws unless someone other than `leaving` stays an owner; locks the owner rows. */
  async function keepAnOwner(tx: Transaction, scope: string, leaving: string) {
    const owners = await tx
      .select({ user: registryScopeMembers.user })
      .from(registryScopeMembers)
      .where(where.ownersOf(scope))
      .for('update')
    if (owners.every((owner) => owner.user === leaving))
      throw conflict(`${leaving} is the last owner of scope ${scope}; add another owner first`)
  }

  async function setMember(
    principal: Principal | undefined,
    scope: string,
    user: string,
    role: ScopeRole,
  ): Promise<ScopeInfo> {
    checkScope(scope)
    checkUser(user)
    if (!scopeRoles.includes(role))
      throw invalid('role', `"${String(role)}" is not one of ${scopeRoles.join(', ')}`)
    const { caller, row } = await access.requireScopeOwner(principal, scope)
    await database.transaction(async (tx) => {
      const current = await queries.memberRole(tx, scope, user)
      if (current === 'owner' && role !== 'owner') await keepAnOwner(tx, scope, user)
      await tx
        .insert(registryScopeMembers)
        .values({ tenantId: tenant, scope, user, role })
        .onConflictDoUpdate({
          target: [
            registryScopeMembers.tenantId,
            registryScopeMembers.scope,
            registryScopeMembers.user,
          ],
          set: { role },
        })
      await events.record(tx, 'member.set', caller.user, scope, { user, role })
    })
    await catalog.invalidate([], [scope])
    return scopeInfo(row)
  }

  async function removeMember(
    principal: Principal | undefined,
    scope: string,
    user: string,
  ): Promise<ScopeInfo> {
    checkScope(scope)
    const { caller, row } = await access.requireScopeOwner(principal, scope)
    await database.transaction(async (tx) => {
      const current = await queries.memberRole(tx, scope, user)
      if (current === undefined) throw notFound(`Member ${user} of scope ${scope}`)
      if (current === 'owner') await keepAnOwner(tx, scope, user)
      await tx.delete(registryScopeMembers).where(where.membership(scope, user))
      await events.record(tx, 'member.removed', caller.user, scope, { user })
    })
    await catalog.invalidate([], [scope])
    return scopeInfo(row)
  }

  return { putScope, getScope, setMember, removeMember }
}

import { createHash, randomUUID } from 'node:crypto'
import {
  SkillOSError,
  ValidationError,
  semverSchema,
  skillIdSchema,
  type SkillManifest,
} from '@skillos/contracts'
import {
  registryDistTags,
  registryEvents,
  registryPackages,
  registryScopeMembers,
  registryScopes,
  registryTokens,
  registryVersions,
  type Database,
  type KeyValueStore,
  type Transaction,
} from '@skillos/store'
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import semver from 'semver'
import { inspectTarball } from '../pack/unpack.js'
import { keyIdOf, type SkillSignature } from '../pack/signature.js'
import { blobKeyOf, integrityOfBlobKey, type BlobStore } from './blob-store.js'
import { computeQuality } from './quality.js'
import { createRegistrySearch, type CatalogEntry, type RegistrySearch } from './search.js'
import {
  generateToken,
  hashToken,
  isTokenShaped,
  scopeRoleRank,
  scopeRoles,
  tokenRoleRank,
  tokenRoles,
  type ScopeRole,
  type TokenRole,
} from './tokens.js'
import type {
  CreatedToken,
  Packument,
  Principal,
  PublishInput,
  PublishResult,
  ScopeInfo,
  ScopeSettings,
  SearchQuery,
  SearchResult,
  TokenInfo,
  VersionInfo,
} from './types.js'
import { createUpstream, type Upstream, type UpstreamOptions } from './upstream.js'

type Executor = Database['db'] | Transaction
type ScopeRow = typeof registryScopes.$inferSelect
type VersionRow = typeof registryVersions.$inferSelect

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
   * Called inside the publish transaction after every row is written and before commit. Tests use
   * it to kill the process mid-publish; nothing else should.
   */
  beforePublishCommit?: (info: { id: string; version: string }) => Promise<void>
}

/** A packument ready to send: the JSON text and its strong ETag. */
export interface PackumentResponse {
  body: string
  etag: string
  private: boolean
}

export interface TarballResponse {
  bytes: Uint8Array
  integrity: string
  private: boolean
}

/** The registry's domain logic; the HTTP app maps requests onto these methods. */
export interface RegistryService {
  readonly tenant: string
  /** Resolve a bearer token. No token → undefined (anonymous); a bad or revoked one → `UNAUTHENTICATED`. */
  authenticate(token: string | undefined): Promise<Principal | undefined>
  whoami(principal: Principal | undefined): { user: string; role: TokenRole }
  /** Create a token. `principal: 'system'` is the operator's bootstrap (the CLI, tests). */
  createToken(
    principal: Principal | 'system' | undefined,
    input: { user?: string; role: TokenRole; name?: string },
  ): Promise<CreatedToken>
  listTokens(principal: Principal | undefined, filter?: { user?: string }): Promise<TokenInfo[]>
  revokeToken(principal: Principal | undefined, id: string): Promise<void>
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
  removeMember(principal: Principal | undefined, scope: string, user: string): Promise<ScopeInfo>
  publish(principal: Principal | undefined, input: PublishInput): Promise<PublishResult>
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
  setDistTag(
    principal: Principal | undefined,
    id: string,
    tag: string,
    version: string,
  ): Promise<Record<string, string>>
  removeDistTag(
    principal: Principal | undefined,
    id: string,
    tag: string,
  ): Promise<Record<string, string>>
  deprecate(
    principal: Principal | undefined,
    id: string,
    input: { range?: string; message: string },
  ): Promise<{ versions: string[] }>
  unpublish(principal: Principal | undefined, id: string, version: string): Promise<void>
  search(
    principal: Principal | undefined,
    query: SearchQuery,
  ): Promise<{ total: number; results: SearchResult[] }>
  /** Mirror these upstream scopes now: every skill and version not yet here. */
  sync(scopes: readonly string[]): Promise<{ scope: string; skills: string[] }[]>
  /** Delete blobs no live version references, older than `olderThanMs` (default 1 h). */
  sweepOrphanBlobs(options?: { olderThanMs?: number }): Promise<{ deleted: string[] }>
  /** Throws when the database, key-value store or blob store is not usable. */
  ready(): Promise<void>
  close(): Promise<void>
}

/** A packument as cached in the key-value store: the JSON with a base-URL placeholder, and the live versions' integrity. */
interface CachedPackument {
  template: string
  etag: string
  integrity: Record<string, string>
  private: boolean
}

const DEFAULT_MAX_TARBALL = 10 * 1024 * 1024
/** Tarballs are immutable and content-addressed: small ones are kept in memory up to this total. */
const BLOB_CACHE_BYTES = 64 * 1024 * 1024
const BLOB_CACHE_MAX_ITEM = 1024 * 1024
const HOUR = 60 * 60 * 1000
const SCOPE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const USER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/
const TAG_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/
/** Placeholder for the base URL inside cached packuments: filled per request. */
const BASE = '\u0000base\u0000'

const notFound = (what: string) =>
  new SkillOSError({ code: 'NOT_FOUND', message: `${what} was not found` })
const unauthenticated = (message = 'Authentication required: send Authorization: Bearer <token>') =>
  new SkillOSError({ code: 'UNAUTHENTICATED', message })
const denied = (message: string) => new SkillOSError({ code: 'PERMISSION_DENIED', message })
const conflict = (message: string, details?: Record<string, unknown>) =>
  new SkillOSError({ code: 'CONFLICT', message, ...(details ? { details } : {}) })
const invalid = (path: string, message: string) =>
  new ValidationError(`${path}: ${message}`, [{ path, message }])

function checkId(id: string): { scope: string; name: string } {
  const parsed = skillIdSchema.safeParse(id)
  if (!parsed.success)
    throw invalid('id', `"${id}" is not a skill id such as acme/convert-currency`)
  const [scope, name] = id.split('/') as [string, string]
  return { scope, name }
}

function checkVersion(version: string): string {
  if (!semverSchema.safeParse(version).success)
    throw invalid('version', `"${version}" is not a semantic version such as 1.2.0`)
  return version
}

function checkScope(scope: string): string {
  if (!SCOPE_PATTERN.test(scope)) throw invalid('scope', `"${scope}" is not a scope such as acme`)
  return scope
}

function checkUser(user: string, path = 'user'): string {
  if (!USER_PATTERN.test(user))
    throw invalid(path, `"${user}" is not a user name (letters, digits, . _ @ -; up to 128)`)
  return user
}

function iso(date: Date): string {
  return date.toISOString()
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
  const { database, keyValue, blobs, tenant } = options
  const db = database.db
  const now = options.now ?? (() => new Date())
  const maxTarballBytes = options.maxTarballBytes ?? DEFAULT_MAX_TARBALL
  const unpublishWindowMs = options.unpublishWindowMs ?? 72 * HOUR
  const writeRateLimit = options.writeRateLimit ?? 120
  const packumentTtlMs = options.packumentTtlMs ?? 5 * 60 * 1000
  const mirrorTtlMs = options.mirrorTtlMs ?? 5 * 60 * 1000
  const logger = options.logger
  const upstream: Upstream | undefined = options.upstream
    ? createUpstream(options.upstream)
    : undefined
  const search: RegistrySearch = await createRegistrySearch()
  const mirroredAt = new Map<string, number>()
  const parsedPackuments = new Map<string, { raw: string; value: CachedPackument }>()
  const blobCache = new Map<string, Uint8Array>()
  let blobCacheBytes = 0
  const tokenKey = (hash: string) => `registry:${tenant}:token:${hash}`
  const packumentKey = (id: string) => `registry:${tenant}:packument:${id}`
  const scopeKey = (scope: string) => `registry:${tenant}:scope:${scope}`
  let indexedSeq = 0
  let lastIndexSync = 0

  // ---------- access ----------

  async function scopeRow(scope: string): Promise<ScopeRow | undefined> {
    const cached = await keyValue.get(scopeKey(scope))
    if (cached !== null) {
      if (cached === 'none') return undefined
      const row = JSON.parse(cached) as ScopeRow & { createdAt: string }
      return { ...row, createdAt: new Date(row.createdAt) }
    }
    const [row] = await db
      .select()
      .from(registryScopes)
      .where(and(eq(registryScopes.tenantId, tenant), eq(registryScopes.scope, scope)))
    await keyValue.set(scopeKey(scope), row ? JSON.stringify(row) : 'none', { ttlMs: 60_000 })
    return row
  }

  async function memberRole(
    executor: Executor,
    scope: string,
    user: string,
  ): Promise<ScopeRole | undefined> {
    const [row] = await executor
      .select({ role: registryScopeMembers.role })
      .from(registryScopeMembers)
      .where(
        and(
          eq(registryScopeMembers.tenantId, tenant),
          eq(registryScopeMembers.scope, scope),
          eq(registryScopeMembers.user, user),
        ),
      )
    return row?.role as ScopeRole | undefined
  }

  /** Private scopes answer 404 to outsiders, exactly as if they did not exist. */
  async function canRead(principal: Principal | undefined, scope: ScopeRow | undefined) {
    if (!scope || scope.visibility === 'public') return true
    if (!principal) return false
    if (principal.role === 'admin') return true
    return (await memberRole(db, scope.scope, principal.user)) !== undefined
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
    const result = await keyValue.hit(`registry:${tenant}:writes:${caller.user}`, {
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

  /** Owner/publisher (or instance admin) of an existing scope; outsiders of a private scope get 404. */
  async function requirePublisherOf(
    principal: Principal | undefined,
    id: string,
  ): Promise<{ caller: Principal; scope: ScopeRow }> {
    const caller = requireWriteRole(principal)
    const { scope: scopeName } = checkId(id)
    const scope = await scopeRow(scopeName)
    if (!scope || !(await canRead(caller, scope))) throw notFound(`Skill ${id}`)
    if (caller.role !== 'admin') {
      const role = await memberRole(db, scopeName, caller.user)
      if (role === undefined || scopeRoleRank(role) < scopeRoleRank('publisher'))
        throw denied(`${caller.user} is not a publisher of scope ${scopeName}`)
    }
    if (scope.mirrored)
      throw denied(`Scope ${scopeName} is mirrored from the upstream registry and read-only here`)
    await rateLimitWrite(caller)
    return { caller, scope }
  }

  async function requireScopeOwner(principal: Principal | undefined, scope: string) {
    const caller = requireWriteRole(principal)
    const row = await scopeRow(scope)
    if (!row || !(await canRead(caller, row))) throw notFound(`Scope ${scope}`)
    if (caller.role !== 'admin' && (await memberRole(db, scope, caller.user)) !== 'owner')
      throw denied(`${caller.user} is not an owner of scope ${scope}`)
    await rateLimitWrite(caller)
    return { caller, row }
  }

  async function recordEvent(
    executor: Executor,
    type: string,
    actor: string,
    subject: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await executor.insert(registryEvents).values({ tenantId: tenant, type, actor, subject, data })
  }

  async function invalidate(ids: readonly string[], scopes: readonly string[] = []) {
    await Promise.all([
      ...ids.map((id) => keyValue.delete(packumentKey(id))),
      ...scopes.map((scope) => keyValue.delete(scopeKey(scope))),
    ])
    await syncIndex(true)
  }

  // ---------- tokens ----------

  function tokenInfo(row: typeof registryTokens.$inferSelect): TokenInfo {
    return {
      id: row.id,
      name: row.name,
      role: row.role as TokenRole,
      user: row.user,
      createdAt: iso(row.createdAt),
      ...(row.revokedAt ? { revokedAt: iso(row.revokedAt) } : {}),
    }
  }

  async function authenticate(token: string | undefined): Promise<Principal | undefined> {
    if (token === undefined) return undefined
    if (!isTokenShaped(token)) throw unauthenticated('The token is not a registry token')
    const hash = hashToken(token)
    const cached = await keyValue.get(tokenKey(hash))
    if (cached !== null) return JSON.parse(cached) as Principal
    const [row] = await db
      .select()
      .from(registryTokens)
      .where(and(eq(registryTokens.tenantId, tenant), eq(registryTokens.hash, hash)))
    if (!row) throw unauthenticated('The token is not valid')
    if (row.revokedAt) throw unauthenticated('The token has been revoked')
    const principal: Principal = { user: row.user, role: row.role as TokenRole, tokenId: row.id }
    // Cached briefly by hash (never the secret); revoking deletes the entry at once.
    await keyValue.set(tokenKey(hash), JSON.stringify(principal), { ttlMs: 30_000 })
    return principal
  }

  async function createToken(
    principal: Principal | 'system' | undefined,
    input: { user?: string; role: TokenRole; name?: string },
  ): Promise<CreatedToken> {
    if (!tokenRoles.includes(input.role))
      throw invalid('role', `"${String(input.role)}" is not one of ${tokenRoles.join(', ')}`)
    const name = input.name ?? 'token'
    if (typeof name !== 'string' || name.length < 1 || name.length > 100)
      throw invalid('name', 'must be 1–100 characters')
    let actor = 'system'
    let user: string
    if (principal === 'system') {
      if (input.user === undefined) throw invalid('user', 'is required')
      user = checkUser(input.user)
    } else {
      const caller = requirePrincipal(principal)
      actor = caller.user
      user = checkUser(input.user ?? caller.user)
      if (caller.role !== 'admin') {
        if (user !== caller.user) throw denied('Only an admin may create tokens for other users')
        if (tokenRoleRank(input.role) > tokenRoleRank(caller.role))
          throw denied(`A ${caller.role} token cannot create a ${input.role} token`)
      }
      await rateLimitWrite(caller)
    }
    const token = generateToken()
    const id = randomUUID()
    const row = await database.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(registryTokens)
        .values({ tenantId: tenant, id, user, name, role: input.role, hash: hashToken(token) })
        .returning()
      await recordEvent(tx, 'token.created', actor, id, { user, role: input.role, name })
      return inserted!
    })
    return { ...tokenInfo(row), token }
  }

  async function listTokens(principal: Principal | undefined, filter: { user?: string } = {}) {
    const caller = requirePrincipal(principal)
    const user = caller.role === 'admin' ? filter.user : caller.user
    if (caller.role !== 'admin' && filter.user !== undefined && filter.user !== caller.user)
      throw denied('Only an admin may list the tokens of other users')
    const rows = await db
      .select()
      .from(registryTokens)
      .where(
        and(
          eq(registryTokens.tenantId, tenant),
          user === undefined ? undefined : eq(registryTokens.user, user),
        ),
      )
      .orderBy(registryTokens.createdAt)
    return rows.map(tokenInfo)
  }

  async function revokeToken(principal: Principal | undefined, id: string) {
    const caller = requirePrincipal(principal)
    const [row] = await db
      .select()
      .from(registryTokens)
      .where(and(eq(registryTokens.tenantId, tenant), eq(registryTokens.id, id)))
    if (!row || (caller.role !== 'admin' && row.user !== caller.user)) throw notFound(`Token ${id}`)
    if (row.revokedAt) return
    await database.transaction(async (tx) => {
      await tx
        .update(registryTokens)
        .set({ revokedAt: now() })
        .where(and(eq(registryTokens.tenantId, tenant), eq(registryTokens.id, id)))
      await recordEvent(tx, 'token.revoked', caller.user, id, { user: row.user })
    })
    await keyValue.delete(tokenKey(row.hash))
  }

  // ---------- scopes ----------

  async function scopeInfo(row: ScopeRow): Promise<ScopeInfo> {
    const members = await db
      .select({ user: registryScopeMembers.user, role: registryScopeMembers.role })
      .from(registryScopeMembers)
      .where(
        and(eq(registryScopeMembers.tenantId, tenant), eq(registryScopeMembers.scope, row.scope)),
      )
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

  async function putScope(
    principal: Principal | undefined,
    scope: string,
    settings: ScopeSettings,
  ): Promise<ScopeInfo> {
    checkScope(scope)
    const caller = requireWriteRole(principal)
    const trustedKeys = checkTrustedKeys(settings.trustedKeys)
    if (settings.visibility !== undefined && !['public', 'private'].includes(settings.visibility))
      throw invalid('visibility', 'must be public or private')
    const existing = await scopeRow(scope)
    if (existing && !(await canRead(caller, existing))) throw notFound(`Scope ${scope}`)
    if (
      existing &&
      caller.role !== 'admin' &&
      (await memberRole(db, scope, caller.user)) !== 'owner'
    )
      throw denied(`${caller.user} is not an owner of scope ${scope}`)
    if (existing?.mirrored) throw denied(`Scope ${scope} is mirrored and read-only here`)
    await rateLimitWrite(caller)
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
        await recordEvent(tx, 'scope.created', caller.user, scope, values)
        return created
      }
      if (!existing) throw conflict(`Scope ${scope} was created concurrently; retry`)
      const [updated] = await tx
        .update(registryScopes)
        .set(values)
        .where(and(eq(registryScopes.tenantId, tenant), eq(registryScopes.scope, scope)))
        .returning()
      await recordEvent(tx, 'scope.updated', caller.user, scope, values)
      return updated!
    })
    await invalidate(await packageIdsOfScope(scope), [scope])
    return scopeInfo(row)
  }

  async function packageIdsOfScope(scope: string): Promise<string[]> {
    const rows = await db
      .select({ id: registryPackages.id })
      .from(registryPackages)
      .where(and(eq(registryPackages.tenantId, tenant), eq(registryPackages.scope, scope)))
    return rows.map((row) => row.id)
  }

  async function getScope(principal: Principal | undefined, scope: string): Promise<ScopeInfo> {
    checkScope(scope)
    const row = await scopeRow(scope)
    if (!row || !(await canRead(principal, row))) throw notFound(`Scope ${scope}`)
    return scopeInfo(row)
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
    const { caller, row } = await requireScopeOwner(principal, scope)
    await database.transaction(async (tx) => {
      const current = await memberRole(tx, scope, user)
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
      await recordEvent(tx, 'member.set', caller.user, scope, { user, role })
    })
    await invalidate([], [scope])
    return scopeInfo(row)
  }

  async function keepAnOwner(tx: Transaction, scope: string, leaving: string) {
    const owners = await tx
      .select({ user: registryScopeMembers.user })
      .from(registryScopeMembers)
      .where(
        and(
          eq(registryScopeMembers.tenantId, tenant),
          eq(registryScopeMembers.scope, scope),
          eq(registryScopeMembers.role, 'owner'),
        ),
      )
      .for('update')
    if (owners.every((owner) => owner.user === leaving))
      throw conflict(`${leaving} is the last owner of scope ${scope}; add another owner first`)
  }

  async function removeMember(
    principal: Principal | undefined,
    scope: string,
    user: string,
  ): Promise<ScopeInfo> {
    checkScope(scope)
    const { caller, row } = await requireScopeOwner(principal, scope)
    await database.transaction(async (tx) => {
      const current = await memberRole(tx, scope, user)
      if (current === undefined) throw notFound(`Member ${user} of scope ${scope}`)
      if (current === 'owner') await keepAnOwner(tx, scope, user)
      await tx
        .delete(registryScopeMembers)
        .where(
          and(
            eq(registryScopeMembers.tenantId, tenant),
            eq(registryScopeMembers.scope, scope),
            eq(registryScopeMembers.user, user),
          ),
        )
      await recordEvent(tx, 'member.removed', caller.user, scope, { user })
    })
    await invalidate([], [scope])
    return scopeInfo(row)
  }

  // ---------- publish ----------

  async function versionRow(
    executor: Executor,
    id: string,
    version: string,
  ): Promise<VersionRow | undefined> {
    const [row] = await executor
      .select()
      .from(registryVersions)
      .where(
        and(
          eq(registryVersions.tenantId, tenant),
          eq(registryVersions.packageId, id),
          eq(registryVersions.version, version),
        ),
      )
    return row
  }

  function taken(id: string, version: string, row: VersionRow): SkillOSError {
    return conflict(
      row.unpublishedAt
        ? `${id}@${version} was published and unpublished; a version number is never reused — publish a new version`
        : `${id}@${version} is already published; published versions are immutable — publish a new version`,
      { id, version },
    )
  }

  async function publish(
    principal: Principal | undefined,
    input: PublishInput,
  ): Promise<PublishResult> {
    const caller = requireWriteRole(principal)
    const { scope: scopeName } = checkId(input.id)
    checkVersion(input.version)
    const tag = input.tag ?? 'latest'
    checkTag(tag)
    if (input.tarball.length > maxTarballBytes) {
      throw new SkillOSError({
        code: 'PAYLOAD_TOO_LARGE',
        message: `The tarball is ${input.tarball.length} bytes, over the limit of ${maxTarballBytes}`,
        details: { limit: maxTarballBytes },
      })
    }
    if (typeof input.integrity !== 'string' || !input.integrity.startsWith('sha512-'))
      throw invalid('integrity', 'a sha512 integrity (Skillos-Integrity header) is required')

    const scope = await scopeRow(scopeName)
    if (scope) {
      if (!(await canRead(caller, scope))) throw notFound(`Scope ${scopeName}`)
      if (scope.mirrored) throw denied(`Scope ${scopeName} is mirrored and read-only here`)
      if (caller.role !== 'admin') {
        const role = await memberRole(db, scopeName, caller.user)
        if (role === undefined || scopeRoleRank(role) < scopeRoleRank('publisher'))
          throw denied(`${caller.user} is not a publisher of scope ${scopeName}`)
      }
    }
    await rateLimitWrite(caller)
    const existing = await versionRow(db, input.id, input.version)
    if (existing) throw taken(input.id, input.version, existing)

    const trusted = scope?.trustedKeys ?? []
    if (scope?.requireSignatures && input.signature === undefined) {
      throw new SkillOSError({
        code: 'INTEGRITY_FAILED',
        message: `Scope ${scopeName} requires signed skills: send Skillos-Signature: <keyId> <base64>`,
      })
    }
    const verify = input.signature !== undefined && (scope?.requireSignatures || trusted.length > 0)
    if (scope?.requireSignatures && trusted.length === 0)
      throw denied(`Scope ${scopeName} requires signatures but trusts no key; add trustedKeys`)
    const inspected = await inspectTarball(input.tarball, {
      integrity: input.integrity,
      maxCompressedBytes: maxTarballBytes,
      ...(verify
        ? {
            signature: input.signature,
            trustedKeys: Object.fromEntries(trusted.map((key) => [key.keyId, key.publicKey])),
          }
        : {}),
    })
    const manifest = inspected.manifest
    if (!manifest)
      throw invalid('tarball', 'has no skill/skill.yaml (a registry skill needs a manifest)')
    if (manifest.id !== input.id)
      throw invalid('manifest.id', `the tarball says ${manifest.id}, the URL says ${input.id}`)
    if (manifest.version !== input.version)
      throw invalid(
        'manifest.version',
        `the tarball says ${manifest.version}, the URL says ${input.version}`,
      )

    // 1. The blob, content-addressed: a retry or a crash after this point is harmless.
    await blobs.put(blobKeyOf(inspected.integrity), input.tarball)
    // 2. Everything else in one transaction.
    const distTags = await database.transaction(async (tx) =>
      writeVersion(tx, {
        caller: caller.user,
        id: input.id,
        scope: scopeName,
        manifest,
        integrity: inspected.integrity,
        signature: input.signature,
        size: input.tarball.length,
        files: inspected.files.map((file) => file.path),
        tag,
        createScope: scope === undefined,
      }),
    )
    await invalidate([input.id], scope === undefined ? [scopeName] : [])
    logger?.info({ id: input.id, version: input.version, user: caller.user }, 'skill published')
    return { id: input.id, version: input.version, integrity: inspected.integrity, distTags }
  }

  async function writeVersion(
    tx: Transaction,
    input: {
      caller: string
      id: string
      scope: string
      manifest: SkillManifest
      integrity: string
      signature: SkillSignature | undefined
      size: number
      files: string[]
      tag: string
      createScope: boolean
      mirrored?: boolean
      publishedAt?: Date
      publishedBy?: string
    },
  ): Promise<Record<string, string>> {
    const { id, manifest } = input
    if (input.createScope) {
      const [created] = await tx
        .insert(registryScopes)
        .values({ tenantId: tenant, scope: input.scope, mirrored: input.mirrored ?? false })
        .onConflictDoNothing()
        .returning()
      if (created) {
        if (!input.mirrored)
          await tx
            .insert(registryScopeMembers)
            .values({ tenantId: tenant, scope: input.scope, user: input.caller, role: 'owner' })
        await recordEvent(tx, 'scope.created', input.caller, input.scope, {
          visibility: 'public',
          ...(input.mirrored ? { mirrored: true } : {}),
        })
      } else if (!input.mirrored) {
        // Someone created the scope between our check and this transaction: check again.
        const role = await memberRole(tx, input.scope, input.caller)
        if (role === undefined || scopeRoleRank(role) < scopeRoleRank('publisher'))
          throw denied(`${input.caller} is not a publisher of scope ${input.scope}`)
      }
    }
    const at = now()
    await tx
      .insert(registryPackages)
      .values({ tenantId: tenant, id, scope: input.scope, createdAt: at, modifiedAt: at })
      .onConflictDoUpdate({
        target: [registryPackages.tenantId, registryPackages.id],
        set: { modifiedAt: at },
      })
    const [inserted] = await tx
      .insert(registryVersions)
      .values({
        tenantId: tenant,
        packageId: id,
        version: manifest.version,
        manifest: manifest as unknown as Record<string, unknown>,
        integrity: input.integrity,
        signature: input.signature ?? null,
        sizeBytes: input.size,
        files: input.files,
        publishedAt: input.publishedAt ?? at,
        publishedBy: input.publishedBy ?? input.caller,
      })
      .onConflictDoNothing()
      .returning({ version: registryVersions.version })
    if (!inserted) {
      const row = await versionRow(tx, id, manifest.version)
      throw taken(id, manifest.version, row!)
    }
    await tx
      .insert(registryDistTags)
      .values({ tenantId: tenant, packageId: id, tag: input.tag, version: manifest.version })
      .onConflictDoUpdate({
        target: [registryDistTags.tenantId, registryDistTags.packageId, registryDistTags.tag],
        set: { version: manifest.version },
      })
    await recordEvent(tx, input.mirrored ? 'skill.mirrored' : 'skill.published', input.caller, id, {
      version: manifest.version,
      integrity: input.integrity,
      tag: input.tag,
      size: input.size,
    })
    await options.beforePublishCommit?.({ id, version: manifest.version })
    return distTagsOf(tx, id)
  }

  async function distTagsOf(executor: Executor, id: string): Promise<Record<string, string>> {
    const rows = await executor
      .select({ tag: registryDistTags.tag, version: registryDistTags.version })
      .from(registryDistTags)
      .where(and(eq(registryDistTags.tenantId, tenant), eq(registryDistTags.packageId, id)))
    return Object.fromEntries(rows.map((row) => [row.tag, row.version]))
  }

  function checkTag(tag: string): void {
    if (!TAG_PATTERN.test(tag) || semver.validRange(tag) !== null)
      throw invalid(
        'tag',
        `"${tag}" is not a dist-tag (lowercase letters, digits, . _ -; not a version or range)`,
      )
  }

  // ---------- reads ----------

  async function readableScope(principal: Principal | undefined, id: string) {
    const { scope: scopeName } = checkId(id)
    const scope = await scopeRow(scopeName)
    if (scope && !(await canRead(principal, scope))) throw notFound(`Skill ${id}`)
    return { scopeName, scope }
  }

  async function loadPackument(id: string): Promise<CachedPackument | undefined> {
    const cached = await keyValue.get(packumentKey(id))
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
    const [pkg] = await db
      .select()
      .from(registryPackages)
      .where(and(eq(registryPackages.tenantId, tenant), eq(registryPackages.id, id)))
    if (!pkg) return undefined
    const versions = await db
      .select()
      .from(registryVersions)
      .where(
        and(
          eq(registryVersions.tenantId, tenant),
          eq(registryVersions.packageId, id),
          isNull(registryVersions.unpublishedAt),
        ),
      )
    if (versions.length === 0) return undefined
    versions.sort((a, b) => semver.compare(a.version, b.version))
    const distTags = await distTagsOf(db, id)
    const latest = versions.find((row) => row.version === distTags.latest) ?? versions.at(-1)!
    const packument: Packument = {
      id,
      description: String(latest.manifest.description ?? ''),
      distTags,
      versions: Object.fromEntries(versions.map((row) => [row.version, versionInfo(row, BASE)])),
      time: {
        created: iso(pkg.createdAt),
        modified: iso(pkg.modifiedAt),
        ...Object.fromEntries(versions.map((row) => [row.version, iso(row.publishedAt)])),
      },
    }
    const template = JSON.stringify(packument)
    const etag = createHash('sha256').update(template).digest('base64url').slice(0, 32)
    const integrity = Object.fromEntries(versions.map((row) => [row.version, row.integrity]))
    const isPrivate = (await scopeRow(pkg.scope))?.visibility === 'private'
    const value: CachedPackument = { template, etag, integrity, private: isPrivate }
    await keyValue.set(packumentKey(id), JSON.stringify(value), { ttlMs: packumentTtlMs })
    return value
  }

  function versionInfo(row: VersionRow, baseUrl: string): VersionInfo {
    const [scope, name] = row.packageId.split('/') as [string, string]
    return {
      version: row.version,
      manifest: row.manifest,
      integrity: row.integrity,
      ...(row.signature ? { signature: row.signature as SkillSignature } : {}),
      size: row.sizeBytes,
      publishedAt: iso(row.publishedAt),
      publishedBy: row.publishedBy,
      ...(row.deprecated ? { deprecated: row.deprecated } : {}),
      tarball: `${baseUrl}/${scope}/${name}/-/${name}-${row.version}.tgz`,
    }
  }

  /** Mirror on demand: the skill is not here (or a mirrored one is stale / lacks a version). */
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
      logger?.warn({ id, error: String(error) }, 'mirror refresh failed; serving the cached copy')
      return false
    }
  }

  async function packument(
    principal: Principal | undefined,
    id: string,
    baseUrl: string,
  ): Promise<PackumentResponse> {
    const { scopeName, scope } = await readableScope(principal, id)
    let loaded = await loadPackument(id)
    if (!loaded ? await maybeMirror(scopeName, scope, id, 'missing') : false)
      loaded = await loadPackument(id)
    else if (loaded && scope?.mirrored && (await maybeMirror(scopeName, scope, id, 'stale')))
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

  async function liveVersion(
    principal: Principal | undefined,
    id: string,
    version: string,
  ): Promise<{ row: VersionRow; scope: ScopeRow | undefined }> {
    const { scopeName, scope } = await readableScope(principal, id)
    checkVersion(version)
    let row = await versionRow(db, id, version)
    if (!row && (await maybeMirror(scopeName, scope, id, scope ? 'stale' : 'missing')))
      row = await versionRow(db, id, version)
    if (!row || row.unpublishedAt) throw notFound(`${id}@${version}`)
    return { row, scope: scope ?? (await scopeRow(scopeName)) }
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
    const { scope: known } = await readableScope(principal, id)
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

  // ---------- dist-tags, deprecate, unpublish ----------

  async function setDistTag(
    principal: Principal | undefined,
    id: string,
    tag: string,
    versionText: string,
  ) {
    checkTag(tag)
    checkVersion(versionText)
    const { caller } = await requirePublisherOf(principal, id)
    const tags = await database.transaction(async (tx) => {
      const row = await versionRow(tx, id, versionText)
      if (!row || row.unpublishedAt) throw notFound(`${id}@${versionText}`)
      await tx
        .insert(registryDistTags)
        .values({ tenantId: tenant, packageId: id, tag, version: versionText })
        .onConflictDoUpdate({
          target: [registryDistTags.tenantId, registryDistTags.packageId, registryDistTags.tag],
          set: { version: versionText },
        })
      await touch(tx, id)
      await recordEvent(tx, 'dist-tag.set', caller.user, id, { tag, version: versionText })
      return distTagsOf(tx, id)
    })
    await invalidate([id])
    return tags
  }

  async function removeDistTag(principal: Principal | undefined, id: string, tag: string) {
    checkTag(tag)
    if (tag === 'latest') throw invalid('tag', 'latest cannot be removed; point it elsewhere')
    const { caller } = await requirePublisherOf(principal, id)
    const tags = await database.transaction(async (tx) => {
      const removed = await tx
        .delete(registryDistTags)
        .where(
          and(
            eq(registryDistTags.tenantId, tenant),
            eq(registryDistTags.packageId, id),
            eq(registryDistTags.tag, tag),
          ),
        )
        .returning()
      if (removed.length === 0) throw notFound(`Dist-tag ${tag} of ${id}`)
      await touch(tx, id)
      await recordEvent(tx, 'dist-tag.removed', caller.user, id, { tag })
      return distTagsOf(tx, id)
    })
    await invalidate([id])
    return tags
  }

  async function touch(tx: Transaction, id: string) {
    await tx
      .update(registryPackages)
      .set({ modifiedAt: now() })
      .where(and(eq(registryPackages.tenantId, tenant), eq(registryPackages.id, id)))
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
    const { caller } = await requirePublisherOf(principal, id)
    const versions = await database.transaction(async (tx) => {
      const rows = await tx
        .select({ version: registryVersions.version })
        .from(registryVersions)
        .where(
          and(
            eq(registryVersions.tenantId, tenant),
            eq(registryVersions.packageId, id),
            isNull(registryVersions.unpublishedAt),
          ),
        )
      const matched = rows
        .map((row) => row.version)
        .filter((v) => semver.satisfies(v, range, { includePrerelease: true }))
      if (matched.length === 0) throw notFound(`Versions of ${id} in range ${range}`)
      await tx
        .update(registryVersions)
        .set({ deprecated: input.message === '' ? null : input.message })
        .where(
          and(
            eq(registryVersions.tenantId, tenant),
            eq(registryVersions.packageId, id),
            inArray(registryVersions.version, matched),
          ),
        )
      await touch(tx, id)
      await recordEvent(
        tx,
        input.message === '' ? 'skill.undeprecated' : 'skill.deprecated',
        caller.user,
        id,
        { range, versions: matched, ...(input.message ? { message: input.message } : {}) },
      )
      return matched.sort(semver.compare)
    })
    await invalidate([id])
    return { versions }
  }

  async function unpublish(principal: Principal | undefined, id: string, versionText: string) {
    checkVersion(versionText)
    const { caller } = await requirePublisherOf(principal, id)
    await database.transaction(async (tx) => {
      const row = await versionRow(tx, id, versionText)
      if (!row || row.unpublishedAt) throw notFound(`${id}@${versionText}`)
      const age = now().getTime() - row.publishedAt.getTime()
      if (age > unpublishWindowMs) {
        const dependents = await dependentsOf(tx, id, versionText)
        if (dependents.length > 0) {
          throw conflict(
            `${id}@${versionText} was published more than ${Math.round(unpublishWindowMs / HOUR)} h ago and ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on it; deprecate it instead`,
            { dependents },
          )
        }
      }
      await tx
        .update(registryVersions)
        .set({ unpublishedAt: now() })
        .where(
          and(
            eq(registryVersions.tenantId, tenant),
            eq(registryVersions.packageId, id),
            eq(registryVersions.version, versionText),
          ),
        )
      await tx
        .delete(registryDistTags)
        .where(
          and(
            eq(registryDistTags.tenantId, tenant),
            eq(registryDistTags.packageId, id),
            eq(registryDistTags.version, versionText),
          ),
        )
      // `latest` moves to the highest remaining stable version (or any remaining one).
      const remaining = (
        await tx
          .select({ version: registryVersions.version })
          .from(registryVersions)
          .where(
            and(
              eq(registryVersions.tenantId, tenant),
              eq(registryVersions.packageId, id),
              isNull(registryVersions.unpublishedAt),
            ),
          )
      ).map((r) => r.version)
      const tags = await distTagsOf(tx, id)
      if (remaining.length > 0 && tags.latest === undefined) {
        const stable = remaining.filter((v) => semver.prerelease(v) === null)
        const next = semver.rsort(stable.length > 0 ? stable : remaining)[0]!
        await tx
          .insert(registryDistTags)
          .values({ tenantId: tenant, packageId: id, tag: 'latest', version: next })
      }
      await touch(tx, id)
      await recordEvent(tx, 'skill.unpublished', caller.user, id, {
        version: versionText,
        integrity: row.integrity,
      })
    })
    await invalidate([id])
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
      .where(
        and(
          eq(registryVersions.tenantId, tenant),
          isNull(registryVersions.unpublishedAt),
          sql`jsonb_exists(${registryVersions.manifest} -> 'dependencies', ${id})`,
        ),
      )
    return rows
      .filter((row) => {
        const range = (row.manifest.dependencies as Record<string, string> | undefined)?.[id]
        return (
          range !== undefined && semver.satisfies(versionText, range, { includePrerelease: true })
        )
      })
      .map((row) => `${row.packageId}@${row.version}`)
  }

  // ---------- search ----------

  async function catalogEntries(ids?: readonly string[]): Promise<CatalogEntry[]> {
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
      .innerJoin(
        registryDistTags,
        and(
          eq(registryDistTags.tenantId, registryPackages.tenantId),
          eq(registryDistTags.packageId, registryPackages.id),
          eq(registryDistTags.tag, 'latest'),
        ),
      )
      .innerJoin(
        registryVersions,
        and(
          eq(registryVersions.tenantId, registryPackages.tenantId),
          eq(registryVersions.packageId, registryPackages.id),
          eq(registryVersions.version, registryDistTags.version),
        ),
      )
      .leftJoin(
        registryScopes,
        and(
          eq(registryScopes.tenantId, registryPackages.tenantId),
          eq(registryScopes.scope, registryPackages.scope),
        ),
      )
      .where(
        and(
          eq(registryPackages.tenantId, tenant),
          ids === undefined ? undefined : inArray(registryPackages.id, [...ids]),
        ),
      )
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

  /** Bring the in-process index up to date with the events written since the last sync (by any instance). */
  async function syncIndex(force = false): Promise<void> {
    if (!force && Date.now() - lastIndexSync < 1000) return
    lastIndexSync = Date.now()
    const events = await db
      .select({
        seq: registryEvents.seq,
        type: registryEvents.type,
        subject: registryEvents.subject,
      })
      .from(registryEvents)
      .where(and(eq(registryEvents.tenantId, tenant), gt(registryEvents.seq, indexedSeq)))
      .orderBy(registryEvents.seq)
    if (events.length === 0) return
    const ids = new Set<string>()
    for (const event of events) {
      if (event.subject.includes('/')) ids.add(event.subject)
      else if (event.type.startsWith('scope.'))
        for (const id of await packageIdsOfScope(event.subject)) ids.add(id)
    }
    indexedSeq = events.at(-1)!.seq
    if (ids.size === 0) return
    const entries = await catalogEntries([...ids])
    const present = new Set(entries.map((entry) => entry.id))
    await search.remove([...ids].filter((id) => !present.has(id)))
    await search.upsert(entries)
  }

  async function searchSkills(principal: Principal | undefined, query: SearchQuery) {
    await syncIndex()
    let scopes = new Set<string>()
    if (principal && principal.role !== 'admin') {
      const rows = await db
        .select({ scope: registryScopeMembers.scope })
        .from(registryScopeMembers)
        .innerJoin(
          registryScopes,
          and(
            eq(registryScopes.tenantId, registryScopeMembers.tenantId),
            eq(registryScopes.scope, registryScopeMembers.scope),
          ),
        )
        .where(
          and(
            eq(registryScopeMembers.tenantId, tenant),
            eq(registryScopeMembers.user, principal.user),
            eq(registryScopes.visibility, 'private'),
          ),
        )
      scopes = new Set(rows.map((row) => row.scope))
    }
    return search.query(query, { all: principal?.role === 'admin', scopes })
  }

  // ---------- mirroring ----------

  async function mirrorPackage(id: string, scopeName: string): Promise<boolean> {
    if (!upstream) return false
    const remote = await upstream.packument(id)
    mirroredAt.set(id, Date.now())
    if (!remote) return false
    const local = await db
      .select({ version: registryVersions.version })
      .from(registryVersions)
      .where(and(eq(registryVersions.tenantId, tenant), eq(registryVersions.packageId, id)))
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
      const [scope] = await tx
        .select()
        .from(registryScopes)
        .where(and(eq(registryScopes.tenantId, tenant), eq(registryScopes.scope, scopeName)))
      if (scope && !scope.mirrored)
        throw conflict(`Scope ${scopeName} is local here; it is not mirrored`)
      fetched.sort((a, b) => semver.compare(a.info.version, b.info.version))
      let first = !scope
      for (const item of fetched) {
        await writeVersion(tx, {
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
      const haveNow = new Set([...have, ...fetched.map((item) => item.info.version)])
      await tx
        .delete(registryDistTags)
        .where(and(eq(registryDistTags.tenantId, tenant), eq(registryDistTags.packageId, id)))
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
          .where(
            and(
              eq(registryVersions.tenantId, tenant),
              eq(registryVersions.packageId, id),
              eq(registryVersions.version, info.version),
            ),
          )
      }
      if (fetched.length === 0 && haveNow.size > 0) await touch(tx, id)
    })
    await invalidate([id], [scopeName])
    return true
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

  // ---------- maintenance ----------

  async function sweepOrphanBlobs(sweep: { olderThanMs?: number } = {}) {
    const olderThan = Date.now() - (sweep.olderThanMs ?? HOUR)
    const deleted: string[] = []
    for await (const entry of blobs.list()) {
      if (entry.modifiedAt.getTime() > olderThan) continue
      const integrity = integrityOfBlobKey(entry.key)
      if (!integrity) continue
      const [used] = await db
        .select({ version: registryVersions.version })
        .from(registryVersions)
        .where(
          and(
            eq(registryVersions.tenantId, tenant),
            eq(registryVersions.integrity, integrity),
            isNull(registryVersions.unpublishedAt),
          ),
        )
        .limit(1)
      if (used) continue
      if (await blobs.delete(entry.key)) deleted.push(entry.key)
    }
    if (deleted.length > 0) logger?.info({ count: deleted.length }, 'orphan blobs swept')
    return { deleted }
  }

  await syncIndex(true)

  return {
    tenant,
    authenticate,
    whoami(principal) {
      const caller = requirePrincipal(principal)
      return { user: caller.user, role: caller.role }
    },
    createToken,
    listTokens,
    revokeToken,
    putScope,
    getScope,
    setMember,
    removeMember,
    publish,
    packument,
    version,
    tarball,
    setDistTag,
    removeDistTag,
    deprecate,
    unpublish,
    search: searchSkills,
    sync,
    sweepOrphanBlobs,
    async ready() {
      await database.ping()
      await keyValue.ping()
      await blobs.ping()
    },
    async close() {
      await search.close()
    },
  }
}

import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { registryTokens } from '@skillos/store'
import type { Access } from './access.js'
import { checkUser, denied, invalid, notFound, unauthenticated } from './checks.js'
import type { ServiceContext } from './context.js'
import type { CreatedToken, Principal, TokenInfo } from './types.js'

/** What a token may do: read < publish < admin. */
export const tokenRoles = ['read', 'publish', 'admin'] as const
export type TokenRole = (typeof tokenRoles)[number]

/** A user's role in one scope: reader < publisher < owner. */
export const scopeRoles = ['reader', 'publisher', 'owner'] as const
export type ScopeRole = (typeof scopeRoles)[number]

const TOKEN_PATTERN = /^skr_[A-Za-z0-9_-]{43}$/

/** A new secret token: `skr_` + 32 random bytes in base64url (43 characters). */
export function generateToken(): string {
  return `skr_${randomBytes(32).toString('base64url')}`
}

/** Hex SHA-256 of a token: the only form stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** True when `token` has the shape of a registry token (cheap check before a lookup). */
export function isTokenShaped(token: string): boolean {
  return TOKEN_PATTERN.test(token)
}

/** Rank of a token role, for "at most my own role" comparisons. */
export function tokenRoleRank(role: TokenRole): number {
  return tokenRoles.indexOf(role)
}

/** Rank of a scope role. */
export function scopeRoleRank(role: ScopeRole): number {
  return scopeRoles.indexOf(role)
}

/** The token operations of the registry service: resolve, create, list and revoke bearer tokens. */
export interface TokenService {
  /** Resolve a bearer token. No token → undefined (anonymous); a bad or revoked one → `UNAUTHENTICATED`. */
  authenticate(token: string | undefined): Promise<Principal | undefined>
  /** Create a token. `principal: 'system'` is the operator's bootstrap (the CLI, tests). */
  createToken(
    principal: Principal | 'system' | undefined,
    input: { user?: string; role: TokenRole; name?: string },
  ): Promise<CreatedToken>
  listTokens(principal: Principal | undefined, filter?: { user?: string }): Promise<TokenInfo[]>
  revokeToken(principal: Principal | undefined, id: string): Promise<void>
}

function tokenInfo(row: typeof registryTokens.$inferSelect): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role as TokenRole,
    user: row.user,
    createdAt: row.createdAt.toISOString(),
    ...(row.revokedAt ? { revokedAt: row.revokedAt.toISOString() } : {}),
  }
}

/**
 * Tokens stored as their SHA-256 only: the secret is returned once, at creation. A resolved token is
 * cached briefly by hash; revoking deletes that entry at once.
 */
export function createTokenService(ctx: ServiceContext, access: Access): TokenService {
  const { tenant, database, db, keyValue, keys, where, events, now } = ctx

  async function authenticate(token: string | undefined): Promise<Principal | undefined> {
    if (token === undefined) return undefined
    if (!isTokenShaped(token)) throw unauthenticated('The token is not a registry token')
    const hash = hashToken(token)
    const cached = await keyValue.get(keys.token(hash))
    if (cached !== null) return JSON.parse(cached) as Principal
    const [row] = await db.select().from(registryTokens).where(where.tokenWithHash(hash))
    if (!row) throw unauthenticated('The token is not valid')
    if (row.revokedAt) throw unauthenticated('The token has been revoked')
    const principal: Principal = { user: row.user, role: row.role as TokenRole, tokenId: row.id }
    // Cached briefly by hash (never the secret); revoking deletes the entry at once.
    await keyValue.set(keys.token(hash), JSON.stringify(principal), { ttlMs: 30_000 })
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
      const caller = access.requirePrincipal(principal)
      actor = caller.user
      user = checkUser(input.user ?? caller.user)
      if (caller.role !== 'admin') {
        if (user !== caller.user) throw denied('Only an admin may create tokens for other users')
        if (tokenRoleRank(input.role) > tokenRoleRank(caller.role))
          throw denied(`A ${caller.role} token cannot create a ${input.role} token`)
      }
      await access.rateLimitWrite(caller)
    }
    const token = generateToken()
    const id = randomUUID()
    const row = await database.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(registryTokens)
        .values({ tenantId: tenant, id, user, name, role: input.role, hash: hashToken(token) })
        .returning()
      await events.record(tx, 'token.created', actor, id, { user, role: input.role, name })
      return inserted!
    })
    return { ...tokenInfo(row), token }
  }

  async function listTokens(principal: Principal | undefined, filter: { user?: string } = {}) {
    const caller = access.requirePrincipal(principal)
    const user = caller.role === 'admin' ? filter.user : caller.user
    if (caller.role !== 'admin' && filter.user !== undefined && filter.user !== caller.user)
      throw denied('Only an admin may list the tokens of other users')
    const rows = await db
      .select()
      .from(registryTokens)
      .where(where.tokensOf(user))
      .orderBy(registryTokens.createdAt)
    return rows.map(tokenInfo)
  }

  async function revokeToken(principal: Principal | undefined, id: string) {
    const caller = access.requirePrincipal(principal)
    const [row] = await db.select().from(registryTokens).where(where.tokenWithId(id))
    if (!row || (caller.role !== 'admin' && row.user !== caller.user)) throw notFound(`Token ${id}`)
    if (row.revokedAt) return
    await database.transaction(async (tx) => {
      await tx.update(registryTokens).set({ revokedAt: now() }).where(where.tokenWithId(id))
      await events.record(tx, 'token.revoked', caller.user, id, { user: row.user })
    })
    await keyValue.delete(keys.token(row.hash))
  }

  return { authenticate, createToken, listTokens, revokeToken }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { ValidationError } from '@skillos/contracts'
import { apiKeys, tenants, type Database } from '@skillos/store'
import { and, asc, eq, sql } from 'drizzle-orm'

/** Who an API key acts as. */
export interface ApiKeyIdentity {
  tenant: string
  keyId: string
  principal: { id: string; roles: string[] }
}

/** An API key as listed (never its secret). */
export interface ApiKeyInfo {
  id: string
  /** `sk_<id>`: how the key begins, to recognise it (the secret follows). */
  prefix: string
  name: string
  principalId: string
  roles: string[]
  createdAt: Date
  expiresAt?: Date
  revokedAt?: Date
}

const KEY_PATTERN = /^sk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

/**
 * API keys: `sk_<id>_<secret>`. Only the SHA-256 of the secret is stored; the key is shown once, by
 * `createApiKey`. The id finds the key's tenant, so a key can never act in another tenant.
 */
export function createApiKeys(database: Database, now: () => number = Date.now) {
  const db = database.db

  /**
   * Mint a key for a principal of a tenant. The returned `key` is the only copy of the secret.
   *
   * @example
   * ```ts
   * const { key } = await createApiKeys(database).create('acme', { name: 'ci', principalId: 'ci-bot', roles: ['analyst'] })
   * // curl -H "authorization: Bearer $key" …
   * ```
   */
  async function create(
    tenant: string,
    input: { name: string; principalId: string; roles?: string[]; expiresAt?: Date },
  ): Promise<{ key: string; info: ApiKeyInfo }> {
    if (!input.name || !input.principalId)
      throw new ValidationError('name and principalId are required', [
        ...(input.name ? [] : [{ path: 'name', message: 'required' }]),
        ...(input.principalId ? [] : [{ path: 'principalId', message: 'required' }]),
      ])
    if (input.expiresAt && !(input.expiresAt.getTime() > now()))
      throw new ValidationError('expiresAt: must be in the future', [
        { path: 'expiresAt', message: 'must be in the future' },
      ])
    const id = randomBytes(10).toString('hex').slice(0, 16)
    const secret = randomBytes(32).toString('base64url')
    await db.insert(tenants).values({ id: tenant, name: tenant }).onConflictDoNothing()
    const [row] = await db
      .insert(apiKeys)
      .values({
        tenantId: tenant,
        id,
        name: input.name,
        principalId: input.principalId,
        roles: input.roles ?? [],
        secretHash: hashSecret(secret),
        createdAt: new Date(now()),
        expiresAt: input.expiresAt ?? null,
      })
      .returning()
    return { key: `sk_${id}_${secret}`, info: toInfo(row!) }
  }

  /** The identity of a presented key, or undefined (unknown, wrong secret, revoked, expired). */
  async function verify(key: string): Promise<ApiKeyIdentity | undefined> {
    const match = KEY_PATTERN.exec(key)
    if (!match) return undefined
    const [, id, secret] = match as unknown as [string, string, string]
    // The one lookup not scoped by tenant: the key is what names the tenant.
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1)
    if (!row) return undefined
    const given = Buffer.from(hashSecret(secret))
    const stored = Buffer.from(row.secretHash)
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined
    if (row.revokedAt) return undefined
    if (row.expiresAt && row.expiresAt.getTime() <= now()) return undefined
    return {
      tenant: row.tenantId,
      keyId: row.id,
      principal: { id: row.principalId, roles: row.roles },
    }
  }

  /** The tenant's keys, oldest first, revoked ones included (never a secret or its hash). */
  async function list(tenant: string): Promise<ApiKeyInfo[]> {
    const rows = await db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, tenant))
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    return rows.map(toInfo)
  }

  /** Revoke a key of this tenant (again: no change); false when the tenant has no such key. */
  async function revoke(tenant: string, id: string): Promise<boolean> {
    const rows = await db
      .update(apiKeys)
      .set({
        revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${new Date(now()).toISOString()}::timestamptz)`,
      })
      .where(and(eq(apiKeys.tenantId, tenant), eq(apiKeys.id, id)))
      .returning({ id: apiKeys.id })
    return rows.length > 0
  }

  return { create, verify, list, revoke }
}

export type ApiKeys = ReturnType<typeof createApiKeys>

function toInfo(row: typeof apiKeys.$inferSelect): ApiKeyInfo {
  return {
    id: row.id,
    prefix: `sk_${row.id}`,
    name: row.name,
    principalId: row.principalId,
    roles: row.roles,
    createdAt: row.createdAt,
    ...(row.expiresAt ? { expiresAt: row.expiresAt } : {}),
    ...(row.revokedAt ? { revokedAt: row.revokedAt } : {}),
  }
}

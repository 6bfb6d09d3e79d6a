import { createHash, randomBytes } from 'node:crypto'

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

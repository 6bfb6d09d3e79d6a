import type { SkillSignature } from '../pack/signature.js'
import type { ScopeRole, TokenRole } from './tokens.js'

/** Who is calling: a token's user and role, or anonymous (`undefined`). */
export interface Principal {
  user: string
  role: TokenRole
  tokenId: string
}

/** A token as listed (never with its secret). */
export interface TokenInfo {
  id: string
  name: string
  role: TokenRole
  user: string
  createdAt: string
  revokedAt?: string
}

/** A token at creation: the one time `token` (the secret) is returned. */
export interface CreatedToken extends TokenInfo {
  token: string
}

export interface ScopeInfo {
  scope: string
  visibility: 'public' | 'private'
  requireSignatures: boolean
  trustedKeys: string[]
  mirrored: boolean
  members: { user: string; role: ScopeRole }[]
}

export interface ScopeSettings {
  visibility?: 'public' | 'private'
  requireSignatures?: boolean
  trustedKeys?: { keyId: string; publicKey: string }[]
}

/** One version in a packument. */
export interface VersionInfo {
  version: string
  manifest: Record<string, unknown>
  integrity: string
  signature?: SkillSignature
  size: number
  publishedAt: string
  publishedBy: string
  deprecated?: string
  tarball: string
}

/** Everything about one skill: versions, dist-tags, times. */
export interface Packument {
  id: string
  description: string
  distTags: Record<string, string>
  versions: Record<string, VersionInfo>
  time: Record<string, string>
}

export interface PublishInput {
  id: string
  version: string
  tarball: Uint8Array
  integrity: string
  signature?: SkillSignature
  /** Dist-tag to point at the new version (default `latest`). */
  tag?: string
}

export interface PublishResult {
  id: string
  version: string
  integrity: string
  distTags: Record<string, string>
}

export interface SearchQuery {
  q?: string
  tag?: string
  domain?: string
  author?: string
  deprecated?: boolean
  minQuality?: number
  limit?: number
  offset?: number
}

export interface SearchResult {
  id: string
  version: string
  description: string
  tags: string[]
  author?: string
  deprecated?: string
  quality: number
  score: number
  why: string[]
}

import type { Config } from '@skillos/contracts'
import type { ApiKeys } from '@skillos/core'
import {
  createRemoteJWKSet,
  errors as joseErrors,
  importJWK,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose'
import { apiError } from './problem.js'

/** Who is calling: the tenant comes from the credential, never from the request. */
export interface Identity {
  tenant: string
  principal: { id: string; roles: string[]; attributes: Record<string, unknown> }
  via: 'jwt' | 'api-key'
}

type JwtConfig = Config['api']['jwt']

const TENANT = /^[a-z0-9][a-z0-9_-]{0,62}$/
const API_KEY_CACHE_MS = 30_000
const API_KEY_CACHE_MAX = 10_000

export interface Authenticator {
  /** Verify the `Authorization` header; throws `UNAUTHENTICATED` (401) naming nothing secret. */
  authenticate(header: string | undefined): Promise<Identity>
  /** Whether JWTs are accepted (issuer + audience and keys or a JWKS URL configured). */
  readonly jwtEnabled: boolean
  /** Drop what is cached of a revoked API key, so this instance refuses it at once. */
  forgetApiKey?(keyId: string): void
}

const unauthenticated = (message: string) => apiError('UNAUTHENTICATED', message)

/**
 * Bearer authentication: an API key (`sk_…`, looked up by its hash) or a JWT verified with jose —
 * signature by a configured key or the JWKS URL (cached), the algorithm allow-list, `iss`, `aud`,
 * `exp` and `nbf` (with clock tolerance), `sub` as the principal and the tenant claim as the tenant.
 */
export async function createAuthenticator(options: {
  jwt: JwtConfig
  apiKeys?: ApiKeys
  now?: () => number
}): Promise<Authenticator> {
  const { jwt } = options
  const now = options.now ?? Date.now
  const getKey = await keyResolver(jwt)
  const jwtEnabled = getKey !== undefined
  const keyCache = new Map<
    string,
    { identity: Identity | undefined; keyId?: string; until: number }
  >()

  async function byApiKey(token: string): Promise<Identity> {
    if (!options.apiKeys) throw unauthenticated('API keys are not accepted here')
    const cached = keyCache.get(token)
    let identity: Identity | undefined
    if (cached && cached.until > now()) identity = cached.identity
    else {
      const found = await options.apiKeys.verify(token)
      identity = found
        ? {
            tenant: found.tenant,
            principal: { id: found.principal.id, roles: found.principal.roles, attributes: {} },
            via: 'api-key',
          }
        : undefined
      if (keyCache.size >= API_KEY_CACHE_MAX) keyCache.clear()
      keyCache.set(token, {
        identity,
        ...(found ? { keyId: found.keyId } : {}),
        until: now() + API_KEY_CACHE_MS,
      })
    }
    if (!identity) throw unauthenticated('The API key is not valid')
    return identity
  }

  async function byJwt(token: string): Promise<Identity> {
    if (!getKey || !jwt.issuer || !jwt.audience)
      throw unauthenticated('JWT authentication is not configured')
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, getKey, {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: jwt.algorithms,
        clockTolerance: jwt.clockToleranceSec,
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'exp'],
      }))
    } catch (error) {
      throw unauthenticated(`The token is not valid: ${reasonOf(error)}`)
    }
    const tenant = payload[jwt.tenantClaim]
    if (typeof tenant !== 'string' || !TENANT.test(tenant))
      throw unauthenticated(`The token has no valid "${jwt.tenantClaim}" claim`)
    const sub = payload.sub
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
      throw unauthenticated('The token has no valid "sub" claim')
    const rolesClaim = payload[jwt.rolesClaim]
    const roles = Array.isArray(rolesClaim)
      ? rolesClaim.filter(
          (r): r is string => typeof r === 'string' && r.length > 0 && r.length <= 100,
        )
      : []
    return { tenant, principal: { id: sub, roles, attributes: {} }, via: 'jwt' }
  }

  return {
    jwtEnabled,
    forgetApiKey(keyId) {
      for (const [token, entry] of keyCache) if (entry.keyId === keyId) keyCache.delete(token)
    },
    async authenticate(header) {
      if (!header) throw unauthenticated('Authorization: Bearer <token or API key> is required')
      const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim())
      if (!match) throw unauthenticated('Authorization must be "Bearer <token or API key>"')
      const token = match[1]!
      if (token.length > jwt.maxTokenBytes)
        throw unauthenticated(`The token is longer than ${jwt.maxTokenBytes} bytes`)
      if (token.startsWith('sk_')) return byApiKey(token)
      return byJwt(token)
    },
  }
}

/** What jose says, without echoing the token or a key. */
function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired'
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `claim "${error.claim}" ${error.reason === 'check_failed' ? 'failed its check' : error.reason}`
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed'
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key matches its kid'
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature'
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid)
    return 'malformed'
  if (error instanceof joseErrors.JWKSTimeout) return 'the key set did not answer in time'
  return 'rejected'
}

type VerifyKey = CryptoKey | KeyObject | Uint8Array

/** Keys from config (PEM, JWK JSON or HS secrets) and/or a remote JWKS, picked by `kid` and `alg`. */
async function keyResolver(jwt: JwtConfig): Promise<JWTVerifyGetKey | undefined> {
  const configured: { kid?: string; alg: string; key: VerifyKey }[] = []
  for (const entry of jwt.keys) {
    const key = await importKey(entry.alg, entry.key)
    configured.push({ ...(entry.kid ? { kid: entry.kid } : {}), alg: entry.alg, key })
  }
  const remote = jwt.jwksUrl
    ? createRemoteJWKSet(new URL(jwt.jwksUrl), {
        cacheMaxAge: jwt.jwksCacheMs,
        cooldownDuration: 30_000,
        timeoutDuration: 5000,
      })
    : undefined
  if (configured.length === 0 && !remote) return undefined
  return async (header, token) => {
    const local = configured.filter(
      (k) => k.alg === header.alg && (header.kid === undefined || k.kid === header.kid),
    )
    if (local.length > 0) {
      if (header.kid !== undefined || local.length === 1) return local[0]!.key
      throw new joseErrors.JWKSMultipleMatchingKeys()
    }
    if (remote) return remote(header, token)
    throw new joseErrors.JWKSNoMatchingKey()
  }
}

async function importKey(alg: string, text: string): Promise<VerifyKey> {
  if (alg.startsWith('HS')) return new TextEncoder().encode(text)
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) return (await importJWK(JSON.parse(trimmed), alg)) as VerifyKey
  return importSPKI(trimmed, alg)
}

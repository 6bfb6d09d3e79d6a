import { SkillOSError, ValidationError, maskUrl } from '@skillos/contracts'
import type { z } from 'zod'
import { verifyIntegrity } from '../pack/integrity.js'
import type { SkillSignature } from '../pack/signature.js'
import { errorFromFailure, errorFromResponse } from './http-errors.js'
import { parseSkillId } from './skill-spec.js'
import {
  createdTokenSchema,
  deprecateResultSchema,
  distTagsSchema,
  packumentSchema,
  publishResultSchema,
  scopeSchema,
  searchResponseSchema,
  tokenListSchema,
  versionMetadataSchema,
  whoamiSchema,
  type CreatedToken,
  type DeprecateResult,
  type Packument,
  type PublishResult,
  type ScopeInfo,
  type SearchResponse,
  type TokenInfo,
  type TokenRole,
  type VersionMetadata,
  type Whoami,
} from './wire.js'
import type { ScopeRole } from '../server/tokens.js'
import type { SearchQuery } from '../server/types.js'

/** Largest tarball the client downloads unless told otherwise (the registry's own limit is lower). */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 64 * 1024 * 1024

export interface RegistryClientOptions {
  /** The registry's base URL, e.g. `http://127.0.0.1:4873` or `https://skills.acme.example/registry`. */
  url: string
  /** A `skr_…` token; without one, requests are anonymous (public scopes only). */
  token?: string
  /** Injected `fetch` (tests, proxies). Default: the global one. */
  fetch?: typeof fetch
  /** Per-request time limit. Default 30 s. */
  timeoutMs?: number
}

/** What `GET /-/search` takes (the server's own query type: one definition for both sides). */
export type { SearchQuery }

export interface PublishRequest {
  id: string
  version: string
  /** The raw `.tgz` from `packSkill`. */
  tarball: Uint8Array
  integrity: string
  signature?: SkillSignature
  /** Dist-tag to point at this version. Default `latest` (the server's default). */
  tag?: string
}

export interface DownloadOptions {
  /** When given, the bytes must match it or `INTEGRITY_FAILED` is thrown. */
  integrity?: string
  /** Refuse a larger body. Default {@link DEFAULT_DOWNLOAD_MAX_BYTES}. */
  maxBytes?: number
}

export interface DeprecateRequest {
  /** Versions to (un)deprecate: a semver range; default all. */
  range?: string
  /** Why, and what to use instead; `""` undeprecates. */
  message: string
}

/** A typed client for one registry (see the registry HTTP API in the README). */
export interface RegistryClient {
  /** The base URL, without a trailing slash. */
  readonly url: string
  /** Whether a token is set (the token itself is never exposed). */
  readonly authenticated: boolean
  ping(): Promise<boolean>
  whoami(): Promise<Whoami>
  createToken(request: { name: string; role: TokenRole; user?: string }): Promise<CreatedToken>
  listTokens(options?: { user?: string }): Promise<TokenInfo[]>
  revokeToken(id: string): Promise<void>
  packument(id: string): Promise<Packument>
  version(id: string, version: string): Promise<VersionMetadata>
  downloadTarball(url: string, options?: DownloadOptions): Promise<Uint8Array>
  publish(request: PublishRequest): Promise<PublishResult>
  distTags(id: string): Promise<Record<string, string>>
  /** Point `tag` at `version`; answers the skill's dist-tags after the change. */
  setDistTag(id: string, tag: string, version: string): Promise<Record<string, string>>
  /** Remove a dist-tag (the registry refuses `latest`); answers the dist-tags left. */
  removeDistTag(id: string, tag: string): Promise<Record<string, string>>
  /** Set (or, with `message: ""`, clear) the deprecation of the live versions in `range`. */
  deprecate(id: string, request: DeprecateRequest): Promise<DeprecateResult>
  /**
   * Unpublish one version. Outside the registry's unpublish window a version other skills depend
   * on is refused with `CONFLICT` (the message and `details.dependents` name them).
   */
  unpublish(id: string, version: string): Promise<void>
  search(query: SearchQuery): Promise<SearchResponse>
  scope(scope: string): Promise<ScopeInfo>
  putScope(
    scope: string,
    body: {
      visibility: 'public' | 'private'
      requireSignatures?: boolean
      trustedKeys?: { keyId: string; publicKey: string }[]
    },
  ): Promise<ScopeInfo>
  /** Add a member to a scope or change their role; answers the scope with its members. */
  setMember(scope: string, user: string, role: ScopeRole): Promise<ScopeInfo>
  /** Remove a member (a scope keeps at least one owner); answers the scope with its members. */
  removeMember(scope: string, user: string): Promise<ScopeInfo>
}

/** `https://r.example/x/` → `https://r.example/x`; refuses what is not an http(s) URL. */
export function normaliseRegistryUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ValidationError(`Invalid registry URL "${maskUrl(url)}"`, [
      { path: 'registry', message: 'must be an http(s) URL such as https://registry.example.com' },
    ])
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ValidationError(`Invalid registry URL "${maskUrl(url)}"`, [
      { path: 'registry', message: `must be http or https, not ${parsed.protocol}` },
    ])
  }
  if (parsed.username || parsed.password) {
    throw new ValidationError(`Invalid registry URL "${maskUrl(url)}"`, [
      {
        path: 'registry',
        message:
          'must not carry a user or password; log in with skillos login (or pass a token) instead',
      },
    ])
  }
  parsed.search = ''
  parsed.hash = ''
  return parsed.toString().replace(/\/+$/, '')
}

function skillPath(id: string): string {
  const { scope, name } = parseSkillId(id)
  return `/${encodeURIComponent(scope)}/${encodeURIComponent(name)}`
}

/**
 * A client for a SkillOS registry. Every failure is a `SkillOSError`: the server's problem+json
 * `code` (`NOT_FOUND`, `CONFLICT`, `UNAUTHENTICATED`, `INTEGRITY_FAILED`…), `UNAVAILABLE` naming the
 * URL when the registry cannot be reached, `TIMEOUT` when it does not answer. The token is sent
 * only to the registry's own origin, and never appears in errors.
 *
 * @example
 * ```ts
 * const registry = createRegistryClient({ url: 'http://127.0.0.1:4873', token: process.env.TOKEN })
 * const { user } = await registry.whoami()
 * const packed = await packSkill('skills/acme/convert-currency')
 * await registry.publish({ id: 'acme/convert-currency', version: '1.0.0', ...packed })
 * const packument = await registry.packument('acme/convert-currency')
 * const tarball = await registry.downloadTarball(packument.versions['1.0.0']!.tarball, {
 *   integrity: packument.versions['1.0.0']!.integrity,
 * })
 * ```
 */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const base = normaliseRegistryUrl(options.url)
  const baseOrigin = new URL(base).origin
  const doFetch = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 30_000
  const token = options.token

  const ownsUrl = (target: URL) =>
    target.origin === baseOrigin && `${target.origin}${target.pathname}`.startsWith(base)

  async function send(
    method: string,
    target: string,
    init: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = new URL(target.startsWith('http') ? target : `${base}${target}`)
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...init.headers,
    }
    if (token && ownsUrl(url)) headers.authorization = `Bearer ${token}`
    const request = { method, url: url.toString(), registry: base }
    let response: Response
    try {
      response = await doFetch(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      })
    } catch (error) {
      throw errorFromFailure(error, request)
    }
    if (!response.ok) throw await errorFromResponse(response, request)
    return response
  }

  async function json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    const response = await send(
      method,
      path,
      body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    )
    return parseBody(schema, response, `${method} ${path}`)
  }

  async function parseBody<S extends z.ZodType>(
    schema: S,
    response: Response,
    what: string,
  ): Promise<z.output<S>> {
    let data: unknown
    try {
      data = await response.json()
    } catch (error) {
      throw unexpected(what, 'the body is not JSON', error)
    }
    const parsed = schema.safeParse(data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw unexpected(
        what,
        `${issue?.path.map(String).join('.') || '(body)'}: ${issue?.message ?? 'unexpected shape'}`,
      )
    }
    return parsed.data
  }

  function unexpected(what: string, reason: string, cause?: unknown): SkillOSError {
    return new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `The registry at ${base} answered ${what} with an unexpected body (${reason}); is this a SkillOS registry of a compatible version?`,
      details: { registry: base, request: what },
      ...(cause === undefined ? {} : { cause }),
    })
  }

  async function readLimited(response: Response, maxBytes: number, url: string) {
    const declared = Number(response.headers.get('content-length') ?? Number.NaN)
    const tooLarge = (size: number) =>
      new SkillOSError({
        code: 'PAYLOAD_TOO_LARGE',
        message: `Refusing the tarball at ${maskUrl(url)}: ${size} bytes is over the limit of ${maxBytes}`,
        details: { url: maskUrl(url), limit: maxBytes },
      })
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel()
      throw tooLarge(declared)
    }
    if (!response.body) return new Uint8Array()
    const chunks: Uint8Array[] = []
    let size = 0
    const reader = response.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.length
      if (size > maxBytes) {
        await reader.cancel()
        throw tooLarge(size)
      }
      chunks.push(value)
    }
    return new Uint8Array(Buffer.concat(chunks))
  }

  const empty = async (method: string, path: string, body?: unknown) => {
    const response = await send(
      method,
      path,
      body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    )
    await response.body?.cancel()
  }

  return {
    url: base,
    authenticated: token !== undefined,
    async ping() {
      const response = await send('GET', '/-/ping')
      await response.body?.cancel()
      return true
    },
    whoami: () => json(whoamiSchema, 'GET', '/-/whoami'),
    createToken: (request) => json(createdTokenSchema, 'POST', '/-/tokens', request),
    listTokens: (query = {}) =>
      json(
        tokenListSchema,
        'GET',
        `/-/tokens${query.user ? `?user=${encodeURIComponent(query.user)}` : ''}`,
      ),
    revokeToken: (id) => empty('DELETE', `/-/tokens/${encodeURIComponent(id)}`),
    packument: (id) => json(packumentSchema, 'GET', skillPath(id)),
    version: (id, version) =>
      json(versionMetadataSchema, 'GET', `${skillPath(id)}/${encodeURIComponent(version)}`),
    async downloadTarball(url, download = {}) {
      const response = await send('GET', url, {
        headers: { accept: 'application/gzip, application/octet-stream' },
      })
      const bytes = await readLimited(
        response,
        download.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES,
        url,
      )
      if (download.integrity !== undefined) {
        try {
          verifyIntegrity(bytes, download.integrity)
        } catch (error) {
          if (!SkillOSError.is(error)) throw error
          throw new SkillOSError({
            code: 'INTEGRITY_FAILED',
            message: `The tarball downloaded from ${maskUrl(url)} is not the one expected (${error.message}); nothing was installed`,
            details: { ...error.details, url: maskUrl(url) },
            cause: error,
          })
        }
      }
      return bytes
    },
    async publish(request) {
      const headers: Record<string, string> = {
        'content-type': 'application/gzip',
        'skillos-integrity': request.integrity,
      }
      if (request.signature) {
        headers['skillos-signature'] = `${request.signature.keyId} ${request.signature.value}`
      }
      const query = request.tag ? `?tag=${encodeURIComponent(request.tag)}` : ''
      const path = `${skillPath(request.id)}/-/${encodeURIComponent(request.version)}${query}`
      const response = await send('PUT', path, {
        body: request.tarball as Uint8Array<ArrayBuffer>,
        headers,
      })
      return parseBody(publishResultSchema, response, `PUT ${path}`)
    },
    async distTags(id) {
      return (await json(packumentSchema, 'GET', skillPath(id))).distTags
    },
    setDistTag: (id, tag, version) =>
      json(distTagsSchema, 'PUT', `${skillPath(id)}/-/dist-tags/${encodeURIComponent(tag)}`, {
        version,
      }),
    removeDistTag: (id, tag) =>
      json(distTagsSchema, 'DELETE', `${skillPath(id)}/-/dist-tags/${encodeURIComponent(tag)}`),
    deprecate: (id, request) =>
      json(deprecateResultSchema, 'POST', `${skillPath(id)}/-/deprecate`, request),
    unpublish: (id, version) =>
      empty('DELETE', `${skillPath(id)}/-/${encodeURIComponent(version)}`),
    search(query) {
      const params = new URLSearchParams()
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) params.set(key, String(value))
      }
      return json(searchResponseSchema, 'GET', `/-/search?${params.toString()}`)
    },
    scope: (scope) => json(scopeSchema, 'GET', `/-/scopes/${encodeURIComponent(scope)}`),
    putScope: (scope, body) =>
      json(scopeSchema, 'PUT', `/-/scopes/${encodeURIComponent(scope)}`, body),
    setMember: (scope, user, role) =>
      json(
        scopeSchema,
        'PUT',
        `/-/scopes/${encodeURIComponent(scope)}/members/${encodeURIComponent(user)}`,
        { role },
      ),
    removeMember: (scope, user) =>
      json(
        scopeSchema,
        'DELETE',
        `/-/scopes/${encodeURIComponent(scope)}/members/${encodeURIComponent(user)}`,
      ),
  }
}

import { maskUrl, SkillOSError } from '@skillos/contracts'
import type { Packument, SearchResult } from './types.js'

export interface UpstreamOptions {
  /** Base URL of the upstream registry (`https://skills.example.com`). */
  url: string
  /** A read token for the upstream, when its scopes are private. */
  token?: string
  /** Milliseconds per request (default 15000). */
  timeoutMs?: number
  fetch?: typeof fetch
}

/** A client of another SkillOS registry, for mirroring. */
export interface Upstream {
  readonly url: string
  /** The packument, or undefined when the upstream has no such skill (404). */
  packument(id: string): Promise<Packument | undefined>
  tarball(url: string): Promise<Uint8Array>
  /** Ids of the skills of a scope the upstream lets us see. */
  listScope(scope: string): Promise<string[]>
}

/**
 * The upstream of a mirror. Any failure (unreachable, timeout, 5xx, a body that is not a packument)
 * is `UPSTREAM_FAILED` naming the masked URL; a 404 is "not there".
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const base = options.url.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 15_000
  const headers: Record<string, string> = options.token
    ? { authorization: `Bearer ${options.token}` }
    : {}

  async function get(url: string, accept: string): Promise<Response | undefined> {
    let response: Response
    try {
      response = await doFetch(url, {
        headers: { ...headers, accept },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      })
    } catch (cause) {
      throw failed(`could not reach ${maskUrl(url)}`, url, cause)
    }
    if (response.status === 404) {
      await response.arrayBuffer().catch(() => undefined)
      return undefined
    }
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined)
      throw failed(`${maskUrl(url)} answered HTTP ${response.status}`, url)
    }
    return response
  }

  return {
    url: base,
    async packument(id) {
      const url = `${base}/${id}`
      const response = await get(url, 'application/json')
      if (!response) return undefined
      const body = (await response.json().catch(() => undefined)) as Packument | undefined
      if (
        !body ||
        typeof body !== 'object' ||
        body.id !== id ||
        typeof body.versions !== 'object' ||
        typeof body.distTags !== 'object'
      ) {
        throw failed(`${maskUrl(url)} did not return a packument for ${id}`, url)
      }
      return body
    },
    async tarball(url) {
      if (!url.startsWith(`${base}/`) && new URL(url).origin !== new URL(base).origin) {
        // Tarball links on another origin are followed too (a registry behind a CDN), but never
        // with our token.
        const response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch(
          (cause: unknown) => {
            throw failed(`could not reach ${maskUrl(url)}`, url, cause)
          },
        )
        if (!response.ok) throw failed(`${maskUrl(url)} answered HTTP ${response.status}`, url)
        return new Uint8Array(await response.arrayBuffer())
      }
      const response = await get(url, 'application/gzip')
      if (!response) throw failed(`${maskUrl(url)} has no such tarball (404)`, url)
      return new Uint8Array(await response.arrayBuffer())
    },
    async listScope(scope) {
      const ids: string[] = []
      for (let offset = 0; ; offset += 100) {
        const url = `${base}/-/search?domain=${encodeURIComponent(scope)}&limit=100&offset=${offset}`
        const response = await get(url, 'application/json')
        if (!response) throw failed(`${maskUrl(url)} has no search endpoint (404)`, url)
        const body = (await response.json().catch(() => undefined)) as
          { total?: number; results?: SearchResult[] } | undefined
        if (!body || !Array.isArray(body.results))
          throw failed(`${maskUrl(url)} did not return search results`, url)
        ids.push(...body.results.map((result) => result.id))
        if (body.results.length < 100) return ids
      }
    },
  }
}

function failed(message: string, url: string, cause?: unknown): SkillOSError {
  return new SkillOSError({
    code: 'UPSTREAM_FAILED',
    message: `Upstream registry: ${message}`,
    details: { url: maskUrl(url) },
    cause,
  })
}

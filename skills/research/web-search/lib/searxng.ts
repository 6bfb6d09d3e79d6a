import { maskUrl, SkillOSError } from '@skillos/contracts'
import { z } from 'zod'
import { clip, roundTo, toIsoDate, type SearchResult } from './search-result.js'

const searxngResponseSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      url: z.string(),
      title: z.string().nullish(),
      content: z.string().nullish(),
      engine: z.string().nullish(),
      engines: z.array(z.string()).nullish(),
      score: z.number().nullish(),
      publishedDate: z.string().nullish(),
    }),
  ),
  number_of_results: z.number().nullish(),
})
export type SearxngResponse = z.infer<typeof searxngResponseSchema>

export interface SearxngRequest {
  /** The instance, e.g. `https://searx.example.org` or `http://user:pass@10.0.0.5:8888/searx`. */
  baseUrl: string
  query: string
  language?: 'en' | 'ru'
  limit: number
  timeoutMs: number
  signal?: AbortSignal
  fetch?: typeof fetch
}

/**
 * The `GET /search?q=…&format=json` URL of a SearXNG instance (language `all` when none is given),
 * and the Basic authorization header for credentials written into the base URL (fetch refuses
 * URLs that carry them).
 *
 * @example
 * ```ts
 * searxngSearchUrl('http://u:p@localhost:8888/searx', 'oyster grades', 'en').url
 * // 'http://localhost:8888/searx/search?q=oyster+grades&format=json&language=en&pageno=1'
 * ```
 */
export function searxngSearchUrl(
  baseUrl: string,
  query: string,
  language?: 'en' | 'ru',
): { url: string; authorization?: string } {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
  const user = decodeURIComponent(base.username)
  const password = decodeURIComponent(base.password)
  base.username = ''
  base.password = ''
  const url = new URL('search', base)
  url.search = new URLSearchParams({
    q: query,
    format: 'json',
    language: language ?? 'all',
    pageno: '1',
  }).toString()
  return {
    url: url.toString(),
    ...(user || password
      ? { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
      : {}),
  }
}

/**
 * Map a SearXNG JSON answer to ranked results: entries without a title or an http(s) URL are
 * dropped, duplicates of a URL keep the first, content is clipped to a snippet, scores keep three
 * decimals, `publishedDate` becomes `YYYY-MM-DD`.
 */
export function toSearchResults(response: SearxngResponse, limit: number): SearchResult[] {
  const seen = new Set<string>()
  const results: SearchResult[] = []
  for (const hit of response.results) {
    const title = hit.title?.trim()
    if (!title || !/^https?:\/\//i.test(hit.url) || seen.has(hit.url)) continue
    seen.add(hit.url)
    const engine = hit.engines?.length ? hit.engines.join(', ') : (hit.engine ?? undefined)
    const publishedDate = toIsoDate(hit.publishedDate)
    results.push({
      rank: results.length + 1,
      title: clip(title, 200),
      url: hit.url,
      snippet: clip(hit.content ?? '', 300),
      score: roundTo(hit.score ?? 0, 3),
      ...(publishedDate ? { publishedDate } : {}),
      ...(engine ? { engine } : {}),
    })
    if (results.length >= limit) break
  }
  return results
}

/**
 * Search through a SearXNG instance's JSON API. Fails loudly, naming the instance (credentials
 * masked): `UNAVAILABLE` when it cannot be reached, times out or answers 5xx/429;
 * `UPSTREAM_FAILED` for any other non-2xx answer (403: JSON output is disabled on the instance)
 * or a body that is not SearXNG JSON. Never falls back to another provider.
 */
export async function searchSearxng(
  request: SearxngRequest,
): Promise<{ results: SearchResult[]; total: number }> {
  const shown = maskUrl(request.baseUrl)
  let target: { url: string; authorization?: string }
  try {
    target = searxngSearchUrl(request.baseUrl, request.query, request.language)
  } catch (cause) {
    throw new SkillOSError({
      code: 'CONFIG_INVALID',
      message: `searxngUrl: ${shown} is not a valid URL`,
      cause,
    })
  }
  const timeout = AbortSignal.timeout(request.timeoutMs)
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout
  let response: Response
  try {
    response = await (request.fetch ?? fetch)(target.url, {
      headers: {
        accept: 'application/json',
        ...(target.authorization ? { authorization: target.authorization } : {}),
      },
      signal,
    })
  } catch (cause) {
    if (request.signal?.aborted) {
      throw new SkillOSError({ code: 'CANCELLED', message: 'The search was cancelled', cause })
    }
    const reason = timeout.aborted
      ? `did not answer within ${request.timeoutMs} ms`
      : `cannot be reached (${describeNetworkError(cause)})`
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `SearXNG at ${shown} ${reason}`,
      details: { url: shown },
      cause,
    })
  }
  if (!response.ok) {
    const status = response.status
    const hint =
      status === 403 ? ': enable the json format under search.formats in its settings.yml' : ''
    throw new SkillOSError({
      code: status >= 500 || status === 429 ? 'UNAVAILABLE' : 'UPSTREAM_FAILED',
      message: `SearXNG at ${shown} answered HTTP ${status}${hint}`,
      details: { url: shown, status },
    })
  }
  let body: unknown
  try {
    body = await response.json()
  } catch (cause) {
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `SearXNG at ${shown} did not answer with JSON`,
      details: { url: shown },
      cause,
    })
  }
  const parsed = searxngResponseSchema.safeParse(body)
  if (!parsed.success) {
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `SearXNG at ${shown} answered JSON without a results list (${parsed.error.issues[0]?.path.join('.') || 'body'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`,
      details: { url: shown },
    })
  }
  return {
    results: toSearchResults(parsed.data, request.limit),
    total: parsed.data.results.length,
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}

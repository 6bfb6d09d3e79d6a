import { maskUrl, SkillOSError, UnavailableError, ValidationError } from '@skillos/contracts'
import type { z } from 'zod'

const MAX_DETAIL_CHARS = 300

export interface ProviderCall {
  /** `openai`, `anthropic`: named in every error. */
  provider: string
  url: string
  headers: Record<string, string>
  body: unknown
  fetch: typeof fetch
  timeoutMs: number
  signal?: AbortSignal | undefined
  /** Removed from any text that ends up in an error, should a provider echo it. */
  apiKey?: string | undefined
}

/** `Retry-After`: seconds or an HTTP date → milliseconds to wait (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000))
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function scrub(text: string, apiKey: string | undefined): string {
  const clean = apiKey ? text.split(apiKey).join('***') : text
  return clean.length > MAX_DETAIL_CHARS ? `${clean.slice(0, MAX_DETAIL_CHARS)}…` : clean
}

/** The provider's own error message from an error body (`{ error: { message } }` in both APIs). */
function providerMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown }
    if (typeof body.error === 'string') return body.error
    if (typeof body.error?.message === 'string') return body.error.message
    if (typeof body.message === 'string') return body.message
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.trim() || undefined
}

function socketCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}

function httpError(call: ProviderCall, response: Response, text: string): SkillOSError {
  const status = response.status
  const where = `Model provider ${call.provider} (${maskUrl(call.url)})`
  if (status === 401 || status === 403) {
    // The body of a refused key may quote part of it: say nothing of it.
    return new SkillOSError({
      code: 'UNAUTHENTICATED',
      message: `${where} refused the API key (HTTP ${status}); check SKILLOS_MODEL_API_KEY (model.apiKey)`,
      details: { provider: call.provider, status },
    })
  }
  const detail = providerMessage(text)
  const said = detail ? `: ${scrub(detail, call.apiKey)}` : ''
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'))
    return new SkillOSError({
      code: 'RATE_LIMITED',
      message: `${where} is rate limiting requests (HTTP 429)${retryAfterMs === undefined ? '' : `; retry in ${Math.ceil(retryAfterMs / 1000)} s`}${said}`,
      details: {
        provider: call.provider,
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
    })
  }
  return new SkillOSError({
    code: 'UPSTREAM_FAILED',
    message: `${where} failed with HTTP ${status}${said}`,
    details: { provider: call.provider, status },
  })
}

/**
 * POST JSON to a model provider and parse the answer with `schema`, turning every failure into a
 * SkillOS error that names the provider and the masked URL and never the key.
 */
export async function postJson<S extends z.ZodType>(
  call: ProviderCall,
  schema: S,
): Promise<z.output<S>> {
  const timer = AbortSignal.timeout(call.timeoutMs)
  const signal = call.signal ? AbortSignal.any([call.signal, timer]) : timer
  const where = `Model provider ${call.provider} (${maskUrl(call.url)})`
  let response: Response
  let text: string
  try {
    response = await call.fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...call.headers },
      body: JSON.stringify(call.body),
      signal,
    })
    text = await response.text()
  } catch (error) {
    if (call.signal?.aborted) {
      throw new SkillOSError({
        code: 'CANCELLED',
        message: `${where}: the request was cancelled`,
        details: { provider: call.provider },
      })
    }
    if (timer.aborted) {
      throw new SkillOSError({
        code: 'TIMEOUT',
        message: `${where} did not answer within ${call.timeoutMs} ms`,
        details: { provider: call.provider, timeoutMs: call.timeoutMs },
      })
    }
    const code = socketCode(error)
    throw new UnavailableError(
      `${where} cannot be reached${code ? ` (${code})` : ''}; check SKILLOS_MODEL_BASE_URL (model.baseUrl)`,
      { url: maskUrl(call.url), service: `model:${call.provider}`, ...(code ? { code } : {}) },
    )
  }
  if (!response.ok) throw httpError(call, response, text)

  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `${where} answered HTTP ${response.status} with a body that is not JSON`,
      details: { provider: call.provider, status: response.status },
    })
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `${where} answered in an unexpected shape: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
      details: { provider: call.provider, status: response.status },
    })
  }
  return parsed.data
}

/**
 * `https://api.openai.com/v1/` + `chat/completions` → one slash between them, the query kept
 * (Azure-style `?api-version=…`). A base that is not a URL is a `VALIDATION_FAILED` naming it, masked.
 */
export function joinUrl(base: string, path: string): string {
  let url: URL
  try {
    url = new URL(base)
  } catch {
    throw new ValidationError(`baseUrl: "${maskUrl(base)}" is not a valid URL`, [
      { path: 'baseUrl', message: 'is not a valid URL' },
    ])
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
  return url.toString()
}

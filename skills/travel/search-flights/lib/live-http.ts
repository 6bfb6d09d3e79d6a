import { maskUrl, SkillOSError } from '@skillos/contracts'
import type { z } from 'zod'

/** Settings of a live adapter (`skills.settings["travel/search-flights"]`, `…/search-hotels`). */
export interface LiveSettings {
  /** Base URL of the API, e.g. `https://flights.example.com/v1`. */
  apiUrl: string
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string | undefined
  /** Per-request timeout, ms (default 10 000). */
  timeoutMs?: number | undefined
}

/** Reads the live settings from `ctx.config`; `undefined` when no `apiUrl` is configured. */
export function liveSettingsFrom(
  config: Readonly<Record<string, unknown>>,
): LiveSettings | undefined {
  const { apiUrl, apiKey, timeoutMs } = config
  if (typeof apiUrl !== 'string' || apiUrl.trim() === '') return undefined
  return {
    apiUrl: apiUrl.trim(),
    ...(typeof apiKey === 'string' && apiKey ? { apiKey } : {}),
    ...(typeof timeoutMs === 'number' && timeoutMs > 0 ? { timeoutMs } : {}),
  }
}

/** `{apiUrl}/{resource}`, the base URL's trailing slashes dropped. */
export function liveUrl(settings: LiveSettings, resource: string): URL {
  return new URL(`${settings.apiUrl.replace(/\/+$/, '')}/${resource}`)
}

/**
 * `GET url` as JSON, the body checked against `schema`. Credentials written in the URL are sent
 * as Basic auth, `settings.apiKey` as a Bearer token. Any failure — unreachable, timeout, non-2xx
 * status, malformed body — is an `UNAVAILABLE` error `"{api} API {masked url} …"`.
 *
 * @example
 * ```ts
 * const body = await fetchLiveJson('flights', liveUrl(settings, 'flights'), schema, settings, ctx.signal)
 * ```
 */
export async function fetchLiveJson<T extends z.ZodType>(
  api: string,
  url: URL,
  schema: T,
  settings: LiveSettings,
  signal?: AbortSignal,
): Promise<z.output<T>> {
  const shown = url.toString()
  const unavailable = (reason: string, cause?: unknown): SkillOSError =>
    new SkillOSError({
      code: 'UNAVAILABLE',
      message: `${api} API ${maskUrl(shown)} ${reason}`,
      ...(cause !== undefined ? { cause } : {}),
    })
  // fetch refuses credentials in the URL: send them as Basic auth instead.
  const basic =
    url.username || url.password
      ? Buffer.from(
          `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
        ).toString('base64')
      : undefined
  url.username = ''
  url.password = ''
  const timeout = AbortSignal.timeout(settings.timeoutMs ?? 10_000)
  let response: Response
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(basic ? { authorization: `Basic ${basic}` } : {}),
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
      },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
  } catch (error) {
    throw unavailable(`is unreachable: ${describeFailure(error)}`, error)
  }
  if (!response.ok) throw unavailable(`answered HTTP ${response.status} ${response.statusText}`)
  let body: unknown
  try {
    body = await response.json()
  } catch (error) {
    throw unavailable('answered with a body that is not JSON', error)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success)
    throw unavailable(
      `answered with an unexpected body: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    )
  return parsed.data
}

/** "fetch failed (ECONNREFUSED)", "The operation was aborted due to timeout". */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause as { code?: unknown } | undefined
  return typeof cause?.code === 'string' ? `${error.message} (${cause.code})` : error.message
}

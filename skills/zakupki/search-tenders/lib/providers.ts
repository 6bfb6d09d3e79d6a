import { readFile } from 'node:fs/promises'
import { SkillOSError, maskUrl } from '@skillos/contracts'
import { parseNotices, type Notice } from './notice.js'

/** Where notices come from and the moment they describe. */
export interface NoticeSource {
  kind: 'offline' | 'live'
  name: string
  /** The moment "open" is judged against: the dataset's snapshot, or now for a live feed. */
  asOfMs: number
  notices: Notice[]
}

/** A port: something that returns the current notices. */
export type NoticeProvider = (signal: AbortSignal) => Promise<NoticeSource>

let offlineCache: { url: string; source: Promise<NoticeSource> } | undefined

/**
 * The notices shipped with the skill (`fixtures/notices.json`: a dated sample in the ЕИС open-data
 * shape). Read once per process. A broken fixture is a bug, reported as INTERNAL.
 */
export function createOfflineProvider(fixtureUrl: URL): NoticeProvider {
  return () => {
    if (offlineCache?.url !== fixtureUrl.href) {
      offlineCache = { url: fixtureUrl.href, source: readOffline(fixtureUrl) }
    }
    return offlineCache.source
  }
}

async function readOffline(fixtureUrl: URL): Promise<NoticeSource> {
  const data = JSON.parse(await readFile(fixtureUrl, 'utf8')) as {
    source: string
    snapshotAt: string
    notices: unknown
  }
  const { notices, problems } = parseNotices(data.notices)
  if (problems.length > 0) {
    throw new SkillOSError({
      code: 'INTERNAL',
      message: `fixtures/notices.json: record ${problems[0]?.index} ${problems[0]?.field}: ${problems[0]?.message}`,
    })
  }
  return { kind: 'offline', name: data.source, asOfMs: Date.parse(data.snapshotAt), notices }
}

/**
 * A live feed: GET `feedUrl`, a JSON list of notices in the same shape as the fixtures (or an object
 * with a `notices` list). Unreachable or a non-2xx answer → UNAVAILABLE; a body that is not such a
 * list → UPSTREAM_FAILED. Both name the (masked) URL. Never falls back to the offline data.
 */
export function createLiveProvider(
  feedUrl: string,
  options: { timeoutMs?: number; now?: () => number } = {},
): NoticeProvider {
  const shown = maskUrl(feedUrl)
  const { url, headers } = splitCredentials(feedUrl)
  return async (signal) => {
    let response: Response
    try {
      response = await fetch(url, {
        headers,
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
      })
    } catch (cause) {
      throw new SkillOSError({
        code: 'UNAVAILABLE',
        message: `tender feed ${shown} is unreachable: ${describeFailure(cause).replaceAll(feedUrl, shown)}`,
        details: { url: shown },
        cause,
      })
    }
    if (!response.ok) {
      throw new SkillOSError({
        code: 'UNAVAILABLE',
        message: `tender feed ${shown} answered HTTP ${response.status}`,
        details: { url: shown, status: response.status },
      })
    }
    let body: unknown
    try {
      body = await response.json()
    } catch (cause) {
      throw new SkillOSError({
        code: 'UPSTREAM_FAILED',
        message: `tender feed ${shown} did not return JSON`,
        details: { url: shown },
        cause,
      })
    }
    const list =
      typeof body === 'object' && body !== null && !Array.isArray(body) && 'notices' in body
        ? (body as { notices: unknown }).notices
        : body
    const { notices, problems } = parseNotices(list)
    const first = problems[0]
    if (first) {
      throw new SkillOSError({
        code: 'UPSTREAM_FAILED',
        message:
          first.index < 0
            ? `tender feed ${shown}: ${first.message}`
            : `tender feed ${shown}: notice ${first.index} ${first.field}: ${first.message}`,
        details: { url: shown, problems: problems.slice(0, 10) },
      })
    }
    return { kind: 'live', name: shown, asOfMs: (options.now ?? Date.now)(), notices }
  }
}

/** `fetch` refuses URLs with credentials: send them as HTTP Basic authentication instead. */
function splitCredentials(feedUrl: string): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { accept: 'application/json' }
  const parsed = new URL(feedUrl)
  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username)
    const password = decodeURIComponent(parsed.password)
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    parsed.username = ''
    parsed.password = ''
  }
  return { url: parsed.toString(), headers }
}

/** The most telling reason of a network failure (`fetch failed` hides `ECONNREFUSED` in its cause). */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const inner = error.cause as { code?: unknown; message?: unknown } | undefined
  if (inner && typeof inner.code === 'string') return `${error.message} (${inner.code})`
  return error.message
}

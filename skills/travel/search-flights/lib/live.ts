import { maskUrl, SkillOSError } from '@skillos/contracts'
import { z } from 'zod'
import { scheduledFlightSchema, type FlightProvider } from './schedule.js'

/** Settings of the live adapter (`skills.settings["travel/search-flights"]`). */
export interface LiveSettings {
  /** Base URL of the flights API, e.g. `https://flights.example.com/v1`. */
  apiUrl: string
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string | undefined
  /** Per-request timeout, ms (default 10 000). */
  timeoutMs?: number | undefined
}

/** The body the live API answers `GET {apiUrl}/flights?…` with. */
export const liveResponseSchema = z.object({
  asOf: z.string().min(1),
  flights: z.array(scheduledFlightSchema.partial({ id: true, days: true, via: true })),
})

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

function unavailable(url: string, reason: string, cause?: unknown): SkillOSError {
  return new SkillOSError({
    code: 'UNAVAILABLE',
    message: `flights API ${maskUrl(url)} ${reason}`,
    ...(cause !== undefined ? { cause } : {}),
  })
}

/**
 * The live provider: `GET {apiUrl}/flights?origin=SVO,DME,VKO&destination=AER&date=2026-12-15`,
 * answered with `{ asOf, flights: [...] }` (flights shaped as in `fixtures/flights.json`; `id`,
 * `days` and `via` optional). Any failure — unreachable, timeout, non-2xx status, malformed body —
 * is an `UNAVAILABLE` error naming the (masked) URL; it never falls back to the offline data.
 *
 * @example
 * ```ts
 * const provider = createLiveProvider({ apiUrl: 'http://127.0.0.1:8080' }, ctx.signal)
 * ```
 */
export function createLiveProvider(settings: LiveSettings, signal?: AbortSignal): FlightProvider {
  return {
    source: 'live',
    async flightsOn(origins, destinations, date) {
      const url = new URL(`${settings.apiUrl.replace(/\/+$/, '')}/flights`)
      url.searchParams.set('origin', origins.join(','))
      if (destinations.length > 0) url.searchParams.set('destination', destinations.join(','))
      url.searchParams.set('date', date)
      const shown = url.toString()
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
        throw unavailable(shown, `is unreachable: ${describeFailure(error)}`, error)
      }
      if (!response.ok)
        throw unavailable(shown, `answered HTTP ${response.status} ${response.statusText}`)
      let body: unknown
      try {
        body = await response.json()
      } catch (error) {
        throw unavailable(shown, 'answered with a body that is not JSON', error)
      }
      const parsed = liveResponseSchema.safeParse(body)
      if (!parsed.success)
        throw unavailable(
          shown,
          `answered with an unexpected body: ${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')}`,
        )
      return {
        asOf: parsed.data.asOf,
        flights: parsed.data.flights.map((f, i) => ({
          ...f,
          id: f.id ?? `live-${date}-${i + 1}`,
          via: f.via ?? [],
          days: f.days ?? [1, 2, 3, 4, 5, 6, 7],
        })),
      }
    },
  }
}

/** "fetch failed (ECONNREFUSED)", "The operation was aborted due to timeout". */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause as { code?: unknown } | undefined
  return typeof cause?.code === 'string' ? `${error.message} (${cause.code})` : error.message
}

import { maskUrl, SkillOSError } from '@skillos/contracts'
import { z } from 'zod'
import { amenities, type Hotel } from './catalog.js'
import type { HotelProvider } from './search.js'

/** Settings of the live adapter (`skills.settings["travel/search-hotels"]`). */
export interface LiveSettings {
  apiUrl: string
  apiKey?: string | undefined
  timeoutMs?: number | undefined
}

/** The body the live API answers `GET {apiUrl}/hotels?…` with. */
export const liveResponseSchema = z.object({
  asOf: z.string().min(1),
  hotels: z.array(
    z.object({
      id: z.string().min(1).optional(),
      name: z.string().min(1),
      stars: z.number().int().min(0).max(5),
      rating: z.number().min(0).max(10),
      pricePerNight: z.number().min(0),
      currency: z.string().regex(/^[A-Z]{3}$/),
      roomCapacity: z.number().int().min(1).optional(),
      lat: z.number().min(-90).max(90),
      lon: z.number().min(-180).max(180),
      amenities: z.array(z.enum(amenities)).optional(),
    }),
  ),
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
    message: `hotels API ${maskUrl(url)} ${reason}`,
    ...(cause !== undefined ? { cause } : {}),
  })
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause as { code?: unknown } | undefined
  return typeof cause?.code === 'string' ? `${error.message} (${cause.code})` : error.message
}

/**
 * The live provider: `GET {apiUrl}/hotels?city=Lisbon&checkIn=…&checkOut=…&nights=3&guests=2`,
 * answered with `{ asOf, hotels: [...] }`. Any failure is an `UNAVAILABLE` error naming the
 * (masked) URL; it never falls back to the offline catalogue.
 *
 * @example
 * ```ts
 * const provider = createLiveProvider({ apiUrl: 'http://127.0.0.1:8080' }, ctx.signal)
 * ```
 */
export function createLiveProvider(settings: LiveSettings, signal?: AbortSignal): HotelProvider {
  return {
    source: 'live',
    async hotelsIn(city, stay, guests) {
      const url = new URL(`${settings.apiUrl.replace(/\/+$/, '')}/hotels`)
      url.searchParams.set('city', city.name)
      if (stay.checkIn) url.searchParams.set('checkIn', stay.checkIn)
      if (stay.checkOut) url.searchParams.set('checkOut', stay.checkOut)
      url.searchParams.set('nights', String(stay.nights))
      url.searchParams.set('guests', String(guests))
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
        hotels: parsed.data.hotels.map((h, i): Hotel => ({
          ...h,
          id: h.id ?? `live-${i + 1}`,
          city: city.name,
          roomCapacity: h.roomCapacity ?? 2,
          amenities: h.amenities ?? [],
        })),
      }
    },
  }
}

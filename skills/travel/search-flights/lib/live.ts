import { z } from 'zod'
import { fetchLiveJson, liveUrl, type LiveSettings } from './live-http.js'
import { scheduledFlightSchema, type FlightProvider } from './schedule.js'

export { liveSettingsFrom, type LiveSettings } from './live-http.js'

/** The body the live API answers `GET {apiUrl}/flights?…` with. */
export const liveResponseSchema = z.object({
  asOf: z.string().min(1),
  flights: z.array(scheduledFlightSchema.partial({ id: true, days: true, via: true })),
})

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
      const url = liveUrl(settings, 'flights')
      url.searchParams.set('origin', origins.join(','))
      if (destinations.length > 0) url.searchParams.set('destination', destinations.join(','))
      url.searchParams.set('date', date)
      const data = await fetchLiveJson('flights', url, liveResponseSchema, settings, signal)
      return {
        asOf: data.asOf,
        flights: data.flights.map((f, i) => ({
          ...f,
          id: f.id ?? `live-${date}-${i + 1}`,
          via: f.via ?? [],
          days: f.days ?? [1, 2, 3, 4, 5, 6, 7],
        })),
      }
    },
  }
}

import {
  fetchLiveJson,
  liveUrl,
  type LiveSettings,
} from '@skillos-skills/travel-search-flights/live-http'
import { z } from 'zod'
import { amenities, type Hotel } from './catalog.js'
import type { HotelProvider } from './search.js'

export {
  liveSettingsFrom,
  type LiveSettings,
} from '@skillos-skills/travel-search-flights/live-http'

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
      const url = liveUrl(settings, 'hotels')
      url.searchParams.set('city', city.name)
      if (stay.checkIn) url.searchParams.set('checkIn', stay.checkIn)
      if (stay.checkOut) url.searchParams.set('checkOut', stay.checkOut)
      url.searchParams.set('nights', String(stay.nights))
      url.searchParams.set('guests', String(guests))
      const data = await fetchLiveJson('hotels', url, liveResponseSchema, settings, signal)
      return {
        asOf: data.asOf,
        hotels: data.hotels.map((h, i): Hotel => ({
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

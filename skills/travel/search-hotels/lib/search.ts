import { normalizeName } from '@skillos-skills/travel-plan-route/cities'
import { haversineKm, type LatLon } from '@skillos-skills/travel-plan-route/geo'
import {
  convertMinor,
  fromMinor,
  toMinor,
  type RateTable,
} from '@skillos-skills/travel-search-flights/money'
import { SkillOSError } from '@skillos/contracts'
import type { Amenity, Hotel, HotelCity, Landmark } from './catalog.js'
import { resolveStay, type Stay } from './stay.js'

/** How results are ordered. */
export type HotelSort = 'price' | 'rating' | 'distance'

/** A hotel search, after the orchestrator filled it. */
export interface HotelQuery {
  city: string
  checkIn?: string | undefined
  checkOut?: string | undefined
  nights?: number | undefined
  guests: number
  /** Highest price per room per night, in `currency`. */
  maxPrice?: number | undefined
  currency?: string | undefined
  minRating?: number | undefined
  minStars?: number | undefined
  /** From the centre, or from `near` / `point` when given. */
  maxDistanceKm?: number | undefined
  near?: string | undefined
  /** `"lat,lon"`. */
  point?: string | undefined
  amenities?: Amenity[] | undefined
  sortBy: HotelSort
}

/** Where hotels come from: the shipped catalogue, or a live API. */
export interface HotelProvider {
  readonly source: 'offline' | 'live'
  hotelsIn(city: HotelCity, stay: Stay, guests: number): Promise<{ asOf: string; hotels: Hotel[] }>
}

/** One result. */
export interface HotelOffer {
  id: string
  name: string
  stars: number
  rating: number
  lat: number
  lon: number
  amenities: Amenity[]
  distanceToCentreKm: number
  /** From `near` / `point`, when given. */
  distanceKm?: number
  rooms: number
  nights: number
  /** Per room per night, in the hotel's currency. */
  pricePerNight: number
  hotelCurrency: string
  /** The stay in the hotel's currency. */
  totalInHotelCurrency: number
  /** Per room per night, in the result currency. */
  nightlyPrice: number
  /** The stay (all rooms, all nights), in the result currency. */
  total: number
  currency: string
}

/** The search result. */
export interface HotelSearchResult {
  source: 'offline' | 'live'
  city: { name: string; centre: string; lat: number; lon: number }
  reference?: { name: string; lat: number; lon: number }
  stay: Stay
  guests: number
  currency: string
  count: number
  hotels: HotelOffer[]
  cheapest?: { name: string; total: number; currency: string }
  dataAsOf: string
  ratesAsOf: string
  notes: string[]
}

/** What the search needs besides the query. */
export interface HotelSearchContext {
  provider: HotelProvider
  findCity: (query: string) => HotelCity | undefined
  cities: readonly HotelCity[]
  rates: RateTable
  today: string
}

function invalid(message: string): SkillOSError {
  return new SkillOSError({ code: 'VALIDATION_FAILED', message })
}

/** Rounds a distance to 10 m. */
function km2(value: number): number {
  return Math.round(value * 100) / 100
}

/**
 * `"38.7077, -9.1365"` → `{ lat, lon }`; throws `VALIDATION_FAILED` for anything else.
 *
 * @example
 * ```ts
 * parsePoint('38.7077,-9.1365') // { lat: 38.7077, lon: -9.1365 }
 * ```
 */
export function parsePoint(text: string): LatLon {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)
  const lat = Number(match?.[1])
  const lon = Number(match?.[2])
  if (!match || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    throw invalid(`point: "${text}" is not "latitude,longitude" in degrees (e.g. "48.8606,2.3376")`)
  return { lat, lon }
}

function findLandmark(city: HotelCity, name: string): Landmark {
  const key = normalizeName(name)
  const names = (l: Landmark): string[] => [normalizeName(l.name), normalizeName(l.nameRu)]
  // Exact first; then a shorter form of the name ("Кремль" for "Казанский кремль").
  const landmark =
    city.landmarks.find((l) => names(l).includes(key)) ??
    city.landmarks.find((l) => names(l).some((n) => ` ${n} `.includes(` ${key} `)))
  if (!landmark)
    throw invalid(
      `near: "${name}" is not a landmark of ${city.name}; known there: ${city.landmarks.map((l) => l.name).join(', ')}`,
    )
  return landmark
}

/**
 * Searches hotels in a city: resolves the stay (nights from the dates), prices each hotel for the
 * stay — rooms = guests ÷ room capacity, rounded up; price per room per night × nights × rooms in
 * integer minor units, converted once into the result currency (default: the city's) — measures
 * haversine distances to the centre and to `near` / `point`, filters (price per night, rating,
 * stars, distance, amenities) and sorts by price, rating or distance. Throws `VALIDATION_FAILED`
 * naming the field for an unknown city or landmark, a malformed point, bad dates or currency.
 *
 * @example
 * ```ts
 * const result = await searchHotels({ city: 'Lisbon', nights: 3, guests: 2, maxPrice: 100, currency: 'EUR', sortBy: 'price' }, context)
 * result.hotels[0]?.name // 'Ibis Lisboa Liberdade'
 * ```
 */
export async function searchHotels(
  query: HotelQuery,
  context: HotelSearchContext,
): Promise<HotelSearchResult> {
  const city = context.findCity(query.city)
  if (!city)
    throw invalid(
      `city: unknown city "${query.city}"; the catalogue covers ${context.cities.map((c) => c.name).join(', ')}`,
    )
  const stay = resolveStay(query, context.today)
  if (query.near !== undefined && query.point !== undefined)
    throw invalid('near: give either a landmark (near) or coordinates (point), not both')
  const reference = query.point
    ? { name: query.point.trim(), ...parsePoint(query.point) }
    : query.near
      ? findLandmark(city, query.near)
      : undefined
  for (const [field, value] of [
    ['maxPrice', query.maxPrice],
    ['maxDistanceKm', query.maxDistanceKm],
  ] as const)
    if (value !== undefined && value < 0)
      throw invalid(`${field}: must not be negative (got ${value})`)
  const currency = (query.currency ?? city.currency).toUpperCase()
  if (context.rates.rates[currency] === undefined)
    throw invalid(
      `currency: no exchange rate for ${currency}; known: ${Object.keys(context.rates.rates).join(', ')}`,
    )

  const { asOf, hotels } = await context.provider.hotelsIn(city, stay, query.guests)
  const maxNightlyMinor = query.maxPrice !== undefined ? toMinor(query.maxPrice) : undefined
  const offers: (HotelOffer & { sortDistance: number; totalMinor: number })[] = []
  for (const hotel of hotels) {
    const toCentre = haversineKm(hotel, city.centre)
    const toReference = reference ? haversineKm(hotel, reference) : undefined
    const rooms = Math.ceil(query.guests / Math.max(1, hotel.roomCapacity))
    const nightlyMinor = toMinor(hotel.pricePerNight)
    const stayMinor = nightlyMinor * stay.nights * rooms
    const nightly = convertMinor(nightlyMinor, hotel.currency, currency, context.rates)
    const totalMinor = convertMinor(stayMinor, hotel.currency, currency, context.rates)
    const distance = toReference ?? toCentre
    if (query.minStars !== undefined && hotel.stars < query.minStars) continue
    if (query.minRating !== undefined && hotel.rating < query.minRating) continue
    if (query.maxDistanceKm !== undefined && distance > query.maxDistanceKm) continue
    if (maxNightlyMinor !== undefined && nightly > maxNightlyMinor) continue
    if (query.amenities?.some((a) => !hotel.amenities.includes(a))) continue
    offers.push({
      id: hotel.id,
      name: hotel.name,
      stars: hotel.stars,
      rating: hotel.rating,
      lat: hotel.lat,
      lon: hotel.lon,
      amenities: hotel.amenities,
      distanceToCentreKm: km2(toCentre),
      ...(toReference !== undefined ? { distanceKm: km2(toReference) } : {}),
      rooms,
      nights: stay.nights,
      pricePerNight: fromMinor(nightlyMinor),
      hotelCurrency: hotel.currency,
      totalInHotelCurrency: fromMinor(stayMinor),
      nightlyPrice: fromMinor(nightly),
      total: fromMinor(totalMinor),
      currency,
      sortDistance: distance,
      totalMinor,
    })
  }
  offers.sort((a, b) => {
    const primary =
      query.sortBy === 'rating'
        ? b.rating - a.rating
        : query.sortBy === 'distance'
          ? a.sortDistance - b.sortDistance
          : a.totalMinor - b.totalMinor
    return primary || a.totalMinor - b.totalMinor || a.name.localeCompare(b.name)
  })
  const notes: string[] = []
  if (!stay.checkIn) notes.push(`No dates given: priced for ${stay.nights} night(s).`)
  if (offers.length === 0) notes.push('No hotel matches these filters.')
  if (offers.some((o) => o.hotelCurrency !== currency))
    notes.push(`Totals converted to ${currency} at rates of ${context.rates.asOf}.`)
  const cheapest = [...offers].sort((a, b) => a.totalMinor - b.totalMinor)[0]
  return {
    source: context.provider.source,
    city: {
      name: city.name,
      centre: city.centre.label,
      lat: city.centre.lat,
      lon: city.centre.lon,
    },
    ...(reference
      ? { reference: { name: reference.name, lat: reference.lat, lon: reference.lon } }
      : {}),
    stay,
    guests: query.guests,
    currency,
    count: offers.length,
    hotels: offers.map(({ sortDistance: _d, totalMinor: _t, ...offer }) => offer),
    ...(cheapest ? { cheapest: { name: cheapest.name, total: cheapest.total, currency } } : {}),
    dataAsOf: asOf,
    ratesAsOf: context.rates.asOf,
    notes,
  }
}

/**
 * The offline provider: the catalogue's hotels in the city (prices do not vary by date).
 *
 * @example
 * ```ts
 * const provider = createOfflineProvider(loadCatalog())
 * ```
 */
export function createOfflineProvider(catalog: {
  asOf: string
  hotels: readonly Hotel[]
}): HotelProvider {
  return {
    source: 'offline',
    async hotelsIn(city) {
      return { asOf: catalog.asOf, hotels: catalog.hotels.filter((h) => h.city === city.name) }
    },
  }
}

import { readFileSync } from 'node:fs'
import { createNameIndex, normalizeName } from '@skillos-skills/travel-plan-route/cities'
import type { LatLon } from '@skillos-skills/travel-plan-route/geo'

export const amenities = [
  'wifi',
  'breakfast',
  'parking',
  'pool',
  'spa',
  'gym',
  'beach',
  'airport-shuttle',
  'pets',
  'kitchen',
] as const
export type Amenity = (typeof amenities)[number]

/** A named place in a city to measure distances from. */
export interface Landmark extends LatLon {
  name: string
  nameRu: string
}

/** A city of the catalogue: its centre, the currency hotels there price in, landmarks. */
export interface HotelCity {
  name: string
  nameRu: string
  country: string
  currency: string
  centre: LatLon & { label: string }
  aliases: string[]
  landmarks: Landmark[]
}

/** A hotel: price per room per night (standard double), room capacity, position, amenities. */
export interface Hotel extends LatLon {
  id: string
  city: string
  name: string
  stars: number
  /** Guest rating, 0–10. */
  rating: number
  pricePerNight: number
  currency: string
  roomCapacity: number
  amenities: Amenity[]
}

/** The shipped catalogue. */
export interface HotelCatalog {
  asOf: string
  note: string
  cities: HotelCity[]
  hotels: Hotel[]
}

/** Loads `fixtures/hotels.json`. */
export function loadCatalog(): HotelCatalog {
  const url = new URL('../fixtures/hotels.json', import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as HotelCatalog
}

/** Every landmark name of the catalogue, EN then RU, each once (the `near` enum). */
export function landmarkNames(cities: readonly HotelCity[]): string[] {
  const names: string[] = []
  for (const city of cities)
    for (const l of city.landmarks)
      for (const n of [l.name, l.nameRu]) if (!names.includes(n)) names.push(n)
  return names
}

/**
 * Finds a catalogue city by EN/RU name (any Russian case form) or alias.
 *
 * @example
 * ```ts
 * createCityFinder(loadCatalog().cities)('Санкт-Петербурге')?.name // 'Saint Petersburg'
 * ```
 */
export function createCityFinder(
  cities: readonly HotelCity[],
): (query: string) => HotelCity | undefined {
  const byName = createNameIndex(cities, (city) => [city.name, city.nameRu, ...city.aliases])
  return (query) => byName.find(normalizeName(query))
}

import { readFileSync } from 'node:fs'
import type { LatLon } from './geo.js'

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

/** Lower case, Latin accents dropped, `ё` → `е`, punctuation to spaces, `st` → `saint`. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[\u00C0-\u024F]/g, (ch) => ch.normalize('NFKD').replace(/\p{M}/gu, ''))
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^st (?=\p{L})/u, 'saint ')
}

const RU_ENDING =
  /(?:ами|ями|ого|его|ому|ему|ой|ей|ом|ем|ах|ях|ам|ям|ую|юю|ая|яя|ий|ый|а|я|у|ю|е|и|ы|ь|й|о)$/u

/** The stem of a Russian place name, so "Казани" and "Казань" compare equal. */
export function russianStem(normalized: string): string {
  const words = normalized.split(' ')
  const last = words.pop() ?? ''
  const stem = last.length > 3 ? last.replace(RU_ENDING, '') : last
  return [...words.map((w) => (w.length > 4 ? w.replace(RU_ENDING, '') : w)), stem].join(' ')
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
  const byName = new Map<string, HotelCity>()
  const byStem = new Map<string, HotelCity>()
  for (const city of cities)
    for (const name of [city.name, city.nameRu, ...city.aliases]) {
      const key = normalizeName(name)
      if (!byName.has(key)) byName.set(key, city)
      if (/[а-я]/.test(key) && !byStem.has(russianStem(key))) byStem.set(russianStem(key), city)
    }
  return (query) => {
    const key = normalizeName(query)
    return byName.get(key) ?? (/[а-я]/.test(key) ? byStem.get(russianStem(key)) : undefined)
  }
}

import { readFileSync } from 'node:fs'
import { createNameIndex, normalizeName } from '@skillos-skills/travel-plan-route/cities'

/** An airport of the shipped table. */
export interface Airport {
  code: string
  name: string
  /** IANA time zone. */
  timeZone: string
}

/** A city served by the schedule, with its airports. */
export interface AirportCity {
  name: string
  nameRu: string
  country: string
  cityCode: string
  /** Currency fares from this city are sold in. */
  currency: string
  aliases: string[]
  airports: Airport[]
}

/** What a place name or code resolved to. */
export interface ResolvedPlace {
  city: AirportCity
  /** The airports meant: all of the city's, or the one named by its code. */
  airports: Airport[]
}

/** Loads `fixtures/airports.json`. */
export function loadAirports(): { asOf: string; cities: AirportCity[] } {
  const url = new URL('../fixtures/airports.json', import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as { asOf: string; cities: AirportCity[] }
}

/**
 * Resolves a city name (EN/RU, any Russian case form, aliases), an IATA city code (`MOW`) or an
 * airport code (`SVO`) to the city and the airports meant.
 *
 * @example
 * ```ts
 * const find = createPlaceFinder(loadAirports().cities)
 * find('Москвы')?.airports.map((a) => a.code) // ['SVO', 'DME', 'VKO']
 * find('VKO')?.airports.map((a) => a.code) // ['VKO']
 * ```
 */
export function createPlaceFinder(
  cities: readonly AirportCity[],
): (query: string) => ResolvedPlace | undefined {
  const byName = createNameIndex(cities, (city) => [city.name, city.nameRu, ...city.aliases])
  const byCode = new Map<string, ResolvedPlace>()
  for (const city of cities) {
    for (const airport of city.airports) byCode.set(airport.code, { city, airports: [airport] })
    // A city code names all the city's airports (MOW = SVO + DME + VKO), and wins over an
    // airport sharing it (LED is both).
    byCode.set(city.cityCode, { city, airports: city.airports })
  }
  return (query) => {
    const trimmed = query.trim()
    const code = byCode.get(trimmed.toUpperCase())
    if (/^[A-Za-z]{3}$/.test(trimmed) && code && !byName.exact(normalizeName(trimmed))) return code
    const city = byName.find(normalizeName(trimmed))
    return city ? { city, airports: city.airports } : undefined
  }
}

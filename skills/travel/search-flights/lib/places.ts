import { readFileSync } from 'node:fs'

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

/** The stem of a Russian place name, so "Москвы", "Москве" and "Москва" compare equal. */
export function russianStem(normalized: string): string {
  const words = normalized.split(' ')
  const last = words.pop() ?? ''
  const stem = last.length > 3 ? last.replace(RU_ENDING, '') : last
  return [...words.map((w) => (w.length > 4 ? w.replace(RU_ENDING, '') : w)), stem].join(' ')
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
  const byName = new Map<string, AirportCity>()
  const byStem = new Map<string, AirportCity>()
  const byCode = new Map<string, ResolvedPlace>()
  for (const city of cities) {
    for (const name of [city.name, city.nameRu, ...city.aliases]) {
      const key = normalizeName(name)
      if (!byName.has(key)) byName.set(key, city)
      if (/[а-я]/.test(key) && !byStem.has(russianStem(key))) byStem.set(russianStem(key), city)
    }
    for (const airport of city.airports) byCode.set(airport.code, { city, airports: [airport] })
    // A city code names all the city's airports (MOW = SVO + DME + VKO), and wins over an
    // airport sharing it (LED is both).
    byCode.set(city.cityCode, { city, airports: city.airports })
  }
  return (query) => {
    const trimmed = query.trim()
    const code = byCode.get(trimmed.toUpperCase())
    if (/^[A-Za-z]{3}$/.test(trimmed) && code && !byName.has(normalizeName(trimmed))) return code
    const key = normalizeName(trimmed)
    const city = byName.get(key) ?? (/[а-я]/.test(key) ? byStem.get(russianStem(key)) : undefined)
    return city ? { city, airports: city.airports } : undefined
  }
}

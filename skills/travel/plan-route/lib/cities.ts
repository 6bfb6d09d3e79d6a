import { readFileSync } from 'node:fs'
import type { LatLon } from './geo.js'

/** A city of the shipped gazetteer. */
export interface City extends LatLon {
  name: string
  nameRu: string
  /** ISO 3166 alpha-2. */
  country: string
  /** IATA city or main-airport code, when the city has an airport. */
  iata?: string
  aliases?: string[]
}

/** The gazetteer file: when and from what it was compiled, and its cities. */
export interface CityGazetteer {
  asOf: string
  source: string
  cities: City[]
}

/** Loads `fixtures/cities.json` (read once per module instance). */
export function loadGazetteer(): CityGazetteer {
  const url = new URL('../fixtures/cities.json', import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as CityGazetteer
}

/** Lower case, Latin accents dropped, `ё` → `е`, punctuation and hyphens to single spaces, `st`/`st.` → `saint`. */
export function normalizeName(name: string): string {
  return (
    name
      .normalize('NFC')
      // Latin accents only: NFKD would also turn Russian "й" into "и".
      .replace(/[\u00C0-\u024F]/g, (ch) => ch.normalize('NFKD').replace(/\p{M}/gu, ''))
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .replace(/^st (?=\p{L})/u, 'saint ')
  )
}

// Russian case endings, longest first: "Казани" → "казан", "Санкт-Петербурга" → "санкт петербург".
const RU_ENDING =
  /(?:ами|ями|ого|его|ому|ему|ой|ей|ом|ем|ах|ях|ам|ям|ую|юю|ая|яя|ий|ый|а|я|у|ю|е|и|ы|ь|й|о)$/u

/** The stem of a Russian place name for case-insensitive matching (last word declined only). */
export function russianStem(normalized: string): string {
  const words = normalized.split(' ')
  const last = words.pop() ?? ''
  const stem = last.length > 3 ? last.replace(RU_ENDING, '') : last
  return [...words.map((w) => (w.length > 4 ? w.replace(RU_ENDING, '') : w)), stem].join(' ')
}

/** Looks places up by any of their names, normalised (see `normalizeName`). */
export interface NameIndex<T> {
  /** The first place one of whose names normalises to exactly `key`. */
  exact(key: string): T | undefined
  /** `exact`, then for a Cyrillic `key` the first place sharing its Russian stem (any case form). */
  find(key: string): T | undefined
}

/**
 * Indexes places by their names (EN, RU, aliases), and Russian names also by stem, so "Казани"
 * finds Kazan. The first place to claim a name or a stem keeps it. Keys given to the index must
 * already be normalised.
 *
 * @example
 * ```ts
 * const index = createNameIndex(cities, (c) => [c.name, c.nameRu])
 * index.find(normalizeName('из Казани'))?.name // 'Kazan'
 * ```
 */
export function createNameIndex<T>(
  places: readonly T[],
  namesOf: (place: T) => readonly string[],
): NameIndex<T> {
  const byName = new Map<string, T>()
  const byStem = new Map<string, T>()
  for (const place of places)
    for (const name of namesOf(place)) {
      const key = normalizeName(name)
      if (!byName.has(key)) byName.set(key, place)
      if (/[а-я]/.test(key) && !byStem.has(russianStem(key))) byStem.set(russianStem(key), place)
    }
  return {
    exact: (key) => byName.get(key),
    find: (key) =>
      byName.get(key) ?? (/[а-я]/.test(key) ? byStem.get(russianStem(key)) : undefined),
  }
}

/** Finds cities by EN/RU name, alias or IATA code. */
export interface CityIndex {
  /** The city, or `undefined` when the gazetteer does not know it. */
  find(query: string): City | undefined
  /** Up to `limit` known names within a few typos of the query, closest first, for error messages. */
  suggest(query: string, limit?: number): string[]
}

/**
 * Builds a lookup over the gazetteer: exact names and aliases (EN and RU, accents and `ё` ignored),
 * upper-case IATA codes, then Russian case forms ("из Казани", "в Санкт-Петербурге").
 *
 * @example
 * ```ts
 * const index = createCityIndex(loadGazetteer().cities)
 * index.find('Санкт-Петербурга')?.name // 'Saint Petersburg'
 * index.find('LED')?.name // 'Saint Petersburg'
 * ```
 */
export function createCityIndex(cities: readonly City[]): CityIndex {
  const byName = createNameIndex(cities, (city) => [
    city.name,
    city.nameRu,
    ...(city.aliases ?? []),
  ])
  const byCode = new Map<string, City>()
  for (const city of cities) if (city.iata) byCode.set(city.iata, city)
  return {
    find(query) {
      const trimmed = query.trim()
      if (/^[A-Z]{3}$/.test(trimmed) && byCode.has(trimmed)) return byCode.get(trimmed)
      const key = normalizeName(trimmed)
      if (!key) return undefined
      return byName.find(key)
    },
    suggest(query, limit = 3) {
      const key = normalizeName(query)
      if (key.length < 3) return []
      const russian = /[а-я]/.test(key)
      const budget = Math.max(1, Math.floor(key.length / 3))
      return cities
        .map((c) => {
          const name = russian ? c.nameRu : c.name
          return { name, distance: editDistance(key, normalizeName(name)) }
        })
        .filter((s) => s.distance <= budget)
        .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
        .slice(0, limit)
        .map((s) => s.name)
    },
  }
}

/** Levenshtein distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(
        Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitute),
      )
    }
    previous = current
  }
  return previous[b.length] as number
}

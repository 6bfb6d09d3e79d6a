import { SkillOSError } from '@skillos/contracts'
import { createCityIndex, type City, type CityGazetteer } from './cities.js'
import { addDays, allocateDays, DEFAULT_DAYS_PER_CITY, isCalendarDate } from './days.js'
import { haversineKm, round1 } from './geo.js'
import { estimateHours, suggestMode, type TravelMode } from './legs.js'
import { pathLength, shortestRoute, type RouteSolution } from './route.js'

/** What the traveller asks for. */
export interface TripRequest {
  startCity?: string | undefined
  cities: string[]
  finish?: string | undefined
  days?: number | undefined
  stays?: { city: string; days: number }[] | undefined
  startDate?: string | undefined
  loop?: boolean | undefined
}

/** One place on the route, in visiting order. */
export interface RouteStop {
  city: string
  nameRu: string
  country: string
  lat: number
  lon: number
  /** Days spent there (0 for a start or end that is only passed through). */
  days: number
  arrive?: string
  depart?: string
}

/** A move between two consecutive places. */
export interface RouteLeg {
  from: string
  to: string
  distanceKm: number
  mode: TravelMode
  estimatedHours: number
  date?: string
}

/** The planned trip. */
export interface TripPlan {
  method: RouteSolution['method']
  roundTrip: boolean
  route: RouteStop[]
  legs: RouteLeg[]
  totals: {
    distanceKm: number
    days: number
    travelHours: number
    legs: number
    /** The same trip in the order the cities were given, for comparison. */
    givenOrderKm: number
  }
  startDate?: string
  endDate?: string
  dataAsOf: string
  notes: string[]
}

function invalid(message: string): SkillOSError {
  return new SkillOSError({ code: 'VALIDATION_FAILED', message })
}

/**
 * Plans a multi-city trip: resolves the cities in the gazetteer (EN/RU names, aliases, IATA codes,
 * Russian case forms), finds the shortest order over great-circle distances with the start, end
 * and round-trip constraints, splits the days over the stays and dates them from `startDate`.
 * Throws `VALIDATION_FAILED` naming the field for unknown cities, impossible dates or days that
 * cannot cover the stays.
 *
 * @example
 * ```ts
 * const plan = planTrip({ startCity: 'Moscow', cities: ['Sochi', 'Kazan', 'Saint Petersburg'], days: 10 }, loadGazetteer())
 * plan.route.map((s) => s.city) // ['Moscow', 'Saint Petersburg', 'Kazan', 'Sochi']
 * ```
 */
export function planTrip(request: TripRequest, gazetteer: CityGazetteer): TripPlan {
  const index = createCityIndex(gazetteer.cities)
  const resolve = (field: string, names: readonly string[]): City[] => {
    const unknown = names.filter((n) => !index.find(n))
    if (unknown.length > 0) {
      const hints = unknown
        .map((n) => ({ n, s: index.suggest(n) }))
        .filter((h) => h.s.length > 0)
        .map((h) => ` (for "${h.n}" did you mean ${h.s.join(', ')}?)`)
        .join('')
      throw invalid(
        `${field}: unknown ${unknown.length > 1 ? 'cities' : 'city'} ${unknown.map((n) => `"${n}"`).join(', ')}${hints}; the route planner knows ${gazetteer.cities.length} cities`,
      )
    }
    return names.map((n) => index.find(n) as City)
  }
  if (request.startDate !== undefined && !isCalendarDate(request.startDate))
    throw invalid(`startDate: "${request.startDate}" is not a calendar date (YYYY-MM-DD)`)
  if (request.cities.length === 0) throw invalid('cities: name at least one city to visit')

  const notes: string[] = []
  const visits = unique(resolve('cities', request.cities))
  let start = request.startCity ? resolve('startCity', [request.startCity])[0] : undefined
  const finish = request.finish ? resolve('finish', [request.finish])[0] : undefined
  if (request.loop && finish && start && finish.name !== start.name)
    throw invalid(
      `finish: a round trip ends where it starts (${start.name}), not in ${finish.name}`,
    )
  if (request.loop && !start) {
    start = visits[0]
    notes.push(`No start city given: the round trip starts and ends in ${start?.name}.`)
  }
  const end = request.loop ? start : finish
  const roundTrip = start !== undefined && end !== undefined && start.name === end.name

  const nodes = unique([...(start ? [start] : []), ...visits, ...(end ? [end] : [])])
  const at = (k: number): City => nodes[k] as City
  const indexOf = (city: City | undefined): number | undefined =>
    city ? nodes.findIndex((n) => n.name === city.name) : undefined
  const dist = (i: number, j: number): number => haversineKm(at(i), at(j))
  const ends = { start: indexOf(start), end: indexOf(end) }
  const solution = shortestRoute(nodes.length, dist, {
    ...(ends.start !== undefined ? { start: ends.start } : {}),
    ...(ends.end !== undefined ? { end: ends.end } : {}),
  })

  // Which positions of the order hold a stay: the first visit of every city to visit.
  const staying = new Set(visits.map((v) => v.name))
  const stayPositions: number[] = []
  const seen = new Set<string>()
  solution.order.forEach((node, position) => {
    const name = at(node).name
    if (staying.has(name) && !seen.has(name)) stayPositions.push(position)
    seen.add(name)
  })
  const given = new Map<string, number>()
  for (const stay of request.stays ?? []) {
    const city = resolve('stays', [stay.city])[0] as City
    if (!staying.has(city.name))
      throw invalid(`stays: ${city.name} is not one of the cities to visit`)
    if (given.has(city.name)) throw invalid(`stays: ${city.name} is given twice`)
    given.set(city.name, stay.days)
  }
  const stayNames = stayPositions.map((p) => at(solution.order[p] as number).name)
  const days = allocateDays(stayNames, request.days, given)
  if (request.days === undefined && given.size < stayNames.length)
    notes.push(`No trip length given: ${DEFAULT_DAYS_PER_CITY} days per city assumed.`)

  const route: RouteStop[] = []
  const legs: RouteLeg[] = []
  let day = 0
  const dated = (offset: number): { date?: string } =>
    request.startDate ? { date: addDays(request.startDate, offset) } : {}
  solution.order.forEach((node, position) => {
    const city = at(node)
    const stay = stayPositions.indexOf(position)
    const length = stay >= 0 ? (days[stay] as number) : 0
    const arrive = dated(day).date
    day += length
    const depart = dated(day).date
    route.push({
      city: city.name,
      nameRu: city.nameRu,
      country: city.country,
      lat: city.lat,
      lon: city.lon,
      days: length,
      // A start only passed through is left on day 0; an end only passed through is reached.
      ...(arrive && (length > 0 || position > 0) ? { arrive } : {}),
      ...(depart && (length > 0 || position === 0) ? { depart } : {}),
    })
    const nextNode = solution.order[position + 1]
    if (nextNode === undefined) return
    const km = dist(node, nextNode)
    const mode = suggestMode(km)
    legs.push({
      from: city.name,
      to: at(nextNode).name,
      distanceKm: round1(km),
      mode,
      estimatedHours: estimateHours(km, mode),
      ...dated(day),
    })
  })

  const givenOrder = [
    ...(ends.start !== undefined ? [ends.start] : []),
    ...visits.map((v) => indexOf(v) as number).filter((i) => i !== ends.start && i !== ends.end),
    ...(ends.end !== undefined && (roundTrip || ends.end !== ends.start) ? [ends.end] : []),
  ]
  return {
    method: solution.method,
    roundTrip,
    route,
    legs,
    totals: {
      distanceKm: round1(solution.length),
      days: day,
      travelHours: round1(legs.reduce((sum, leg) => sum + leg.estimatedHours, 0)),
      legs: legs.length,
      givenOrderKm: round1(pathLength(givenOrder, dist)),
    },
    ...(request.startDate
      ? { startDate: request.startDate, endDate: addDays(request.startDate, day) }
      : {}),
    dataAsOf: gazetteer.asOf,
    notes,
  }
}

function unique(cities: readonly (City | undefined)[]): City[] {
  const out: City[] = []
  for (const city of cities) if (city && !out.some((c) => c.name === city.name)) out.push(city)
  return out
}

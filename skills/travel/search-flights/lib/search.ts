import { SkillOSError } from '@skillos/contracts'
import { convertMinor, fromMinor, toMinor, type RateTable } from './money.js'
import type { AirportCity, ResolvedPlace } from './places.js'
import type { Cabin, Fare, FlightProvider, ScheduledFlight } from './schedule.js'
import {
  addDays,
  formatDuration,
  isCalendarDate,
  minutesOfDay,
  utcToZoned,
  zonedToUtc,
} from './time.js'

/** How results are ordered. */
export type SortKey = 'price' | 'duration' | 'departure'

/** A flight search, after the orchestrator filled it. */
export interface FlightQuery {
  origin: string
  destination?: string | undefined
  /** Departure date; absent: the next 7 days from tomorrow. */
  date?: string | undefined
  passengers: number
  cabin: Cabin
  /** Highest price per passenger, in `currency`. */
  maxPrice?: number | undefined
  currency?: string | undefined
  maxStops?: number | undefined
  directOnly?: boolean | undefined
  /** `false`: no connections (nonstop only). */
  connections?: boolean | undefined
  /** Only fares with at least one checked bag. */
  baggage?: boolean | undefined
  timeFrom?: string | undefined
  timeTo?: string | undefined
  sortBy: SortKey
}

/** One bookable result. */
export interface FlightOffer {
  date: string
  flightNumber: string
  carrier: string
  carrierName: string
  origin: string
  destination: string
  via: string[]
  stops: number
  departureTime: string
  arrivalDate: string
  arrivalTime: string
  durationMinutes: number
  duration: string
  cabin: Cabin
  fareClass: string
  baggage: Fare['baggage']
  /** One-way price per passenger in the fare's currency. */
  pricePerPassenger: number
  fareCurrency: string
  /** All passengers, in the fare's currency. */
  totalFare: number
  /** All passengers, in the result currency. */
  total: number
  currency: string
}

/** The search result. */
export interface FlightSearchResult {
  source: 'offline' | 'live'
  origin: { city: string; airports: string[] }
  destination?: { city: string; airports: string[] }
  dates: string[]
  passengers: number
  cabin: Cabin
  currency: string
  /** How many flights matched; `flights` holds the first {@link MAX_RESULTS}. */
  count: number
  flights: FlightOffer[]
  cheapest?: { flightNumber: string; date: string; total: number; currency: string }
  dataAsOf: string
  ratesAsOf: string
  notes: string[]
}

/** At most this many offers are returned. */
export const MAX_RESULTS = 20
/** Without a date, this many days from tomorrow are searched. */
export const FLEXIBLE_DAYS = 7

/** What the search needs besides the query. */
export interface SearchContext {
  provider: FlightProvider
  findPlace: (query: string) => ResolvedPlace | undefined
  cities: readonly AirportCity[]
  rates: RateTable
  /** Today in `YYYY-MM-DD` (the requester's date). */
  today: string
}

function invalid(message: string): SkillOSError {
  return new SkillOSError({ code: 'VALIDATION_FAILED', message })
}

function resolve(field: string, query: string, context: SearchContext): ResolvedPlace {
  const place = context.findPlace(query)
  if (!place)
    throw invalid(
      `${field}: unknown city or airport "${query}"; the schedule covers ${context.cities.map((c) => c.name).join(', ')}`,
    )
  return place
}

function inWindow(time: string, from: string | undefined, to: string | undefined): boolean {
  const t = minutesOfDay(time)
  const a = from === undefined ? 0 : minutesOfDay(from)
  const b = to === undefined ? 24 * 60 - 1 : minutesOfDay(to)
  // "from 22:00 to 06:00" wraps past midnight.
  return a <= b ? t >= a && t <= b : t >= a || t <= b
}

function cheapestFare(
  fares: readonly Fare[],
  cabin: Cabin,
  withBag: boolean,
  rates: RateTable,
): Fare | undefined {
  let best: { fare: Fare; rub: number } | undefined
  for (const fare of fares) {
    if (fare.cabin !== cabin || (withBag && fare.baggage.checkedPieces === 0)) continue
    const rub = convertMinor(toMinor(fare.price), fare.currency, rates.base, rates, 'fares')
    if (!best || rub < best.rub) best = { fare, rub }
  }
  return best?.fare
}

/**
 * Searches flights: resolves origin and destination (cities in EN/RU or IATA codes), asks the
 * provider for each date, keeps the flights that pass the filters (stops, nonstop, departure
 * window, checked bag, price per passenger), prices the cheapest fare of the cabin for all
 * passengers in integer minor units, converts to the result currency (default: the origin's) and
 * sorts by price, duration or departure. Throws `VALIDATION_FAILED` naming the field for unknown
 * places, impossible or past dates and unknown currencies.
 *
 * @example
 * ```ts
 * const result = await searchFlights({ origin: 'Paris', destination: 'Lisbon', date: '2026-11-27', passengers: 1, cabin: 'economy', sortBy: 'price' }, context)
 * result.flights[0]?.flightNumber // 'U2 4761'
 * ```
 */
export async function searchFlights(
  query: FlightQuery,
  context: SearchContext,
): Promise<FlightSearchResult> {
  const origin = resolve('origin', query.origin, context)
  const destination =
    query.destination !== undefined ? resolve('destination', query.destination, context) : undefined
  if (destination && destination.city.name === origin.city.name)
    throw invalid(`destination: ${destination.city.name} is also the origin`)
  if (query.date !== undefined) {
    if (!isCalendarDate(query.date))
      throw invalid(`date: "${query.date}" is not a calendar date (YYYY-MM-DD)`)
    if (query.date < context.today)
      throw invalid(`date: ${query.date} is in the past (today is ${context.today})`)
  }
  if (query.maxPrice !== undefined && query.maxPrice < 0)
    throw invalid(`maxPrice: must not be negative (got ${query.maxPrice})`)
  const currency = (query.currency ?? origin.city.currency).toUpperCase()
  if (context.rates.rates[currency] === undefined)
    throw invalid(
      `currency: no exchange rate for ${currency}; known: ${Object.keys(context.rates.rates).join(', ')}`,
    )

  const notes: string[] = []
  const dates =
    query.date !== undefined
      ? [query.date]
      : Array.from({ length: FLEXIBLE_DAYS }, (_, i) => addDays(context.today, i + 1))
  if (query.date === undefined)
    notes.push(`No date given: searched ${dates[0]} – ${dates[dates.length - 1]}.`)
  const nonstop = query.directOnly === true || query.connections === false || query.maxStops === 0
  const maxStops = nonstop ? 0 : query.maxStops
  const maxPriceMinor = query.maxPrice !== undefined ? toMinor(query.maxPrice) : undefined
  const zoneOf = new Map(
    context.cities.flatMap((c) => c.airports.map((a) => [a.code, a.timeZone] as const)),
  )

  const offers: (FlightOffer & { sortTotal: number })[] = []
  let asOf = ''
  for (const date of dates) {
    const answer = await context.provider.flightsOn(
      origin.airports.map((a) => a.code),
      destination ? destination.airports.map((a) => a.code) : [],
      date,
    )
    asOf = answer.asOf
    for (const flight of answer.flights) {
      const offer = priceFlight(flight, date, query, currency, context.rates, zoneOf)
      if (!offer) continue
      if (maxStops !== undefined && offer.stops > maxStops) continue
      if (!inWindow(offer.departureTime, query.timeFrom, query.timeTo)) continue
      const perPassenger = convertMinor(
        toMinor(offer.pricePerPassenger),
        offer.fareCurrency,
        currency,
        context.rates,
      )
      if (maxPriceMinor !== undefined && perPassenger > maxPriceMinor) continue
      offers.push({ ...offer, sortTotal: toMinor(offer.total) })
    }
  }
  const byDeparture = (a: FlightOffer, b: FlightOffer): number =>
    `${a.date}T${a.departureTime}`.localeCompare(`${b.date}T${b.departureTime}`)
  offers.sort((a, b) => {
    const primary =
      query.sortBy === 'duration'
        ? a.durationMinutes - b.durationMinutes
        : query.sortBy === 'departure'
          ? byDeparture(a, b)
          : a.sortTotal - b.sortTotal
    return primary || a.sortTotal - b.sortTotal || byDeparture(a, b)
  })
  const flights = offers.slice(0, MAX_RESULTS).map(({ sortTotal: _omit, ...offer }) => offer)
  const cheapest = [...offers].sort((a, b) => a.sortTotal - b.sortTotal || byDeparture(a, b))[0]
  if (offers.length === 0) notes.push('No flight matches these filters.')
  if (offers.length > MAX_RESULTS) notes.push(`Showing ${MAX_RESULTS} of ${offers.length} flights.`)
  if (flights.some((f) => f.fareCurrency !== currency))
    notes.push(`Totals converted to ${currency} at rates of ${context.rates.asOf}.`)
  return {
    source: context.provider.source,
    origin: { city: origin.city.name, airports: origin.airports.map((a) => a.code) },
    ...(destination
      ? {
          destination: {
            city: destination.city.name,
            airports: destination.airports.map((a) => a.code),
          },
        }
      : {}),
    dates,
    passengers: query.passengers,
    cabin: query.cabin,
    currency,
    count: offers.length,
    flights,
    ...(cheapest
      ? {
          cheapest: {
            flightNumber: cheapest.flightNumber,
            date: cheapest.date,
            total: cheapest.total,
            currency,
          },
        }
      : {}),
    dataAsOf: asOf,
    ratesAsOf: context.rates.asOf,
    notes,
  }
}

/** The offer for one flight on one date, or `undefined` when the cabin (or bag) is not sold. */
export function priceFlight(
  flight: ScheduledFlight,
  date: string,
  query: Pick<FlightQuery, 'cabin' | 'passengers' | 'baggage'>,
  currency: string,
  rates: RateTable,
  zoneOf: ReadonlyMap<string, string>,
): FlightOffer | undefined {
  const fare = cheapestFare(flight.fares, query.cabin, query.baggage === true, rates)
  if (!fare) return undefined
  const fromZone = zoneOf.get(flight.origin) ?? 'UTC'
  const toZone = zoneOf.get(flight.destination) ?? 'UTC'
  const departs = zonedToUtc(date, flight.departure, fromZone)
  const arrives = utcToZoned(departs + flight.durationMinutes * 60_000, toZone)
  const totalFareMinor = toMinor(fare.price) * query.passengers
  const totalMinor = convertMinor(totalFareMinor, fare.currency, currency, rates)
  return {
    date,
    flightNumber: flight.flightNumber,
    carrier: flight.carrier,
    carrierName: flight.carrierName,
    origin: flight.origin,
    destination: flight.destination,
    via: flight.via,
    stops: flight.via.length,
    departureTime: flight.departure,
    arrivalDate: arrives.date,
    arrivalTime: arrives.time,
    durationMinutes: flight.durationMinutes,
    duration: formatDuration(flight.durationMinutes),
    cabin: fare.cabin,
    fareClass: fare.fareClass,
    baggage: fare.baggage,
    pricePerPassenger: fromMinor(toMinor(fare.price)),
    fareCurrency: fare.currency,
    totalFare: fromMinor(totalFareMinor),
    total: fromMinor(totalMinor),
    currency,
  }
}

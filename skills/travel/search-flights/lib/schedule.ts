import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { isoWeekday } from './time.js'

export const cabins = ['economy', 'business'] as const
export type Cabin = (typeof cabins)[number]

/** One fare of a flight: a cabin, a fare family, a one-way price per passenger and its baggage. */
export const fareSchema = z.object({
  cabin: z.enum(cabins),
  fareClass: z.string().min(1),
  price: z.number().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  baggage: z.object({
    cabinKg: z.number().min(0),
    checkedPieces: z.number().int().min(0),
    checkedKg: z.number().min(0),
  }),
})
export type Fare = z.infer<typeof fareSchema>

/**
 * A scheduled flight (or a one-ticket itinerary with stops): the days of the week it operates,
 * the local departure time at the origin and the block time.
 */
export const scheduledFlightSchema = z.object({
  id: z.string().min(1),
  carrier: z.string().min(2),
  carrierName: z.string().min(1),
  flightNumber: z.string().min(1),
  origin: z.string().regex(/^[A-Z]{3}$/),
  destination: z.string().regex(/^[A-Z]{3}$/),
  via: z.array(z.string().regex(/^[A-Z]{3}$/)),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)),
  departure: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/),
  durationMinutes: z.number().int().positive(),
  fares: z.array(fareSchema).min(1),
})
export type ScheduledFlight = z.infer<typeof scheduledFlightSchema>

/** The shipped schedule file. */
export interface Schedule {
  asOf: string
  season: string
  note: string
  flights: ScheduledFlight[]
}

/** Where flights come from: the shipped schedule, or a live API. */
export interface FlightProvider {
  readonly source: 'offline' | 'live'
  /** Flights from any of `origins` to any of `destinations` (any when empty) on `date`. */
  flightsOn(
    origins: readonly string[],
    destinations: readonly string[],
    date: string,
  ): Promise<{ asOf: string; flights: ScheduledFlight[] }>
}

/** Loads and checks `fixtures/flights.json`. */
export function loadSchedule(): Schedule {
  const url = new URL('../fixtures/flights.json', import.meta.url)
  const data = JSON.parse(readFileSync(url, 'utf8')) as Schedule
  return { ...data, flights: z.array(scheduledFlightSchema).parse(data.flights) }
}

/**
 * The offline provider: the flights of the weekly schedule that operate on the date's weekday.
 *
 * @example
 * ```ts
 * const provider = createOfflineProvider(loadSchedule())
 * const { flights } = await provider.flightsOn(['SVO'], ['LED'], '2026-12-15')
 * ```
 */
export function createOfflineProvider(schedule: Schedule): FlightProvider {
  return {
    source: 'offline',
    async flightsOn(origins, destinations, date) {
      const weekday = isoWeekday(date)
      const flights = schedule.flights.filter(
        (f) =>
          origins.includes(f.origin) &&
          (destinations.length === 0 || destinations.includes(f.destination)) &&
          f.days.includes(weekday),
      )
      return { asOf: schedule.asOf, flights }
    },
  }
}

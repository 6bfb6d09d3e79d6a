import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { createLiveProvider, liveSettingsFrom } from './lib/live.js'
import { loadRates } from './lib/money.js'
import { createPlaceFinder, loadAirports } from './lib/places.js'
import { cabins, createOfflineProvider, loadSchedule } from './lib/schedule.js'
import { searchFlights } from './lib/search.js'

const airports = loadAirports()
const findPlace = createPlaceFinder(airports.cities)
const schedule = loadSchedule()
const offline = createOfflineProvider(schedule)
const rates = loadRates()

const time = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/, 'must be a time HH:MM')
const baggage = z.object({
  cabinKg: z.number().min(0),
  checkedPieces: z.number().int().min(0),
  checkedKg: z.number().min(0),
})
const place = z.object({ city: z.string(), airports: z.array(z.string()) })
const offer = z.object({
  date: z.string(),
  flightNumber: z.string(),
  carrier: z.string(),
  carrierName: z.string(),
  origin: z.string(),
  destination: z.string(),
  via: z.array(z.string()),
  stops: z.number().int().min(0),
  departureTime: z.string(),
  arrivalDate: z.string(),
  arrivalTime: z.string(),
  durationMinutes: z.number().int().positive(),
  duration: z.string(),
  cabin: z.enum(cabins),
  fareClass: z.string(),
  baggage,
  pricePerPassenger: z.number().min(0),
  fareCurrency: z.string(),
  totalFare: z.number().min(0),
  total: z.number().min(0),
  currency: z.string(),
})

export default defineSkill({
  input: z.object({
    origin: z.string().min(1),
    destination: z.string().min(1).optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .optional(),
    passengers: z.number().int().min(1).max(9).default(1),
    cabin: z.enum(cabins).default('economy'),
    maxPrice: z.number().min(10).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .optional(),
    maxStops: z.number().int().min(0).max(2).optional(),
    directOnly: z.boolean().optional(),
    connections: z.boolean().optional(),
    baggage: z.boolean().optional(),
    timeFrom: time.optional(),
    timeTo: time.optional(),
    sortBy: z.enum(['price', 'duration', 'departure']).default('price'),
  }),
  output: z.object({
    source: z.enum(['offline', 'live']),
    origin: place,
    destination: place.optional(),
    dates: z.array(z.string()),
    passengers: z.number().int().min(1),
    cabin: z.enum(cabins),
    currency: z.string(),
    count: z.number().int().min(0),
    flights: z.array(offer),
    cheapest: z
      .object({
        flightNumber: z.string(),
        date: z.string(),
        total: z.number().min(0),
        currency: z.string(),
      })
      .optional(),
    dataAsOf: z.string(),
    ratesAsOf: z.string(),
    notes: z.array(z.string()),
    summary: z.string(),
  }),
  async handler(input, ctx) {
    const live = liveSettingsFrom(ctx.config)
    const provider = live ? createLiveProvider(live, ctx.signal) : offline
    const result = await searchFlights(input, {
      provider,
      findPlace,
      cities: airports.cities,
      rates,
      today: new Date().toISOString().slice(0, 10),
    })
    ctx.log.info('flights searched', {
      source: result.source,
      origin: result.origin.city,
      destination: result.destination?.city,
      found: result.count,
    })
    const route = `${result.origin.city} → ${result.destination?.city ?? 'anywhere'}`
    const best = result.flights.find((f) => f.flightNumber === result.cheapest?.flightNumber)
    const summary = best
      ? `${result.count} flight${result.count === 1 ? '' : 's'} ${route}; cheapest ${best.carrierName} ` +
        `${best.flightNumber} on ${best.date} at ${best.departureTime} (${best.duration}, ` +
        `${best.stops === 0 ? 'direct' : `${best.stops} stop${best.stops === 1 ? '' : 's'}`}): ` +
        `${best.total} ${best.currency} for ${result.passengers} passenger${result.passengers === 1 ? '' : 's'}`
      : `No flights ${route} on ${result.dates.join(', ')}`
    return { ...result, summary }
  },
})

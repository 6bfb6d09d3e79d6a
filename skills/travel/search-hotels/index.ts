import { loadRates } from '@skillos-skills/travel-search-flights/money'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { amenities, createCityFinder, landmarkNames, loadCatalog } from './lib/catalog.js'
import { createLiveProvider, liveSettingsFrom } from './lib/live.js'
import { createOfflineProvider, searchHotels } from './lib/search.js'

const catalog = loadCatalog()
const findCity = createCityFinder(catalog.cities)
const offline = createOfflineProvider(catalog)
const rates = loadRates()
const landmarks = landmarkNames(catalog.cities) as [string, ...string[]]

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
const offer = z.object({
  id: z.string(),
  name: z.string(),
  stars: z.number().int().min(0).max(5),
  rating: z.number().min(0).max(10),
  lat: z.number(),
  lon: z.number(),
  amenities: z.array(z.enum(amenities)),
  distanceToCentreKm: z.number().min(0),
  distanceKm: z.number().min(0).optional(),
  rooms: z.number().int().min(1),
  nights: z.number().int().min(1),
  pricePerNight: z.number().min(0),
  hotelCurrency: z.string(),
  totalInHotelCurrency: z.number().min(0),
  nightlyPrice: z.number().min(0),
  total: z.number().min(0),
  currency: z.string(),
})

export default defineSkill({
  input: z.object({
    city: z.string().min(1),
    checkIn: date.optional(),
    checkOut: date.optional(),
    nights: z.number().int().min(1).max(60).optional(),
    guests: z.number().int().min(1).max(8).default(2),
    maxPrice: z.number().min(10).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .optional(),
    minRating: z.number().min(0).max(10).optional(),
    minStars: z.number().int().min(1).max(5).optional(),
    maxDistanceKm: z.number().positive().max(50).optional(),
    near: z.enum(landmarks).optional(),
    point: z.string().min(3).optional(),
    amenities: z.array(z.enum(amenities)).max(10).optional(),
    sortBy: z.enum(['price', 'rating', 'distance']).default('price'),
  }),
  output: z.object({
    source: z.enum(['offline', 'live']),
    city: z.object({ name: z.string(), centre: z.string(), lat: z.number(), lon: z.number() }),
    reference: z.object({ name: z.string(), lat: z.number(), lon: z.number() }).optional(),
    stay: z.object({
      nights: z.number().int().min(1),
      checkIn: z.string().optional(),
      checkOut: z.string().optional(),
    }),
    guests: z.number().int().min(1),
    currency: z.string(),
    count: z.number().int().min(0),
    hotels: z.array(offer),
    cheapest: z
      .object({ name: z.string(), total: z.number().min(0), currency: z.string() })
      .optional(),
    dataAsOf: z.string(),
    ratesAsOf: z.string(),
    notes: z.array(z.string()),
    summary: z.string(),
  }),
  async handler(input, ctx) {
    const live = liveSettingsFrom(ctx.config)
    const result = await searchHotels(input, {
      provider: live ? createLiveProvider(live, ctx.signal) : offline,
      findCity,
      cities: catalog.cities,
      rates,
      today: new Date().toISOString().slice(0, 10),
    })
    ctx.log.info('hotels searched', {
      source: result.source,
      city: result.city.name,
      found: result.count,
    })
    const best = result.hotels.find((h) => h.name === result.cheapest?.name)
    const nights = `${result.stay.nights} night${result.stay.nights === 1 ? '' : 's'}`
    const summary = best
      ? `${result.count} hotel${result.count === 1 ? '' : 's'} in ${result.city.name}; cheapest ${best.name} ` +
        `(${best.stars}★, rating ${best.rating}, ${best.distanceToCentreKm} km from the centre): ` +
        `${best.total} ${best.currency} for ${nights}` +
        (result.stay.checkIn ? ` from ${result.stay.checkIn}` : '')
      : `No hotels in ${result.city.name} match for ${nights}`
    return { ...result, summary }
  },
})

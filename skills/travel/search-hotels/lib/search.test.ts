import { loadRates } from '@skillos-skills/travel-search-flights/money'
import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { createCityFinder, loadCatalog } from './catalog.js'
import {
  createOfflineProvider,
  parsePoint,
  searchHotels,
  type HotelQuery,
  type HotelSearchResult,
} from './search.js'

const catalog = loadCatalog()
const context = {
  provider: createOfflineProvider(catalog),
  findCity: createCityFinder(catalog.cities),
  cities: catalog.cities,
  rates: loadRates(),
  today: '2026-11-21',
}

function search(query: Partial<HotelQuery> & { city: string }): Promise<HotelSearchResult> {
  return searchHotels({ guests: 2, sortBy: 'price', ...query }, context)
}

describe('searchHotels', () => {
  it('prices a three-night stay in Lisbon under 100 euros a night', async () => {
    const result = await search({ city: 'Lisbon', nights: 3, maxPrice: 100, currency: 'EUR' })
    expect(result.hotels).toEqual([
      {
        id: 'H048',
        name: 'Ibis Lisboa Liberdade',
        stars: 2,
        rating: 8.3,
        lat: 38.723,
        lon: -9.146,
        amenities: ['wifi'],
        distanceToCentreKm: 1.16,
        rooms: 1,
        nights: 3,
        pricePerNight: 85,
        hotelCurrency: 'EUR',
        totalInHotelCurrency: 255,
        nightlyPrice: 85,
        total: 255,
        currency: 'EUR',
      },
    ])
    expect(result).toMatchObject({
      source: 'offline',
      city: { name: 'Lisbon', centre: 'Rossio' },
      stay: { nights: 3 },
      count: 1,
      cheapest: { name: 'Ibis Lisboa Liberdade', total: 255, currency: 'EUR' },
      dataAsOf: '2025-10-01',
      ratesAsOf: '2025-10-01',
      notes: ['No dates given: priced for 3 night(s).'],
    })
  })

  it('needs more rooms for more guests than a room sleeps', async () => {
    const result = await search({ city: 'Moscow', guests: 5, checkIn: '2026-12-10', nights: 2 })
    expect(result.hotels.map((h) => [h.name, h.rooms, h.total])).toEqual([
      ['Cosmos Hotel', 2, 23200],
      ['Ibis Moscow Paveletskaya', 3, 41400],
      ['Azimut City Hotel Olympic Moscow', 3, 58800],
      ['Hotel National, a Luxury Collection Hotel', 3, 192000],
    ])
    expect(result.stay).toEqual({ nights: 2, checkIn: '2026-12-10', checkOut: '2026-12-12' })
  })

  it('measures from a landmark and sorts by that distance', async () => {
    const result = await search({ city: 'Paris', near: 'Louvre', sortBy: 'distance' })
    expect(result.reference).toEqual({ name: 'Louvre', lat: 48.8606, lon: 2.3376 })
    expect(result.hotels.map((h) => [h.name, h.distanceKm, h.distanceToCentreKm])).toEqual([
      ['Hôtel du Louvre', 0.29, 1.4],
      ['Le Meurice', 0.86, 2],
      ['Generator Paris', 3.02, 2.71],
      ['ibis Paris Gare de Lyon Diderot', 3.37, 2.23],
    ])
  })

  it('accepts a short Russian landmark name and a Russian city form', async () => {
    const result = await search({ city: 'Казани', near: 'Кремль', maxDistanceKm: 1.5 })
    expect(result.reference?.name).toBe('Kremlin')
    expect(result.hotels.map((h) => [h.name, h.distanceKm])).toEqual([
      ['Courtyard by Marriott Kazan Kremlin', 0.08],
      ['Kazan Palace by Tasigo', 1.3],
    ])
  })

  it('measures from coordinates given as a point', async () => {
    const result = await search({ city: 'Lisbon', point: '38.6916,-9.2160', sortBy: 'distance' })
    expect(result.hotels[0]).toMatchObject({ name: 'Pestana Palace Lisboa', distanceKm: 3.08 })
  })

  it.each([
    [{ minStars: 4 }, ['Courtyard by Marriott Kazan Kremlin', 'Kazan Palace by Tasigo']],
    [{ minRating: 9.1 }, ['Kazan Palace by Tasigo']],
    [{ maxDistanceKm: 1 }, ['Courtyard by Marriott Kazan Kremlin']],
    [{ amenities: ['parking' as const] }, ['Ibis Kazan Centre']],
    [{ maxPrice: 5000 }, ['Hotel Tatarstan']],
    [
      { sortBy: 'rating' as const },
      [
        'Kazan Palace by Tasigo',
        'Courtyard by Marriott Kazan Kremlin',
        'Ibis Kazan Centre',
        'Hotel Tatarstan',
      ],
    ],
  ])('filters Kazan with %j', async (filter, names) => {
    const result = await search({ city: 'Kazan', ...filter })
    expect(result.hotels.map((h) => h.name)).toEqual(names)
  })

  it('converts the stay into another currency once, from minor units', async () => {
    const result = await search({ city: 'Sochi', minRating: 8.5, currency: 'USD', nights: 3 })
    expect(
      result.hotels.map((h) => [h.name, h.nightlyPrice, h.totalInHotelCurrency, h.total]),
    ).toEqual([
      ['Radisson Blu Paradise Resort & Spa', 231.9, 56700, 695.71],
      ['Hyatt Regency Sochi', 263.8, 64500, 791.41],
    ])
    expect(result.notes).toContain('Totals converted to USD at rates of 2025-10-01.')
  })

  it('says when nothing matches', async () => {
    const result = await search({ city: 'Nice', minStars: 5, maxPrice: 50 })
    expect(result).toMatchObject({ count: 0, hotels: [] })
    expect(result.cheapest).toBeUndefined()
    expect(result.notes).toContain('No hotel matches these filters.')
  })

  it.each([
    [{ city: 'Gotham' }, 'city: unknown city "Gotham"'],
    [
      { city: 'Paris', near: 'Big Ben' },
      'near: "Big Ben" is not a landmark of Paris; known there: Louvre',
    ],
    [{ city: 'Lisbon', near: 'Louvre' }, 'near: "Louvre" is not a landmark of Lisbon'],
    [{ city: 'Paris', point: 'north of the river' }, 'point: "north of the river" is not'],
    [{ city: 'Paris', near: 'Louvre', point: '48.86,2.33' }, 'near: give either a landmark'],
    [{ city: 'Paris', currency: 'XYZ' }, 'currency: no exchange rate for XYZ'],
    [{ city: 'Paris', maxPrice: -1 }, 'maxPrice: must not be negative'],
    [
      { city: 'Paris', checkIn: '2026-12-14', checkOut: '2026-12-10' },
      'checkOut: 2026-12-10 must be after',
    ],
  ])('refuses %j', async (query, message) => {
    const error = await search(query).catch((e: unknown) => e)
    expect(SkillOSError.is(error)).toBe(true)
    expect((error as SkillOSError).code).toBe('VALIDATION_FAILED')
    expect((error as SkillOSError).message).toContain(message)
  })
})

describe('parsePoint', () => {
  it.each([
    ['38.7077,-9.1365', { lat: 38.7077, lon: -9.1365 }],
    [' 55.75 ; 37.62 ', { lat: 55.75, lon: 37.62 }],
    ['-33.9 18.4', { lat: -33.9, lon: 18.4 }],
  ])('%j → %j', (text, point) => {
    expect(parsePoint(text)).toEqual(point)
  })

  it.each(['91,0', '0,181', 'Louvre', '1,2,3'])('refuses %j', (text) => {
    expect(() => parsePoint(text)).toThrow('point:')
  })
})

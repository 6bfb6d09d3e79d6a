import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { loadRates } from './money.js'
import { createPlaceFinder, loadAirports } from './places.js'
import { createOfflineProvider, loadSchedule } from './schedule.js'
import { searchFlights, type FlightQuery, type FlightSearchResult } from './search.js'

const airports = loadAirports()
const schedule = loadSchedule()
const context = {
  provider: createOfflineProvider(schedule),
  findPlace: createPlaceFinder(airports.cities),
  cities: airports.cities,
  rates: loadRates(),
  today: '2026-11-21',
}
const base = { passengers: 1, cabin: 'economy', sortBy: 'price' } as const

function search(query: Partial<FlightQuery> & { origin: string }): Promise<FlightSearchResult> {
  return searchFlights({ ...base, ...query }, context)
}

const summary = (r: FlightSearchResult) =>
  r.flights.map((f) => [f.flightNumber, f.departureTime, f.arrivalTime, f.total])

describe('the shipped schedule', () => {
  it('holds about 150 flights between the 20 cities, all dated', () => {
    expect(schedule.flights.length).toBe(159)
    expect(schedule.asOf).toBe('2025-10-01')
    const codes = new Set(airports.cities.flatMap((c) => c.airports.map((a) => a.code)))
    for (const f of schedule.flights) {
      expect(codes.has(f.origin)).toBe(true)
      expect(codes.has(f.destination)).toBe(true)
    }
  })
})

describe('searchFlights', () => {
  it('prices every Moscow–Sochi flight for two passengers, cheapest first', async () => {
    const result = await search({
      origin: 'Москвы',
      destination: 'Сочи',
      date: '2026-12-15',
      passengers: 2,
    })
    expect(summary(result)).toEqual([
      ['DP 133', '09:05', '11:30', 12598],
      ['S7 2051', '14:50', '17:10', 16980],
      ['SU 1120', '08:15', '10:35', 19600],
      ['SU 1136', '17:30', '19:50', 22400],
    ])
    expect(result).toMatchObject({
      source: 'offline',
      origin: { city: 'Moscow', airports: ['SVO', 'DME', 'VKO'] },
      destination: { city: 'Sochi', airports: ['AER'] },
      currency: 'RUB',
      count: 4,
      cheapest: { flightNumber: 'DP 133', date: '2026-12-15', total: 12598, currency: 'RUB' },
      dataAsOf: '2025-10-01',
      ratesAsOf: '2025-10-01',
      notes: [],
    })
    expect(result.flights[0]).toMatchObject({
      fareClass: 'Basic',
      pricePerPassenger: 6299,
      totalFare: 12598,
      baggage: { cabinKg: 10, checkedPieces: 0, checkedKg: 0 },
    })
  })

  it('applies a price cap per passenger in another currency and converts the totals', async () => {
    const result = await search({
      origin: 'Moscow',
      destination: 'Istanbul',
      date: '2026-12-15',
      passengers: 2,
      maxPrice: 250,
      currency: 'EUR',
    })
    expect(summary(result)).toEqual([
      ['PC 397', '03:55', '07:40', 338.3],
      ['SU 2130', '07:55', '11:30', 465.96],
    ])
    expect(result.flights[0]).toMatchObject({ totalFare: 31800, fareCurrency: 'RUB' })
    expect(result.notes).toEqual(['Totals converted to EUR at rates of 2025-10-01.'])
  })

  it('shows connections with local arrival times across time zones', async () => {
    const result = await search({
      origin: 'Moscow',
      destination: 'Lisbon',
      date: '2026-12-15',
      currency: 'EUR',
    })
    expect(result.flights).toHaveLength(1)
    expect(result.flights[0]).toMatchObject({
      flightNumber: 'TK 414 / TK 1759',
      via: ['IST'],
      stops: 1,
      departureTime: '14:00',
      arrivalDate: '2026-12-15',
      arrivalTime: '21:35',
      duration: '10h 35m',
      total: 445.74,
    })
  })

  it.each([
    [{ directOnly: true }, 3],
    [{ connections: false }, 3],
    [{ maxStops: 0 }, 3],
    [{ maxStops: 1 }, 4],
    [{ connections: true }, 4],
  ])('stops filter %j leaves %i Moscow–Kazan flights', async (filter, count) => {
    const result = await search({
      origin: 'Moscow',
      destination: 'Kazan',
      date: '2026-12-15',
      ...filter,
    })
    expect(result.count).toBe(count)
  })

  it('sorts by duration, then by price', async () => {
    const result = await search({
      origin: 'Moscow',
      destination: 'Kazan',
      date: '2026-12-15',
      sortBy: 'duration',
    })
    expect(result.flights.map((f) => [f.flightNumber, f.durationMinutes])).toEqual([
      ['DP 6401', 95],
      ['UT 137', 95],
      ['SU 1190', 95],
      ['SU 1120 / UT 252', 435],
    ])
  })

  it('sorts by departure time', async () => {
    const result = await search({
      origin: 'Moscow',
      destination: 'Kazan',
      date: '2026-12-15',
      sortBy: 'departure',
    })
    expect(result.flights.map((f) => f.departureTime)).toEqual(['08:15', '09:10', '12:40', '18:25'])
  })

  it('with a checked bag picks the cheapest fare that includes one', async () => {
    const result = await search({
      origin: 'LED',
      destination: 'IST',
      date: '2026-12-16',
      baggage: true,
    })
    expect(result.flights).toHaveLength(1)
    expect(result.flights[0]).toMatchObject({
      flightNumber: 'TK 402',
      fareClass: 'Economy Classic',
      total: 32370,
      baggage: { checkedPieces: 1, checkedKg: 23 },
    })
  })

  it('filters business class by departure window', async () => {
    const result = await search({
      origin: 'Moscow',
      destination: 'Dubai',
      date: '2026-12-14',
      cabin: 'business',
      timeFrom: '12:00',
      timeTo: '18:00',
    })
    expect(summary(result)).toEqual([
      ['FZ 982', '13:15', '19:35', 84660],
      ['EK 132', '16:00', '22:20', 142800],
    ])
  })

  it('a window that wraps past midnight keeps evening and morning departures', async () => {
    const result = await search({
      origin: 'Almaty',
      destination: 'Beijing',
      date: '2026-12-15',
      timeFrom: '22:00',
      timeTo: '18:00',
    })
    expect(summary(result)).toEqual([['KC 877', '17:45', '01:15', 172000]])
    expect(result.flights[0]?.arrivalDate).toBe('2026-12-16')
  })

  it('without a date searches the next seven days', async () => {
    const result = await search({ origin: 'Paris', destination: 'Bordeaux' })
    expect(result.dates).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
    ])
    expect(result.count).toBe(7)
    expect(result.notes).toEqual(['No date given: searched 2026-11-22 – 2026-11-28.'])
  })

  it('without a destination lists every flight from the origin', async () => {
    const result = await search({ origin: 'Kazan', date: '2026-12-15' })
    expect(result.destination).toBeUndefined()
    expect(result.flights.map((f) => f.destination)).toEqual([
      'VKO',
      'VKO',
      'SVO',
      'AER',
      'IST',
      'CDG',
    ])
  })

  it('says when nothing matches', async () => {
    const result = await search({ origin: 'Moscow', destination: 'Lisbon', directOnly: true })
    expect(result).toMatchObject({ count: 0, flights: [] })
    expect(result.cheapest).toBeUndefined()
    expect(result.notes).toContain('No flight matches these filters.')
  })

  it.each([
    [{ origin: 'Atlantis' }, 'origin: unknown city or airport "Atlantis"'],
    [{ origin: 'Moscow', destination: 'London' }, 'destination: unknown city or airport "London"'],
    [{ origin: 'Moscow', destination: 'VKO' }, 'destination: Moscow is also the origin'],
    [{ origin: 'Moscow', date: '2026-02-30' }, 'date: "2026-02-30" is not a calendar date'],
    [{ origin: 'Moscow', date: '2026-11-20' }, 'date: 2026-11-20 is in the past'],
    [{ origin: 'Moscow', currency: 'XYZ' }, 'currency: no exchange rate for XYZ'],
    [{ origin: 'Moscow', maxPrice: -5 }, 'maxPrice: must not be negative'],
  ])('refuses %j', async (query, message) => {
    const error = await search(query).catch((e: unknown) => e)
    expect(SkillOSError.is(error)).toBe(true)
    expect((error as SkillOSError).code).toBe('VALIDATION_FAILED')
    expect((error as SkillOSError).message).toContain(message)
  })
})

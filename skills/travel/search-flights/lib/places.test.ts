import { describe, expect, it } from 'vitest'
import { createPlaceFinder, loadAirports } from './places.js'

const { cities, asOf } = loadAirports()
const find = createPlaceFinder(cities)

describe('places', () => {
  it('ships 20 cities with their airports and time zones', () => {
    expect(asOf).toBe('2025-10-01')
    expect(cities).toHaveLength(20)
    expect(cities.flatMap((c) => c.airports)).toHaveLength(24)
  })

  it.each([
    ['Moscow', 'Moscow', ['SVO', 'DME', 'VKO']],
    ['Москвы', 'Moscow', ['SVO', 'DME', 'VKO']],
    ['MOW', 'Moscow', ['SVO', 'DME', 'VKO']],
    ['VKO', 'Moscow', ['VKO']],
    ['svo', 'Moscow', ['SVO']],
    ['Saint Petersburg', 'Saint Petersburg', ['LED']],
    ['St. Petersburg', 'Saint Petersburg', ['LED']],
    ['Санкт-Петербурга', 'Saint Petersburg', ['LED']],
    ['Paris', 'Paris', ['CDG', 'ORY']],
    ['PAR', 'Paris', ['CDG', 'ORY']],
    ['ORY', 'Paris', ['ORY']],
    ['Ниццы', 'Nice', ['NCE']],
    ['Adler', 'Sochi', ['AER']],
    ['Пекин', 'Beijing', ['PEK']],
    ['BJS', 'Beijing', ['PEK']],
    ['Алма-Ата', 'Almaty', ['ALA']],
  ])('%s → %s %j', (query, city, codes) => {
    const place = find(query)
    expect(place?.city.name).toBe(city)
    expect(place?.airports.map((a) => a.code)).toEqual(codes)
  })

  it.each(['London', 'XXX', '', 'Atlantis'])('does not know %j', (query) => {
    expect(find(query)).toBeUndefined()
  })
})

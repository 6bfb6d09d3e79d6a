import { haversineKm } from '@skillos-skills/travel-plan-route/geo'
import { describe, expect, it } from 'vitest'
import { createCityFinder, landmarkNames, loadCatalog } from './catalog.js'

const catalog = loadCatalog()
const find = createCityFinder(catalog.cities)

describe('hotel catalogue', () => {
  it('holds 80 hotels in 20 cities, dated, each near its city centre', () => {
    expect(catalog.asOf).toBe('2025-10-01')
    expect(catalog.cities).toHaveLength(20)
    expect(catalog.hotels).toHaveLength(80)
    for (const hotel of catalog.hotels) {
      const city = catalog.cities.find((c) => c.name === hotel.city)
      expect(city, hotel.name).toBeDefined()
      expect(hotel.currency).toBe(city?.currency)
      expect(haversineKm(hotel, city?.centre ?? hotel)).toBeLessThan(40)
      expect(hotel.rating).toBeGreaterThanOrEqual(0)
      expect(hotel.rating).toBeLessThanOrEqual(10)
    }
  })

  it('names every landmark once, English then Russian', () => {
    const names = landmarkNames(catalog.cities)
    expect(names.slice(0, 4)).toEqual(['Red Square', 'Красная площадь', 'Kremlin', 'Кремль'])
    expect(new Set(names).size).toBe(names.length)
    expect(names).toHaveLength(59)
  })

  it.each([
    ['Lisbon', 'Lisbon'],
    ['Лиссабоне', 'Lisbon'],
    ['St. Petersburg', 'Saint Petersburg'],
    ['Санкт-Петербурге', 'Saint Petersburg'],
    ['Казани', 'Kazan'],
    ['Adler', 'Sochi'],
    ['Lisboa', 'Lisbon'],
  ])('finds %s → %s', (query, name) => {
    expect(find(query)?.name).toBe(name)
  })

  it.each(['London', 'Atlantis', ''])('does not know %j', (query) => {
    expect(find(query)).toBeUndefined()
  })
})

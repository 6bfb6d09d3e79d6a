import { describe, expect, it } from 'vitest'
import { haversineKm, round1 } from './geo.js'

describe('haversineKm', () => {
  it.each([
    [
      'Moscow → Saint Petersburg',
      { lat: 55.7558, lon: 37.6173 },
      { lat: 59.9343, lon: 30.3351 },
      633.0,
    ],
    ['Paris → Lisbon', { lat: 48.8566, lon: 2.3522 }, { lat: 38.7223, lon: -9.1393 }, 1452.9],
    ['one degree of longitude on the equator', { lat: 0, lon: 0 }, { lat: 0, lon: 1 }, 111.2],
    ['antipodes: half the circumference', { lat: 0, lon: 0 }, { lat: 0, lon: 180 }, 20015.1],
    ['Louvre → Eiffel Tower', { lat: 48.8606, lon: 2.3376 }, { lat: 48.8584, lon: 2.2945 }, 3.2],
    [
      'Red Square → Bolshoi Theatre',
      { lat: 55.7539, lon: 37.6208 },
      { lat: 55.7601, lon: 37.6186 },
      0.7,
    ],
    ['same point', { lat: 43.5855, lon: 39.7231 }, { lat: 43.5855, lon: 39.7231 }, 0],
  ])('%s', (_name, a, b, km) => {
    expect(round1(haversineKm(a, b))).toBe(km)
  })

  it('is symmetric', () => {
    const a = { lat: 55.7961, lon: 49.1064 }
    const b = { lat: -33.8688, lon: 151.2093 }
    expect(haversineKm(a, b)).toBeCloseTo(haversineKm(b, a), 9)
  })
})

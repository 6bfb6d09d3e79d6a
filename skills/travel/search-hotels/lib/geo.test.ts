import { describe, expect, it } from 'vitest'
import { haversineKm, round1 } from './geo.js'

describe('haversineKm', () => {
  it.each([
    ['Louvre → Eiffel Tower', { lat: 48.8606, lon: 2.3376 }, { lat: 48.8584, lon: 2.2945 }, 3.2],
    [
      'Red Square → Bolshoi Theatre',
      { lat: 55.7539, lon: 37.6208 },
      { lat: 55.7601, lon: 37.6186 },
      0.7,
    ],
    ['same point', { lat: 1, lon: 1 }, { lat: 1, lon: 1 }, 0],
  ])('%s ≈ %s km', (_name, a, b, km) => {
    expect(round1(haversineKm(a, b))).toBe(km)
  })
})

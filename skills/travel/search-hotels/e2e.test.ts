import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HotelSearchResult } from './lib/search.js'

let tester: SkillTester

beforeAll(async () => {
  tester = await createLibraryTester(import.meta.url)
}, 60_000)

afterAll(async () => {
  await tester?.close()
})

describe('travel/search-hotels through the orchestrator', () => {
  it('finds a Lisbon hotel for three nights under 100 euros', async () => {
    const result = await tester.run('find a hotel in Lisbon for three nights under 100 euros')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/search-hotels')
    const output = result.output as HotelSearchResult
    expect(output.stay).toEqual({ nights: 3 })
    expect(output.hotels.map((h) => [h.name, h.total, h.currency])).toEqual([
      ['Ibis Lisboa Liberdade', 255, 'EUR'],
    ])
  })

  it('finds 4-star hotels in Tbilisi within 3 km of the centre in Russian', async () => {
    const result = await tester.run('отель 4 звезды в Тбилиси не дальше 3 км от центра')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/search-hotels')
    const output = result.output as HotelSearchResult
    expect(output.hotels.map((h) => [h.name, h.distanceToCentreKm])).toEqual([
      ['Rooms Hotel Tbilisi', 1.99],
      ['Stamba Hotel', 1.9],
    ])
  })

  it('measures from a landmark named in the request', async () => {
    const result = await tester.run('where to stay in Paris close to the Louvre')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/search-hotels')
    const output = result.output as HotelSearchResult
    expect(output.reference?.name).toBe('Louvre')
    expect(output.hotels[0]).toMatchObject({ name: 'Generator Paris', distanceKm: 3.02 })
  })

  it('asks for the city when it is missing', async () => {
    const result = await tester.run('найди гостиницу на три ночи с бассейном')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('travel/search-hotels')
    expect(result.missing?.[0]?.field).toBe('city')
  })
})

import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlightSearchResult } from './lib/search.js'

let tester: SkillTester

beforeAll(async () => {
  tester = await createLibraryTester(import.meta.url)
}, 60_000)

afterAll(async () => {
  await tester?.close()
})

describe('travel/search-flights through the orchestrator', () => {
  it('finds the cheapest Paris–Lisbon flight next Friday', async () => {
    const result = await tester.run('cheapest flight Paris to Lisbon next Friday')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/search-flights')
    const output = result.output as FlightSearchResult
    expect(output.origin.city).toBe('Paris')
    expect(output.destination?.city).toBe('Lisbon')
    expect(output.dates).toHaveLength(1)
    expect(new Date(`${output.dates[0]}T00:00:00Z`).getUTCDay()).toBe(5)
    expect(output.cheapest).toMatchObject({
      flightNumber: 'U2 4761',
      total: 54.99,
      currency: 'EUR',
    })
  })

  it('prices Moscow–Sochi on 15 December for two in Russian', async () => {
    const result = await tester.run('авиабилеты из Москвы в Сочи на 15 декабря на двоих')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/search-flights')
    const output = result.output as FlightSearchResult
    expect(output.dates[0]).toMatch(/-12-15$/)
    expect(output.passengers).toBe(2)
    expect(output.currency).toBe('RUB')
    // Pobeda's daily Vnukovo flight is the cheapest every day of the week: 2 × 6 299 ₽.
    expect(output.cheapest).toMatchObject({ flightNumber: 'DP 133', total: 12598, currency: 'RUB' })
    expect(output.flights.every((f) => f.destination === 'AER')).toBe(true)
  })

  it('keeps only nonstop flights for "без пересадок"', async () => {
    const result = await tester.run('рейсы из Москвы в Лиссабон без пересадок')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/search-flights')
    expect((result.output as FlightSearchResult).count).toBe(0)
  })

  it('asks for the origin when it is missing', async () => {
    const result = await tester.run('flights to Istanbul for two adults under 300 euros')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('travel/search-flights')
    expect(result.missing?.[0]?.field).toBe('origin')
  })
})

import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TripPlan } from './lib/plan.js'

let tester: SkillTester

beforeAll(async () => {
  tester = await createLibraryTester(import.meta.url)
}, 60_000)

afterAll(async () => {
  await tester?.close()
})

describe('travel/plan-route through the orchestrator', () => {
  it('plans an English request', async () => {
    const result = await tester.run(
      'plan a 10 day trip from Moscow through Kazan, Sochi and St Petersburg',
    )
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/plan-route')
    const plan = result.output as TripPlan
    expect(plan.route.map((s) => [s.city, s.days])).toEqual([
      ['Moscow', 0],
      ['Saint Petersburg', 4],
      ['Kazan', 3],
      ['Sochi', 3],
    ])
    expect(plan.totals).toMatchObject({ distanceKm: 3342.8, days: 10 })
  })

  it('plans a Russian round trip with a start date', async () => {
    const result = await tester.run(
      'спланируй маршрут на 12 дней из Москвы через Тбилиси, Ереван и Баку с 5 января с возвращением обратно',
    )
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('travel/plan-route')
    const plan = result.output as TripPlan
    expect(plan.roundTrip).toBe(true)
    expect(plan.route.map((s) => [s.city, s.days])).toEqual([
      ['Moscow', 0],
      ['Tbilisi', 4],
      ['Yerevan', 4],
      ['Baku', 4],
      ['Moscow', 0],
    ])
    expect(plan.route[1]?.arrive).toMatch(/^\d{4}-01-05$/)
    expect(plan.endDate).toMatch(/^\d{4}-01-17$/)
  })

  it('asks for the cities when none are named', async () => {
    const result = await tester.run('спланируй маршрут поездки на 10 дней из Москвы')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('travel/plan-route')
    expect(result.missing?.[0]?.field).toBe('cities')
  })

  it('fails clearly on a city it does not know', async () => {
    const result = await tester.run({
      input: 'plan a trip route',
      skill: 'travel/plan-route',
      params: { cities: ['Kazan', 'Atlantis'] },
    })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('VALIDATION_FAILED')
    expect(result.error?.message).toContain('cities: unknown city "Atlantis"')
  })
})

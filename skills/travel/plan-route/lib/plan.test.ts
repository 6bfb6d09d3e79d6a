import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { loadGazetteer } from './cities.js'
import { planTrip } from './plan.js'

const gazetteer = loadGazetteer()

describe('planTrip', () => {
  it('orders a Russian trip by shortest distance and splits 10 days', () => {
    const plan = planTrip(
      {
        startCity: 'Moscow',
        cities: ['Kazan', 'Sochi', 'Saint Petersburg'],
        days: 10,
        startDate: '2027-06-01',
      },
      gazetteer,
    )
    expect(plan.method).toBe('held-karp')
    expect(plan.route.map((s) => [s.city, s.days, s.arrive, s.depart])).toEqual([
      ['Moscow', 0, undefined, '2027-06-01'],
      ['Saint Petersburg', 4, '2027-06-01', '2027-06-05'],
      ['Kazan', 3, '2027-06-05', '2027-06-08'],
      ['Sochi', 3, '2027-06-08', '2027-06-11'],
    ])
    expect(plan.legs).toEqual([
      {
        from: 'Moscow',
        to: 'Saint Petersburg',
        distanceKm: 633,
        mode: 'train',
        estimatedHours: 6.9,
        date: '2027-06-01',
      },
      {
        from: 'Saint Petersburg',
        to: 'Kazan',
        distanceKm: 1196.6,
        mode: 'flight',
        estimatedHours: 4.1,
        date: '2027-06-05',
      },
      {
        from: 'Kazan',
        to: 'Sochi',
        distanceKm: 1513.1,
        mode: 'flight',
        estimatedHours: 4.5,
        date: '2027-06-08',
      },
    ])
    expect(plan.totals).toEqual({
      distanceKm: 3342.8,
      days: 10,
      travelHours: 15.5,
      legs: 3,
      givenOrderKm: 4155.7,
    })
    expect(plan).toMatchObject({ startDate: '2027-06-01', endDate: '2027-06-11', notes: [] })
    expect(plan.dataAsOf).toBe('2025-10-01')
  })

  it('accepts Russian case forms and IATA codes', () => {
    const plan = planTrip({ startCity: 'Москвы', cities: ['Казань', 'AER', 'Питер'] }, gazetteer)
    expect(plan.route.map((s) => s.city)).toEqual(['Moscow', 'Saint Petersburg', 'Kazan', 'Sochi'])
    expect(plan.route.map((s) => s.days)).toEqual([0, 2, 2, 2])
    expect(plan.notes).toEqual(['No trip length given: 2 days per city assumed.'])
  })

  it('plans a round trip back to the start', () => {
    const plan = planTrip(
      { startCity: 'Paris', cities: ['Lisbon', 'Bordeaux', 'Nice'], loop: true, days: 9 },
      gazetteer,
    )
    expect(plan.roundTrip).toBe(true)
    expect(plan.route.map((s) => s.city)).toEqual(['Paris', 'Bordeaux', 'Lisbon', 'Nice', 'Paris'])
    expect(plan.legs.map((l) => l.distanceKm)).toEqual([499.3, 981.9, 1476.5, 685.1])
    expect(plan.totals.distanceKm).toBe(3642.9)
    expect(plan.route.map((s) => s.days)).toEqual([0, 3, 3, 3, 0])
  })

  it('chooses the best first city when no start is given', () => {
    const plan = planTrip({ cities: ['Vienna', 'Berlin', 'Prague'], days: 6 }, gazetteer)
    expect(plan.route.map((s) => [s.city, s.days])).toEqual([
      ['Vienna', 2],
      ['Prague', 2],
      ['Berlin', 2],
    ])
    expect(plan.totals.distanceKm).toBe(532)
  })

  it('ends at a fixed finish and keeps days given per city', () => {
    const plan = planTrip(
      {
        startCity: 'Moscow',
        cities: ['Tbilisi', 'Yerevan', 'Baku'],
        finish: 'Moscow',
        days: 10,
        stays: [{ city: 'Тбилиси', days: 5 }],
      },
      gazetteer,
    )
    expect(plan.route.map((s) => [s.city, s.days])).toEqual([
      ['Moscow', 0],
      ['Tbilisi', 5],
      ['Yerevan', 3],
      ['Baku', 2],
      ['Moscow', 0],
    ])
    expect(plan.roundTrip).toBe(true)
  })

  it('ignores a city listed twice and a start repeated among the stops gets days', () => {
    const plan = planTrip({ startCity: 'Kazan', cities: ['Kazan', 'Samara', 'samara'] }, gazetteer)
    expect(plan.route.map((s) => [s.city, s.days])).toEqual([
      ['Kazan', 2],
      ['Samara', 2],
    ])
  })

  it('uses the heuristic beyond 12 cities', () => {
    const cities = [
      'Rome',
      'Milan',
      'Venice',
      'Florence',
      'Naples',
      'Pisa',
      'Bologna',
      'Verona',
      'Nice',
      'Monaco',
      'Cannes',
      'Marseille',
      'Lyon',
      'Geneva',
    ]
    const plan = planTrip({ startCity: 'Rome', cities, loop: true, days: 26 }, gazetteer)
    expect(plan.method).toBe('nearest-neighbour+2-opt')
    expect(plan.route).toHaveLength(15)
    expect(plan.route[0]?.city).toBe('Rome')
    expect(plan.route[14]?.city).toBe('Rome')
    expect(plan.totals.distanceKm).toBeLessThan(plan.totals.givenOrderKm)
  })

  it.each([
    [{ cities: ['Kazan', 'Atlantis'] }, 'cities: unknown city "Atlantis"'],
    [{ cities: ['Kazn'] }, 'cities: unknown city "Kazn" (for "Kazn" did you mean Kazan?)'],
    [{ startCity: 'Gotham', cities: ['Kazan'] }, 'startCity: unknown city "Gotham"'],
    [
      { cities: ['Kazan'], startDate: '2027-02-30' },
      'startDate: "2027-02-30" is not a calendar date',
    ],
    [{ cities: ['Kazan', 'Sochi', 'Omsk'], days: 2 }, 'days: 2 days are too few for 3 cities'],
    [
      { startCity: 'Moscow', cities: ['Kazan'], loop: true, finish: 'Sochi' },
      'finish: a round trip ends where it starts (Moscow), not in Sochi',
    ],
    [
      { cities: ['Kazan'], stays: [{ city: 'Sochi', days: 2 }] },
      'stays: Sochi is not one of the cities',
    ],
    [{ cities: [] }, 'cities: name at least one city to visit'],
  ])('refuses %j: %s', (request, message) => {
    let error: unknown
    try {
      planTrip(request, gazetteer)
    } catch (e) {
      error = e
    }
    expect(SkillOSError.is(error)).toBe(true)
    expect((error as SkillOSError).code).toBe('VALIDATION_FAILED')
    expect((error as SkillOSError).message).toContain(message)
  })
})

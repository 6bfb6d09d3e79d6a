import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { loadColdChain } from './cold-chain.js'
import { extractShipment } from './extract.js'
import { packShipment } from './packing.js'
import { packingMoment, planShipment } from './plan.js'
import { typicalRoute } from './routes.js'
import { lifeFactor, planLegs } from './shelf-life.js'

const data = loadColdChain()
const band = { minC: 2, maxC: 6 }
const now = new Date('2026-11-21T10:00:00Z')

function failure(fn: () => unknown): SkillOSError {
  try {
    fn()
  } catch (error) {
    if (SkillOSError.is(error)) return error
    throw error
  }
  throw new Error('expected a SkillOSError')
}

describe('packShipment', () => {
  it.each([
    // pieces, grade, boxes, last box, net kg, gross kg, volumetric kg
    [2000, 3, 21, 80, 150, 175.2, 168],
    [96, 3, 1, undefined, 7.2, 8.4, 8],
    [500, 0, 10, undefined, 82.5, 94.5, 80],
    [1000, 2, 14, 64, 103, 119.8, 112],
    [145, 5, 2, 1, 5.5, 7.9, 16],
  ])('%d pieces of N°%d: %d boxes', (pieces, grade, boxes, last, net, gross, volumetric) => {
    const p = packShipment(pieces, grade, data.packing)
    expect([
      p.boxes,
      p.lastBoxPieces,
      p.netWeightKg,
      p.grossWeightKg,
      p.volumetricWeightKg,
    ]).toEqual([boxes, last, net, gross, volumetric])
  })
})

describe('lifeFactor', () => {
  it.each([
    [4, 1],
    [2, 1],
    [6, 1],
    [1, 1.5],
    [11, 2],
    [16, 4],
    [21, 8],
  ])('%d °C uses %d h of shelf life per hour', (t, f) => {
    expect(lifeFactor(t, band)).toBeCloseTo(f, 10)
  })

  it('treats freezing as death', () => {
    expect(lifeFactor(-1, band)).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('planLegs', () => {
  const packed = new Date('2026-11-24T08:00:00Z')

  it('runs the clock and the shelf life leg by leg', () => {
    const plan = planLegs(
      [
        { from: 'A', to: 'B', mode: 'truck', hours: 10, temperatureC: 4 },
        { from: 'B', to: 'C', mode: 'air', hours: 5, temperatureC: 11 },
        { from: 'C', to: 'D', mode: 'truck', hours: 2.5 },
      ],
      packed,
      144,
      band,
    )
    expect(
      plan.legs.map((l) => [l.departAt, l.arriveAt, l.lifeUsedHours, l.remainingHours, l.inBand]),
    ).toEqual([
      ['2026-11-24T08:00:00.000Z', '2026-11-24T18:00:00.000Z', 10, 134, true],
      ['2026-11-24T18:00:00.000Z', '2026-11-24T23:00:00.000Z', 10, 124, false],
      ['2026-11-24T23:00:00.000Z', '2026-11-25T01:30:00.000Z', 2.5, 121.5, true],
    ])
    expect(plan.legs[2]?.temperatureAssumed).toBe(true)
    expect(plan).toMatchObject({ totalHours: 17.5, remainingHours: 121.5, arrivesAlive: true })
    expect(plan.warnings).toEqual([
      'leg 2 (B → C, air): 11 °C is above the +2…+6 °C band — 5 h use 10 h of shelf life',
    ])
  })

  it('says the oysters die when the shelf life runs out, and on which leg', () => {
    const plan = planLegs(
      [{ from: 'A', to: 'B', mode: 'truck', hours: 40, temperatureC: 16 }],
      packed,
      144,
      band,
    )
    expect(plan.arrivesAlive).toBe(false)
    expect(plan.remainingHours).toBe(-16)
    expect(plan.warnings[1]).toBe(
      'shelf life runs out on leg 1 (A → B): the oysters arrive dead — shorten the route or keep it within +2…+6 °C',
    )
  })

  it('says when little shelf life is left', () => {
    const plan = planLegs(
      [{ from: 'A', to: 'B', mode: 'truck', hours: 100, temperatureC: 4 }],
      packed,
      144,
      band,
    )
    expect(plan.warnings).toEqual([
      'only 44 h of shelf life left on arrival: less than 2 days to sell',
    ])
  })

  it('kills frozen oysters', () => {
    const plan = planLegs(
      [{ from: 'A', to: 'B', mode: 'truck', hours: 2, temperatureC: -3 }],
      packed,
      144,
      band,
    )
    expect(plan.arrivesAlive).toBe(false)
    expect(plan.warnings).toEqual(['leg 1 (A → B, truck): -3 °C freezes live oysters — they die'])
  })
})

describe('typicalRoute', () => {
  it('finds a route by names in any language', () => {
    expect(typicalRoute('Аркашон', 'Москва', data).name).toBe('Arcachon → Moscow')
    expect(typicalRoute('France', 'Moscow SVO', data).name).toBe('Marennes-Oléron → Moscow')
    expect(typicalRoute('Crimea', 'Moscow', data).legs.map((l) => l.hours)).toEqual([30, 4])
  })

  it('names the known routes when there is none', () => {
    const error = failure(() => typicalRoute('Oslo', 'Moscow', data))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toMatch(
      /^legs: no typical route from Oslo to Moscow; pass the legs \(known routes: Arcachon → Moscow, /,
    )
  })
})

describe('planShipment', () => {
  it('plans 2000 N°3 from Arcachon to Moscow through Istanbul', () => {
    const plan = planShipment(
      {
        quantity: 2000,
        unit: 'piece',
        grade: 3,
        packedAt: '2026-11-24',
        origin: 'Arcachon',
        destination: 'Moscow',
      },
      data,
      now,
    )
    expect(plan).toMatchObject({
      pieces: 2000,
      boxes: 21,
      grossWeightKg: 175.2,
      chargeableWeightKg: 175.2,
      totalTransitHours: 50,
      arrivalAt: '2026-11-26T10:00:00.000Z',
      // 144 − (8 + 6 + 4.6 + 12.2 + 5.3 + 20 + 1.5)
      remainingShelfLifeHours: 86.4,
      remainingShelfLifeDays: 3.6,
      arrivesAlive: true,
      route: { source: 'typical', name: 'Arcachon → Moscow', asOf: '2026-11-01' },
    })
    expect(plan.legs.map((l) => l.lifeUsedHours)).toEqual([8, 6, 4.6, 12.2, 5.3, 20, 1.5])
    expect(plan.warnings).toHaveLength(3)
  })

  it('counts dozens and honours a shorter shelf life', () => {
    const plan = planShipment(
      {
        quantity: 50,
        unit: 'dozen',
        grade: 2,
        packedAt: '2026-11-24',
        legs: [{ from: 'Crimea', to: 'Moscow', mode: 'truck', hours: 30, temperatureC: 5 }],
        shelfLifeDays: 1,
      },
      data,
      now,
    )
    expect(plan).toMatchObject({
      pieces: 600,
      boxes: 9,
      remainingShelfLifeHours: 0,
      arrivesAlive: false,
    })
    expect(plan.chargeableWeightKg).toBeUndefined()
  })

  it('assumes today when no packing date is given, and says so', () => {
    const plan = planShipment(
      { quantity: 100, unit: 'piece', grade: 3, origin: 'Crimea', destination: 'Moscow' },
      data,
      now,
    )
    expect(plan.packedAt).toBe('2026-11-21T08:00:00.000Z')
    expect(plan.notes[0]).toBe('packing date not given: 2026-11-21 (today) assumed')
  })

  it.each([
    [{ packedAt: '2026-02-30' }, 'packedAt: 2026-02-30 is not a real calendar date'],
    [{ packedAt: '24/11/2026' }, 'packedAt: "24/11/2026" is not a date (YYYY-MM-DD)'],
    [{ quantity: 2.5 }, 'quantity: 2.5 piece is not a whole number of oysters'],
    [
      { legs: [{ from: 'A', to: 'B', mode: 'truck' as const, hours: 3, temperatureC: 80 }] },
      'legs[0].temperatureC: 80 °C is not a plausible transport temperature',
    ],
  ])('refuses %j', (over, message) => {
    const error = failure(() =>
      planShipment(
        {
          quantity: 100,
          unit: 'piece',
          grade: 3,
          origin: 'Crimea',
          destination: 'Moscow',
          ...over,
        },
        data,
        now,
      ),
    )
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toBe(message)
  })

  it('asks for legs or a route', () => {
    const error = failure(() =>
      planShipment({ quantity: 100, unit: 'piece', grade: 3, destination: 'Moscow' }, data, now),
    )
    expect(error.message).toMatch(/^legs: give the legs, or an origin and a destination/)
  })

  it('reads packing moments', () => {
    expect(packingMoment('2026-11-24').toISOString()).toBe('2026-11-24T08:00:00.000Z')
  })
})

describe('extractShipment', () => {
  it.each([
    [
      'will 500 oysters survive a 4 day transit at 5 degrees',
      {
        quantity: 500,
        unit: 'piece',
        legs: [{ from: 'origin', to: 'destination', mode: 'truck', hours: 96, temperatureC: 5 }],
      },
    ],
    [
      'доедут ли 500 устриц живыми за три дня в пути при +5 °C',
      {
        quantity: 500,
        unit: 'piece',
        legs: [{ from: 'origin', to: 'destination', mode: 'truck', hours: 72, temperatureC: 5 }],
      },
    ],
    [
      'plan a shipment of 2000 oysters from Arcachon to Moscow',
      { quantity: 2000, unit: 'piece', origin: 'Arcachon', destination: 'Moscow' },
    ],
    [
      'спланируй доставку 1 200 устриц калибр 2 из Франции в Москву',
      { quantity: 1200, unit: 'piece', grade: 2, origin: 'Marennes-Oléron', destination: 'Moscow' },
    ],
    [
      '40 dozen oysters, 9 hours by air at 8 °C',
      {
        quantity: 40,
        unit: 'dozen',
        legs: [{ from: 'origin', to: 'destination', mode: 'air', hours: 9, temperatureC: 8 }],
      },
    ],
    ['how many boxes and what weight for this oyster delivery', {}],
  ])('%s', (text, expected) => {
    expect(extractShipment(text, data)).toEqual(expected)
  })
})

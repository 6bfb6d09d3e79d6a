import { SkillOSError } from '@skillos/contracts'
import type { ColdChainData, Leg } from './cold-chain.js'
import { packShipment, type Packing } from './packing.js'
import { typicalRoute } from './routes.js'
import { planLegs, type PlannedLeg } from './shelf-life.js'

export interface ShipmentRequest {
  quantity: number
  unit: 'piece' | 'dozen'
  grade: number
  /** YYYY-MM-DD; packing is taken to end at 08:00 UTC that day. */
  packedAt?: string
  origin?: string
  destination?: string
  legs?: Leg[]
  shelfLifeDays?: number
}

export interface ShipmentPlan extends Packing {
  grade: number
  chargeableWeightKg?: number
  temperatureBand: { minC: number; maxC: number }
  packedAt: string
  shelfLifeHours: number
  route: { source: 'given' | 'typical'; name?: string; asOf: string }
  legs: PlannedLeg[]
  totalTransitHours: number
  arrivalAt: string
  remainingShelfLifeHours: number
  remainingShelfLifeDays: number
  arrivesAlive: boolean
  warnings: string[]
  notes: string[]
}

function fail(message: string): never {
  throw new SkillOSError({ code: 'VALIDATION_FAILED', message })
}

/** A calendar date `YYYY-MM-DD` that exists, as the moment packing ends (08:00 UTC). */
export function packingMoment(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`packedAt: "${date}" is not a date (YYYY-MM-DD)`)
  const moment = new Date(`${date}T08:00:00Z`)
  if (Number.isNaN(moment.getTime()) || moment.toISOString().slice(0, 10) !== date)
    fail(`packedAt: ${date} is not a real calendar date`)
  return moment
}

/**
 * The cold-chain plan of a shipment of live oysters: boxes and weights by grade, the legs (given, or
 * the typical route between origin and destination), the clock and shelf life along them, and
 * whether the oysters arrive alive, with warnings.
 *
 * @example
 * ```ts
 * planShipment({ quantity: 2000, unit: 'piece', grade: 3, packedAt: '2026-11-24', origin: 'Arcachon', destination: 'Moscow' }, data, new Date())
 * // { boxes: 21, arrivesAlive: true, remainingShelfLifeHours: 86.4, … }
 * ```
 */
export function planShipment(
  request: ShipmentRequest,
  data: ColdChainData,
  now: Date,
): ShipmentPlan {
  const notes: string[] = []
  const pieces = request.unit === 'dozen' ? request.quantity * 12 : request.quantity
  if (!Number.isInteger(pieces))
    fail(`quantity: ${request.quantity} ${request.unit} is not a whole number of oysters`)
  for (const [i, leg] of (request.legs ?? []).entries()) {
    if (leg.temperatureC !== undefined && (leg.temperatureC < -30 || leg.temperatureC > 45))
      fail(
        `legs[${i}].temperatureC: ${leg.temperatureC} °C is not a plausible transport temperature`,
      )
  }
  const packedDate = request.packedAt ?? now.toISOString().slice(0, 10)
  if (!request.packedAt) notes.push(`packing date not given: ${packedDate} (today) assumed`)
  const packedAt = packingMoment(packedDate)
  let legs: Leg[]
  let route: ShipmentPlan['route']
  if (request.legs && request.legs.length > 0) {
    legs = request.legs
    route = { source: 'given', asOf: data.asOf }
  } else if (request.origin && request.destination) {
    const typical = typicalRoute(request.origin, request.destination, data)
    legs = typical.legs
    route = { source: 'typical', name: typical.name, asOf: data.asOf }
    notes.push(`typical legs of ${typical.name} (schedules as of ${data.asOf}) used`)
  } else {
    fail(
      `legs: give the legs, or an origin and a destination with a typical route (known: ${data.routes.map((r) => `${r.from} → ${r.to}`).join(', ')})`,
    )
  }
  const shelfLifeDays = request.shelfLifeDays ?? data.shelfLifeDays
  const shelfLifeHours = shelfLifeDays * 24
  const timeline = planLegs(legs, packedAt, shelfLifeHours, data.band)
  const packing = packShipment(pieces, request.grade, data.packing)
  const byAir = legs.some((l) => l.mode === 'air')
  const chargeable = Math.max(packing.grossWeightKg, packing.volumetricWeightKg)
  if (timeline.legs.some((l) => l.temperatureAssumed))
    notes.push('legs without a temperature: trucks and stores +4 °C, air +8 °C assumed')
  const last = timeline.legs[timeline.legs.length - 1]
  return {
    ...packing,
    grade: request.grade,
    ...(byAir ? { chargeableWeightKg: chargeable } : {}),
    temperatureBand: data.band,
    packedAt: packedAt.toISOString(),
    shelfLifeHours,
    route,
    legs: timeline.legs,
    totalTransitHours: timeline.totalHours,
    arrivalAt: last ? last.arriveAt : packedAt.toISOString(),
    remainingShelfLifeHours: Math.max(0, timeline.remainingHours),
    remainingShelfLifeDays: Math.max(0, Math.round((timeline.remainingHours / 24) * 10) / 10),
    arrivesAlive: timeline.arrivesAlive,
    warnings: timeline.warnings,
    notes,
  }
}

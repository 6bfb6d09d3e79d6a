import type { Leg } from './cold-chain.js'

/** The temperature band live oysters must be kept in. */
export interface Band {
  minC: number
  maxC: number
}

/** Hours of shelf life one hour at a temperature uses. `Infinity`: frozen, the oysters die. */
export function lifeFactor(temperatureC: number, band: Band): number {
  if (temperatureC < 0) return Number.POSITIVE_INFINITY
  if (temperatureC < band.minC) return 1.5
  if (temperatureC <= band.maxC) return 1
  // Above the band each 5 °C doubles the rate (metabolism without water; Q10 ≈ 4).
  return 2 ** ((temperatureC - band.maxC) / 5)
}

/** One leg of the plan, with the clock and the shelf life after it. */
export interface PlannedLeg {
  index: number
  from: string
  to: string
  mode: Leg['mode']
  hours: number
  temperatureC: number
  /** True for a temperature assumed for the mode, not given. */
  temperatureAssumed: boolean
  inBand: boolean
  departAt: string
  arriveAt: string
  /** Hours of shelf life the leg uses (0.1 h). */
  lifeUsedHours: number
  /** Shelf life left at the end of the leg (0.1 h); negative once the oysters are dead. */
  remainingHours: number
  note?: string
  warning?: string
}

/** Default temperature the goods see on a leg of each mode when none is given. */
export const MODE_TEMPERATURE: Record<Leg['mode'], number> = {
  truck: 4,
  rail: 4,
  sea: 4,
  storage: 4,
  customs: 4,
  air: 8,
}

const MS_PER_HOUR = 3_600_000

/**
 * Runs the clock along the legs from packing: each leg uses shelf life at `lifeFactor` of its
 * temperature; the plan says when each leg ends, what is left, and warns about legs out of the
 * band, freezing, and shelf life running out. Life is counted in tenths of an hour.
 *
 * @example
 * ```ts
 * planLegs([{ from: 'A', to: 'B', mode: 'truck', hours: 96, temperatureC: 5 }], new Date('2026-11-24T08:00:00Z'), 144, { minC: 2, maxC: 6 })
 * // { legs: [{ remainingHours: 48, … }], remainingHours: 48, arrivesAlive: true, … }
 * ```
 */
export function planLegs(
  legs: Leg[],
  packedAt: Date,
  shelfLifeHours: number,
  band: Band,
): {
  legs: PlannedLeg[]
  totalHours: number
  remainingHours: number
  arrivesAlive: boolean
  warnings: string[]
} {
  const warnings: string[] = []
  let clockTenths = 0
  let remainingTenths = Math.round(shelfLifeHours * 10)
  let frozen = false
  const planned = legs.map((leg, i): PlannedLeg => {
    const temperatureAssumed = leg.temperatureC === undefined
    const temperatureC = leg.temperatureC ?? MODE_TEMPERATURE[leg.mode]
    const factor = lifeFactor(temperatureC, band)
    const hoursTenths = Math.round(leg.hours * 10)
    const usedTenths = Number.isFinite(factor) ? Math.round(hoursTenths * factor) : remainingTenths
    const departAt = new Date(packedAt.getTime() + (clockTenths / 10) * MS_PER_HOUR)
    clockTenths += hoursTenths
    const arriveAt = new Date(packedAt.getTime() + (clockTenths / 10) * MS_PER_HOUR)
    remainingTenths -= usedTenths
    const inBand = temperatureC >= band.minC && temperatureC <= band.maxC
    const where = `leg ${i + 1} (${leg.from} → ${leg.to}, ${leg.mode})`
    let warning: string | undefined
    if (!Number.isFinite(factor)) {
      frozen = true
      warning = `${where}: ${temperatureC} °C freezes live oysters — they die`
    } else if (temperatureC > band.maxC) {
      warning = `${where}: ${temperatureC} °C is above the +${band.minC}…+${band.maxC} °C band — ${leg.hours} h use ${usedTenths / 10} h of shelf life`
    } else if (temperatureC < band.minC) {
      warning = `${where}: ${temperatureC} °C is below the +${band.minC}…+${band.maxC} °C band — cold stress, ${leg.hours} h use ${usedTenths / 10} h of shelf life`
    }
    if (warning) warnings.push(warning)
    return {
      index: i + 1,
      from: leg.from,
      to: leg.to,
      mode: leg.mode,
      hours: leg.hours,
      temperatureC,
      temperatureAssumed,
      inBand,
      departAt: departAt.toISOString(),
      arriveAt: arriveAt.toISOString(),
      lifeUsedHours: usedTenths / 10,
      remainingHours: remainingTenths / 10,
      ...(leg.note ? { note: leg.note } : {}),
      ...(warning ? { warning } : {}),
    }
  })
  const arrivesAlive = !frozen && remainingTenths > 0
  const deadAt = planned.find((l) => l.remainingHours <= 0)
  if (!arrivesAlive && !frozen && deadAt)
    warnings.push(
      `shelf life runs out on leg ${deadAt.index} (${deadAt.from} → ${deadAt.to}): the oysters arrive dead — shorten the route or keep it within +${band.minC}…+${band.maxC} °C`,
    )
  else if (arrivesAlive && remainingTenths < 480)
    warnings.push(
      `only ${remainingTenths / 10} h of shelf life left on arrival: less than 2 days to sell`,
    )
  return {
    legs: planned,
    totalHours: clockTenths / 10,
    remainingHours: remainingTenths / 10,
    arrivesAlive,
    warnings,
  }
}

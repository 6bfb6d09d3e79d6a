/** How to travel a leg, suggested by its great-circle distance. */
export type TravelMode = 'car' | 'train' | 'flight'

/** Up to this distance (km) a leg is suggested by car or bus. */
export const CAR_MAX_KM = 150
/** Up to this distance (km) a leg is suggested by train; beyond it, by air. */
export const TRAIN_MAX_KM = 800

// Roads and rails are longer than the straight line; a flight has fixed airport time.
const DETOUR = 1.2
const CAR_KMH = 75
const TRAIN_KMH = 110
const FLIGHT_KMH = 750
const AIRPORT_HOURS = 2.5

/**
 * The suggested mode for a leg: car up to {@link CAR_MAX_KM} km, train up to
 * {@link TRAIN_MAX_KM} km, flight beyond.
 *
 * @example
 * ```ts
 * suggestMode(100) // 'car'
 * suggestMode(634) // 'train'
 * suggestMode(1363) // 'flight'
 * ```
 */
export function suggestMode(distanceKm: number): TravelMode {
  if (distanceKm <= CAR_MAX_KM) return 'car'
  if (distanceKm <= TRAIN_MAX_KM) return 'train'
  return 'flight'
}

/**
 * A rough door-to-door time for a leg in hours, one decimal: road and rail distances taken as 1.2×
 * the straight line at 75 km/h (car) or 110 km/h (train); a flight at 750 km/h plus 2.5 h at airports.
 *
 * @example
 * ```ts
 * estimateHours(1363, 'flight') // 4.3
 * ```
 */
export function estimateHours(distanceKm: number, mode: TravelMode): number {
  const hours =
    mode === 'flight'
      ? distanceKm / FLIGHT_KMH + AIRPORT_HOURS
      : (distanceKm * DETOUR) / (mode === 'car' ? CAR_KMH : TRAIN_KMH)
  return Math.round(hours * 10) / 10
}

/** A point on the Earth, in decimal degrees (WGS 84). */
export interface LatLon {
  lat: number
  lon: number
}

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088

/**
 * Great-circle distance between two points by the haversine formula, in kilometres.
 *
 * @example
 * ```ts
 * haversineKm({ lat: 55.7558, lon: 37.6173 }, { lat: 59.9343, lon: 30.3351 }) // ≈ 634.4
 * ```
 */
export function haversineKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Rounds to one decimal place, for display. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10
}

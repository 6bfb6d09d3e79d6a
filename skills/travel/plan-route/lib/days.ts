import { SkillOSError } from '@skillos/contracts'

/** Days per city when neither a total nor per-city days are given. */
export const DEFAULT_DAYS_PER_CITY = 2

/**
 * Splits the trip's days over the cities that have a stay, in route order: days given for a city
 * are kept; the rest of `total` is shared equally among the others (largest remainder: the extra
 * days go to the earliest cities of the route). Without a total, each other city gets
 * {@link DEFAULT_DAYS_PER_CITY}. Throws `VALIDATION_FAILED` when the days cannot cover every city.
 *
 * @example
 * ```ts
 * allocateDays(['Kazan', 'Sochi', 'Saint Petersburg'], 10, new Map()) // [4, 3, 3]
 * allocateDays(['Kazan', 'Sochi'], 10, new Map([['Sochi', 7]])) // [3, 7]
 * ```
 */
export function allocateDays(
  cities: readonly string[],
  total: number | undefined,
  given: ReadonlyMap<string, number>,
): number[] {
  const fixedSum = cities.reduce((sum, c) => sum + (given.get(c) ?? 0), 0)
  const free = cities.filter((c) => !given.has(c))
  if (total === undefined) {
    return cities.map((c) => given.get(c) ?? DEFAULT_DAYS_PER_CITY)
  }
  const rest = total - fixedSum
  if (rest < free.length || (free.length === 0 && rest !== 0)) {
    const wanted = fixedSum + free.length
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message:
        free.length === 0
          ? `days: the days given per city add up to ${fixedSum}, not the ${total} days of the trip`
          : `days: ${total} days are too few for ${cities.length} cities (the stays need at least ${wanted})`,
    })
  }
  const base = free.length > 0 ? Math.floor(rest / free.length) : 0
  let extra = free.length > 0 ? rest - base * free.length : 0
  return cities.map((c) => {
    const fixed = given.get(c)
    if (fixed !== undefined) return fixed
    const days = base + (extra > 0 ? 1 : 0)
    if (extra > 0) extra--
    return days
  })
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

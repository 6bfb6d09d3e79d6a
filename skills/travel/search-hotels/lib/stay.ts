import { SkillOSError } from '@skillos/contracts'

/** The nights of a stay and, when known, its dates. */
export interface Stay {
  nights: number
  checkIn?: string
  checkOut?: string
}

/** Longest stay searched, in nights. */
export const MAX_NIGHTS = 60

function invalid(message: string): SkillOSError {
  return new SkillOSError({ code: 'VALIDATION_FAILED', message })
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

/** Calendar days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/**
 * The stay from what was given: check-in and check-out, check-in and nights, check-out and
 * nights, nights alone, or nothing (one night, undated). Throws `VALIDATION_FAILED` naming the
 * field for impossible or past dates, a check-out not after check-in, nights that contradict the
 * dates, and stays over {@link MAX_NIGHTS} nights.
 *
 * @example
 * ```ts
 * resolveStay({ checkIn: '2026-12-10', checkOut: '2026-12-14' }, '2026-11-21') // { nights: 4, checkIn: '2026-12-10', checkOut: '2026-12-14' }
 * resolveStay({ nights: 3 }, '2026-11-21') // { nights: 3 }
 * ```
 */
export function resolveStay(
  given: {
    checkIn?: string | undefined
    checkOut?: string | undefined
    nights?: number | undefined
  },
  today: string,
): Stay {
  for (const field of ['checkIn', 'checkOut'] as const) {
    const value = given[field]
    if (value === undefined) continue
    if (!isCalendarDate(value))
      throw invalid(`${field}: "${value}" is not a calendar date (YYYY-MM-DD)`)
    if (value < today) throw invalid(`${field}: ${value} is in the past (today is ${today})`)
  }
  const { checkIn, checkOut, nights } = given
  let stay: Stay
  if (checkIn && checkOut) {
    const span = daysBetween(checkIn, checkOut)
    if (span <= 0) throw invalid(`checkOut: ${checkOut} must be after checkIn ${checkIn}`)
    if (nights !== undefined && nights !== span)
      throw invalid(
        `nights: ${nights} nights do not match ${checkIn} – ${checkOut} (${span} nights)`,
      )
    stay = { nights: span, checkIn, checkOut }
  } else if (checkIn) {
    const n = nights ?? 1
    stay = { nights: n, checkIn, checkOut: addDays(checkIn, n) }
  } else if (checkOut) {
    if (nights === undefined)
      throw invalid(
        `checkIn: give the check-in date or the number of nights with checkOut ${checkOut}`,
      )
    const start = addDays(checkOut, -nights)
    if (start < today) throw invalid(`checkIn: ${start} is in the past (today is ${today})`)
    stay = { nights, checkIn: start, checkOut }
  } else {
    stay = { nights: nights ?? 1 }
  }
  if (!Number.isInteger(stay.nights) || stay.nights < 1)
    throw invalid(`nights: must be a whole number of at least 1 (got ${stay.nights})`)
  if (stay.nights > MAX_NIGHTS)
    throw invalid(`nights: at most ${MAX_NIGHTS} nights (got ${stay.nights})`)
  return stay
}

import { SkillOSError } from '@skillos/contracts'

/** How long a budget lasts: a calendar month, or an ISO week (Monday to Sunday). */
export type PeriodKind = 'month' | 'week'

/** One concrete period: first and last day (inclusive), `YYYY-MM-DD`. */
export interface Period {
  kind: PeriodKind
  start: string
  end: string
  days: number
}

const DAY_MS = 86_400_000

function epochDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS
}

function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Checks a `YYYY-MM-DD` date is real (`2026-02-30` is not); throws `VALIDATION_FAILED` naming
 * `field`.
 */
export function checkDate(date: string, field = 'date'): void {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? epochDay(date) : Number.NaN
  const real = Number.isFinite(day) && dateOfEpochDay(day) === date
  if (!real) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `${field}: "${date}" is not a real date (YYYY-MM-DD)`,
    })
  }
}

/** Today's date where the person is: UTC shifted by `offsetMinutes`. */
export function todayAt(now: number, offsetMinutes = 0): string {
  return new Date(now + offsetMinutes * 60_000).toISOString().slice(0, 10)
}

/**
 * The month or ISO week (Monday–Sunday) that contains `date`.
 *
 * @example
 * ```ts
 * periodOf('2026-11-21', 'month') // { kind: 'month', start: '2026-11-01', end: '2026-11-30', days: 30 }
 * periodOf('2026-11-21', 'week') // { kind: 'week', start: '2026-11-16', end: '2026-11-22', days: 7 }
 * ```
 */
export function periodOf(date: string, kind: PeriodKind): Period {
  checkDate(date)
  if (kind === 'week') {
    const day = epochDay(date)
    // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
    const monday = day - ((day + 3) % 7)
    return { kind, start: dateOfEpochDay(monday), end: dateOfEpochDay(monday + 6), days: 7 }
  }
  const [year, month] = date.split('-').map(Number) as [number, number]
  const start = `${date.slice(0, 7)}-01`
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return { kind, start, end: `${date.slice(0, 7)}-${String(days).padStart(2, '0')}`, days }
}

/**
 * Days of `period` up to and including `asOf`: 0 before it starts, `period.days` after it ends.
 *
 * @example
 * ```ts
 * daysElapsed(periodOf('2026-11-21', 'month'), '2026-11-21') // 21
 * ```
 */
export function daysElapsed(period: Period, asOf: string): number {
  const elapsed = epochDay(asOf) - epochDay(period.start) + 1
  return Math.min(period.days, Math.max(0, elapsed))
}

/** The `YYYY-MM` months a period touches (a week can straddle two). */
export function monthsOf(period: Period): string[] {
  const first = period.start.slice(0, 7)
  const last = period.end.slice(0, 7)
  return first === last ? [first] : [first, last]
}

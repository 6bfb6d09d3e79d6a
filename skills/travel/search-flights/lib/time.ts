/** A wall-clock date and time in some time zone. */
export interface LocalDateTime {
  date: string
  time: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/**
 * The wall clock in `timeZone` at instant `utcMs` (IANA zone, daylight saving included).
 *
 * @example
 * ```ts
 * utcToZoned(Date.UTC(2026, 6, 1, 12, 0), 'Europe/Paris') // { date: '2026-07-01', time: '14:00' }
 * ```
 */
export function utcToZoned(utcMs: number, timeZone: string): LocalDateTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  )
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  }
}

function wallMs(local: LocalDateTime): number {
  return Date.parse(`${local.date}T${local.time}:00Z`)
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `time`.
 *
 * @example
 * ```ts
 * new Date(zonedToUtc('2026-12-15', '07:00', 'Europe/Moscow')).toISOString() // '2026-12-15T04:00:00.000Z'
 * ```
 */
export function zonedToUtc(date: string, time: string, timeZone: string): number {
  const target = wallMs({ date, time })
  let guess = target
  // Two passes settle the offset, also next to a daylight-saving change.
  for (let i = 0; i < 2; i++) guess += target - wallMs(utcToZoned(guess, timeZone))
  return guess
}

/** ISO weekday of a `YYYY-MM-DD` date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
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

/** Minutes since midnight of `HH:MM` (seconds ignored). */
export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** `135` → `2h 15m`. */
export function formatDuration(minutes: number): string {
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
}

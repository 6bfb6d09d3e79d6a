/**
 * `context.time within 09:00-18:00 Mon-Fri Europe/Moscow`: a daily window of local wall-clock time,
 * optionally on some weekdays, in an IANA time zone (default UTC). The window includes its start and
 * excludes its end; a window whose end is before its start runs over midnight (`22:00-06:00`). The
 * weekday is the local day of the instant tested.
 */
export interface TimeWindow {
  /** Minutes after local midnight, inclusive. */
  readonly start: number
  /** Minutes after local midnight, exclusive (1440 for `24:00`). */
  readonly end: number
  /** Local weekdays (0 = Sunday … 6 = Saturday), or null for every day. */
  readonly days: ReadonlySet<number> | null
  readonly zone: string
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
const TIME_RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/
const DAY_SPEC = /^[A-Za-z]{3}(?:-[A-Za-z]{3})?$/

/** `09:00-18:00` → minutes, or an error message. */
export function parseTimeRange(text: string): { start: number; end: number } | string {
  const match = TIME_RANGE.exec(text)
  if (!match) return `expected a time range such as 09:00-18:00, found "${text}"`
  const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ]
  if (startHour > 23 || startMinute > 59) return `"${text}" starts at an impossible time`
  if (endMinute > 59 || endHour > 24 || (endHour === 24 && endMinute !== 0))
    return `"${text}" ends at an impossible time (latest is 24:00)`
  const start = startHour * 60 + startMinute
  const end = endHour * 60 + endMinute
  if (start === end) return `"${text}" is an empty window: start and end are the same`
  return { start, end }
}

/** Whether `text` looks like a weekday or a weekday range (`Mon`, `Mon-Fri`). */
export function looksLikeDays(text: string): boolean {
  return DAY_SPEC.test(text)
}

/** `Mon-Fri`, `Sat`, `Fri-Mon` (wraps) → weekday numbers, or an error message. */
export function parseDays(text: string): number[] | string {
  const [first, last = first] = text.toLowerCase().split('-') as [string, string?]
  const from = DAY_NAMES.indexOf(first as (typeof DAY_NAMES)[number])
  const to = DAY_NAMES.indexOf(last as (typeof DAY_NAMES)[number])
  if (from === -1 || to === -1) {
    return `unknown weekday in "${text}"; use Mon, Tue, Wed, Thu, Fri, Sat, Sun or a range such as Mon-Fri`
  }
  const days = [from]
  for (let day = from; day !== to;) {
    day = (day + 1) % 7
    days.push(day)
  }
  return days
}

const zoneNames = new Map<string, string | undefined>()

/** The canonical name of an IANA time zone, or undefined when `Intl` does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  // Building an Intl.DateTimeFormat costs ~60 µs; a policy names a handful of zones many times.
  if (zoneNames.has(zone)) return zoneNames.get(zone)
  let canonical: string | undefined
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    canonical = undefined
  }
  if (zoneNames.size < 1_000) zoneNames.set(zone, canonical)
  return canonical
}

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
  /** Minutes after local midnight. */
  minuteOfDay: number
}

const WEEKDAYS: Readonly<Record<string, number>> = {
  Sun: 0,
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
}

/**
 * A function from an instant to the local weekday and minute in `zone`. `Intl` costs microseconds per
 * call, so the last answer is kept per UTC minute: every current zone's offset is a whole number of
 * minutes, so the local weekday and minute cannot change within one UTC minute.
 */
export function createLocalClock(zone: string): (epochMs: number) => LocalTime {
  if (zone === 'UTC') {
    return (epochMs) => {
      const date = new Date(epochMs)
      return {
        weekday: date.getUTCDay(),
        minuteOfDay: date.getUTCHours() * 60 + date.getUTCMinutes(),
      }
    }
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
  })
  let cachedMinute = Number.NaN
  let cached: LocalTime = { weekday: 0, minuteOfDay: 0 }
  return (epochMs) => {
    const minute = Math.floor(epochMs / 60_000)
    if (minute === cachedMinute) return cached
    let weekday = 0
    let hour = 0
    let minuteOfHour = 0
    for (const part of format.formatToParts(epochMs)) {
      if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0
      else if (part.type === 'hour') hour = Number(part.value)
      else if (part.type === 'minute') minuteOfHour = Number(part.value)
    }
    cachedMinute = minute
    cached = { weekday, minuteOfDay: hour * 60 + minuteOfHour }
    return cached
  }
}

/** Whether a local time falls in the window. */
export function inTimeWindow(window: TimeWindow, local: LocalTime): boolean {
  if (window.days !== null && !window.days.has(local.weekday)) return false
  const minute = local.minuteOfDay
  return window.start < window.end
    ? minute >= window.start && minute < window.end
    : minute >= window.start || minute < window.end
}

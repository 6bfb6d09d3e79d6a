import { SkillOSError } from '@skillos/contracts'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Whether `text` is a real calendar date written `YYYY-MM-DD` (`2026-02-30` is not).
 *
 * @example
 * ```ts
 * isCalendarDate('2028-02-29') // true
 * isCalendarDate('2026-02-29') // false
 * ```
 */
export function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text)
  if (!match) return false
  const [, y, m, d] = match.map(Number)
  const date = new Date(Date.UTC(y ?? 0, (m ?? 0) - 1, d ?? 0))
  return date.getUTCFullYear() === y && date.getUTCMonth() + 1 === m && date.getUTCDate() === d
}

/** The UTC calendar date of `epochMs`, `YYYY-MM-DD`. */
export function isoDateOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10)
}

/** `date` moved by `days` (negative: back), `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return isoDateOf(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000)
}

/** `2026-11-21` → `21/11/2026`, the `date_req` of the Bank of Russia. */
export function toCbrDateParam(date: string): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}

/** `2026-11-21` → `21.11.2026`, how Russian sources write dates. */
export function toRussianDate(date: string): string {
  const [y, m, d] = date.split('-')
  return `${d}.${m}.${y}`
}

/**
 * Checks a requested rate date: a real date, and at most tomorrow (the Bank of Russia sets
 * tomorrow's rates today; no bank publishes further ahead). Throws `VALIDATION_FAILED` naming
 * `field`.
 *
 * @example
 * ```ts
 * checkRateDate('2026-11-22', Date.parse('2026-11-21T10:00:00Z')) // ok: tomorrow
 * checkRateDate('2026-12-01', Date.parse('2026-11-21T10:00:00Z')) // throws "date: 2026-12-01 is in the future…"
 * ```
 */
export function checkRateDate(date: string, now: number, field = 'date'): void {
  if (!isCalendarDate(date)) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `${field}: "${date}" is not a real date (YYYY-MM-DD)`,
    })
  }
  const latest = addDays(isoDateOf(now), 1)
  if (date > latest) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `${field}: ${date} is in the future; official rates are published at most one day ahead (${latest})`,
    })
  }
}

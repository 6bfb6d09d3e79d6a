import type { BudgetWindow } from '@skillos/contracts'

/** One instance of a window: the calendar day `2025-06-01`, the run `r-42`, or `all` for lifetime. */
export interface WindowInstance {
  window: BudgetWindow
  /** Part of the counter key. */
  id: string
  /** Inclusive start (UTC); `null` for lifetime and run windows. */
  start: Date | null
  /** Exclusive end, when the window resets; `null` for lifetime and run windows. */
  end: Date | null
}

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
/** A run window's counter lives this long (a run longer than a day is charged anew). */
export const RUN_WINDOW_TTL_MS = DAY

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/**
 * The instance of `window` that `now` falls in. Calendar windows are UTC: a day runs from 00:00 to
 * 24:00 UTC, a month from the 1st. A run window is identified by the run.
 *
 * @example
 * ```ts
 * windowInstance('day', Date.UTC(2025, 5, 1, 13), 'r1').id // '2025-06-01'
 * ```
 */
export function windowInstance(window: BudgetWindow, now: number, runId: string): WindowInstance {
  const date = new Date(now)
  const y = date.getUTCFullYear()
  const mo = date.getUTCMonth()
  const d = date.getUTCDate()
  const h = date.getUTCHours()
  switch (window) {
    case 'minute': {
      const start = Math.floor(now / MINUTE) * MINUTE
      return {
        window,
        id: `${y}-${pad(mo + 1)}-${pad(d)}T${pad(h)}:${pad(date.getUTCMinutes())}`,
        start: new Date(start),
        end: new Date(start + MINUTE),
      }
    }
    case 'hour': {
      const start = Math.floor(now / HOUR) * HOUR
      return {
        window,
        id: `${y}-${pad(mo + 1)}-${pad(d)}T${pad(h)}`,
        start: new Date(start),
        end: new Date(start + HOUR),
      }
    }
    case 'day': {
      const start = Date.UTC(y, mo, d)
      return {
        window,
        id: `${y}-${pad(mo + 1)}-${pad(d)}`,
        start: new Date(start),
        end: new Date(start + DAY),
      }
    }
    case 'month':
      return {
        window,
        id: `${y}-${pad(mo + 1)}`,
        start: new Date(Date.UTC(y, mo, 1)),
        end: new Date(Date.UTC(y, mo + 1, 1)),
      }
    case 'lifetime':
      return { window, id: 'all', start: null, end: null }
    case 'run':
      return { window, id: runId, start: null, end: null }
  }
}

/**
 * How long a window's counter lives: until the window ends, plus the longest a reservation made at
 * its end can still be settled (`holdMs`) and a minute of slack, so a counter never expires under a
 * live reservation. `0` (never) for lifetime.
 */
export function counterTtlMs(instance: WindowInstance, now: number, holdMs: number): number {
  if (instance.window === 'lifetime') return 0
  if (instance.window === 'run') return Math.max(RUN_WINDOW_TTL_MS, 2 * holdMs + MINUTE)
  const end = instance.end?.getTime() ?? now
  return Math.max(1, end - now) + 2 * holdMs + MINUTE
}

const ADJECTIVES: Record<BudgetWindow, string> = {
  run: 'per-run',
  minute: 'per-minute',
  hour: 'hourly',
  day: 'daily',
  month: 'monthly',
  lifetime: 'lifetime',
}

/** `daily`, `per-run`, … for messages. */
export function windowAdjective(window: BudgetWindow): string {
  return ADJECTIVES[window]
}

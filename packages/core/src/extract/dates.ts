import { keepLongest, matchAt, type TextMatch } from './match.js'
import { numberWordValue } from './numbers.js'
import { normalizeWord, WORD_END, WORD_START } from './words.js'
import { matchesIn } from './regex.js'

/** When "today" is, for relative dates. */
export interface DateContext {
  /** The moment of the request (default: the current time). */
  now?: Date
  /** The requester's offset from UTC in minutes, e.g. 180 for Moscow (default 0). */
  timeZoneOffsetMinutes?: number
}

const EN_MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec'
const RU_MONTHS =
  'январ[ьяею]|феврал[ьяею]|март[ае]?|апрел[ьяею]|ма[йяею]|июн[ьяею]|июл[ьяею]|август[ае]?|сентябр[ьяею]|октябр[ьяею]|ноябр[ьяею]|декабр[ьяею]|янв|фев|апр|авг|сент|сен|окт|ноя|дек'
const MONTH = `(?:${EN_MONTHS}|${RU_MONTHS})\\.?`
const MONTH_PREFIXES = [
  ['jan', 'янв'],
  ['feb', 'фев'],
  ['mar', 'мар'],
  ['apr', 'апр'],
  ['may', 'ма'],
  ['jun', 'июн'],
  ['jul', 'июл'],
  ['aug', 'авг'],
  ['sep', 'сен'],
  ['oct', 'окт'],
  ['nov', 'ноя'],
  ['dec', 'дек'],
] as const

/** 0-based month of an EN or RU month name in any case form, or `undefined`. */
export function monthIndex(word: string): number | undefined {
  const w = normalizeWord(word).replace(/\.$/, '')
  // "мар" must be tried before "ма" (май).
  const index = MONTH_PREFIXES.findIndex(
    ([en, ru]) => w.startsWith(en) || (ru !== 'ма' && w.startsWith(ru)),
  )
  if (index >= 0) return index
  return /^ма[йяею]$/.test(w) ? 4 : undefined
}

const WEEKDAYS: [RegExp, number][] = [
  [/^(?:monday|понедельник\p{L}*)$/u, 1],
  [/^(?:tuesday|вторник\p{L}*)$/u, 2],
  [/^(?:wednesday|сред[аую])$/u, 3],
  [/^(?:thursday|четверг\p{L}*)$/u, 4],
  [/^(?:friday|пятниц\p{L}*)$/u, 5],
  [/^(?:saturday|суббот\p{L}*)$/u, 6],
  [/^(?:sunday|воскресень\p{L}*)$/u, 0],
]
const WEEKDAY =
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|понедельник\\p{L}*|вторник\\p{L}*|сред[аую]|четверг\\p{L}*|пятниц\\p{L}*|суббот\\p{L}*|воскресень\\p{L}*'
const WEEKDAY_MODIFIER =
  'next|this|coming|on|в\\s+следующ\\p{L}*|в\\s+эт\\p{L}*|во?|на|следующ\\p{L}*|эт\\p{L}*|ближайш\\p{L}*|в\\s+ближайш\\p{L}*'

const RELATIVE: [RegExp, number][] = [
  [/^(?:the\s+)?day\s+after\s+tomorrow$|^послезавтра$/u, 2],
  [/^(?:the\s+)?day\s+before\s+yesterday$|^позавчера$/u, -2],
  [/^(?:today|tonight|сегодня)$/u, 0],
  [/^(?:tomorrow|завтра)$/u, 1],
  [/^(?:yesterday|вчера)$/u, -1],
]
const RELATIVE_WORD =
  '(?:the\\s+)?day\\s+after\\s+tomorrow|(?:the\\s+)?day\\s+before\\s+yesterday|today|tonight|tomorrow|yesterday|послезавтра|позавчера|сегодня|завтра|вчера'

const D = '(\\d{1,2})(?:-?(?:го|е|st|nd|rd|th))?'
const YEAR = '(?:,?\\s+(\\d{4})(?:\\s*(?:г\\.|года?|year))?)?'
const PATTERNS = {
  iso: /(?<![\d.])(\d{4})-(\d{2})-(\d{2})(?!\d)/gu,
  numeric: /(?<![\d.,])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d.])/gu,
  dayMonth: /(?<![\d.,])(\d{2})\.(\d{2})(?![\d.,])/gu,
  dayName: new RegExp(`${WORD_START}${D}\\s+(?:of\\s+)?(${MONTH})${YEAR}${WORD_END}`, 'giu'),
  nameDay: new RegExp(`${WORD_START}(${MONTH})\\s+${D}${YEAR}${WORD_END}`, 'giu'),
  dayRange: new RegExp(
    `${WORD_START}(\\d{1,2})\\s*(?:-|–|—|по|до|to|and|until|till|и)\\s*(${D}\\s+(?:of\\s+)?(${MONTH})${YEAR})${WORD_END}`,
    'giu',
  ),
  nameRange: new RegExp(
    `${WORD_START}(${MONTH})\\s+${D}\\s*(?:-|–|—|to|and|until|till)\\s*(\\d{1,2})${WORD_END}`,
    'giu',
  ),
  relative: new RegExp(`${WORD_START}(?:${RELATIVE_WORD})${WORD_END}`, 'giu'),
  inDays: new RegExp(
    `${WORD_START}(?:in|after|через)\\s+(?:(\\d+|\\p{L}+)\\s+)?(days?|weeks?|months?|дн[еяи]й?|день|недел\\p{L}*|месяц\\p{L}*)${WORD_END}`,
    'giu',
  ),
  weekday: new RegExp(`${WORD_START}(?:(${WEEKDAY_MODIFIER})\\s+)?(${WEEKDAY})${WORD_END}`, 'giu'),
}
const AFTER_NUMBER =
  /^\s*(?:[%$€₽£¥]|(?:k|тыс|млн|млрд|mln|bn|руб|р\.|usd|eur|rub|кг|kg|шт|pcs|л|l)(?![\p{L}]))/iu

/** A date found in text, as ISO `YYYY-MM-DD`. */
export type DateMatch = TextMatch<string>

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** ISO date for a UTC calendar day, or `undefined` when it does not exist (31 April). */
export function isoDate(year: number, month0: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month0, day))
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month0 || d.getUTCDate() !== day)
    return undefined
  return `${pad(year, 4)}-${pad(month0 + 1)}-${pad(day)}`
}

/** The requester's local calendar day as a UTC midnight. */
export function localToday(context: DateContext = {}): Date {
  const now = context.now ?? new Date()
  const local = new Date(now.getTime() + (context.timeZoneOffsetMinutes ?? 0) * 60_000)
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()))
}

function addDays(day: Date, n: number): string {
  return new Date(day.getTime() + n * 86_400_000).toISOString().slice(0, 10)
}

function addMonths(day: Date, n: number): string {
  const target = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + n, 1))
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate()
  target.setUTCDate(Math.min(day.getUTCDate(), lastDay))
  return target.toISOString().slice(0, 10)
}

/** A day and month without a year: this year's, or next year's when this year's has passed. */
function upcoming(today: Date, month0: number, day: number): string | undefined {
  const year = today.getUTCFullYear()
  const thisYear = isoDate(year, month0, day)
  if (thisYear && thisYear >= today.toISOString().slice(0, 10)) return thisYear
  return isoDate(year + 1, month0, day)
}

/** The first day of "10–15 марта": the same month and year as the last day. */
function rangeStart(last: string | undefined, day: string): string | undefined {
  if (!last) return undefined
  const start = isoDate(Number(last.slice(0, 4)), Number(last.slice(5, 7)) - 1, Number(day))
  return start && start <= last ? start : undefined
}

function fullYear(raw: string): number {
  return raw.length === 2 ? 2000 + Number(raw) : Number(raw)
}

function weekdayDate(today: Date, weekday: number, modifier: string | undefined): string {
  const mod = normalizeWord(modifier ?? '').replace(/\s+/g, ' ')
  const todayDow = today.getUTCDay()
  if (/^(?:next|в следующ|следующ)/.test(mod)) {
    // "next Friday": the Friday of next (Monday-based) week.
    const mondayNext = 7 - ((todayDow + 6) % 7)
    return addDays(today, mondayNext + ((weekday + 6) % 7))
  }
  const ahead = (weekday - todayDow + 7) % 7
  if (/^(?:this|в эт|эт)/.test(mod)) return addDays(today, ahead)
  // A bare weekday, "on Friday", "в пятницу": the next one after today.
  return addDays(today, ahead === 0 ? 7 : ahead)
}

/**
 * Every date in the text as ISO `YYYY-MM-DD`: `2026-12-01`, `15.03.2026`, `15.03`, `15 марта`,
 * `March 15`, `15th of March 2026`, `с 10 по 15 марта` (two dates), today/tomorrow/yesterday,
 * сегодня/завтра/послезавтра, weekdays (`next Friday`, `в пятницу`, `в следующий вторник`),
 * `in 3 days`, `через 2 недели`, `через месяц`. Relative dates use `now` in the requester's time zone;
 * a day and month without a year is the next such day from today. "next Friday" is the Friday of
 * next week; a bare "Friday" is the first Friday after today.
 *
 * @example
 * ```ts
 * findDates('из Москвы в Сочи 15 марта', { now: new Date('2026-03-01T12:00:00Z') })[0]?.value // '2026-03-15'
 * ```
 */
export function findDates(text: string, context: DateContext = {}): DateMatch[] {
  // Only a date without its year needs today: most texts have none.
  let day0: Date | undefined
  const today = () => (day0 ??= localToday(context))
  const found: DateMatch[] = []
  const push = (start: number, end: number, value: string | undefined): void => {
    if (value) found.push(matchAt(text, start, end, value))
  }
  const dayMonthYear = (
    day: string,
    month: string,
    year: string | undefined,
  ): string | undefined => {
    const m = monthIndex(month)
    if (m === undefined) return undefined
    return year ? isoDate(Number(year), m, Number(day)) : upcoming(today(), m, Number(day))
  }

  for (const m of matchesIn(text, PATTERNS.iso)) {
    push(m.index, m.index + m[0].length, isoDate(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  }
  for (const m of matchesIn(text, PATTERNS.numeric)) {
    let day = Number(m[1])
    let month = Number(m[3])
    // 03/15/2026 can only be American.
    if (m[2] === '/' && month > 12 && day <= 12) [day, month] = [month, day]
    push(m.index, m.index + m[0].length, isoDate(fullYear(m[4] ?? ''), month - 1, day))
  }
  for (const m of matchesIn(text, PATTERNS.dayMonth)) {
    const end = m.index + m[0].length
    // "15.03" is a date, but "12.50 руб" or "1.05 млн" is a number.
    if (AFTER_NUMBER.test(text.slice(end))) continue
    const month = Number(m[2])
    if (month < 1 || month > 12) continue
    push(m.index, end, upcoming(today(), month - 1, Number(m[1])))
  }
  // Ranges first: on equal spans the earlier match wins.
  for (const m of matchesIn(text, PATTERNS.dayRange)) {
    const first = m[1] ?? ''
    const second = m[2] ?? ''
    const secondStart = m.index + m[0].length - second.length
    const last = dayMonthYear(m[3] ?? '', m[4] ?? '', m[5])
    push(m.index, m.index + first.length, rangeStart(last, first))
    push(secondStart, m.index + m[0].length, last)
  }
  for (const m of matchesIn(text, PATTERNS.nameRange)) {
    const last = m[3] ?? ''
    const end = m.index + m[0].length
    const firstEnd = m.index + m[0].indexOf(m[2] ?? '', (m[1] ?? '').length) + (m[2] ?? '').length
    const lastDate = dayMonthYear(last, m[1] ?? '', undefined)
    push(m.index, firstEnd, rangeStart(lastDate, m[2] ?? ''))
    push(end - last.length, end, lastDate)
  }
  for (const m of matchesIn(text, PATTERNS.dayName)) {
    push(m.index, m.index + m[0].length, dayMonthYear(m[1] ?? '', m[2] ?? '', m[3]))
  }
  for (const m of matchesIn(text, PATTERNS.nameDay)) {
    push(m.index, m.index + m[0].length, dayMonthYear(m[2] ?? '', m[1] ?? '', m[3]))
  }
  for (const m of matchesIn(text, PATTERNS.relative)) {
    const phrase = normalizeWord(m[0]).replace(/\s+/g, ' ')
    const offset = RELATIVE.find(([re]) => re.test(phrase))?.[1]
    if (offset !== undefined) push(m.index, m.index + m[0].length, addDays(today(), offset))
  }
  for (const m of matchesIn(text, PATTERNS.inDays)) {
    const count =
      m[1] === undefined
        ? 1
        : /^\d+$/.test(m[1])
          ? Number(m[1])
          : /^an?$/i.test(m[1])
            ? 1
            : numberWordValue(m[1])
    if (count === undefined || !Number.isInteger(count)) continue
    const unit = normalizeWord(m[2] ?? '')
    const value = /^(?:month|месяц)/.test(unit)
      ? addMonths(today(), count)
      : addDays(today(), /^(?:week|недел)/.test(unit) ? 7 * count : count)
    push(m.index, m.index + m[0].length, value)
  }
  for (const m of matchesIn(text, PATTERNS.weekday)) {
    const name = normalizeWord(m[2] ?? '')
    // "среда" is also "environment": only "в среду", "next Wednesday" and the like count.
    if (name.startsWith('сред') && !m[1]) continue
    const weekday = WEEKDAYS.find(([re]) => re.test(name))?.[1]
    if (weekday !== undefined)
      push(m.index, m.index + m[0].length, weekdayDate(today(), weekday, m[1]))
  }
  return keepLongest(found)
}

/** A time of day as `HH:MM`. */
export type TimeMatch = TextMatch<string>

/** Times of day: `10:30`, `9am`, `7 pm`. */
export function findTimes(text: string): TimeMatch[] {
  const found: TimeMatch[] = []
  for (const m of matchesIn(
    text,
    /(?<![\d:.])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d:.])(?:\s*(am|pm))?/giu,
  )) {
    if (
      m[0].includes('.') &&
      !/\b(?:в|at|к)\s*$/iu.test(text.slice(Math.max(0, m.index - 4), m.index))
    )
      continue
    let hour = Number(m[1])
    if (m[3]?.toLowerCase() === 'pm' && hour < 12) hour += 12
    if (m[3]?.toLowerCase() === 'am' && hour === 12) hour = 0
    found.push(matchAt(text, m.index, m.index + m[0].length, `${pad(hour)}:${m[2] ?? '00'}`))
  }
  for (const m of matchesIn(text, /(?<![\d:.])(1[0-2]|0?\d)\s*(am|pm)(?![\p{L}])/giu)) {
    let hour = Number(m[1]) % 12
    if (m[2]?.toLowerCase() === 'pm') hour += 12
    found.push(matchAt(text, m.index, m.index + m[0].length, `${pad(hour)}:00`))
  }
  return keepLongest(found)
}

/** `2026-03-15` + `10:00` at +180 minutes → `2026-03-15T10:00:00+03:00`. */
export function toDateTime(date: string, time: string, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  const zone = abs === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  return `${date}T${time}:00${zone}`
}

/**
 * Numbers as Russian tender documents write them: money ("2 845 600,00 руб.", "4 215 000 (четыре
 * миллиона …) рублей", "4,5 млн руб."), percentages ("1 %", "0,5 процента"), durations ("в течение
 * 2 (двух) календарных дней", "24 часов") and dates ("20.11.2026 09:00").
 */

/** A sum of money in kopecks and the characters it was read from. */
export interface MoneyMention {
  minor: number
  text: string
}

const MONEY =
  /(?<![\d.,])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?!\d)\s*(млн\.?|миллион\p{L}*|тыс\.?|тысяч\p{L}*)?\s*(?:\([^)]*\)\s*)?(?:руб|₽|rub)/giu

/**
 * Every sum of money in roubles in `text`, in kopecks (integer arithmetic on the digits; "млн" and
 * "тыс" multiply exactly).
 *
 * @example
 * findMoney('НМЦК: 2 845 600,00 руб.')[0]?.minor // 284560000
 */
export function findMoney(text: string): MoneyMention[] {
  const out: MoneyMention[] = []
  for (const m of text.matchAll(MONEY)) {
    const whole = Number((m[1] ?? '0').replace(/[ \u00a0]/g, ''))
    const decimals = m[2] ?? ''
    const scale = !m[3] ? 1 : /^м/i.test(m[3]) ? 1_000_000 : 1_000
    // "4,5 млн" = 4 500 000,00: the decimals scale with the unit (exact: scale ≥ 1000, ≤ 2 decimals).
    const minor =
      whole * scale * 100 + (Number(decimals || '0') * scale * 100) / 10 ** decimals.length
    if (Number.isSafeInteger(minor)) out.push({ minor, text: m[0] })
  }
  return out
}

/**
 * Every percentage in `text` ("1 %", "0,5 процента", "30 % от цены").
 *
 * @example
 * findPercents('от 0,5 % до 1 процента') // [0.5, 1]
 */
export function findPercents(text: string): number[] {
  return [...text.matchAll(/(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:%|процент\p{L}*)/giu)].map((m) =>
    Number((m[1] ?? '').replace(',', '.')),
  )
}

/** A duration: "2 календарных дня", "5 рабочих дней", "24 часа". */
export interface Duration {
  amount: number
  unit: 'hour' | 'day' | 'week' | 'month' | 'year'
  /** For days: working or calendar (calendar when not said). */
  dayType?: 'working' | 'calendar'
  text: string
}

/**
 * Every duration in `text`, a written-out number in parentheses allowed ("2 (двух) календарных дней").
 *
 * @example
 * findDurations('в течение 7 рабочих дней')[0] // { amount: 7, unit: 'day', dayType: 'working', … }
 */
export function findDurations(text: string): Duration[] {
  const re =
    /(?<![\d.,])(\d+)\s*(?:\([^)]*\)\s*)?(?:(календарн\p{L}*|рабоч\p{L}*)\s+)?(час\p{L}*|дн(?:я|ей|ям|ях)|день|недел\p{L}*|месяц\p{L}*|год\p{L}*|лет)(?![\p{L}])/giu
  const out: Duration[] = []
  for (const m of text.matchAll(re)) {
    const word = (m[3] ?? '').toLowerCase()
    const unit: Duration['unit'] = word.startsWith('час')
      ? 'hour'
      : word.startsWith('недел')
        ? 'week'
        : word.startsWith('месяц')
          ? 'month'
          : word.startsWith('год') || word === 'лет'
            ? 'year'
            : 'day'
    out.push({
      amount: Number(m[1]),
      unit,
      ...(unit === 'day'
        ? { dayType: m[2]?.toLowerCase().startsWith('раб') ? 'working' : 'calendar' }
        : {}),
      text: m[0],
    })
  }
  return out
}

/** A date (and time, when written) in `DD.MM.YYYY [HH:MM]` form. */
export interface DateMention {
  date: string
  time?: string
  text: string
}

/**
 * Every real calendar date in `text` written as `DD.MM.YYYY`, with a time when one follows.
 *
 * @example
 * findDates('до 20.11.2026 09:00 (МСК)')[0] // { date: '2026-11-20', time: '09:00', text: '20.11.2026 09:00' }
 */
export function findDates(text: string): DateMention[] {
  const out: DateMention[] = []
  const re = /(?<!\d)(\d{2})\.(\d{2})\.(\d{4})(?:\s*(?:г\.)?\s*(?:в\s+)?(\d{1,2}):(\d{2}))?/gu
  for (const m of text.matchAll(re)) {
    const iso = `${m[3]}-${m[2]}-${m[1]}`
    const check = new Date(`${iso}T00:00:00Z`)
    if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) continue
    out.push({
      date: iso,
      ...(m[4] ? { time: `${m[4].padStart(2, '0')}:${m[5]}` } : {}),
      text: m[0],
    })
  }
  return out
}

/** Kopecks as a number of roubles (exact to the kopeck). */
export function toRoubles(minor: number): number {
  return minor / 100
}

/** `percent` of `minor` kopecks, rounded half up to the kopeck, without float accumulation. */
export function percentOf(minor: number, percent: number): number {
  const scaled = BigInt(Math.round(percent * 1_000_000))
  const product = BigInt(minor) * scaled
  const divisor = 100_000_000n
  return Number((product + divisor / 2n) / divisor)
}

import { describeRate, listRates, normalizeCode, type RateLine } from './quotes.js'
import { SOURCE_INFO, type RatesSource } from './rate-table.js'
import type { LoadedRates } from './provider.js'

/** What a person asked for, already validated by the skill's schema. */
export interface RatesQuestion {
  currencies?: readonly string[]
  base?: string
  date?: string
}

/** The skill's answer: rates in `base` on `date`, with their publisher. */
export interface RatesAnswer {
  source: RatesSource
  sourceName: string
  base: string
  date: string
  requestedDate?: string
  live: boolean
  cached: boolean
  note?: string
  rates: RateLine[]
  text: string
}

const TEXT_LINES = 12

/**
 * Builds the answer from the loaded table: codes upper-cased, the base itself left out of the
 * list (all quoted currencies when nothing else was asked), cross rates when `base` is not the
 * publisher's own, and a one-paragraph summary naming the publisher and the rate date.
 *
 * @example
 * ```ts
 * answerRates(await loadRates({ source: 'cbr', settings }), { currencies: ['usd'] }).text
 * // 'Bank of Russia rates for 2026-11-21: 1 USD = 81.2345 RUB. Offline snapshot of …'
 * ```
 */
export function answerRates(loaded: LoadedRates, question: RatesQuestion): RatesAnswer {
  const { table } = loaded
  const base = question.base ? normalizeCode(question.base) : table.base
  const codes = [...new Set((question.currencies ?? []).map(normalizeCode))].filter(
    (c) => c !== base,
  )
  const rates = listRates(table, codes, base)
  const info = SOURCE_INFO[table.source]
  const shown = rates.slice(0, TEXT_LINES).map((r) => describeRate(table, r.code, base))
  const more = rates.length > TEXT_LINES ? `; … and ${rates.length - TEXT_LINES} more` : ''
  const asked =
    question.date && question.date !== table.date
      ? ` (latest published on or before ${question.date})`
      : ''
  const text = `${info.name} rates for ${table.date}${asked}: ${shown.join('; ')}${more}.${loaded.note ? ` ${loaded.note}.` : ''}`
  return {
    source: table.source,
    sourceName: info.name,
    base,
    date: table.date,
    ...(question.date ? { requestedDate: question.date } : {}),
    live: loaded.live,
    cached: loaded.cached,
    ...(loaded.note ? { note: loaded.note } : {}),
    rates,
    text,
  }
}

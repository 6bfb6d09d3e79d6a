import { findBooleans, findQuoted, matchEnum, type MatchEnumOptions } from './enums.js'
import { findEmails, findPhones, findUrls, findUuids } from './contacts.js'
import { findDates, findTimes, type DateContext, type DateMatch, type TimeMatch } from './dates.js'
import type { TextMatch } from './match.js'
import { findCurrencies, findMoney, type MoneyMatch } from './money.js'
import { findNumbers, type NumberMatch } from './numbers.js'
import { findCities, findCountries, findRegions, type City, type Country } from './places.js'
import {
  findPercentages,
  findQuantities,
  type PercentMatch,
  type QuantityMatch,
} from './quantities.js'
import { detectLanguage } from './words.js'

/**
 * Everything the building blocks found in one request, computed once. A skill's own extractor
 * receives it, so it can pick what it needs instead of parsing numbers or dates again.
 */
export interface ExtractionBlocks {
  text: string
  language: 'en' | 'ru'
  /** The requester's local "today", `YYYY-MM-DD`. */
  today: string
  numbers: NumberMatch[]
  money: MoneyMatch[]
  currencies: TextMatch<string>[]
  dates: DateMatch[]
  times: TimeMatch[]
  quantities: QuantityMatch[]
  percentages: PercentMatch[]
  cities: TextMatch<City>[]
  countries: TextMatch<Country>[]
  regions: TextMatch<string>[]
  emails: TextMatch<string>[]
  urls: TextMatch<string>[]
  phones: TextMatch<string>[]
  uuids: TextMatch<string>[]
  booleans: TextMatch<boolean>[]
  quoted: TextMatch<string>[]
  /** `matchEnum` over this text. */
  matchEnum: <V extends string | number | boolean | null>(
    values: readonly V[],
    options?: MatchEnumOptions,
  ) => TextMatch<V>[]
}

/**
 * Runs every building block over `text`.
 *
 * @example
 * ```ts
 * const blocks = extractBlocks('5 дюжин устриц в Сочи завтра', { now: new Date('2026-03-01T09:00:00Z') })
 * blocks.quantities[0]?.value // { amount: 5, unit: 'dozen' }
 * blocks.dates[0]?.value // '2026-03-02'
 * ```
 */
export function extractBlocks(text: string, context: DateContext = {}): ExtractionBlocks {
  const numbers = findNumbers(text)
  const currencies = findCurrencies(text)
  const now = context.now ?? new Date()
  const local = new Date(now.getTime() + (context.timeZoneOffsetMinutes ?? 0) * 60_000)
  return {
    text,
    language: detectLanguage(text),
    today: local.toISOString().slice(0, 10),
    numbers,
    money: findMoney(text, numbers, currencies),
    currencies,
    dates: findDates(text, { ...context, now }),
    times: findTimes(text),
    quantities: findQuantities(text, numbers),
    percentages: findPercentages(text, numbers),
    cities: findCities(text),
    countries: findCountries(text),
    regions: findRegions(text),
    emails: findEmails(text),
    urls: findUrls(text),
    phones: findPhones(text),
    uuids: findUuids(text),
    booleans: findBooleans(text),
    quoted: findQuoted(text),
    matchEnum: (values, options) => matchEnum(text, values, options),
  }
}

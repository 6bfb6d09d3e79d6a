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
 * Everything the building blocks found in one request, each computed once, when first read. A
 * skill's own extractor receives it, so it can pick what it needs instead of parsing numbers or
 * dates again.
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
 * The building blocks over `text`. Each block runs when it is first read and keeps its answer:
 * filling a number does not look for cities (ADR 016). The getters are the object's own, so
 * spreading or serialising it still hands over every block (a class would be cheaper to make, by
 * about 3 µs, and would lose them).
 *
 * @example
 * ```ts
 * const blocks = extractBlocks('5 дюжин устриц в Сочи завтра', { now: new Date('2026-03-01T09:00:00Z') })
 * blocks.quantities[0]?.value // { amount: 5, unit: 'dozen' }
 * blocks.dates[0]?.value // '2026-03-02'
 * ```
 */
export function extractBlocks(text: string, context: DateContext = {}): ExtractionBlocks {
  const now = context.now ?? new Date()
  const offsetMinutes = context.timeZoneOffsetMinutes ?? 0
  const found: Partial<Record<keyof ExtractionBlocks, unknown>> = {}
  /** A block's answer, computed on first read. */
  const once = <K extends keyof ExtractionBlocks>(
    key: K,
    compute: () => ExtractionBlocks[K],
  ): ExtractionBlocks[K] =>
    key in found
      ? (found[key] as ExtractionBlocks[K])
      : ((found[key] = compute()) as ExtractionBlocks[K])
  return {
    text,
    get language() {
      return once('language', () => detectLanguage(text))
    },
    get today() {
      return once('today', () =>
        new Date(now.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10),
      )
    },
    get numbers() {
      return once('numbers', () => findNumbers(text))
    },
    get money() {
      return once('money', () => findMoney(text, this.numbers, this.currencies))
    },
    get currencies() {
      return once('currencies', () => findCurrencies(text))
    },
    get dates() {
      return once('dates', () => findDates(text, { ...context, now }))
    },
    get times() {
      return once('times', () => findTimes(text))
    },
    get quantities() {
      return once('quantities', () => findQuantities(text, this.numbers))
    },
    get percentages() {
      return once('percentages', () => findPercentages(text, this.numbers))
    },
    get cities() {
      return once('cities', () => findCities(text))
    },
    get countries() {
      return once('countries', () => findCountries(text))
    },
    get regions() {
      return once('regions', () => findRegions(text))
    },
    get emails() {
      return once('emails', () => findEmails(text))
    },
    get urls() {
      return once('urls', () => findUrls(text))
    },
    get phones() {
      return once('phones', () => findPhones(text))
    },
    get uuids() {
      return once('uuids', () => findUuids(text))
    },
    get booleans() {
      return once('booleans', () => findBooleans(text))
    },
    get quoted() {
      return once('quoted', () => findQuoted(text))
    },
    matchEnum: (values, options) => matchEnum(text, values, options),
  }
}

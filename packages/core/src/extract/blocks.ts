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
 * spreading or serialising it still hands over every block.
 *
 * @example
 * ```ts
 * const blocks = extractBlocks('5 дюжин устриц в Сочи завтра', { now: new Date('2026-03-01T09:00:00Z') })
 * blocks.quantities[0]?.value // { amount: 5, unit: 'dozen' }
 * blocks.dates[0]?.value // '2026-03-02'
 * ```
 */
export function extractBlocks(text: string, context: DateContext = {}): ExtractionBlocks {
  return blocksView(new Blocks(text, context))
}

/**
 * The blocks as a class: its getters live on the prototype, so making one costs about 0.1 µs,
 * against 4.7 µs for an object literal defining twenty getters of its own. The parameter filler
 * uses it, and hands a skill's extractor the `blocksView` of the same instance, so nothing is
 * computed twice.
 */
export class Blocks implements ExtractionBlocks {
  readonly text: string
  readonly #context: DateContext
  readonly #now: Date
  #language: 'en' | 'ru' | undefined
  #today: string | undefined
  #numbers: NumberMatch[] | undefined
  #money: MoneyMatch[] | undefined
  #currencies: TextMatch<string>[] | undefined
  #dates: DateMatch[] | undefined
  #times: TimeMatch[] | undefined
  #quantities: QuantityMatch[] | undefined
  #percentages: PercentMatch[] | undefined
  #cities: TextMatch<City>[] | undefined
  #countries: TextMatch<Country>[] | undefined
  #regions: TextMatch<string>[] | undefined
  #emails: TextMatch<string>[] | undefined
  #urls: TextMatch<string>[] | undefined
  #phones: TextMatch<string>[] | undefined
  #uuids: TextMatch<string>[] | undefined
  #booleans: TextMatch<boolean>[] | undefined
  #quoted: TextMatch<string>[] | undefined

  constructor(text: string, context: DateContext = {}) {
    this.text = text
    this.#context = context
    this.#now = context.now ?? new Date()
  }

  get language(): 'en' | 'ru' {
    return (this.#language ??= detectLanguage(this.text))
  }
  get today(): string {
    const offsetMinutes = this.#context.timeZoneOffsetMinutes ?? 0
    return (this.#today ??= new Date(this.#now.getTime() + offsetMinutes * 60_000)
      .toISOString()
      .slice(0, 10))
  }
  get numbers(): NumberMatch[] {
    return (this.#numbers ??= findNumbers(this.text))
  }
  get money(): MoneyMatch[] {
    return (this.#money ??= findMoney(this.text, this.numbers, this.currencies))
  }
  get currencies(): TextMatch<string>[] {
    return (this.#currencies ??= findCurrencies(this.text))
  }
  get dates(): DateMatch[] {
    return (this.#dates ??= findDates(this.text, { ...this.#context, now: this.#now }))
  }
  get times(): TimeMatch[] {
    return (this.#times ??= findTimes(this.text))
  }
  get quantities(): QuantityMatch[] {
    return (this.#quantities ??= findQuantities(this.text, this.numbers))
  }
  get percentages(): PercentMatch[] {
    return (this.#percentages ??= findPercentages(this.text, this.numbers))
  }
  get cities(): TextMatch<City>[] {
    return (this.#cities ??= findCities(this.text))
  }
  get countries(): TextMatch<Country>[] {
    return (this.#countries ??= findCountries(this.text))
  }
  get regions(): TextMatch<string>[] {
    return (this.#regions ??= findRegions(this.text))
  }
  get emails(): TextMatch<string>[] {
    return (this.#emails ??= findEmails(this.text))
  }
  get urls(): TextMatch<string>[] {
    return (this.#urls ??= findUrls(this.text))
  }
  get phones(): TextMatch<string>[] {
    return (this.#phones ??= findPhones(this.text))
  }
  get uuids(): TextMatch<string>[] {
    return (this.#uuids ??= findUuids(this.text))
  }
  get booleans(): TextMatch<boolean>[] {
    return (this.#booleans ??= findBooleans(this.text))
  }
  get quoted(): TextMatch<string>[] {
    return (this.#quoted ??= findQuoted(this.text))
  }
  matchEnum<V extends string | number | boolean | null>(
    values: readonly V[],
    options?: MatchEnumOptions,
  ): TextMatch<V>[] {
    return matchEnum(this.text, values, options)
  }
}

/** `blocks` as an object with getters of its own (spread and serialised whole), sharing its answers. */
export function blocksView(blocks: Blocks): ExtractionBlocks {
  return {
    text: blocks.text,
    get language() {
      return blocks.language
    },
    get today() {
      return blocks.today
    },
    get numbers() {
      return blocks.numbers
    },
    get money() {
      return blocks.money
    },
    get currencies() {
      return blocks.currencies
    },
    get dates() {
      return blocks.dates
    },
    get times() {
      return blocks.times
    },
    get quantities() {
      return blocks.quantities
    },
    get percentages() {
      return blocks.percentages
    },
    get cities() {
      return blocks.cities
    },
    get countries() {
      return blocks.countries
    },
    get regions() {
      return blocks.regions
    },
    get emails() {
      return blocks.emails
    },
    get urls() {
      return blocks.urls
    },
    get phones() {
      return blocks.phones
    },
    get uuids() {
      return blocks.uuids
    },
    get booleans() {
      return blocks.booleans
    },
    get quoted() {
      return blocks.quoted
    },
    matchEnum: (values, options) => blocks.matchEnum(values, options),
  }
}

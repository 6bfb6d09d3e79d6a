/**
 * Official exchange rates: parsers of the Bank of Russia and ECB feeds, exact cross rates, and the
 * provider (offline snapshot or live feed with a TTL cache) — what `finance/exchange-rates` runs on,
 * shared with other skills as `@skillos-skills/finance-exchange-rates/rates`.
 *
 * @example
 * ```ts
 * import { crossRate, loadRates, readRatesSettings, roundRate } from '@skillos-skills/finance-exchange-rates/rates'
 *
 * const { table } = await loadRates({ source: 'cbr', settings: readRatesSettings(ctx.config), storage: ctx.storage })
 * roundRate(crossRate(table, 'EUR', 'CNY')!) // yuan per euro, via RUB
 * ```
 */
export {
  add,
  compare,
  divide,
  fromNumber,
  multiply,
  parseDecimal,
  rateDecimals,
  ratio,
  roundRate,
  roundToNumber,
  roundToString,
  type Ratio,
} from './decimal.js'
export {
  addDays,
  checkRateDate,
  isCalendarDate,
  isoDateOf,
  toCbrDateParam,
  toRussianDate,
} from './dates.js'
export { parseCbrXml } from './cbr.js'
export { parseEcbXml } from './ecb.js'
export { decodeXml } from './xml-document.js'
export {
  crossRate,
  currenciesOf,
  hasCurrency,
  RATES_SOURCES,
  SOURCE_INFO,
  unitValue,
  type Quote,
  type RateTable,
  type RatesSource,
} from './rate-table.js'
export {
  describeRate,
  listRates,
  normalizeCode,
  requireCurrencies,
  type RateLine,
} from './quotes.js'
export {
  cacheKeyOf,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_TIMEOUT_MS,
  feedUrl,
  loadRates,
  OFFLINE_SNAPSHOTS,
  pickTable,
  readOfflineTables,
  readEmbeddedRatesSettings,
  readRatesSettings,
  type LoadedRates,
  type LoadRatesOptions,
  type RatesSettings,
} from './provider.js'
export { findSourceMention } from './request-text.js'

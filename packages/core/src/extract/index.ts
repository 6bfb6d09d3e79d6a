export { extractBlocks, type ExtractionBlocks } from './blocks.js'
export { findEmails, findPhones, findUrls, findUuids } from './contacts.js'
export { findDates, findTimes, type DateContext, type DateMatch, type TimeMatch } from './dates.js'
export { findBooleans, findQuoted, latinize, matchEnum, type MatchEnumOptions } from './enums.js'
export {
  answerParameters,
  fillParameters,
  type FilledParameter,
  type FillOptions,
  type FillResult,
  type MissingParameter,
} from './fill.js'
export type { TextMatch } from './match.js'
export {
  CURRENCY_CODES,
  findCurrencies,
  findMoney,
  type MoneyMatch,
  type MoneyValue,
} from './money.js'
export { findNumbers, numberWordValue, parseDigits, type NumberMatch } from './numbers.js'
export {
  findCities,
  findCountries,
  findRegions,
  russianForms,
  type City,
  type Country,
} from './places.js'
export {
  findPercentages,
  findQuantities,
  unitOf,
  type PercentMatch,
  type QuantityMatch,
  type QuantityUnit,
  type QuantityValue,
} from './quantities.js'
export type { MissingReason } from './questions.js'
export { kindOf, roleOfProperty, type PropertyKind, type Role } from './roles.js'
export { fitsSchema } from './schema-fit.js'
export { detectLanguage } from './words.js'

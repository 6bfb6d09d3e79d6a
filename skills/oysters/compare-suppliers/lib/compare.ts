import {
  divideRounded,
  fromMicros,
  toMicros,
} from '@skillos-skills/oysters-parse-price-list/decimal'
import type { Supplier } from './catalogue.js'
import { quoteSupplier, type NoQuote, type Order, type Quote } from './quote.js'

/** A rate into the comparison currency: 1 `currency` = `rate` units of it. */
export interface ExchangeRate {
  currency: string
  rate: number
}

/** One line of the ranking, in the comparison currency unless `converted` says otherwise. */
export interface RankedQuote {
  rank: number
  supplier: string
  location?: string
  grade?: number
  origin?: string
  priceUnit: string
  price: number
  priceCurrency: string
  packSize?: number
  packWeightKg?: number
  billedPieces?: number
  billedKg?: number
  packs?: number
  goods: number
  minimumTopUp: number
  delivery: number
  total: number
  currency: string
  /** Total divided by the pieces billed, 4 decimals. */
  perPiece?: number
  reasons: string[]
}

export type CrossCurrency = 'not-needed' | 'converted' | 'not-done'

export interface Comparison {
  currency: string
  ranking: RankedQuote[]
  notCompared: { supplier: string; reason: string }[]
  crossCurrency: CrossCurrency
  summary: string
}

function fmt(micros: bigint, currency: string): string {
  return `${fromMicros(micros, 2).toFixed(2)} ${currency}`
}

function commonestCurrency(quotes: Quote[]): string | undefined {
  const counts = new Map<string, number>()
  for (const q of quotes) counts.set(q.currency, (counts.get(q.currency) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
}

const RATE_SCALE = 1_000_000_000_000n

/**
 * Prices an order at every supplier and ranks the quotes cheapest first, each with why (pack
 * rounding, minimum order, delivery, grade chosen). Quotes in another currency are converted with
 * `exchangeRates` when given; otherwise they are listed in `notCompared` (cross-currency comparison
 * not done). `currency` defaults to the currency most quotes are in.
 *
 * @example
 * ```ts
 * compareSuppliers({ order: { variety: 'gillardeau', grade: 2, quantity: 130, unit: 'piece' }, suppliers, includeDelivery: true })
 * // ranking[0]: { supplier: 'Maison Lestrade', total: 612.5, currency: 'EUR', … }
 * ```
 */
export function compareSuppliers(options: {
  order: Order
  suppliers: Supplier[]
  includeDelivery: boolean
  currency?: string
  exchangeRates?: ExchangeRate[]
}): Comparison {
  const { order, suppliers, includeDelivery } = options
  const results = suppliers.map((s) => quoteSupplier(order, s, { includeDelivery }))
  const quotes = results.filter((r): r is Quote => 'total' in r)
  const notCompared: { supplier: string; reason: string }[] = results
    .filter((r): r is NoQuote => !('total' in r))
    .map((r) => ({ supplier: r.supplier, reason: r.reason }))
  const currency = options.currency ?? commonestCurrency(quotes) ?? suppliers[0]?.currency ?? 'EUR'
  // Rates keep 12 decimals: a rate into a strong currency (0.0116853 EUR per RUB) has few digits.
  const rates = new Map(
    (options.exchangeRates ?? []).map((r) => [r.currency, BigInt(Math.round(r.rate * 1e12))]),
  )
  let converted = false
  let leftOut = false
  const ranked: { quote: Quote; factor: bigint | undefined }[] = []
  for (const quote of quotes) {
    if (quote.currency === currency) {
      ranked.push({ quote, factor: undefined })
      continue
    }
    const rate = rates.get(quote.currency)
    if (rate === undefined) {
      leftOut = true
      notCompared.push({
        supplier: quote.supplier,
        reason: `priced in ${quote.currency} (${fmt(quote.total, quote.currency)}); cross-currency comparison is not done — pass exchangeRates with a ${quote.currency}→${currency} rate`,
      })
      continue
    }
    converted = true
    ranked.push({ quote, factor: rate })
  }
  // Each part is converted and rounded to cents, and the total is their sum, so parts add up.
  const convert = (micros: bigint, factor: bigint | undefined) =>
    factor === undefined ? micros : divideRounded(micros * factor, RATE_SCALE * 10_000n) * 10_000n
  const rows = ranked
    .map(({ quote, factor }) => {
      const goods = convert(quote.goods, factor)
      const minimumTopUp = convert(quote.minimumTopUp, factor)
      const delivery = convert(quote.delivery, factor)
      return {
        quote,
        factor,
        goods,
        minimumTopUp,
        delivery,
        total: goods + minimumTopUp + delivery,
      }
    })
    .sort((a, b) =>
      a.total !== b.total
        ? a.total < b.total
          ? -1
          : 1
        : a.quote.supplier.localeCompare(b.quote.supplier),
    )
  const cheapest = rows[0]?.total
  const ranking = rows.map(
    ({ quote, factor, total, goods, minimumTopUp, delivery }, index): RankedQuote => {
      const reasons = [...quote.reasons]
      if (factor !== undefined)
        reasons.push(
          `converted from ${quote.currency} at ${Number(factor) / Number(RATE_SCALE)} ${currency} per ${quote.currency}`,
        )
      if (index === 0) reasons.unshift('cheapest total')
      else if (cheapest !== undefined && cheapest > 0n) {
        const extra = total - cheapest
        const percent = fromMicros(divideRounded(extra * 100_000_000n, cheapest), 1)
        reasons.unshift(`${fmt(extra, currency)} (+${percent}%) more than the cheapest`)
      }
      const pieces = quote.billed.pieces
      const o = quote.offer
      return {
        rank: index + 1,
        supplier: quote.supplier,
        ...(quote.location ? { location: quote.location } : {}),
        ...(o.grade !== undefined ? { grade: o.grade } : {}),
        ...(o.origin ? { origin: o.origin } : {}),
        priceUnit: o.unit,
        price: o.price,
        priceCurrency: quote.currency,
        ...(o.packSize ? { packSize: o.packSize } : {}),
        ...(o.packWeightKg ? { packWeightKg: o.packWeightKg } : {}),
        ...(pieces !== undefined ? { billedPieces: pieces } : {}),
        ...(quote.billed.kg !== undefined ? { billedKg: quote.billed.kg } : {}),
        ...(quote.billed.packs !== undefined ? { packs: quote.billed.packs } : {}),
        goods: fromMicros(goods, 2),
        minimumTopUp: fromMicros(minimumTopUp, 2),
        delivery: fromMicros(delivery, 2),
        total: fromMicros(total, 2),
        currency,
        ...(pieces ? { perPiece: fromMicros(divideRounded(total, BigInt(pieces)), 4) } : {}),
        reasons,
      }
    },
  )
  const crossCurrency: CrossCurrency = leftOut ? 'not-done' : converted ? 'converted' : 'not-needed'
  return {
    currency,
    ranking,
    notCompared,
    crossCurrency,
    summary: summarise(ranking, currency),
  }
}

function summarise(ranking: RankedQuote[], currency: string): string {
  const [first, second] = ranking
  if (!first) return 'No supplier can quote this order.'
  const head = `${first.supplier}: ${first.total.toFixed(2)} ${currency}`
  if (!second) return `${head} (the only supplier that can quote in ${currency}).`
  const saving = fromMicros(toMicros(second.total) - toMicros(first.total), 2)
  return `${head}, ${saving.toFixed(2)} ${currency} less than ${second.supplier} (${second.total.toFixed(2)} ${currency}).`
}

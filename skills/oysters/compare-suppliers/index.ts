import { VARIETY_IDS, varietyById } from '@skillos-skills/oysters-parse-price-list/varieties'
import {
  crossRate,
  loadRates,
  readEmbeddedRatesSettings,
  roundRate,
  SOURCE_INFO,
} from '@skillos-skills/finance-exchange-rates/rates'
import { SkillOSError } from '@skillos/contracts'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import {
  fetchCatalogue,
  loadOfflineCatalogue,
  offerSchema,
  PRICE_UNITS,
  suppliersFromOffers,
} from './lib/catalogue.js'
import { compareSuppliers } from './lib/compare.js'
import { extractOrder } from './lib/extract.js'

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

function currencyCode(value: string, field: string): string {
  const code = value.trim().toUpperCase()
  if (!ISO_CURRENCIES.has(code))
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `${field}: "${value}" is not an ISO 4217 currency code`,
    })
  return code
}

function setting(config: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = config[name]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

const ranked = z.object({
  rank: z.number().int(),
  supplier: z.string(),
  location: z.string().optional(),
  grade: z.number().int().optional(),
  origin: z.string().optional(),
  priceUnit: z.string(),
  price: z.number(),
  priceCurrency: z.string(),
  packSize: z.number().int().optional(),
  packWeightKg: z.number().optional(),
  billedPieces: z.number().int().optional(),
  billedKg: z.number().optional(),
  packs: z.number().int().optional(),
  goods: z.number(),
  minimumTopUp: z.number(),
  delivery: z.number(),
  total: z.number(),
  currency: z.string(),
  perPiece: z.number().optional(),
  reasons: z.array(z.string()),
})

/**
 * Official rates into `currency` for the currencies the table quotes (Bank of Russia unless the
 * skill's settings say ECB; live when a URL is configured, else the dated snapshot).
 */
async function officialRates(
  ctx: {
    config: Readonly<Record<string, unknown>>
    storage: Parameters<typeof loadRates>[0]['storage']
    signal: AbortSignal
  },
  currencies: string[],
  currency: string,
) {
  const settings = readEmbeddedRatesSettings(ctx.config)
  const { table, live } = await loadRates({
    source: settings.source,
    settings,
    storage: ctx.storage,
    signal: ctx.signal,
  })
  const rates = currencies.flatMap((code) => {
    const rate = crossRate(table, code, currency)
    return rate ? [{ currency: code, rate: roundRate(rate) }] : []
  })
  return {
    source: table.source,
    sourceName: SOURCE_INFO[table.source].name,
    date: table.date,
    live,
    rates,
  }
}

export default defineSkill({
  input: z.object({
    variety: z.enum(VARIETY_IDS),
    grade: z.number().int().min(0).max(5).optional(),
    quantity: z.number().positive(),
    unit: z.enum(PRICE_UNITS).default('piece'),
    currency: z.string().optional(),
    includeDelivery: z.boolean().default(true),
    offers: z.array(offerSchema).optional(),
    exchangeRates: z
      .array(z.object({ currency: z.string(), rate: z.number().positive() }))
      .optional(),
  }),
  output: z.object({
    order: z.object({
      variety: z.string(),
      varietyName: z.string(),
      grade: z.number().int().optional(),
      quantity: z.number(),
      unit: z.string(),
    }),
    currency: z.string(),
    ranking: z.array(ranked),
    notCompared: z.array(z.object({ supplier: z.string(), reason: z.string() })),
    crossCurrency: z.enum(['not-needed', 'converted', 'not-done']),
    /** The official rates used when no exchangeRates were passed in. */
    rates: z
      .object({
        source: z.enum(['cbr', 'ecb']),
        sourceName: z.string(),
        date: z.string(),
        live: z.boolean(),
        rates: z.array(z.object({ currency: z.string(), rate: z.number() })),
      })
      .optional(),
    summary: z.string(),
    source: z.object({
      catalogue: z.enum(['offline', 'live']),
      asOf: z.string(),
      offers: z.number().int(),
    }),
  }),
  extract: (text) => extractOrder(text),
  async handler(input, ctx) {
    const currency =
      input.currency !== undefined
        ? currencyCode(input.currency, 'currency')
        : (() => {
            const configured = setting(ctx.config, 'currency')
            return configured ? currencyCode(configured, 'skills.settings.currency') : undefined
          })()
    const exchangeRates = input.exchangeRates?.map((r, i) => ({
      currency: currencyCode(r.currency, `exchangeRates[${i}].currency`),
      rate: r.rate,
    }))
    const offers = input.offers?.map((o, i) => ({
      ...o,
      currency: currencyCode(o.currency, `offers[${i}].currency`),
    }))
    const url = setting(ctx.config, 'catalogueUrl')
    const catalogue = url ? await fetchCatalogue(url, ctx.signal) : await loadOfflineCatalogue()
    const suppliers =
      offers && offers.length > 0 ? suppliersFromOffers(offers, catalogue) : catalogue.suppliers
    const order = {
      variety: input.variety,
      ...(input.grade !== undefined ? { grade: input.grade } : {}),
      quantity: input.quantity,
      unit: input.unit,
    }
    const compare = (rates: { currency: string; rate: number }[] | undefined) =>
      compareSuppliers({
        order,
        suppliers,
        includeDelivery: input.includeDelivery,
        ...(currency ? { currency } : {}),
        ...(rates ? { exchangeRates: rates } : {}),
      })
    let comparison = compare(exchangeRates)
    let official: Awaited<ReturnType<typeof officialRates>> | undefined
    // Suppliers in another currency are compared at the official rates unless rates were passed in.
    const foreign = [
      ...new Set(suppliers.map((s) => s.currency).filter((code) => code !== comparison.currency)),
    ]
    if (!exchangeRates && comparison.crossCurrency === 'not-done' && foreign.length > 0) {
      official = await officialRates(ctx, foreign, comparison.currency)
      if (official.rates.length > 0) {
        comparison = compare(official.rates)
        comparison.summary += ` Prices in ${official.rates.map((r) => r.currency).join(', ')} converted at ${official.sourceName} rates of ${official.date}.`
      }
    }
    return {
      order: { ...order, varietyName: varietyById(input.variety).name },
      ...comparison,
      ...(official && official.rates.length > 0 ? { rates: official } : {}),
      source: {
        catalogue: url ? ('live' as const) : ('offline' as const),
        asOf: catalogue.asOf,
        offers: offers?.length ?? 0,
      },
    }
  },
})

import { VARIETY_IDS, varietyById } from '@skillos-skills/oysters-parse-price-list/varieties'
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
    const comparison = compareSuppliers({
      order,
      suppliers,
      includeDelivery: input.includeDelivery,
      ...(currency ? { currency } : {}),
      ...(exchangeRates ? { exchangeRates } : {}),
    })
    return {
      order: { ...order, varietyName: varietyById(input.variety).name },
      ...comparison,
      source: {
        catalogue: url ? ('live' as const) : ('offline' as const),
        asOf: catalogue.asOf,
        offers: offers?.length ?? 0,
      },
    }
  },
})

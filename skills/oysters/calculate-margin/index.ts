import {
  crossRate,
  fromNumber,
  hasCurrency,
  loadRates,
  ratio,
  readEmbeddedRatesSettings,
  roundRate,
  SOURCE_INFO,
  type Ratio,
} from '@skillos-skills/finance-exchange-rates/rates'
import { SkillOSError } from '@skillos/contracts'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { loadImportCosts, readMarginSettings } from './lib/costs.js'
import { extractMarginRequest } from './lib/extract.js'
import { computeMargin } from './lib/margin.js'

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

const money = z.object({ perPiece: z.number(), total: z.number() })

export default defineSkill({
  input: z.object({
    purchasePrice: z.number().min(0),
    purchaseCurrency: z.string().default('EUR'),
    salePrice: z.number().min(0).optional(),
    saleCurrency: z.string().default('RUB'),
    targetMargin: z.number().min(0).optional(),
    quantity: z.number().positive().default(1),
    freightPerPiece: z.number().min(0).optional(),
    freightCurrency: z.string().optional(),
    dutyPercent: z.number().min(0).max(100).optional(),
    vatPercent: z.number().min(0).max(100).optional(),
    exchangeRate: z.number().positive().optional(),
  }),
  output: z.object({
    purchaseCurrency: z.string(),
    saleCurrency: z.string(),
    quantity: z.number(),
    exchangeRate: z.object({
      rate: z.number(),
      source: z.enum(['same-currency', 'input', 'cbr', 'ecb']),
      date: z.string().optional(),
      live: z.boolean().optional(),
    }),
    assumptions: z.object({
      freightPerPiece: z.number(),
      freightCurrency: z.string(),
      dutyPercent: z.number(),
      vatPercent: z.number(),
      vatPayer: z.boolean(),
      asOf: z.string(),
    }),
    purchase: money,
    freight: money,
    customsValue: money,
    duty: money,
    importVat: money,
    landedCost: money,
    sale: z
      .object({
        price: money,
        netPrice: money,
        outputVat: money,
        profit: money,
        marginPercent: z.number(),
        markupPercent: z.number(),
      })
      .optional(),
    target: z.object({ marginPercent: z.number(), netPrice: money, retailPrice: money }).optional(),
    notes: z.array(z.string()),
    summary: z.string(),
  }),
  extract: (text, blocks) => extractMarginRequest(text, blocks.money),
  async handler(input, ctx) {
    const settings = readMarginSettings(ctx.config)
    const defaults = loadImportCosts()
    const purchaseCurrency = currencyCode(input.purchaseCurrency, 'purchaseCurrency')
    const saleCurrency = currencyCode(input.saleCurrency, 'saleCurrency')
    const freightCurrency = currencyCode(
      input.freightCurrency ?? settings.freightCurrency ?? defaults.freightCurrency,
      'freightCurrency',
    )
    const notes: string[] = []
    const freightPerPiece =
      input.freightPerPiece ?? settings.freightPerPiece ?? defaults.freightPerPiece
    const dutyPercent = input.dutyPercent ?? settings.dutyPercent ?? defaults.dutyPercent
    const vatPercent = input.vatPercent ?? settings.vatPercent ?? defaults.vatPercent
    if (input.freightPerPiece === undefined && settings.freightPerPiece === undefined)
      notes.push(
        `freight ${freightPerPiece} ${freightCurrency} a piece assumed: ${defaults.freightSource}`,
      )
    if (input.dutyPercent === undefined && settings.dutyPercent === undefined)
      notes.push(`duty ${dutyPercent}% assumed: ${defaults.dutySource}`)
    if (input.vatPercent === undefined && settings.vatPercent === undefined)
      notes.push(`VAT ${vatPercent}% assumed: ${defaults.vatSource}`)

    // Rates: the one given, else the official table (Bank of Russia unless settings say ECB).
    const needed = [purchaseCurrency, freightCurrency].filter((c) => c !== saleCurrency)
    let purchaseRate: Ratio = ratio(1n)
    let freightRate: Ratio = ratio(1n)
    let exchangeRate: {
      rate: number
      source: 'same-currency' | 'input' | 'cbr' | 'ecb'
      date?: string
      live?: boolean
    } = { rate: 1, source: 'same-currency' }
    if (input.exchangeRate !== undefined && purchaseCurrency !== saleCurrency) {
      purchaseRate = fromNumber(input.exchangeRate)
      exchangeRate = { rate: input.exchangeRate, source: 'input' }
    }
    const fromTable = needed.filter(
      (c) => !(c === purchaseCurrency && exchangeRate.source === 'input'),
    )
    if (fromTable.length > 0) {
      const ratesSettings = readEmbeddedRatesSettings(ctx.config)
      const loaded = await loadRates({
        source: ratesSettings.source,
        settings: ratesSettings,
        storage: ctx.storage,
        signal: ctx.signal,
      })
      const { table } = loaded
      for (const [code, field] of [
        [saleCurrency, 'saleCurrency'],
        ...fromTable.map((c) => [
          c,
          c === purchaseCurrency ? 'purchaseCurrency' : 'freightCurrency',
        ]),
      ] as const) {
        if (!hasCurrency(table, code))
          throw new SkillOSError({
            code: 'VALIDATION_FAILED',
            message: `${field}: ${SOURCE_INFO[table.source].name} publishes no rate for ${code} (pass exchangeRate)`,
          })
      }
      const rateOf = (code: string): Ratio => crossRate(table, code, saleCurrency) ?? ratio(1n)
      if (fromTable.includes(purchaseCurrency)) {
        purchaseRate = rateOf(purchaseCurrency)
        exchangeRate = {
          rate: roundRate(purchaseRate),
          source: table.source,
          date: table.date,
          live: loaded.live,
        }
      }
      if (freightCurrency !== saleCurrency) freightRate = rateOf(freightCurrency)
      if (loaded.note) notes.push(loaded.note)
    }
    if (freightCurrency === purchaseCurrency) freightRate = purchaseRate

    const result = computeMargin({
      purchasePrice: input.purchasePrice,
      purchaseRate,
      freightPerPiece,
      freightRate,
      dutyPercent,
      vatPercent,
      vatPayer: settings.vatPayer,
      quantity: input.quantity,
      ...(input.salePrice !== undefined ? { salePrice: input.salePrice } : {}),
      ...(input.targetMargin !== undefined ? { targetMargin: input.targetMargin } : {}),
    })
    const c = saleCurrency
    const landed = `landed cost ${result.landedCost.perPiece.toFixed(2)} ${c} a piece`
    const summary = result.sale
      ? `${landed}; at ${result.sale.price.perPiece.toFixed(2)} ${c} the margin is ${result.sale.marginPercent}% (profit ${result.sale.profit.perPiece.toFixed(2)} ${c} a piece, ${result.sale.profit.total.toFixed(2)} ${c} in total)`
      : result.target
        ? `${landed}; for a ${result.target.marginPercent}% margin sell at ${result.target.retailPrice.perPiece.toFixed(2)} ${c} a piece`
        : `${landed}; give a sale price or a target margin for the margin or the price`
    return {
      purchaseCurrency,
      saleCurrency,
      quantity: input.quantity,
      exchangeRate,
      assumptions: {
        freightPerPiece,
        freightCurrency,
        dutyPercent,
        vatPercent,
        vatPayer: settings.vatPayer,
        asOf: defaults.asOf,
      },
      ...result,
      notes,
      summary,
    }
  },
})

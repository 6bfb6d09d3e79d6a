import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { DOCUMENT_FORMATS } from './lib/formats.js'
import { parsePriceList } from './lib/parse-price-list.js'
import { PRICE_UNITS } from './lib/units.js'
import { VARIETY_IDS } from './lib/varieties.js'

const row = z.object({
  line: z.number().int(),
  product: z.string(),
  variety: z.enum(VARIETY_IDS),
  varietyName: z.string(),
  species: z.string(),
  origin: z.string().optional(),
  grade: z.number().int().optional(),
  unit: z.enum(PRICE_UNITS),
  packSize: z.number().int().optional(),
  packWeightKg: z.number().optional(),
  price: z.number(),
  currency: z.string(),
  pricePerPiece: z.number().optional(),
  supplier: z.string().optional(),
  notes: z.array(z.string()),
})

export default defineSkill({
  input: z.object({
    document: z.string().optional(),
    documentBase64: z.string().optional(),
    fileName: z.string().optional(),
    supplier: z.string().optional(),
    defaultCurrency: z.string().optional(),
  }),
  output: z.object({
    format: z.enum(DOCUMENT_FORMATS),
    supplier: z.string().optional(),
    rows: z.array(row),
    errors: z.array(z.object({ line: z.number().int(), text: z.string(), reason: z.string() })),
    summary: z.object({
      lines: z.number().int(),
      parsed: z.number().int(),
      failed: z.number().int(),
      currencies: z.array(z.string()),
      varieties: z.array(z.string()),
    }),
  }),
  async handler(input, ctx) {
    const list = await parsePriceList(input)
    ctx.log.info('price list parsed', {
      format: list.format,
      parsed: list.summary.parsed,
      failed: list.summary.failed,
    })
    return list
  },
})

import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { answerRates } from './lib/answer.js'
import { loadRates, readRatesSettings } from './lib/provider.js'
import { extractRatesRequest } from './lib/request-text.js'

const input = z.object({
  currencies: z.array(z.string()).optional(),
  base: z.string().optional(),
  date: z.iso.date().optional(),
  source: z.enum(['cbr', 'ecb']).optional(),
})

const output = z.object({
  source: z.enum(['cbr', 'ecb']),
  sourceName: z.string(),
  base: z.string(),
  date: z.string(),
  requestedDate: z.string().optional(),
  live: z.boolean(),
  cached: z.boolean(),
  note: z.string().optional(),
  rates: z.array(
    z.object({
      code: z.string(),
      name: z.string().optional(),
      rate: z.number(),
      inverse: z.number(),
    }),
  ),
  text: z.string(),
})

export default defineSkill({
  input,
  output,
  // Bank names → source, "in dollars" / "к евро" → base: what the generic extractors cannot read.
  extract: extractRatesRequest,
  async handler(request, ctx) {
    const settings = readRatesSettings(ctx.config)
    const loaded = await loadRates({
      source: request.source ?? settings.source,
      ...(request.date ? { date: request.date } : {}),
      settings,
      storage: ctx.storage,
      signal: ctx.signal,
    })
    return answerRates(loaded, request)
  },
})

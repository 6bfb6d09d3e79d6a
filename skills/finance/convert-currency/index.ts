import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { convertWithOfficialRates } from './lib/convert-request.js'
import { extractConversionRequest } from './lib/request-text.js'

export default defineSkill({
  input: z.object({
    amount: z.number().min(0),
    from: z.string(),
    to: z.string(),
    date: z.iso.date().optional(),
    source: z.enum(['cbr', 'ecb']).optional(),
  }),
  output: z.object({
    amount: z.number(),
    from: z.string(),
    to: z.string(),
    result: z.number(),
    rate: z.number(),
    inverseRate: z.number(),
    via: z.string().optional(),
    date: z.string(),
    requestedDate: z.string().optional(),
    source: z.enum(['cbr', 'ecb']),
    sourceName: z.string(),
    live: z.boolean(),
    note: z.string().optional(),
    text: z.string(),
  }),
  // Bank names → source; ISO codes the generic extractor does not list (ISK, MXN…) → from/to.
  extract: extractConversionRequest,
  handler: (input, ctx) =>
    convertWithOfficialRates(input, {
      config: ctx.config,
      storage: ctx.storage,
      signal: ctx.signal,
    }),
})

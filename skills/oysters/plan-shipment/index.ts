import { SkillOSError } from '@skillos/contracts'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { fetchColdChain, LEG_MODES, legSchema, loadColdChain } from './lib/cold-chain.js'
import { extractShipment } from './lib/extract.js'
import { planShipment } from './lib/plan.js'

const plannedLeg = z.object({
  index: z.number().int(),
  from: z.string(),
  to: z.string(),
  mode: z.enum(LEG_MODES),
  hours: z.number(),
  temperatureC: z.number(),
  temperatureAssumed: z.boolean(),
  inBand: z.boolean(),
  departAt: z.string(),
  arriveAt: z.string(),
  lifeUsedHours: z.number(),
  remainingHours: z.number(),
  note: z.string().optional(),
  warning: z.string().optional(),
})

export default defineSkill({
  input: z.object({
    quantity: z.number().positive(),
    unit: z.enum(['piece', 'dozen']).default('piece'),
    grade: z.number().int().min(0).max(5).default(3),
    packedAt: z.string().optional(),
    origin: z.string().optional(),
    destination: z.string().optional(),
    legs: z.array(legSchema).optional(),
  }),
  output: z.object({
    pieces: z.number().int(),
    grade: z.number().int(),
    piecesPerBox: z.number().int(),
    boxes: z.number().int(),
    lastBoxPieces: z.number().int().optional(),
    gramsPerPiece: z.number(),
    netWeightKg: z.number(),
    grossWeightKg: z.number(),
    volumetricWeightKg: z.number(),
    chargeableWeightKg: z.number().optional(),
    temperatureBand: z.object({ minC: z.number(), maxC: z.number() }),
    packedAt: z.string(),
    shelfLifeHours: z.number(),
    route: z.object({
      source: z.enum(['given', 'typical']),
      name: z.string().optional(),
      asOf: z.string(),
    }),
    legs: z.array(plannedLeg),
    totalTransitHours: z.number(),
    arrivalAt: z.string(),
    remainingShelfLifeHours: z.number(),
    remainingShelfLifeDays: z.number(),
    arrivesAlive: z.boolean(),
    warnings: z.array(z.string()),
    notes: z.array(z.string()),
  }),
  extract: (text) => extractShipment(text, loadColdChain()),
  async handler(input, ctx) {
    const url = typeof ctx.config.routesUrl === 'string' ? ctx.config.routesUrl.trim() : ''
    const data = url ? await fetchColdChain(url, ctx.signal) : loadColdChain()
    const shelfLifeDays = ctx.config.shelfLifeDays
    if (
      shelfLifeDays !== undefined &&
      (typeof shelfLifeDays !== 'number' || !(shelfLifeDays > 0) || shelfLifeDays > 21)
    )
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `skills.settings.shelfLifeDays: ${JSON.stringify(shelfLifeDays)} is not a number of days between 0 and 21`,
      })
    return planShipment({ ...input, ...(shelfLifeDays ? { shelfLifeDays } : {}) }, data, new Date())
  },
})

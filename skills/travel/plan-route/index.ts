import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { loadGazetteer } from './lib/cities.js'
import { planTrip } from './lib/plan.js'

const gazetteer = loadGazetteer()
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')

const stop = z.object({
  city: z.string(),
  nameRu: z.string(),
  country: z.string(),
  lat: z.number(),
  lon: z.number(),
  days: z.number().int().min(0),
  arrive: z.string().optional(),
  depart: z.string().optional(),
})
const leg = z.object({
  from: z.string(),
  to: z.string(),
  distanceKm: z.number().min(0),
  mode: z.enum(['car', 'train', 'flight']),
  estimatedHours: z.number().min(0),
  date: z.string().optional(),
})

export default defineSkill({
  input: z.object({
    startCity: z.string().min(1).optional(),
    cities: z.array(z.string().min(1)).min(1).max(30),
    finish: z.string().min(1).optional(),
    days: z.number().int().min(1).max(365).optional(),
    stays: z
      .array(z.object({ city: z.string().min(1), days: z.number().int().min(1).max(365) }))
      .max(30)
      .optional(),
    startDate: isoDate.optional(),
    loop: z.boolean().optional(),
  }),
  output: z.object({
    method: z.enum(['held-karp', 'nearest-neighbour+2-opt']),
    roundTrip: z.boolean(),
    route: z.array(stop),
    legs: z.array(leg),
    totals: z.object({
      distanceKm: z.number().min(0),
      days: z.number().int().min(0),
      travelHours: z.number().min(0),
      legs: z.number().int().min(0),
      givenOrderKm: z.number().min(0),
    }),
    startDate: z.string().optional(),
    endDate: z.string().optional(),
    dataAsOf: z.string(),
    notes: z.array(z.string()),
  }),
  handler(input, ctx) {
    const plan = planTrip(input, gazetteer)
    ctx.log.info('route planned', {
      cities: plan.route.length,
      km: plan.totals.distanceKm,
      method: plan.method,
    })
    return plan
  },
})

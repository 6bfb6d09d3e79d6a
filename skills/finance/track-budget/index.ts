import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { extractBudgetRequest } from './lib/request-text.js'
import { readTrackerSettings, trackBudget } from './lib/tracker.js'

const standing = z.object({
  category: z.string(),
  spent: z.number(),
  budget: z.number().optional(),
  remaining: z.number().optional(),
  forecast: z.number(),
  status: z.enum(['no-budget', 'ok', 'at-risk', 'over']),
})

export default defineSkill({
  input: z.object({
    action: z.enum(['add-expense', 'set-budget', 'report']).optional(),
    amount: z.number().min(0).optional(),
    currency: z.string().optional(),
    category: z.string().max(60).optional(),
    period: z.enum(['month', 'week']).optional(),
    date: z.iso.date().optional(),
  }),
  output: z.object({
    action: z.enum(['add-expense', 'set-budget', 'report']),
    message: z.string(),
    expense: z
      .object({ date: z.string(), amount: z.number(), currency: z.string(), category: z.string() })
      .optional(),
    budget: z
      .object({
        category: z.string(),
        period: z.enum(['month', 'week']),
        amount: z.number(),
        currency: z.string(),
      })
      .optional(),
    period: z.object({
      kind: z.enum(['month', 'week']),
      start: z.string(),
      end: z.string(),
      days: z.number(),
      daysElapsed: z.number(),
    }),
    asOf: z.string(),
    currency: z.string(),
    categories: z.array(standing),
    total: standing,
    warnings: z.array(z.string()),
  }),
  // The action (spent / set a budget / how much is left), the category ("on taxi", "на такси")
  // and the period kind: what the generic extractors cannot read. See lib/request-text.ts.
  extract: extractBudgetRequest,
  handler: async (input, ctx) =>
    trackBudget(input, {
      storage: ctx.storage,
      principalId: ctx.principal.id,
      settings: readTrackerSettings(ctx.config),
      now: Date.now(),
    }),
})

import { modelNameSchema, tenantIdSchema } from '@skillos/contracts'
import { z } from 'zod'

// The shapes of the budget's calls, checked at the edge so a bad call changes nothing and names the
// field. Dollar amounts are numbers of US dollars; tokens are whole numbers.

const MAX_TOKENS = 2_147_483_647 // the ledger's integer columns

const usd = z
  .number({ error: 'expected a number of US dollars' })
  .min(0, 'must not be negative')
  .max(1_000_000_000, 'must be at most 1,000,000,000 US dollars')
const tokenCount = z
  .number({ error: 'expected a whole number of tokens' })
  .int('must be a whole number of tokens')
  .min(0, 'must not be negative')
  .max(MAX_TOKENS, `must be at most ${MAX_TOKENS}`)
const name = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters')

export const estimateRequestSchema = z.strictObject({
  model: modelNameSchema,
  inputTokens: tokenCount,
  maxOutputTokens: tokenCount,
})
export type EstimateRequest = z.input<typeof estimateRequestSchema>

export const reserveRequestSchema = z
  .strictObject({
    tenant: tenantIdSchema,
    /** The principal the run acts for. */
    user: name,
    skill: name.optional(),
    runId: name,
    /** With `inputTokens` and `maxOutputTokens`: the cost is estimated from the price table. */
    model: modelNameSchema.optional(),
    inputTokens: tokenCount.optional(),
    maxOutputTokens: tokenCount.optional(),
    /** Dollars to hold instead of (or without) a model estimate. */
    costUsd: usd.optional(),
    /** Tokens to hold for token limits; default `inputTokens + maxOutputTokens`. */
    tokens: tokenCount.optional(),
  })
  .superRefine((request, ctx) => {
    const counted = request.inputTokens !== undefined || request.maxOutputTokens !== undefined
    if (counted && request.model === undefined && request.costUsd === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: 'is needed to price inputTokens / maxOutputTokens (or give costUsd)',
      })
    }
    if (
      request.model !== undefined &&
      request.costUsd === undefined &&
      (request.inputTokens === undefined || request.maxOutputTokens === undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: [request.inputTokens === undefined ? 'inputTokens' : 'maxOutputTokens'],
        message: `is needed to estimate the cost of ${request.model} (or give costUsd)`,
      })
    }
  })
export type ReserveRequest = z.input<typeof reserveRequestSchema>

export const commitRequestSchema = z.strictObject({
  /** The model that really ran; default the reserved one (a degradation may have changed it). */
  model: modelNameSchema.optional(),
  inputTokens: tokenCount.optional(),
  outputTokens: tokenCount.optional(),
  /** Dollars spent besides model tokens (or instead of them). */
  costUsd: usd.optional(),
  kind: z.enum(['model', 'tool']).optional(),
  /** Kept in the ledger row. */
  metadata: z.record(z.string(), z.unknown()).optional(),
})
export type CommitRequest = z.input<typeof commitRequestSchema>

export const chargeRequestSchema = z.strictObject({
  tenant: tenantIdSchema,
  user: name,
  skill: name.optional(),
  runId: name,
  /** What the paid call costs. */
  costUsd: usd,
  /** The tool that pays (`maps/geocode`). */
  tool: name,
  /** Makes the charge idempotent: the same id charges once. */
  chargeId: name.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
})
export type ChargeRequest = z.input<typeof chargeRequestSchema>

export const reportRequestSchema = z.strictObject({
  tenant: tenantIdSchema,
  user: name.optional(),
  skill: name.optional(),
  runId: name.optional(),
})
export type ReportRequest = z.input<typeof reportRequestSchema>

export const spendQuerySchema = z.strictObject({
  tenant: tenantIdSchema,
  user: name.optional(),
  skill: name.optional(),
  runId: name.optional(),
  /** `null`: charges without a model (paid tool calls). */
  model: modelNameSchema.nullable().optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  groupBy: z.array(z.enum(['day', 'user', 'skill', 'model', 'run', 'kind'])).optional(),
})
export type SpendQuery = z.input<typeof spendQuerySchema>

import { z } from '@hono/zod-openapi'

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().openapi({ example: 'NOT_FOUND' }),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Problem')

const json = (schema: z.ZodType, description: string) => ({
  content: { 'application/json': { schema } },
  description,
})
const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: ProblemSchema } },
  description,
})

/** Refusals every authenticated route can answer with. */
export const commonErrors = {
  400: problem('Invalid request (field and reason in `issues`)'),
  401: problem('Missing or invalid credentials'),
  403: problem('Policy denied'),
  404: problem('Not found (or not in your tenant)'),
  429: problem('Rate limited (see Retry-After)'),
  503: problem('Overloaded or a dependency is down (see Retry-After)'),
} as const

export const responses = { json, problem }

const skillRef = z.string().min(1).max(300).openapi({ example: 'finance/convert-currency' })

export const RunCreateSchema = z
  .object({
    input: z.string().max(20_000).optional().openapi({ example: 'convert 250 EUR to RUB' }),
    skill: skillRef.optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    mode: z.enum(['single', 'parallel', 'pipeline']).optional(),
    dryRun: z.boolean().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    metadata: z.record(z.string(), z.string().max(500)).optional(),
  })
  .strict()
  .openapi('RunCreate')

export const RunResultSchema = z
  .object({
    runId: z.string(),
    status: z.string(),
    skill: z.object({ id: z.string(), version: z.string() }).nullable(),
    output: z.unknown().optional(),
    error: z
      .object({ code: z.string(), message: z.string(), details: z.unknown().optional() })
      .optional(),
    missing: z.array(z.object({ field: z.string(), question: z.string() })).optional(),
    approval: z.object({ id: z.string(), expiresAt: z.string() }).optional(),
    usage: z.object({
      tokens: z.object({ input: z.number(), output: z.number() }),
      costUsd: z.number(),
      ms: z.number(),
    }),
    trace: z.array(z.record(z.string(), z.unknown())),
    candidates: z.array(z.unknown()).optional(),
  })
  .openapi('RunResult')

export const RunAcceptedSchema = z
  .object({
    runId: z.string(),
    status: z.string(),
    links: z.object({ self: z.string(), events: z.string(), cancel: z.string() }),
  })
  .openapi('RunAccepted')

export const RunIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'run_m3x9k2a1b2c3d4e5f6a7b8' }),
})

export const AnswerSchema = z
  .object({ answer: z.union([z.string().min(1).max(20_000), z.record(z.string(), z.unknown())]) })
  .strict()
  .openapi('Answer')

export const DecisionSchema = z
  .object({ comment: z.string().max(2000).optional() })
  .strict()
  .openapi('ApprovalDecision')

export const ApprovalSchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    status: z.string(),
    reason: z.string(),
    risk: z.string(),
    sideEffects: z.string(),
    approvers: z.array(z.string()),
    requestedBy: z.string(),
    requestedAt: z.string(),
    expiresAt: z.string(),
    skill: z.object({ id: z.string(), version: z.string().optional() }).optional(),
  })
  .openapi('Approval')

export const SkillSchema = z
  .object({
    id: z.string(),
    version: z.string(),
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    risk: z.string(),
    sideEffects: z.string(),
    input: z.unknown().optional(),
    examples: z.array(z.string()).optional(),
    deprecated: z.object({ message: z.string() }).optional(),
  })
  .openapi('Skill')

export const RouteRequestSchema = z
  .object({ input: z.string().min(1).max(20_000) })
  .strict()
  .openapi('RouteRequest')

export const WebhookCreateSchema = z
  .object({
    url: z.string().min(1).max(2000).openapi({ example: 'https://example.com/skillos-hooks' }),
    events: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(50)
      .openapi({ example: ['run.completed', 'approval.requested'] }),
  })
  .strict()
  .openapi('WebhookCreate')

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    status: z.string(),
    consecutiveFailures: z.number(),
    disabledReason: z.string().optional(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Webhook')

export const DeliverySchema = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    eventType: z.string(),
    runId: z.string().optional(),
    status: z.string(),
    attempts: z.number(),
    nextAttemptAt: z.string(),
    lastStatusCode: z.number().optional(),
    lastError: z.string().optional(),
    createdAt: z.string(),
    deliveredAt: z.string().optional(),
  })
  .openapi('WebhookDelivery')

export const ApiKeyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'ci-deploy' }),
    roles: z
      .array(z.string().min(1).max(100))
      .max(50)
      .default([])
      .openapi({ example: ['analyst'] }),
    principalId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Who the key acts as (default: you)', example: 'ci-bot' }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ example: '2027-01-01T00:00:00Z' }),
  })
  .strict()
  .openapi('ApiKeyCreate')

export const ApiKeySchema = z
  .object({
    id: z.string(),
    prefix: z.string().openapi({ example: 'sk_3f9c0a1b2c3d4e5f' }),
    name: z.string(),
    principalId: z.string(),
    roles: z.array(z.string()),
    createdAt: z.string(),
    expiresAt: z.string().optional(),
    revokedAt: z.string().optional(),
  })
  .openapi('ApiKey')

export const IdParams = (example: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name: 'id', in: 'path' }, example }),
  })

import { z } from 'zod'
import { errorCodeSchema } from './errors.js'
import { riskLevelSchema, sideEffectClassSchema } from './skill-manifest.js'

/** Longest request text accepted (characters); larger inputs belong in `params` or a file. */
export const MAX_INPUT_CHARS = 65_536

export const tenantIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'must be a tenant slug: lowercase letters, digits, "-" or "_", at most 63 characters',
  )

export const runStatuses = [
  'queued',
  'running',
  'needs_input',
  'awaiting_approval',
  'succeeded',
  'failed',
  'refused',
  'cancelled',
] as const
export const runStatusSchema = z.enum(runStatuses)
export type RunStatus = z.infer<typeof runStatusSchema>
/** Statuses after which a run never changes again. */
export const terminalRunStatuses: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'refused',
  'cancelled',
]

export const runModeSchema = z.enum(['single', 'parallel', 'pipeline'])
export type RunMode = z.infer<typeof runModeSchema>

/** Who asks: the subject of every policy decision. */
export const principalSchema = z.strictObject({
  id: z.string().min(1).max(200),
  roles: z.array(z.string().min(1).max(100)).default([]),
  /** ABAC attributes (department, clearance, …). */
  attributes: z.record(z.string(), z.unknown()).default({}),
})
export type Principal = z.output<typeof principalSchema>

/** `finance/convert-currency`, `finance/convert-currency@^1.2.0`. */
export const skillRefSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*(?:@[\s0-9A-Za-z.*^~<>=|+-]+)?$/,
    'must be a skill id with an optional version range, e.g. "finance/convert-currency@^1.2.0"',
  )

/**
 * One request to run a skill.
 *
 * @example
 * ```ts
 * const request: RunRequestInput = {
 *   input: 'convert 250 EUR to RUB',
 *   tenant: 'acme',
 *   principal: { id: 'u1', roles: ['analyst'] },
 *   idempotencyKey: 'invoice-42',
 * }
 * ```
 */
export const runRequestSchema = z
  .strictObject({
    /** The request in words, English or Russian. */
    input: z
      .string()
      .max(MAX_INPUT_CHARS, `must be at most ${MAX_INPUT_CHARS} characters`)
      .default(''),
    tenant: tenantIdSchema,
    principal: principalSchema,
    /** Structured parameters; they win over anything extracted from `input`. */
    params: z.record(z.string(), z.unknown()).optional(),
    /** Run this skill instead of routing (`id` or `id@range`). */
    skill: skillRefSchema.optional(),
    mode: runModeSchema.optional(),
    dryRun: z.boolean().default(false),
    /** Same key + same payload → the stored result; same key + other payload → CONFLICT. */
    idempotencyKey: z.string().min(1).max(255).optional(),
    /** ABAC context: client IP, time, channel. `time` defaults to now. */
    context: z
      .strictObject({
        ip: z.union([z.ipv4(), z.ipv6()]).optional(),
        time: z.iso.datetime({ offset: true }).optional(),
        channel: z.string().max(50).optional(),
      })
      .catchall(z.unknown())
      .default({}),
    metadata: z.record(z.string(), z.string().max(500)).optional(),
  })
  .superRefine((request, ctx) => {
    if (request.input.trim().length === 0 && !(request.skill && request.params)) {
      ctx.addIssue({
        code: 'custom',
        path: ['input'],
        message: 'must describe the request (or give both "skill" and "params")',
      })
    }
  })
export type RunRequest = z.output<typeof runRequestSchema>
export type RunRequestInput = z.input<typeof runRequestSchema>

export const usageSchema = z.strictObject({
  tokens: z.strictObject({ input: z.number().int().min(0), output: z.number().int().min(0) }),
  costUsd: z.number().min(0),
  ms: z.number().min(0),
})
export type Usage = z.infer<typeof usageSchema>

const candidateSchema = z.strictObject({
  id: z.string(),
  score: z.number(),
  confidence: z.number().min(0).max(1).optional(),
})

const policyDecisionSchema = z.strictObject({
  action: z.string(),
  resource: z.string(),
  allowed: z.boolean(),
  ruleIds: z.array(z.string()),
  obligations: z.array(z.string()),
  explanation: z.string(),
})

const errorBodySchema = z.strictObject({
  code: errorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
})

const eventBase = {
  runId: z.string(),
  tenant: tenantIdSchema,
  /** Position in the run's stream, from 0. */
  seq: z.number().int().min(0),
  at: z.iso.datetime({ offset: true }),
  /** Milliseconds since the run started (profiling). */
  elapsedMs: z.number().min(0).optional(),
}

function event<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ ...eventBase, type: z.literal(type), ...shape })
}

/**
 * Everything a run does, as one typed stream: logs, metrics, the stored trace, webhooks and the
 * debugger all consume it. Secrets never appear in events.
 */
export const runEventSchema = z.discriminatedUnion('type', [
  event('run.started', {
    principal: z.string(),
    skill: z.string().optional(),
    mode: runModeSchema.optional(),
    dryRun: z.boolean(),
  }),
  event('run.analyzed', {
    complexity: z.number().min(0).max(1),
    risk: z.number().min(0).max(1),
    factors: z.array(z.string()),
  }),
  event('skill.routed', {
    skill: z.string(),
    version: z.string(),
    confidence: z.number().min(0).max(1),
    candidates: z.array(candidateSchema),
  }),
  event('skill.no_match', { candidates: z.array(candidateSchema) }),
  event('skill.deprecated', {
    skill: z.string(),
    version: z.string(),
    message: z.string(),
    replacement: z.string().optional(),
  }),
  event('run.planned', {
    mode: runModeSchema,
    steps: z.array(
      z.strictObject({
        id: z.string(),
        skill: z.string(),
        dependsOn: z.array(z.string()).default([]),
      }),
    ),
  }),
  event('input.requested', {
    missing: z.array(z.strictObject({ field: z.string(), question: z.string() })),
  }),
  event('policy.decided', policyDecisionSchema.shape),
  event('budget.reserved', {
    reservationId: z.string(),
    costUsd: z.number().min(0),
    tokens: z.number().int().min(0),
    scopes: z.array(z.string()),
  }),
  event('budget.warning', {
    scope: z.string(),
    spentUsd: z.number(),
    limitUsd: z.number(),
    action: z.string(),
  }),
  event('budget.committed', {
    reservationId: z.string(),
    costUsd: z.number().min(0),
    tokens: z.number().int().min(0),
    releasedUsd: z.number().min(0),
  }),
  event('budget.released', {
    reservationId: z.string(),
    releasedUsd: z.number().min(0),
    reason: z.string(),
  }),
  event('approval.requested', {
    approvalId: z.string(),
    reason: z.string(),
    risk: riskLevelSchema,
    sideEffects: sideEffectClassSchema,
    expiresAt: z.iso.datetime({ offset: true }),
  }),
  event('approval.decided', {
    approvalId: z.string(),
    decision: z.enum(['approved', 'rejected', 'expired']),
    by: z.string().optional(),
    comment: z.string().optional(),
  }),
  event('step.started', { step: z.string(), skill: z.string() }),
  event('step.completed', {
    step: z.string(),
    skill: z.string(),
    ms: z.number().min(0),
    ok: z.boolean(),
  }),
  event('tool.called', {
    step: z.string().optional(),
    tool: z.string(),
    attempt: z.number().int().min(1),
    ms: z.number().min(0),
    costUsd: z.number().min(0).optional(),
  }),
  event('tool.failed', {
    step: z.string().optional(),
    tool: z.string(),
    attempt: z.number().int().min(1),
    ms: z.number().min(0),
    error: errorBodySchema,
    willRetry: z.boolean(),
  }),
  event('circuit.changed', { tool: z.string(), state: z.enum(['closed', 'open', 'half-open']) }),
  event('run.completed', {
    status: runStatusSchema,
    usage: usageSchema,
    error: errorBodySchema.optional(),
  }),
  /**
   * The last event of a cancelled run, instead of `run.completed` (its status is `cancelled`):
   * `from` is where it was stopped — `queued` (never started), `needs_input` or
   * `awaiting_approval` (waiting for a person), or `running` (a step was stopped).
   */
  event('run.cancelled', {
    /** The principal who cancelled it. */
    by: z.string().optional(),
    from: runStatusSchema,
    usage: usageSchema,
  }),
])
export type RunEvent = z.infer<typeof runEventSchema>
export type RunEventType = RunEvent['type']
/** The event of one type: `RunEventOf<'tool.called'>`. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>

/** What a run returns (and what an idempotent replay returns again). */
export const runResultSchema = z.strictObject({
  runId: z.string(),
  status: runStatusSchema,
  skill: z.strictObject({ id: z.string(), version: z.string() }).nullable(),
  output: z.unknown().optional(),
  error: errorBodySchema.optional(),
  /** Near misses when nothing matched, or the ranking that picked the skill. */
  candidates: z.array(candidateSchema).optional(),
  /** Parameters a person must supply before the run can continue (`needs_input`). */
  missing: z.array(z.strictObject({ field: z.string(), question: z.string() })).optional(),
  approval: z
    .strictObject({ id: z.string(), expiresAt: z.iso.datetime({ offset: true }) })
    .optional(),
  usage: usageSchema,
  trace: z.array(runEventSchema),
})
export type RunResult = z.infer<typeof runResultSchema>

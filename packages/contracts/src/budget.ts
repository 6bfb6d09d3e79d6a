import { z } from 'zod'
import { tenantIdSchema } from './run.js'

/** Who a limit counts for: every limit is inside one tenant; a list combines scopes (per user per skill). */
export const budgetScopes = ['tenant', 'user', 'skill', 'run'] as const
export const budgetScopeSchema = z.enum(budgetScopes)
export type BudgetScope = z.infer<typeof budgetScopeSchema>

/**
 * How long a limit's counter runs before it starts again: one run, a UTC calendar minute / hour /
 * day / month, or for ever (`lifetime`).
 */
export const budgetWindows = ['run', 'minute', 'hour', 'day', 'month', 'lifetime'] as const
export const budgetWindowSchema = z.enum(budgetWindows)
export type BudgetWindow = z.infer<typeof budgetWindowSchema>

/** `hard` refuses a reservation that would cross the limit; `soft` admits it and returns a warning. */
export const budgetModeSchema = z.enum(['hard', 'soft'])
export type BudgetMode = z.infer<typeof budgetModeSchema>

/**
 * Budgets are kept in US dollars (integer micro-dollars inside). Another currency is refused rather
 * than converted: an exchange rate in a config file goes stale, and a limit that moves with it is
 * not the limit anyone approved.
 */
export const budgetCurrencySchema = z
  .literal('USD', {
    error: 'only "USD" is supported: budgets and prices are kept in US dollars',
  })
  .default('USD')

const MAX_USD = 1_000_000_000

/** A dollar amount: finite, not negative, at most 6 decimals (whole micro-dollars). */
const usdSchema = z
  .number({ error: 'expected a number of US dollars' })
  .min(0, 'must not be negative')
  .max(MAX_USD, `must be at most ${MAX_USD} US dollars`)
  .refine(
    (value) => Math.abs(value * 1e6 - Math.round(value * 1e6)) < 1e-3,
    'must have at most 6 decimal places (whole micro-dollars)',
  )

const tokenCountSchema = z
  .number({ error: 'expected a whole number of tokens' })
  .int('must be a whole number of tokens')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large')

/** A model name as providers spell it: `gpt-4o-mini`, `claude-sonnet-4-5`, `openai/gpt-4.1`. */
export const modelNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^\S+$/, 'must not contain spaces')

/**
 * A model's price in US dollars per 1M tokens (what provider price pages list).
 *
 * @example
 * ```yaml
 * budget:
 *   prices:
 *     my-finetune: { input: 0.30, output: 1.20 }
 * ```
 */
export const modelPriceSchema = z.strictObject({
  /** USD per 1M input (prompt) tokens. */
  input: usdSchema,
  /** USD per 1M output (completion) tokens. */
  output: usdSchema,
  currency: budgetCurrencySchema,
})
export type ModelPrice = z.output<typeof modelPriceSchema>

const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'must be lowercase letters, digits, ".", "-" or "_", at most 63 characters',
  )

/**
 * One limit. It counts per subject of its `scope` (per tenant, per user, per skill, per run, or a
 * combination such as `[user, skill]`), inside each `window`, in dollars (`usd`), tokens (input +
 * output, `tokens`) or both. `tenant` / `user` / `skill` narrow it to one subject; a narrowed limit
 * replaces the general limit of the same scope, window and mode for that subject (so one user can
 * get more or less than the rest).
 *
 * @example
 * ```yaml
 * budget:
 *   limits:
 *     - { scope: tenant, window: day, usd: 50 }          # every tenant: $50 a day
 *     - { scope: user, window: day, usd: 5 }             # every user: $5 a day
 *     - { scope: user, window: day, usd: 4, mode: soft } # warn from $4
 *     - { scope: skill, skill: research/deep-dive, window: run, tokens: 20000 }
 * ```
 */
export const budgetLimitSchema = z
  .strictObject({
    /** Names the limit in reports, errors and degradation rules; default derived from the fields. */
    id: slugSchema.optional(),
    scope: z.union([budgetScopeSchema, z.array(budgetScopeSchema).min(1)]),
    window: budgetWindowSchema,
    usd: usdSchema.optional(),
    tokens: tokenCountSchema.optional(),
    currency: budgetCurrencySchema,
    mode: budgetModeSchema.default('hard'),
    /** Only for this tenant. */
    tenant: tenantIdSchema.optional(),
    /** Only for this user (the scope must include `user`). */
    user: z.string().min(1).max(200).optional(),
    /** Only for this skill (the scope must include `skill`). */
    skill: z.string().min(1).max(200).optional(),
  })
  .superRefine((limit, ctx) => {
    if (limit.usd === undefined && limit.tokens === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['usd'],
        message: 'a limit needs "usd", "tokens" or both',
      })
    }
    const scopes = Array.isArray(limit.scope) ? limit.scope : [limit.scope]
    if (new Set(scopes).size !== scopes.length) {
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'names a scope twice' })
    }
    if (scopes.includes('run') && limit.window !== 'run') {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: 'a run-scoped limit counts per run: window must be "run"',
      })
    }
    for (const field of ['user', 'skill'] as const) {
      if (limit[field] !== undefined && !scopes.includes(field)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `narrows by ${field}, so the scope must include "${field}"`,
        })
      }
    }
  })
export type BudgetLimit = z.output<typeof budgetLimitSchema>
export type BudgetLimitInput = z.input<typeof budgetLimitSchema>

const degradationBase = {
  /** Names the rule in results and events; default `degradations.<index>`. */
  id: slugSchema.optional(),
  /** The id of the hard limit whose use triggers the rule; default: every hard limit. */
  limit: slugSchema.optional(),
  /** Share of the limit in use (spent + reserved, this reservation included) from which the rule applies. */
  atShare: z
    .number({ error: 'expected a share between 0 and 1, e.g. 0.8' })
    .gt(0, 'must be above 0')
    .max(1, 'must be at most 1 (a share of the limit, e.g. 0.8)'),
}

/**
 * What to do as a limit fills up, before it refuses: switch to a cheaper model, cap output tokens, or
 * ask a person to approve. Returned by `reserve` as data; the orchestrator acts on it and emits events.
 *
 * @example
 * ```yaml
 * budget:
 *   degradations:
 *     - { atShare: 0.8, action: downgrade-model, from: [gpt-4o], to: gpt-4o-mini }
 *     - { atShare: 0.9, action: cap-max-tokens, maxOutputTokens: 512 }
 *     - { atShare: 0.95, action: require-approval }
 * ```
 */
export const budgetDegradationSchema = z.discriminatedUnion(
  'action',
  [
    z.strictObject({
      ...degradationBase,
      action: z.literal('downgrade-model'),
      /** Only when the run asked for one of these models; default: any model other than `to`. */
      from: z.array(modelNameSchema).min(1).optional(),
      to: modelNameSchema,
    }),
    z.strictObject({
      ...degradationBase,
      action: z.literal('cap-max-tokens'),
      maxOutputTokens: z
        .number({ error: 'expected a whole number of tokens' })
        .int('must be a whole number of tokens')
        .min(1, 'must be at least 1'),
    }),
    z.strictObject({ ...degradationBase, action: z.literal('require-approval') }),
  ],
  { error: 'expected action "downgrade-model", "cap-max-tokens" or "require-approval"' },
)
export type BudgetDegradation = z.output<typeof budgetDegradationSchema>

/** Default time a reservation holds its amount before it is rolled back as abandoned: 15 minutes. */
export const DEFAULT_RESERVATION_TTL_MS = 15 * 60 * 1000

/**
 * The budget configuration (`budget` in `skillos.config.*`): limits, price overrides and degradation
 * rules. Prices are USD per 1M tokens; they extend or override the built-in table of
 * `@skillos/budget`.
 *
 * @example
 * ```ts
 * const budget = budgetConfigSchema.parse({
 *   limits: [
 *     { scope: 'tenant', window: 'day', usd: 50 },
 *     { scope: 'user', window: 'day', usd: 5 },
 *   ],
 *   prices: { 'my-model': { input: 0.5, output: 1.5 } },
 *   degradations: [{ atShare: 0.8, action: 'downgrade-model', to: 'gpt-4o-mini' }],
 * })
 * ```
 */
export const budgetConfigSchema = z
  .strictObject({
    currency: budgetCurrencySchema,
    /** How long a reservation holds before an abandoned one (a crashed run) is rolled back. */
    reservationTtlMs: z
      .number({ error: 'expected milliseconds' })
      .int('must be whole milliseconds')
      .min(1_000, 'must be at least 1000 ms')
      .max(7 * 24 * 3_600_000, 'must be at most 7 days')
      .default(DEFAULT_RESERVATION_TTL_MS),
    prices: z.record(modelNameSchema, modelPriceSchema).default({}),
    limits: z.array(budgetLimitSchema).default([]),
    degradations: z.array(budgetDegradationSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const ids = new Map<string, number>()
    config.limits.forEach((limit, index) => {
      if (limit.id === undefined) return
      const first = ids.get(limit.id)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['limits', index, 'id'],
          message: `"${limit.id}" is already the id of limits.${first}`,
        })
      } else ids.set(limit.id, index)
    })
    config.degradations.forEach((rule, index) => {
      if (rule.limit === undefined) return
      const target = ids.get(rule.limit)
      if (target === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['degradations', index, 'limit'],
          message: `names no limit; limit ids: ${[...ids.keys()].join(', ') || '(none set)'}`,
        })
      } else if (config.limits[target]?.mode === 'soft') {
        ctx.addIssue({
          code: 'custom',
          path: ['degradations', index, 'limit'],
          message: `"${rule.limit}" is a soft limit; degradations follow hard limits`,
        })
      }
    })
  })
export type BudgetConfig = z.output<typeof budgetConfigSchema>
export type BudgetConfigInput = z.input<typeof budgetConfigSchema>

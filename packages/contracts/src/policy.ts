import { z } from 'zod'
import { principalSchema, tenantIdSchema } from './run.js'
import { riskLevelSchema, sideEffectClassSchema } from './skill-manifest.js'

/**
 * Every action a policy can allow or deny. A rule names actions exactly or with a wildcard
 * (`skill:*`, `*`); a name outside this list is a load error, so a typo cannot silently grant or
 * refuse nothing. Adding an action is a change here, where every enforcer can see it.
 */
export const policyActions = [
  'skill:run',
  'skill:publish',
  'skill:install',
  'tool:call',
  'approval:decide',
  'budget:manage',
  'audit:read',
  'webhook:manage',
  'apikey:manage',
] as const
export const policyActionSchema = z.enum(policyActions)
export type PolicyAction = z.infer<typeof policyActionSchema>

/**
 * Duties an allow rule attaches to its decision; the enforcer must honour every one it receives.
 * The list is closed for the same reason as actions: an obligation nobody implements must not be
 * accepted and then silently ignored.
 */
export const policyObligations = ['require_approval', 'redact_output'] as const
export const policyObligationSchema = z.enum(policyObligations)
export type PolicyObligation = z.infer<typeof policyObligationSchema>

/**
 * The actions an action pattern names: an exact action, `<kind>:*` or `*`. Empty when the pattern
 * names none.
 *
 * @example
 * ```ts
 * actionsMatching('skill:*') // ['skill:run', 'skill:publish', 'skill:install']
 * ```
 */
export function actionsMatching(pattern: string): PolicyAction[] {
  if (pattern === '*') return [...policyActions]
  if (pattern.endsWith(':*')) {
    const kind = pattern.slice(0, -1)
    return policyActions.filter((action) => action.startsWith(kind))
  }
  return policyActions.filter((action) => action === pattern)
}

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/
const ROLE_PATTERN = /^[A-Za-z0-9][\w.:-]{0,99}$/
const ATTRIBUTE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/
const RESOURCE_PATTERN = /^[A-Za-z0-9*][\w.*/@:-]{0,299}$/

export const policyRuleIdSchema = z
  .string()
  .regex(
    ID_PATTERN,
    'must be an id of lowercase letters, digits, ".", "_" or "-", e.g. "analysts-run-finance"',
  )

export const policyRoleNameSchema = z
  .string()
  .regex(ROLE_PATTERN, 'must be a role name of letters, digits, "_", ".", ":" or "-"')

export const policyActionPatternSchema = z.string().superRefine((pattern, ctx) => {
  if (actionsMatching(pattern).length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown action "${pattern}"; known: ${policyActions.join(', ')} (or "kind:*", "*")`,
    })
  }
})

/** A resource id pattern: `finance/pay-invoice`, `finance/*`, `web.*`, `*` (`*` matches any text). */
export const policyResourcePatternSchema = z
  .string()
  .regex(
    RESOURCE_PATTERN,
    'must be a resource id or a pattern with "*", e.g. "finance/*" or "web.search"',
  )

const attributeNameSchema = z
  .string()
  .regex(ATTRIBUTE_PATTERN, 'must be an attribute name of letters, digits and "_"')

const roleDefinitionSchema = z.preprocess(
  (value) => value ?? {},
  z.strictObject({
    /** Roles whose permissions this role also has (`manager` inherits `analyst`). */
    inherits: z.array(policyRoleNameSchema).default([]),
    description: z.string().max(1000).optional(),
  }),
)

/**
 * One rule. It applies to a request when the action matches one of `actions`, the principal holds
 * one of `roles` (directly or by inheritance; any principal when absent), the resource id matches one
 * of `resources` (any when absent) and every condition of `when` holds.
 */
export const policyRuleSchema = z
  .strictObject({
    id: policyRuleIdSchema,
    description: z.string().max(1000).optional(),
    effect: z.enum(['allow', 'deny']),
    actions: z.array(policyActionPatternSchema).min(1, 'must name at least one action'),
    roles: z.array(policyRoleNameSchema).min(1, 'must name at least one role').optional(),
    resources: z
      .array(policyResourcePatternSchema)
      .min(1, 'must name at least one resource pattern')
      .optional(),
    /** Conditions, all of which must hold: `resource.risk in [high, critical]`. */
    when: z
      .array(
        z
          .string()
          .max(1000)
          .refine((text) => text.trim() !== '', 'must not be empty'),
      )
      .optional(),
    obligations: z.array(policyObligationSchema).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.effect === 'deny' && rule.obligations && rule.obligations.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['obligations'],
        message: 'only allow rules carry obligations; a deny refuses outright',
      })
    }
  })
export type PolicyRule = z.output<typeof policyRuleSchema>

export const rateLimitScopes = ['principal', 'tenant', 'skill', 'tool'] as const
export const rateLimitScopeSchema = z.enum(rateLimitScopes)
export type RateLimitScope = z.infer<typeof rateLimitScopeSchema>

/**
 * A sliding-window limit: at most `limit` requests per `windowMs`, counted separately for each
 * principal, tenant, skill or tool (always within one tenant).
 */
export const rateLimitRuleSchema = z.strictObject({
  id: policyRuleIdSchema,
  description: z.string().max(1000).optional(),
  per: rateLimitScopeSchema,
  actions: z.array(policyActionPatternSchema).min(1, 'must name at least one action'),
  /** Skill or tool ids the limit counts (any when absent). */
  resources: z
    .array(policyResourcePatternSchema)
    .min(1, 'must name at least one resource pattern')
    .optional(),
  limit: z.number().int().positive().max(1_000_000),
  windowMs: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 3_600_000, 'must be at most a week (604800000 ms)'),
})
export type RateLimitRule = z.output<typeof rateLimitRuleSchema>

/**
 * One policy file. A set of files (a folder) is one policy: role names, rule ids and rate-limit ids
 * are unique across the set, and attribute declarations add up.
 *
 * @example
 * ```yaml
 * version: 1
 * attributes:
 *   principal: [department]
 * roles:
 *   viewer: {}
 *   analyst: { inherits: [viewer] }
 * rules:
 *   - id: analysts-run-finance
 *     effect: allow
 *     actions: [skill:run]
 *     roles: [analyst]
 *     when:
 *       - resource.domain in [finance, research]
 * ```
 */
export const policyDocumentSchema = z
  .strictObject({
    version: z.literal(1, 'must be 1'),
    /** Rules and limits of this file apply only inside this tenant. Absent: every tenant. */
    tenant: tenantIdSchema.optional(),
    description: z.string().max(2000).optional(),
    /** Custom attributes conditions may use, beyond the built-in ones. */
    attributes: z
      .strictObject({
        principal: z.array(attributeNameSchema).default([]),
        resource: z.array(attributeNameSchema).default([]),
        context: z.array(attributeNameSchema).default([]),
      })
      .default({ principal: [], resource: [], context: [] }),
    roles: z.record(policyRoleNameSchema, roleDefinitionSchema).default({}),
    rules: z.array(policyRuleSchema).default([]),
    rateLimits: z.array(rateLimitRuleSchema).default([]),
  })
  .superRefine((document, ctx) => {
    const duplicates = (ids: string[], key: 'rules' | 'rateLimits') => {
      const seen = new Set<string>()
      ids.forEach((id, index) => {
        if (seen.has(id))
          ctx.addIssue({
            code: 'custom',
            path: [key, index, 'id'],
            message: `"${id}" is used twice`,
          })
        seen.add(id)
      })
    }
    duplicates(
      document.rules.map((rule) => rule.id),
      'rules',
    )
    duplicates(
      document.rateLimits.map((limit) => limit.id),
      'rateLimits',
    )
  })
export type PolicyDocument = z.output<typeof policyDocumentSchema>
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>

/** Who asks, and in which tenant. */
export const policyPrincipalSchema = principalSchema.extend({ tenant: tenantIdSchema })
export type PolicyPrincipal = z.input<typeof policyPrincipalSchema>

/** What is acted on: a skill (`domain/name`), a tool, a budget, an audit log… always in one tenant. */
export const policyResourceSchema = z.strictObject({
  id: z.string().min(1).max(300),
  tenant: tenantIdSchema,
  /** `skill`, `tool`, `budget`, …: free text conditions may test. */
  kind: z.string().min(1).max(50).optional(),
  risk: riskLevelSchema.optional(),
  sideEffects: sideEffectClassSchema.optional(),
  tags: z.array(z.string()).default([]),
  attributes: z.record(z.string(), z.unknown()).default({}),
})
export type PolicyResource = z.input<typeof policyResourceSchema>

/** The circumstances of a request. `time` defaults to now; custom attributes sit beside these. */
export const policyContextSchema = z
  .object({
    time: z.union([z.iso.datetime({ offset: true }), z.date(), z.number()]).optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    channel: z.string().max(50).optional(),
  })
  .catchall(z.unknown())
export type PolicyContext = z.input<typeof policyContextSchema>

export const policyDecisionReasons = [
  'allowed-by-rule',
  'denied-by-rule',
  'no-allowing-rule',
  'tenant-boundary',
] as const

/**
 * The answer of the one decision point. The `policy.decided` run event carries the same fields
 * except `reason`.
 */
export const policyDecisionSchema = z.strictObject({
  allowed: z.boolean(),
  /** Why: an allow rule matched, a deny rule matched, nothing allowed, or tenants differ. */
  reason: z.enum(policyDecisionReasons),
  action: z.string(),
  /** The resource id. */
  resource: z.string(),
  /** The deny rules that matched when denied by rule; every allow rule that matched when allowed. */
  ruleIds: z.array(z.string()),
  /** Union of the obligations of the matching allow rules; empty when denied. */
  obligations: z.array(policyObligationSchema),
  /** One or two plain sentences that name the rules. */
  explanation: z.string(),
})
export type PolicyDecision = z.infer<typeof policyDecisionSchema>

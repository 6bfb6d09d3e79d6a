import { z } from 'zod'
import { jsonSchemaSubsetSchema } from './json-schema-subset.js'
import { parseOrThrow } from './validate.js'

/** `domain/name`: lowercase letters and digits, words joined by single hyphens. */
export const SKILL_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/
/** Semantic Versioning 2.0.0 (https://semver.org), no leading `v`. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/
/** Characters a semver range may contain (`^1.2.0`, `>=1 <2 || 3.x`); the registry checks the grammar. */
const SEMVER_RANGE_PATTERN = /^[\s0-9A-Za-z.*^~<>=|+-]+$/
/** `net:api.example.com`, `fs:read`, `secret:EXCHANGE_API_KEY`, `model:use`. */
const PERMISSION_PATTERN = /^[a-z][a-z0-9-]*(?::[^\s]+)?$/
/** `web.search`, `http_get`, `sheets.append-row`. */
const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$/

export const skillIdSchema = z
  .string()
  .regex(
    SKILL_ID_PATTERN,
    'must look like "domain/name": lowercase letters, digits and single hyphens, e.g. "finance/convert-currency"',
  )
  .max(128)

export const semverSchema = z
  .string()
  .regex(SEMVER_PATTERN, 'must be a semantic version such as "1.2.0"')

export const semverRangeSchema = z
  .string()
  .trim()
  .min(1, 'must be a semver range such as "^1.2.0"')
  .max(256)
  .regex(SEMVER_RANGE_PATTERN, 'must be a semver range such as "^1.2.0" or ">=1.0.0 <2.0.0"')

export const riskLevels = ['low', 'medium', 'high', 'critical'] as const
export const riskLevelSchema = z.enum(riskLevels)
export type RiskLevel = z.infer<typeof riskLevelSchema>

/** What a skill may do to the world, from harmless to most sensitive. */
export const sideEffectClasses = ['read', 'write', 'external-communication', 'payment'] as const
export const sideEffectClassSchema = z.enum(sideEffectClasses)
export type SideEffectClass = z.infer<typeof sideEffectClassSchema>

export const permissionSchema = z
  .string()
  .regex(
    PERMISSION_PATTERN,
    'must look like "kind" or "kind:target", e.g. "net:api.example.com" or "secret:API_KEY"',
  )

const toolObjectSchema = z.strictObject({
  name: z
    .string()
    .regex(TOOL_NAME_PATTERN, 'must be a tool name such as "web.search" or "http_get"'),
  description: z.string().max(1000).optional(),
  permissions: z.array(permissionSchema).default([]),
  /** Per-call timeout; the orchestrator's default applies when absent. */
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  /** Retries for retryable failures. */
  retries: z.number().int().min(0).max(10).optional(),
  rateLimit: z
    .strictObject({ limit: z.number().int().positive(), windowMs: z.number().int().positive() })
    .optional(),
})

/** A tool the handler may call: a name (`web.search`) or an object with its own limits. */
export const toolDeclarationSchema = z.union([
  z
    .string()
    .regex(TOOL_NAME_PATTERN, 'must be a tool name such as "web.search" or "http_get"')
    .transform((name) => ({ name, permissions: [] as string[] })),
  toolObjectSchema,
])
export type ToolDeclaration = z.output<typeof toolObjectSchema>

export const approvalRuleSchema = z.union([
  z.enum(['never', 'always', 'on-risk']).transform((mode) => ({ mode, approvers: [] as string[] })),
  z.strictObject({
    /** `never`, `always`, or `on-risk`: when the run's risk reaches `riskThreshold`. */
    mode: z.enum(['never', 'always', 'on-risk']).default('on-risk'),
    riskThreshold: riskLevelSchema.optional(),
    /** Roles allowed to decide; empty means the policy's `approval:decide` rule decides. */
    approvers: z.array(z.string().min(1)).default([]),
    /** How long a pending approval stays open, in milliseconds. */
    expiresInMs: z.number().int().positive().optional(),
  }),
])
export type ApprovalRule = z.output<typeof approvalRuleSchema>

export const budgetHintsSchema = z.strictObject({
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().optional(),
  timeoutMs: z.number().int().positive().max(3_600_000).optional(),
})
export type BudgetHints = z.infer<typeof budgetHintsSchema>

export const deprecationSchema = z.union([
  z
    .string()
    .min(1)
    .transform((message) => ({ message }) as { message: string; replacement?: string }),
  z.strictObject({ message: z.string().min(1), replacement: skillIdSchema.optional() }),
])

const entrySchema = z
  .string()
  .regex(
    /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\w./-]+\.(?:ts|mts|js|mjs)$/,
    'must be a relative path inside the skill folder ending in .ts, .mts, .js or .mjs',
  )

/**
 * `skill.yaml`: everything SkillOS needs to validate, route, govern and run a skill.
 *
 * @example
 * ```ts
 * import { parse } from 'yaml'
 * const manifest = parseSkillManifest(parse(await readFile('skill.yaml', 'utf8')), 'skill.yaml')
 * manifest.id // 'finance/convert-currency'
 * ```
 */
export const skillManifestSchema = z
  .strictObject({
    id: skillIdSchema,
    version: semverSchema,
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().min(1).max(1024),
    tags: z
      .array(z.string().regex(/^[\p{Ll}\p{N}][\p{Ll}\p{N}-]*$/u, 'must be a lowercase tag'))
      .max(32)
      .default([]),
    /** Requests this skill should answer, in any language: how authors teach routing. */
    examples: z.array(z.string().trim().min(1).max(500)).max(200).default([]),
    input: jsonSchemaSubsetSchema.default({ type: 'object', properties: {} }),
    output: jsonSchemaSubsetSchema.optional(),
    tools: z.array(toolDeclarationSchema).default([]),
    permissions: z.array(permissionSchema).default([]),
    risk: riskLevelSchema.default('low'),
    sideEffects: sideEffectClassSchema.default('read'),
    approval: approvalRuleSchema.default({ mode: 'on-risk', approvers: [] }),
    budget: budgetHintsSchema.default({}),
    dependencies: z.record(skillIdSchema, semverRangeSchema).default({}),
    deprecated: deprecationSchema.optional(),
    /**
     * A composite skill: no handler, these skills run in order as a pipeline, each step getting the
     * fields it declares from the previous step's output (plus `params`, fixed values). Every step's
     * skill must be listed in `dependencies`, which pins its version range.
     */
    steps: z
      .array(
        z.strictObject({
          skill: skillIdSchema,
          params: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .min(2, 'a composite skill needs at least two steps')
      .max(20)
      .optional(),
    /**
     * Where a pipeline finds this skill's inputs in the outputs of the steps before it: per input
     * field, dotted paths tried in order against the nearest earlier output first (`ranking.0.perPiece`,
     * `nmck.amount`). A value read from the request text or given by the caller wins; a bound value
     * fills what the text left open, before defaults. Without a binding, a field takes an earlier
     * output's field of the same name. A required field that only a binding can fill makes the
     * planner run that step after the step that produces it.
     */
    bindings: z
      .record(
        z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be an input field name'),
        z
          .array(
            z
              .string()
              .regex(
                /^[A-Za-z_$][\w$]*(?:\.(?:[A-Za-z_$][\w$]*|\d+))*$/,
                'must be a dotted path into an output, e.g. ranking.0.price',
              ),
          )
          .min(1)
          .max(8),
      )
      .default({}),
    entry: entrySchema.default('index.ts'),
    license: z.string().max(100).optional(),
    author: z.string().max(200).optional(),
    homepage: z.url().optional(),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>()
    manifest.tools.forEach((tool, index) => {
      if (seen.has(tool.name))
        ctx.addIssue({
          code: 'custom',
          path: ['tools', index, 'name'],
          message: `"${tool.name}" is declared twice`,
        })
      seen.add(tool.name)
    })
    if (manifest.id in manifest.dependencies) {
      ctx.addIssue({
        code: 'custom',
        path: ['dependencies', manifest.id],
        message: 'a skill cannot depend on itself',
      })
    }
    if (manifest.input.type !== undefined && manifest.input.type !== 'object') {
      ctx.addIssue({
        code: 'custom',
        path: ['input', 'type'],
        message: 'the input of a skill must be an object schema',
      })
    }
    manifest.steps?.forEach((step, index) => {
      if (step.skill === manifest.id)
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'skill'],
          message: 'a composite skill cannot run itself',
        })
      else if (!(step.skill in manifest.dependencies))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'skill'],
          message: `"${step.skill}" must be listed in dependencies with a version range`,
        })
    })
    const declared = manifest.input.properties ?? {}
    for (const field of Object.keys(manifest.bindings))
      if (!(field in declared))
        ctx.addIssue({
          code: 'custom',
          path: ['bindings', field],
          message: `"${field}" is not a property of input; bindings fill declared input fields only`,
        })
    if (manifest.sideEffects === 'payment' && manifest.risk === 'low') {
      ctx.addIssue({
        code: 'custom',
        path: ['risk'],
        message: 'a skill with payment side effects cannot be low risk',
      })
    }
  })

/** A validated manifest, defaults filled in. */
export type SkillManifest = z.output<typeof skillManifestSchema>
/** What an author may write in skill.yaml (defaults optional, shorthands allowed). */
export type SkillManifestInput = z.input<typeof skillManifestSchema>

/** JSON Schema (draft 2020-12) of skill.yaml, for editor completion and external validators. */
export function skillManifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(skillManifestSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://skillos.dev/schemas/skill-manifest.schema.json',
    title: 'SkillOS skill manifest (skill.yaml)',
  }
}

/** Validate a parsed skill.yaml object; throws `ValidationError` naming every bad field (and `source`). */
export function parseSkillManifest(data: unknown, source?: string): SkillManifest {
  return parseOrThrow(skillManifestSchema, data, {
    what: 'skill manifest',
    ...(source ? { source } : {}),
  })
}

import type { z } from 'zod'
import type { RiskLevel } from './skill-manifest.js'

/** Marks the object `defineSkill()` returns, across duplicate installs of this package. */
export const SKILL_DEFINITION = Symbol.for('skillos.skill-definition')

/** Who asked: the principal a run acts for. */
export interface SkillPrincipal {
  id: string
  roles: readonly string[]
  attributes?: Readonly<Record<string, unknown>>
}

/** Structured log lines a handler writes; they land in the run's trace (secrets masked). */
export interface SkillLogger {
  debug(message: string, data?: Record<string, unknown>): void
  info(message: string, data?: Record<string, unknown>): void
  warn(message: string, data?: Record<string, unknown>): void
  error(message: string, data?: Record<string, unknown>): void
}

/** A metered model call, available when a model provider is configured. */
export interface SkillModel {
  generate(request: {
    system?: string
    prompt: string
    maxTokens?: number
    temperature?: number
  }): Promise<{ text: string; usage: { inputTokens: number; outputTokens: number } }>
}

/**
 * Durable JSON state of one skill for one tenant (a user's expenses, a cache), kept in the store:
 * it survives restarts and is never visible to another tenant or another skill.
 */
export interface SkillStorage {
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<boolean>
  /** Entries whose key starts with `prefix`, in key order. */
  list<T = unknown>(prefix?: string): Promise<{ key: string; value: T }[]>
}

/**
 * What a handler receives besides its input. Tools are wrapped by the orchestrator (permission, rate
 * limit, timeout, retry, circuit breaker, metering); a handler never reaches the network otherwise.
 */
export interface SkillContext {
  runId: string
  tenant: string
  principal: SkillPrincipal
  skill: { id: string; version: string; risk: RiskLevel }
  /** Aborted when the run is cancelled or times out. */
  signal: AbortSignal
  /** The declared tools of the skill, by name. */
  tools: Readonly<Record<string, (input: unknown) => Promise<unknown>>>
  /** Absent when no model provider is configured. */
  model?: SkillModel
  log: SkillLogger
  /** Resolved versions of the skill's declared dependencies, by id. */
  dependencies: Readonly<Record<string, string>>
  /** This skill's settings from configuration (`skills.settings["domain/name"]`): live URLs, TTLs. */
  config: Readonly<Record<string, unknown>>
  /** Durable state of this skill for this tenant. */
  storage: SkillStorage
}

/**
 * A skill's handler and the schemas it checks its input and output with. `input` and `output` are zod
 * schemas; the loader checks that they agree with the manifest's JSON Schemas.
 */
export interface SkillDefinition<Input = unknown, Output = unknown> {
  readonly [SKILL_DEFINITION]?: true
  input?: z.ZodType<Input>
  output?: z.ZodType<Output>
  handler: (input: Input, context: SkillContext) => Output | Promise<Output>
  /**
   * The skill's own parameter extractor, for what generic extractors cannot find (free-text search
   * keywords, domain codes). Called with the request text and the generic matches (numbers, money,
   * dates, cities… — `ExtractionBlocks` of @skillos/core); the values it returns win over generic
   * ones but never over the caller's `params`, and each must fit its field's schema.
   */
  extract?: (text: string, blocks: never) => Record<string, unknown> | undefined
}

/** True for a value a handler module may export as its skill: `defineSkill(...)` or `{ handler }`. */
export function isSkillDefinition(value: unknown): value is SkillDefinition {
  if (typeof value !== 'object' || value === null) return false
  return typeof (value as { handler?: unknown }).handler === 'function'
}

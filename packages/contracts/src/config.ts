import { z } from 'zod'
import { skillIdSchema } from './skill-manifest.js'
import { budgetConfigSchema } from './budget.js'
import { ConfigError, type ValidationIssue } from './errors.js'
import { maskSecret, maskUrl } from './secrets.js'

function urlWithScheme(schemes: readonly string[], example: string) {
  return z.string().superRefine((value, ctx) => {
    let parsed: URL
    try {
      parsed = new URL(value)
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `"${maskUrl(value)}" is not a valid URL; allowed: ${schemes.join(', ')} (e.g. ${example})`,
      })
      return
    }
    if (!schemes.includes(parsed.protocol)) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown scheme "${parsed.protocol}" in "${maskUrl(value)}"; allowed: ${schemes.join(', ')} (e.g. ${example})`,
      })
    }
  })
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * The whole system's configuration. Every default works with no services: embedded PGlite in
 * `./.skillos/db`, in-process counters, in-process vectors, the local embedder.
 */
export const configSchema = z.strictObject({
  database: z
    .strictObject({
      url: urlWithScheme(
        ['postgres:', 'postgresql:', 'pglite:', 'memory:'],
        'postgres://user@host:5432/skillos',
      ).default('pglite://./.skillos/db'),
    })
    .default({ url: 'pglite://./.skillos/db' }),
  redis: z
    .strictObject({
      /** Absent: counters, rate limits and locks live in-process. */
      url: urlWithScheme(['redis:', 'rediss:', 'memory:'], 'redis://127.0.0.1:6379').optional(),
    })
    .default({}),
  vector: z
    .strictObject({
      url: urlWithScheme(
        ['http:', 'https:', 'postgres:', 'postgresql:'],
        'http://127.0.0.1:6333',
      ).optional(),
    })
    .default({}),
  graph: z
    .strictObject({
      url: urlWithScheme(
        ['neo4j:', 'neo4j+s:', 'bolt:', 'bolt+s:'],
        'neo4j://127.0.0.1:7687',
      ).optional(),
    })
    .default({}),
  model: z
    .strictObject({
      provider: z.enum(['openai', 'anthropic']).optional(),
      baseUrl: urlWithScheme(['http:', 'https:'], 'https://api.openai.com/v1').optional(),
      apiKey: z.string().min(1).optional(),
      name: z.string().min(1).optional(),
    })
    .default({}),
  embedder: z
    .strictObject({
      provider: z.enum(['local', 'openai']).default('local'),
      baseUrl: urlWithScheme(['http:', 'https:'], 'http://127.0.0.1:11434/v1').optional(),
      apiKey: z.string().min(1).optional(),
      model: z.string().min(1).optional(),
    })
    .default({ provider: 'local' }),
  skills: z
    .strictObject({
      roots: z.array(z.string().min(1)).min(1).default(['./skills']),
      /** Per-skill settings handed to the handler as `ctx.config` (live URLs, TTLs, regions…). */
      settings: z.record(skillIdSchema, z.record(z.string(), z.unknown())).default({}),
    })
    .default({ roots: ['./skills'], settings: {} }),
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z
        .number({ error: 'expected an integer from 1 to 65535' })
        .int()
        .min(1)
        .max(65_535)
        .default(3000),
    })
    .default({ host: '127.0.0.1', port: 3000 }),
  log: z.strictObject({ level: z.enum(logLevels).default('info') }).default({ level: 'info' }),
  /** Cost and token limits, price overrides and degradation rules (see @skillos/budget). */
  budget: budgetConfigSchema.prefault({}),
  policy: z
    .strictObject({
      /** Policy files or folders of `*.yaml` (RBAC roles, ABAC rules, rate limits). */
      paths: z.array(z.string().min(1)).min(1).default(['./policies']),
      /** Re-read policies when a file changes; a broken edit keeps the previous version. */
      reload: z.boolean().default(false),
    })
    .default({ paths: ['./policies'], reload: false }),
})
export type Config = z.output<typeof configSchema>
/** What a `skillos.config.*` file may contain: every key optional. */
export type ConfigInput = z.input<typeof configSchema>

type EnvKind = 'string' | 'integer' | 'list' | 'boolean'

/** Every `SKILLOS_*` variable the configuration reads, and the key it sets. */
export const configEnvVars: Readonly<Record<string, { path: readonly string[]; kind: EnvKind }>> = {
  SKILLOS_DATABASE_URL: { path: ['database', 'url'], kind: 'string' },
  SKILLOS_REDIS_URL: { path: ['redis', 'url'], kind: 'string' },
  SKILLOS_VECTOR_URL: { path: ['vector', 'url'], kind: 'string' },
  SKILLOS_GRAPH_URL: { path: ['graph', 'url'], kind: 'string' },
  SKILLOS_MODEL_PROVIDER: { path: ['model', 'provider'], kind: 'string' },
  SKILLOS_MODEL_BASE_URL: { path: ['model', 'baseUrl'], kind: 'string' },
  SKILLOS_MODEL_API_KEY: { path: ['model', 'apiKey'], kind: 'string' },
  SKILLOS_MODEL_NAME: { path: ['model', 'name'], kind: 'string' },
  SKILLOS_EMBEDDER_PROVIDER: { path: ['embedder', 'provider'], kind: 'string' },
  SKILLOS_EMBEDDER_BASE_URL: { path: ['embedder', 'baseUrl'], kind: 'string' },
  SKILLOS_EMBEDDER_API_KEY: { path: ['embedder', 'apiKey'], kind: 'string' },
  SKILLOS_EMBEDDER_MODEL: { path: ['embedder', 'model'], kind: 'string' },
  SKILLOS_SKILLS: { path: ['skills', 'roots'], kind: 'list' },
  SKILLOS_HOST: { path: ['server', 'host'], kind: 'string' },
  SKILLOS_PORT: { path: ['server', 'port'], kind: 'integer' },
  SKILLOS_LOG_LEVEL: { path: ['log', 'level'], kind: 'string' },
  SKILLOS_POLICIES: { path: ['policy', 'paths'], kind: 'list' },
  SKILLOS_POLICY_RELOAD: { path: ['policy', 'reload'], kind: 'boolean' },
}

/** Variables that are not configuration: the config file's path, and test/benchmark settings. */
const NOT_CONFIG = /^SKILLOS_(CONFIG|TEST_.*|BENCH_.*)$/

export interface ResolveConfigInput {
  /** The parsed `skillos.config.*` file, if any, and its path (named in errors). */
  file?: { path: string; data: unknown }
  /** Environment variables; only `SKILLOS_*` ones are read. */
  env?: Record<string, string | undefined>
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    node[key] =
      typeof next === 'object' && next !== null && !Array.isArray(next)
        ? { ...(next as object) }
        : {}
    node = node[key] as Record<string, unknown>
  }
  node[path.at(-1)!] = value
}

function envValue(raw: string, kind: EnvKind): unknown {
  if (kind === 'integer') return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw
  if (kind === 'boolean') {
    if (raw === 'true' || raw === '1') return true
    if (raw === 'false' || raw === '0') return false
    return raw
  }
  if (kind === 'list')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  return raw
}

/**
 * Build the one validated configuration: defaults, then the config file, then `SKILLOS_*`
 * variables (highest). Any problem throws a `ConfigError` naming the variable or the file and key,
 * what was wrong and what is allowed; nothing partial is returned.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ env: { SKILLOS_DATABASE_URL: 'postgres://localhost/skillos' } })
 * config.database.url // 'postgres://localhost/skillos'
 * config.redis.url    // undefined → in-process counters
 * ```
 */
export function resolveConfig(input: ResolveConfigInput = {}): Config {
  const issues: ValidationIssue[] = []
  const fileData = input.file?.data ?? {}
  if (typeof fileData !== 'object' || fileData === null || Array.isArray(fileData)) {
    throw new ConfigError(
      `Invalid SkillOS configuration: ${input.file?.path}: must contain an object of settings`,
      [{ path: input.file?.path ?? '(file)', message: 'must contain an object of settings' }],
    )
  }
  const merged: Record<string, unknown> = structuredClone(fileData as Record<string, unknown>)
  const fromEnv = new Map<string, string>()
  for (const [name, raw] of Object.entries(input.env ?? {})) {
    if (!name.startsWith('SKILLOS_') || raw === undefined || raw === '' || NOT_CONFIG.test(name))
      continue
    const spec = configEnvVars[name]
    if (!spec) {
      issues.push({
        path: name,
        message: `unknown variable; known: ${Object.keys(configEnvVars).join(', ')}`,
      })
      continue
    }
    setPath(merged, spec.path, envValue(raw, spec.kind))
    fromEnv.set(spec.path.join('.'), name)
  }

  const result = configSchema.safeParse(merged)
  if (result.success && issues.length === 0) return result.data
  for (const issue of result.success ? [] : result.error.issues) {
    const key = issue.path.map(String).join('.')
    const variable = [...fromEnv].find(([path]) => key === path || key.startsWith(`${path}.`))?.[1]
    const where = variable
      ? `${variable} (${key})`
      : input.file
        ? `${input.file.path}: ${key || '(root)'}`
        : key || '(root)'
    issues.push({ path: where, message: issue.message })
  }
  throw new ConfigError(
    `Invalid SkillOS configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  )
}

/** The configuration with secrets masked (URL passwords, API keys): safe to print and log. */
export function redactConfig(config: Config): Config {
  const copy = structuredClone(config)
  copy.database.url = maskUrl(copy.database.url)
  if (copy.redis.url) copy.redis.url = maskUrl(copy.redis.url)
  if (copy.vector.url) copy.vector.url = maskUrl(copy.vector.url)
  if (copy.graph.url) copy.graph.url = maskUrl(copy.graph.url)
  if (copy.model.apiKey) copy.model.apiKey = maskSecret(copy.model.apiKey)
  if (copy.embedder.apiKey) copy.embedder.apiKey = maskSecret(copy.embedder.apiKey)
  return copy
}

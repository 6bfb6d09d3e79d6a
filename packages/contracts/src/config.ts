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
  routing: z
    .strictObject({
      /**
       * Least confidence (0–1) at which a request runs the best-matching skill; below it the run is
       * refused with NO_MATCH and the near misses. Default: the skill index's calibrated threshold
       * (0.35). Raise it to refuse weak, one-word matches ("set an alarm for 7 am" → a budget
       * skill scores about 0.54; clear matches score above 0.6).
       */
      threshold: z.number().min(0).max(1).optional(),
    })
    .default({}),
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
  /** The hosted API (apps/api): authentication, rate limits, the async run queue, limits on load. */
  api: z
    .strictObject({
      jwt: z
        .strictObject({
          /** Required `iss` of every token (absent: JWT auth is off unless keys or a JWKS URL are set). */
          issuer: z.string().min(1).optional(),
          /** Required `aud` of every token. */
          audience: z.string().min(1).optional(),
          /** Accepted `alg` values; a token signed otherwise is refused (never `none`). */
          algorithms: z
            .array(
              z.enum([
                'RS256',
                'RS384',
                'RS512',
                'PS256',
                'PS384',
                'PS512',
                'ES256',
                'ES384',
                'ES512',
                'EdDSA',
                'HS256',
                'HS384',
                'HS512',
              ]),
            )
            .min(1)
            .default(['RS256', 'ES256', 'EdDSA']),
          /** Fetched and cached (`jwksCacheMs`); a token's `kid` picks the key. */
          jwksUrl: urlWithScheme(
            ['https:', 'http:'],
            'https://idp.example.com/.well-known/jwks.json',
          ).optional(),
          jwksCacheMs: z.number().int().min(1000).max(86_400_000).default(600_000),
          /** Verification keys: PEM public keys (SPKI) or, for HS* algorithms, shared secrets. */
          keys: z
            .array(
              z.strictObject({
                kid: z.string().min(1).optional(),
                alg: z.string().min(1),
                key: z.string().min(1),
              }),
            )
            .default([]),
          /** Claim holding the tenant (the tenant comes from the token only). */
          tenantClaim: z.string().min(1).default('tenant'),
          /** Claim holding the roles (an array of strings). */
          rolesClaim: z.string().min(1).default('roles'),
          clockToleranceSec: z.number().int().min(0).max(300).default(30),
          /** Longer bearer tokens are refused before any parsing. */
          maxTokenBytes: z.number().int().min(256).max(65_536).default(8192),
        })
        .prefault({}),
      /** Sliding-window request limits per tenant and per principal (`limit` per `windowMs`). */
      rateLimit: z
        .strictObject({
          tenant: z
            .strictObject({
              limit: z.number().int().min(1).max(10_000_000).default(60_000),
              windowMs: z.number().int().min(1000).max(86_400_000).default(60_000),
            })
            .prefault({}),
          principal: z
            .strictObject({
              limit: z.number().int().min(1).max(10_000_000).default(12_000),
              windowMs: z.number().int().min(1000).max(86_400_000).default(60_000),
            })
            .prefault({}),
        })
        .prefault({}),
      queue: z
        .strictObject({
          /** Async runs executed at once by one instance. */
          concurrency: z.number().int().min(1).max(1024).default(4),
          /** Accepted async runs not yet finished, across instances; more are refused with 503. */
          maxQueued: z.number().int().min(1).max(10_000_000).default(10_000),
          /** How long a worker holds a run before another instance may take it over (crash). */
          leaseMs: z.number().int().min(1000).max(86_400_000).default(600_000),
        })
        .prefault({}),
      /** Requests handled at once by one instance; more get 503 with Retry-After at once. */
      maxInFlight: z.number().int().min(1).max(100_000).default(512),
      /** Largest request body, in bytes (413 beyond). */
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .max(100 * 1024 * 1024)
        .default(1_048_576),
      webhooks: z
        .strictObject({
          maxAttempts: z.number().int().min(1).max(50).default(8),
          timeoutMs: z.number().int().min(100).max(60_000).default(5000),
          /** Consecutive failed deliveries after which a subscription is disabled. */
          disableAfterFailures: z.number().int().min(1).max(10_000).default(20),
          /**
           * Deliver to loopback, private, link-local and other internal addresses (refused by
           * default, at subscribe time and again after DNS resolution at delivery). For local
           * development and tests only.
           */
          allowPrivateNetworks: z.boolean().default(false),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * The registry server (apps/registry). Host and port come from `server` (the registry listens on
   * 4880 when neither SKILLOS_PORT nor a config file sets a port); the database from `database.url`
   * unless `databaseUrl` is set (the default embedded database is `pglite://./.skillos/registry-db`).
   */
  registryServer: z
    .strictObject({
      /** The tenant every registry row is stored under. */
      tenant: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a lowercase slug such as "registry"')
        .default('registry'),
      /** A database for the registry only (overrides `database.url`). */
      databaseUrl: urlWithScheme(
        ['postgres:', 'postgresql:', 'pglite:', 'memory:'],
        'postgres://user@host:5432/registry',
      ).optional(),
      /** Folder of the local-disk blob store (tarballs, content-addressed). */
      storagePath: z.string().min(1).default('./.skillos/registry-blobs'),
      /** S3-compatible blob store instead of local disk: endpoint with the bucket as the path. */
      s3: z
        .strictObject({
          url: urlWithScheme(['http:', 'https:'], 'https://s3.eu-central-1.amazonaws.com/skills'),
          region: z.string().min(1).default('us-east-1'),
          accessKeyId: z.string().min(1),
          secretAccessKey: z.string().min(1),
        })
        .optional(),
      /** The URL clients reach the registry at (tarball links); default: the request's origin. */
      publicUrl: urlWithScheme(['http:', 'https:'], 'https://skills.example.com').optional(),
      /** Mirror: skills missing here are fetched from this registry, checked and cached. */
      upstreamUrl: urlWithScheme(['http:', 'https:'], 'https://skills.example.com').optional(),
      upstreamToken: z.string().min(1).optional(),
      /** Largest tarball accepted by publish, in bytes. */
      maxTarballBytes: z
        .number()
        .int()
        .min(1024)
        .max(1024 * 1024 * 1024)
        .default(10 * 1024 * 1024),
      /** Hours after publish during which any version may be unpublished. */
      unpublishWindowHours: z.number().int().min(0).max(8760).default(72),
      /** Writes (publish, unpublish, tags, …) per user per minute. */
      writeRateLimit: z.number().int().min(1).max(100_000).default(120),
    })
    .default({
      tenant: 'registry',
      storagePath: './.skillos/registry-blobs',
      maxTarballBytes: 10 * 1024 * 1024,
      unpublishWindowHours: 72,
      writeRateLimit: 120,
    }),
  /** The CLI's registry client: where `skillos publish` / `install` / `search` go, and what they trust. */
  registry: z
    .strictObject({
      /** The default registry (absent: pass `--registry URL`). */
      url: urlWithScheme(['http:', 'https:'], 'https://registry.example.com').optional(),
      /** A token for `url` (CI); otherwise `skillos login` keeps one in ~/.config/skillos/credentials.yaml. */
      token: z.string().min(1).optional(),
      /** Ed25519 private key (PKCS#8 PEM file): `skillos publish` signs with it. */
      signingKey: z.string().min(1).optional(),
      /** Public keys (SPKI PEM files): when any is set, `skillos install` requires a valid signature by one. */
      trustedKeys: z.array(z.string().min(1)).default([]),
      /** A registry per scope (`acme` → `https://skills.acme.example`), ahead of `url`. */
      scopes: z
        .record(
          z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a scope such as "acme"'),
          urlWithScheme(['http:', 'https:'], 'https://registry.example.com'),
        )
        .default({}),
    })
    .default({ trustedKeys: [], scopes: {} }),
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
  SKILLOS_API_JWT_ISSUER: { path: ['api', 'jwt', 'issuer'], kind: 'string' },
  SKILLOS_API_JWT_AUDIENCE: { path: ['api', 'jwt', 'audience'], kind: 'string' },
  SKILLOS_API_JWT_ALGORITHMS: { path: ['api', 'jwt', 'algorithms'], kind: 'list' },
  SKILLOS_API_JWKS_URL: { path: ['api', 'jwt', 'jwksUrl'], kind: 'string' },
  SKILLOS_API_RATE_LIMIT_TENANT: { path: ['api', 'rateLimit', 'tenant', 'limit'], kind: 'integer' },
  SKILLOS_API_RATE_LIMIT_PRINCIPAL: {
    path: ['api', 'rateLimit', 'principal', 'limit'],
    kind: 'integer',
  },
  SKILLOS_API_QUEUE_CONCURRENCY: { path: ['api', 'queue', 'concurrency'], kind: 'integer' },
  SKILLOS_API_MAX_QUEUED: { path: ['api', 'queue', 'maxQueued'], kind: 'integer' },
  SKILLOS_API_MAX_IN_FLIGHT: { path: ['api', 'maxInFlight'], kind: 'integer' },
  SKILLOS_API_MAX_BODY_BYTES: { path: ['api', 'maxBodyBytes'], kind: 'integer' },
  SKILLOS_REGISTRY_SERVER_TENANT: { path: ['registryServer', 'tenant'], kind: 'string' },
  SKILLOS_REGISTRY_SERVER_DATABASE_URL: { path: ['registryServer', 'databaseUrl'], kind: 'string' },
  SKILLOS_REGISTRY_SERVER_STORAGE_PATH: { path: ['registryServer', 'storagePath'], kind: 'string' },
  SKILLOS_REGISTRY_SERVER_S3_URL: { path: ['registryServer', 's3', 'url'], kind: 'string' },
  SKILLOS_REGISTRY_SERVER_S3_REGION: { path: ['registryServer', 's3', 'region'], kind: 'string' },
  SKILLOS_REGISTRY_SERVER_S3_ACCESS_KEY_ID: {
    path: ['registryServer', 's3', 'accessKeyId'],
    kind: 'string',
  },
  SKILLOS_REGISTRY_SERVER_S3_SECRET_ACCESS_KEY: {
    path: ['registryServer', 's3', 'secretAccessKey'],
    kind: 'string',
  },
  SKILLOS_REGISTRY_SERVER_PUBLIC_URL: { path: ['registryServer', 'publicUrl'], kind: 'string' },
  SKILLOS_REGISTRY_SERVER_UPSTREAM_URL: { path: ['registryServer', 'upstreamUrl'], kind: 'string' },
  SKILLOS_REGISTRY_SERVER_UPSTREAM_TOKEN: {
    path: ['registryServer', 'upstreamToken'],
    kind: 'string',
  },
  SKILLOS_REGISTRY_SERVER_MAX_TARBALL_BYTES: {
    path: ['registryServer', 'maxTarballBytes'],
    kind: 'integer',
  },
  SKILLOS_REGISTRY_SERVER_UNPUBLISH_WINDOW_HOURS: {
    path: ['registryServer', 'unpublishWindowHours'],
    kind: 'integer',
  },
  SKILLOS_REGISTRY_SERVER_WRITE_RATE_LIMIT: {
    path: ['registryServer', 'writeRateLimit'],
    kind: 'integer',
  },
  SKILLOS_REGISTRY_URL: { path: ['registry', 'url'], kind: 'string' },
  SKILLOS_REGISTRY_TOKEN: { path: ['registry', 'token'], kind: 'string' },
  SKILLOS_REGISTRY_SIGNING_KEY: { path: ['registry', 'signingKey'], kind: 'string' },
  SKILLOS_REGISTRY_TRUSTED_KEYS: { path: ['registry', 'trustedKeys'], kind: 'list' },
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
  copy.api.jwt.keys = copy.api.jwt.keys.map((k) =>
    k.alg.startsWith('HS') ? { ...k, key: maskSecret(k.key) } : k,
  )
  const registryServer = copy.registryServer
  if (registryServer.databaseUrl) registryServer.databaseUrl = maskUrl(registryServer.databaseUrl)
  if (registryServer.upstreamToken)
    registryServer.upstreamToken = maskSecret(registryServer.upstreamToken)
  if (registryServer.s3)
    registryServer.s3.secretAccessKey = maskSecret(registryServer.s3.secretAccessKey)
  if (copy.registry.token) copy.registry.token = maskSecret(copy.registry.token)
  return copy
}

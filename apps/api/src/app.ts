import { OpenAPIHono } from '@hono/zod-openapi'
import { swaggerUI } from '@hono/swagger-ui'
import type { Config } from '@skillos/contracts'
import type { ApiKeys, RunQueue, SkillOS, Webhooks } from '@skillos/core'
import { HTTPException } from 'hono/http-exception'
import { bodyLimit } from 'hono/body-limit'
import type pino from 'pino'
import { createAuthenticator, type Authenticator, type Identity } from './auth.js'
import { apiError, problemOf } from './problem.js'
import { registerApiKeyRoutes } from './routes/api-keys.js'
import { registerApprovalRoutes } from './routes/approvals.js'
import { registerBudgetRoutes } from './routes/budgets.js'
import { registerHealthRoutes } from './routes/health.js'
import { registerRunRoutes } from './routes/runs.js'
import { registerSkillRoutes } from './routes/skills.js'
import { registerWebhookRoutes } from './routes/webhooks.js'

/** Per-request values the middleware sets for the routes. */
export interface ApiEnv {
  Variables: {
    identity: Identity
    requestId: string
  }
}

export type ApiApp = OpenAPIHono<ApiEnv>

export interface CreateApiAppOptions {
  os: SkillOS
  /** The async run queue; without one, `?async=true` is refused with 503. */
  queue?: RunQueue
  webhooks?: Webhooks
  apiKeys?: ApiKeys
  /** The `api` section of the configuration. */
  config: Config['api']
  /** A prebuilt authenticator (tests); default: from `config.jwt` and `apiKeys`. */
  authenticator?: Authenticator
  logger?: pino.Logger
  now?: () => number
}

/** What the server needs to steer the app: stop accepting work, and count requests in flight. */
export interface ApiAppControl {
  /** After this, every request but health checks gets 503 with Retry-After. */
  drain(): void
  inFlight(): number
}

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'])

/**
 * Build the hosted API as a Hono app (no socket): `app.request()` in tests, `startApi` to serve it.
 * Every `/v1` route authenticates (JWT or API key), takes the tenant from the credential only, is
 * rate limited per tenant and per principal, and answers errors as problem+json through one table.
 *
 * @example
 * ```ts
 * const { app } = await createApiApp({ os, config: resolveConfig().api, apiKeys: createApiKeys(os.database) })
 * const response = await app.request('/v1/skills', { headers: { authorization: `Bearer ${key}` } })
 * ```
 */
export async function createApiApp(
  options: CreateApiAppOptions,
): Promise<{ app: ApiApp; control: ApiAppControl }> {
  const { os, config } = options
  const now = options.now ?? Date.now
  const authenticator =
    options.authenticator ??
    (await createAuthenticator({
      jwt: config.jwt,
      ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
      now,
    }))
  let inFlight = 0
  let draining = false

  const app: ApiApp = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((issue) => ({
          path: [result.target, ...issue.path.map(String)].join('.'),
          message: issue.message,
        }))
        const error = apiError(
          'VALIDATION_FAILED',
          `Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          { issues },
        )
        const { status, body, headers } = problemOf(error, c.req.path)
        return new Response(JSON.stringify(body), {
          status,
          headers: { ...headers, 'content-type': 'application/problem+json' },
        })
      }
      return undefined
    },
  })

  app.onError((error, c) => {
    let mapped: unknown = error
    if (error instanceof HTTPException) {
      const code =
        error.status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : error.status === 401
            ? 'UNAUTHENTICATED'
            : error.status < 500
              ? 'VALIDATION_FAILED'
              : 'INTERNAL'
      mapped = apiError(
        code,
        error.status < 500 ? error.message || 'Bad request' : 'Internal error',
      )
    }
    const { status, body, headers } = problemOf(mapped, c.req.path)
    if (status >= 500 && options.logger)
      options.logger.error(
        { err: error, path: c.req.path, requestId: c.get('requestId') },
        'request failed',
      )
    return new Response(JSON.stringify(body), {
      status,
      headers: { ...headers, 'content-type': 'application/problem+json' },
    })
  })

  app.notFound((c) => {
    const { status, body } = problemOf(
      apiError('NOT_FOUND', `No route ${c.req.method} ${c.req.path}`),
      c.req.path,
    )
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/problem+json' },
    })
  })

  // Overload and shutdown: refuse at once rather than queue without bound.
  app.use('*', async (c, next) => {
    c.set('requestId', c.req.header('x-request-id')?.slice(0, 100) || crypto.randomUUID())
    const path = c.req.path
    if (!PUBLIC_PATHS.has(path)) {
      if (draining)
        throw apiError('UNAVAILABLE', 'The server is shutting down; retry on another instance', {
          retryAfterMs: 1000,
        })
      if (inFlight >= config.maxInFlight)
        throw apiError('UNAVAILABLE', 'Too many requests in flight; retry shortly', {
          retryAfterMs: 1000,
        })
    }
    inFlight += 1
    try {
      await next()
    } finally {
      inFlight -= 1
    }
  })

  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        throw apiError('PAYLOAD_TOO_LARGE', `The body is larger than ${config.maxBodyBytes} bytes`)
      },
    }),
  )

  // Authentication, then rate limits per tenant and per principal.
  app.use('/v1/*', async (c, next) => {
    const identity = await authenticator.authenticate(c.req.header('authorization'))
    c.set('identity', identity)
    const { tenant: tenantLimit, principal: principalLimit } = config.rateLimit
    const byTenant = await os.kv.hit(`api:rl:t:${identity.tenant}`, tenantLimit)
    const byPrincipal = byTenant.allowed
      ? await os.kv.hit(`api:rl:p:${identity.tenant}:${identity.principal.id}`, principalLimit)
      : undefined
    const refused = !byTenant.allowed
      ? byTenant
      : byPrincipal?.allowed === false
        ? byPrincipal
        : undefined
    if (refused) {
      const per = refused === byTenant ? 'tenant' : 'principal'
      throw apiError(
        'RATE_LIMITED',
        `Rate limit reached: at most ${refused.limit} requests per ${per} per ${
          (per === 'tenant' ? tenantLimit : principalLimit).windowMs / 1000
        } s`,
        { per, limit: refused.limit, retryAfterMs: refused.retryAfterMs },
      )
    }
    const shown = byPrincipal ?? byTenant
    c.header('ratelimit-limit', String(shown.limit))
    c.header('ratelimit-remaining', String(shown.remaining))
    await next()
  })

  const deps = { os, now, config, ...(options.queue ? { queue: options.queue } : {}) }
  registerHealthRoutes(app, { os })
  registerRunRoutes(app, deps)
  registerApprovalRoutes(app, deps)
  registerSkillRoutes(app, deps)
  registerBudgetRoutes(app, deps)
  registerWebhookRoutes(app, {
    ...deps,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  })
  registerApiKeyRoutes(app, {
    ...deps,
    ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
    onRevoked: (keyId) => authenticator.forgetApiKey?.(keyId),
  })

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A JWT from your identity provider, or an API key (`sk_…`)',
  })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'SkillOS API',
      version: '1.0.0',
      description:
        'Runs, approvals, webhooks, skills, budgets and API keys. Authenticate with `Authorization: Bearer <JWT or API key>`; the tenant comes from the credential. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    security: [{ bearer: [] }],
  })
  app.get('/docs', swaggerUI({ url: '/openapi.json' }))

  return {
    app,
    control: {
      drain() {
        draining = true
      },
      inFlight: () => inFlight,
    },
  }
}

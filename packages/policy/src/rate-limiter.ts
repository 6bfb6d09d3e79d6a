import { ValidationError, type RateLimitScope } from '@skillos/contracts'
import type { KeyValueStore } from '@skillos/store'
import type { Policy, PolicyRateLimit } from './compile-policy.js'
import { RateLimitedError } from './errors.js'

/** One request to count: who, in which tenant, doing what, to which skill or tool. */
export interface RateLimitRequest {
  tenant: string
  /** The principal id. */
  principal: string
  action: string
  skill?: string
  tool?: string
  /** How many hits this request is worth; default 1. */
  cost?: number
}

/** How one limit counted the request. */
export interface RateLimitOutcome {
  limitId: string
  per: RateLimitScope
  subject: string
  allowed: boolean
  count: number
  limit: number
  remaining: number
  windowMs: number
  retryAfterMs: number
}

export interface RateLimitResult {
  allowed: boolean
  /** 0 when allowed; otherwise how long until the refusing limit admits this request. */
  retryAfterMs: number
  /** The limit that refused; undefined when allowed. */
  limitId?: string
  /** Every limit consulted, in policy order (the refusing one last). */
  checked: RateLimitOutcome[]
}

export interface RateLimiter {
  /** Count the request against every limit that applies; stops at the first that refuses. */
  check(request: RateLimitRequest): Promise<RateLimitResult>
  /** `check`, throwing `RateLimitedError` (naming the limit and the wait) when refused. */
  enforce(request: RateLimitRequest): Promise<RateLimitResult>
}

export interface CreateRateLimiterOptions {
  /** Only the sliding-window operation of the key-value port is used. */
  kv: Pick<KeyValueStore, 'hit'>
  /** Where the limits come from: a `Policy`, or a `PolicyEngine` (follows hot reloads). */
  policy: Pick<Policy, 'rateLimitsFor'>
  /** Put before every counter key; default `ratelimit:` (the store adds its own prefix too). */
  keyPrefix?: string
}

function subjectOf(limit: PolicyRateLimit, request: RateLimitRequest): string | undefined {
  switch (limit.per) {
    case 'principal':
      return request.principal
    case 'tenant':
      return request.tenant
    case 'skill':
      return request.skill
    case 'tool':
      return request.tool
  }
}

/** The id a limit's `resources` patterns are matched against. */
function resourceOf(limit: PolicyRateLimit, request: RateLimitRequest): string | undefined {
  if (limit.per === 'skill') return request.skill
  if (limit.per === 'tool') return request.tool
  return request.skill ?? request.tool
}

function checkRequest(request: RateLimitRequest): void {
  const issues: { path: string; message: string }[] = []
  for (const field of ['tenant', 'principal', 'action'] as const) {
    if (typeof request[field] !== 'string' || request[field] === '') {
      issues.push({ path: field, message: 'must be a non-empty string' })
    }
  }
  for (const field of ['skill', 'tool'] as const) {
    const value = request[field]
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      issues.push({ path: field, message: 'must be a non-empty string when given' })
    }
  }
  if (request.cost !== undefined && (!Number.isSafeInteger(request.cost) || request.cost < 1)) {
    issues.push({ path: 'cost', message: 'must be a positive integer' })
  }
  if (issues.length > 0) {
    throw new ValidationError(
      `Invalid rate limit request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    )
  }
}

/**
 * Rate limits from the policy, counted on the key-value port's exact sliding window: in process, or
 * shared by every instance through Redis. Each limit counts per principal, tenant, skill or tool,
 * always inside one tenant (the tenant is part of every key).
 *
 * Limits are counted one after another and counting stops at the first refusal, so a refused request
 * may already have been counted by the limits before it: a request refused by one limit can make
 * another refuse sooner, never later.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ kv: await openKeyValue(config.redis.url), policy: engine })
 * const result = await limiter.check({ tenant: 'acme', principal: 'ann', action: 'skill:run', skill: 'finance/report' })
 * if (!result.allowed) console.log(`retry in ${result.retryAfterMs} ms (limit ${result.limitId})`)
 * ```
 */
export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const prefix = options.keyPrefix ?? 'ratelimit:'

  async function check(request: RateLimitRequest): Promise<RateLimitResult> {
    checkRequest(request)
    const checked: RateLimitOutcome[] = []
    for (const limit of options.policy.rateLimitsFor(request.action, request.tenant)) {
      const subject = subjectOf(limit, request)
      if (subject === undefined) continue
      if (limit.resources !== undefined) {
        const resource = resourceOf(limit, request)
        if (resource === undefined || !limit.matchesResource(resource)) continue
      }
      const hit = await options.kv.hit(`${prefix}${request.tenant}:${limit.id}:${subject}`, {
        limit: limit.limit,
        windowMs: limit.windowMs,
        cost: request.cost ?? 1,
      })
      checked.push({
        limitId: limit.id,
        per: limit.per,
        subject,
        allowed: hit.allowed,
        count: hit.count,
        limit: hit.limit,
        remaining: hit.remaining,
        windowMs: limit.windowMs,
        retryAfterMs: hit.retryAfterMs,
      })
      if (!hit.allowed) {
        return { allowed: false, retryAfterMs: hit.retryAfterMs, limitId: limit.id, checked }
      }
    }
    return { allowed: true, retryAfterMs: 0, checked }
  }

  return {
    check,
    async enforce(request) {
      const result = await check(request)
      const refused = result.checked.at(-1)
      if (!result.allowed && refused) {
        throw new RateLimitedError({
          limitId: refused.limitId,
          per: refused.per,
          subject: refused.subject,
          limit: refused.limit,
          windowMs: refused.windowMs,
          retryAfterMs: refused.retryAfterMs,
        })
      }
      return result
    },
  }
}

import { z } from 'zod'

/**
 * Every stable error code SkillOS raises. Codes never change meaning once published; apps map each
 * to one HTTP status through a single table and return it in RFC 9457 problem+json as `code`.
 */
export const errorCodes = [
  'VALIDATION_FAILED',
  'CONFIG_INVALID',
  'NOT_FOUND',
  'SKILL_NOT_FOUND',
  'NO_MATCH',
  'NEEDS_INPUT',
  'PERMISSION_DENIED',
  'POLICY_DENIED',
  'UNAUTHENTICATED',
  'BUDGET_EXCEEDED',
  'RATE_LIMITED',
  'CIRCUIT_OPEN',
  'TIMEOUT',
  'APPROVAL_REQUIRED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'INTEGRITY_FAILED',
  'MODEL_NOT_CONFIGURED',
  'UPSTREAM_FAILED',
  'UNAVAILABLE',
  'CANCELLED',
  'INTERNAL',
] as const

export const errorCodeSchema = z.enum(errorCodes)
export type ErrorCode = z.infer<typeof errorCodeSchema>

/** One field-level problem: `path` is dotted (`input.schema.type`, `tools.0.name`). */
export interface ValidationIssue {
  path: string
  message: string
}

const MARKER = Symbol.for('skillos.error')

export interface SkillOSErrorOptions {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
  cause?: unknown
}

/**
 * The one error family of SkillOS. `SkillOSError.is(e)` works across duplicate installs of this
 * package (it checks a `Symbol.for` marker, not the prototype chain).
 *
 * @example
 * ```ts
 * try {
 *   await os.run(request)
 * } catch (error) {
 *   if (SkillOSError.is(error, 'BUDGET_EXCEEDED')) console.log(error.details)
 * }
 * ```
 */
export class SkillOSError extends Error {
  readonly [MARKER] = true
  readonly code: ErrorCode
  readonly details: Record<string, unknown> | undefined

  constructor(options: SkillOSErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SkillOSError'
    this.code = options.code
    this.details = options.details
  }

  /** True for any SkillOS error (from any copy of this package), optionally of one code. */
  static is(error: unknown, code?: ErrorCode): error is SkillOSError {
    if (typeof error !== 'object' || error === null) return false
    if ((error as Record<symbol, unknown>)[MARKER] !== true) return false
    return code === undefined || (error as SkillOSError).code === code
  }

  toJSON(): { name: string; code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    }
  }
}

/** Input failed a schema: `details.issues` names each field and the reason. */
export class ValidationError extends SkillOSError {
  readonly issues: ValidationIssue[]

  constructor(
    message: string,
    issues: ValidationIssue[],
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super({
      code: 'VALIDATION_FAILED',
      message,
      details: { ...options.details, issues },
      cause: options.cause,
    })
    this.name = 'ValidationError'
    this.issues = issues
  }
}

/** The system configuration (env vars or `skillos.config.*`) is invalid: names the key and what is allowed. */
export class ConfigError extends SkillOSError {
  readonly issues: ValidationIssue[]

  constructor(message: string, issues: ValidationIssue[], options: { cause?: unknown } = {}) {
    super({ code: 'CONFIG_INVALID', message, details: { issues }, cause: options.cause })
    this.name = 'ConfigError'
    this.issues = issues
  }
}

/** A service SkillOS depends on (database, Redis, …) could not be reached; `details.url` is masked. */
export class UnavailableError extends SkillOSError {
  constructor(
    message: string,
    details: { url: string; service: string } & Record<string, unknown>,
    cause?: unknown,
  ) {
    super({ code: 'UNAVAILABLE', message, details, cause })
    this.name = 'UnavailableError'
  }
}

/** Stable problem+json body (RFC 9457) that both HTTP apps return; `code` is the SkillOS error code. */
export const problemSchema = z.object({
  type: z.string().default('about:blank'),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: errorCodeSchema,
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type Problem = z.infer<typeof problemSchema>

/**
 * The problem+json body for an error, given the HTTP status an app chose for its code. Unknown errors
 * become `INTERNAL` without leaking their message.
 */
export function toProblem(error: unknown, status: number, instance?: string): Problem {
  if (!SkillOSError.is(error)) {
    return {
      type: 'about:blank',
      title: 'Internal error',
      status,
      code: 'INTERNAL',
      ...(instance ? { instance } : {}),
    }
  }
  const { issues, ...rest } = error.details ?? {}
  return {
    type: `https://skillos.dev/errors/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: error.code.toLowerCase().replaceAll('_', ' '),
    status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(Array.isArray(issues) ? { issues: issues as ValidationIssue[] } : {}),
    ...(Object.keys(rest).length ? { details: rest } : {}),
  }
}

/**
 * The one table from SkillOS error codes to HTTP statuses, for every app: a code means the same
 * status whichever server answers.
 */
export const httpStatusByCode: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  CONFIG_INVALID: 500,
  NOT_FOUND: 404,
  SKILL_NOT_FOUND: 404,
  NO_MATCH: 422,
  NEEDS_INPUT: 422,
  PERMISSION_DENIED: 403,
  POLICY_DENIED: 403,
  UNAUTHENTICATED: 401,
  BUDGET_EXCEEDED: 402,
  RATE_LIMITED: 429,
  CIRCUIT_OPEN: 503,
  TIMEOUT: 504,
  APPROVAL_REQUIRED: 403,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTEGRITY_FAILED: 422,
  MODEL_NOT_CONFIGURED: 501,
  UPSTREAM_FAILED: 502,
  UNAVAILABLE: 503,
  CANCELLED: 409,
  INTERNAL: 500,
}

/** Codes whose `details` a caller may see; the others' details stay in the server's logs. */
const PUBLIC_DETAILS = new Set<ErrorCode>([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'SKILL_NOT_FOUND',
  'NO_MATCH',
  'NEEDS_INPUT',
  'BUDGET_EXCEEDED',
  'RATE_LIMITED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'INTEGRITY_FAILED',
  'POLICY_DENIED',
  'UNAVAILABLE',
])

/**
 * Any thrown value as an HTTP answer: status from {@link httpStatusByCode}, the problem+json body
 * with only what a caller may see (no internals behind a 5xx, no URL of a service that is down),
 * and `retry-after` / `www-authenticate` headers where they apply. Unknown errors are a bare 500.
 *
 * @example
 * ```ts
 * app.onError((error, c) => {
 *   const { status, body, headers } = toHttpProblem(error, c.req.path)
 *   return c.body(JSON.stringify(body), status, { ...headers, 'content-type': 'application/problem+json' })
 * })
 * ```
 */
export function toHttpProblem(
  error: unknown,
  instance?: string,
): { status: number; body: Problem; headers: Record<string, string> } {
  if (!SkillOSError.is(error))
    return { status: 500, body: toProblem(error, 500, instance), headers: {} }
  const status = httpStatusByCode[error.code] ?? 500
  const body = toProblem(error, status, instance)
  if (!PUBLIC_DETAILS.has(error.code)) delete body.details
  // Internal and configuration errors name nothing of the inside.
  if (error.code === 'INTERNAL' || error.code === 'CONFIG_INVALID') delete body.detail
  if (error.code === 'UNAVAILABLE' && body.details) {
    // Which service is down is for the operator, not the caller.
    delete body.details.url
    delete body.details.service
  }
  const headers: Record<string, string> = {}
  const retryAfterMs = error.details?.retryAfterMs
  if (status === 429 || status === 503)
    headers['retry-after'] = String(
      Math.max(1, Math.ceil((typeof retryAfterMs === 'number' ? retryAfterMs : 1000) / 1000)),
    )
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="skillos"'
  return { status, body, headers }
}

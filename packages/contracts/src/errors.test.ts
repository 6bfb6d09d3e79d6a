import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  SkillOSError,
  UnavailableError,
  ValidationError,
  errorCodes,
  problemSchema,
  httpStatusByCode,
  toHttpProblem,
  toProblem,
} from './errors.js'

describe('SkillOSError', () => {
  it('carries a stable code, details and cause', () => {
    const cause = new Error('socket hang up')
    const error = new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: 'rates API failed',
      details: { tool: 'rates' },
      cause,
    })
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.details).toEqual({ tool: 'rates' })
    expect(error.cause).toBe(cause)
    expect(error).toBeInstanceOf(Error)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'SkillOSError',
      code: 'UPSTREAM_FAILED',
      message: 'rates API failed',
      details: { tool: 'rates' },
    })
  })

  it('is() recognises an error from a duplicate install by its Symbol.for marker', () => {
    // What a second copy of @skillos/contracts would construct: same marker, different class.
    const foreign = Object.assign(new Error('over budget'), {
      [Symbol.for('skillos.error')]: true,
      code: 'BUDGET_EXCEEDED',
    })
    expect(foreign instanceof SkillOSError).toBe(false)
    expect(SkillOSError.is(foreign)).toBe(true)
    expect(SkillOSError.is(foreign, 'BUDGET_EXCEEDED')).toBe(true)
    expect(SkillOSError.is(foreign, 'RATE_LIMITED')).toBe(false)
  })

  it('is() rejects lookalikes without the marker', () => {
    expect(SkillOSError.is({ code: 'INTERNAL', message: 'x' })).toBe(false)
    expect(SkillOSError.is(new Error('plain'))).toBe(false)
    expect(SkillOSError.is(null)).toBe(false)
    expect(SkillOSError.is('BUDGET_EXCEEDED')).toBe(false)
  })

  it('subclasses keep their meaning in the code', () => {
    expect(new ValidationError('bad', []).code).toBe('VALIDATION_FAILED')
    expect(new ConfigError('bad', []).code).toBe('CONFIG_INVALID')
    expect(new UnavailableError('down', { url: 'redis://x', service: 'Redis' }).code).toBe(
      'UNAVAILABLE',
    )
    expect(SkillOSError.is(new ValidationError('bad', []), 'VALIDATION_FAILED')).toBe(true)
  })

  it('lists every code once', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length)
    for (const code of [
      'VALIDATION_FAILED',
      'NOT_FOUND',
      'SKILL_NOT_FOUND',
      'NO_MATCH',
      'PERMISSION_DENIED',
      'POLICY_DENIED',
      'BUDGET_EXCEEDED',
      'RATE_LIMITED',
      'CIRCUIT_OPEN',
      'APPROVAL_REQUIRED',
      'CONFLICT',
      'UNAUTHENTICATED',
      'UPSTREAM_FAILED',
      'INTERNAL',
    ] as const) {
      expect(errorCodes).toContain(code)
    }
  })
})

describe('toProblem', () => {
  it('renders a SkillOS error as RFC 9457 problem+json with the code and field issues', () => {
    const error = new ValidationError(
      'Invalid run request: input: required',
      [{ path: 'input', message: 'required' }],
      {
        details: { source: 'body' },
      },
    )
    const problem = toProblem(error, 400, '/v1/runs')
    expect(problemSchema.parse(problem)).toEqual({
      type: 'https://skillos.dev/errors/validation-failed',
      title: 'validation failed',
      status: 400,
      detail: 'Invalid run request: input: required',
      code: 'VALIDATION_FAILED',
      instance: '/v1/runs',
      issues: [{ path: 'input', message: 'required' }],
      details: { source: 'body' },
    })
  })

  it('hides the message of an unknown error behind INTERNAL', () => {
    const problem = toProblem(new Error('password=hunter2 leaked in a stack'), 500)
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      code: 'INTERNAL',
    })
  })
})

describe('toHttpProblem', () => {
  it('maps every code to one status and keeps internals out of the body', () => {
    const validation = toHttpProblem(
      new SkillOSError({ code: 'VALIDATION_FAILED', message: 'input.amount: must be ≥ 0' }),
      '/v1/runs',
    )
    expect(validation).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        detail: 'input.amount: must be ≥ 0',
        instance: '/v1/runs',
      },
      headers: {},
    })
    const internal = toHttpProblem(
      new SkillOSError({
        code: 'INTERNAL',
        message: 'pool at 10.0.0.3 exhausted',
        details: { host: 'db' },
      }),
    )
    expect(internal.status).toBe(500)
    expect(internal.body.detail).toBeUndefined()
    expect(internal.body.details).toBeUndefined()
    const down = toHttpProblem(
      new SkillOSError({
        code: 'UNAVAILABLE',
        message: 'the store is unavailable',
        details: { url: 'postgres://***@db:5432/x', retryAfterMs: 2500 },
      }),
    )
    expect(down.status).toBe(503)
    expect(down.headers['retry-after']).toBe('3')
    expect(down.body.details).toEqual({ retryAfterMs: 2500 })
    expect(
      toHttpProblem(new SkillOSError({ code: 'UNAUTHENTICATED', message: 'no token' })).headers,
    ).toEqual({
      'www-authenticate': 'Bearer realm="skillos"',
    })
    expect(toHttpProblem(new Error('secret stack')).body).toEqual({
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      code: 'INTERNAL',
    })
    for (const code of errorCodes) expect(httpStatusByCode[code]).toBeGreaterThanOrEqual(400)
  })
})

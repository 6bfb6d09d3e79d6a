import {
  SkillOSError,
  ValidationError,
  type PolicyDecision,
  type RateLimitScope,
  type ValidationIssue,
} from '@skillos/contracts'

/**
 * One problem in a policy (or policy test) file. `path` reads as a whole —
 * `policies/finance.yaml:12:7 rules[3].when[0]` — and the parts are there for tools.
 */
export interface PolicyIssue extends ValidationIssue {
  file: string
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** `rules[3].when[0]`; empty for the file as a whole. */
  field: string
}

/**
 * A policy set (or a test-case file) failed to load: every issue names the file, line, column and
 * field. Nothing of the set is used when this is thrown.
 */
export class PolicyLoadError extends ValidationError {
  declare readonly issues: PolicyIssue[]

  constructor(issues: PolicyIssue[], what = 'policy') {
    const lines = issues.map((issue) => `${issue.path}: ${issue.message}`)
    super(
      issues.length === 1
        ? `Invalid ${what}: ${lines[0]}`
        : `Invalid ${what} (${issues.length} problems):\n  ${lines.join('\n  ')}`,
      issues,
    )
    this.name = 'PolicyLoadError'
  }
}

/**
 * A request the policy denied (`POLICY_DENIED`); the message is the decision's explanation.
 *
 * @example
 * ```ts
 * const decision = policy.decide(principal, 'skill:run', skill, context)
 * if (!decision.allowed) throw new PolicyDeniedError(decision)
 * ```
 */
export class PolicyDeniedError extends SkillOSError {
  readonly decision: PolicyDecision

  constructor(decision: PolicyDecision) {
    super({
      code: 'POLICY_DENIED',
      message: decision.explanation,
      details: {
        action: decision.action,
        resource: decision.resource,
        reason: decision.reason,
        ruleIds: decision.ruleIds,
      },
    })
    this.name = 'PolicyDeniedError'
    this.decision = decision
  }
}

/** Throw `PolicyDeniedError` unless the decision allows; returns the decision when it does. */
export function assertAllowed(decision: PolicyDecision): PolicyDecision {
  if (!decision.allowed) throw new PolicyDeniedError(decision)
  return decision
}

export interface RateLimitedDetails {
  limitId: string
  per: RateLimitScope
  /** Who or what was counted: the principal id, tenant, skill or tool. */
  subject: string
  limit: number
  windowMs: number
  retryAfterMs: number
}

/** `1.2 s`, `45 s`, `3 min`, `2 h`: a wait as a person reads it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))} ms`
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`
  return `${Number((ms / 3_600_000).toFixed(1))} h`
}

/**
 * A request over a rate limit (`RATE_LIMITED`): the message names the limit and the wait, and
 * `retryAfterMs` is what an HTTP app puts in `Retry-After`.
 */
export class RateLimitedError extends SkillOSError {
  readonly retryAfterMs: number
  readonly limitId: string

  constructor(details: RateLimitedDetails) {
    super({
      code: 'RATE_LIMITED',
      message: `Rate limit "${details.limitId}" reached: at most ${details.limit} per ${formatDuration(details.windowMs)} for ${details.per} "${details.subject}"; retry in ${formatDuration(details.retryAfterMs)}.`,
      details: { ...details },
    })
    this.name = 'RateLimitedError'
    this.retryAfterMs = details.retryAfterMs
    this.limitId = details.limitId
  }
}

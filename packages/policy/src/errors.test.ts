import { SkillOSError, toProblem, type PolicyDecision } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { PolicyDeniedError, RateLimitedError, assertAllowed, formatDuration } from './errors.js'

const denied: PolicyDecision = {
  allowed: false,
  reason: 'denied-by-rule',
  action: 'skill:run',
  resource: 'finance/pay',
  ruleIds: ['office-only'],
  obligations: [],
  explanation: 'Denied by rule "office-only"; a deny overrides any allow.',
}

describe('policy errors', () => {
  it('turns a denial into POLICY_DENIED with the explanation as its message', () => {
    expect(() => assertAllowed(denied)).toThrow(PolicyDeniedError)
    try {
      assertAllowed(denied)
    } catch (error) {
      expect(SkillOSError.is(error, 'POLICY_DENIED')).toBe(true)
      expect(toProblem(error, 403)).toMatchObject({
        code: 'POLICY_DENIED',
        detail: denied.explanation,
        details: { action: 'skill:run', resource: 'finance/pay', ruleIds: ['office-only'] },
      })
    }
    const allowed = { ...denied, allowed: true, reason: 'allowed-by-rule' as const }
    expect(assertAllowed(allowed)).toBe(allowed)
  })

  it('names the limit and the wait in RATE_LIMITED', () => {
    const error = new RateLimitedError({
      limitId: 'runs',
      per: 'tenant',
      subject: 'acme',
      limit: 100,
      windowMs: 3_600_000,
      retryAfterMs: 1_250,
    })
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.message).toBe(
      'Rate limit "runs" reached: at most 100 per 1 h for tenant "acme"; retry in 1.3 s.',
    )
    expect(error.retryAfterMs).toBe(1_250)
  })

  it.each([
    [0, '0 ms'],
    [999.2, '1000 ms'],
    [1_000, '1 s'],
    [12_340, '12.3 s'],
    [90_000, '1.5 min'],
    [7_200_000, '2 h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

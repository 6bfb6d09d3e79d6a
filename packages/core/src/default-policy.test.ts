import { compilePolicy } from '@skillos/policy'
import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY_YAML } from './default-policy.js'

describe('the built-in default policy', () => {
  const policy = compilePolicy([{ path: '(built-in default policy)', text: DEFAULT_POLICY_YAML }])
  const user = { id: 'u1', tenant: 'acme', roles: [] as string[] }

  it('lets anyone run a low-risk skill, with no obligation', () => {
    const decision = policy.decide(user, 'skill:run', {
      id: 'finance/rates',
      tenant: 'acme',
      risk: 'low',
    })
    expect(decision.allowed).toBe(true)
    expect(decision.obligations).toEqual([])
  })

  it('requires an approval for high and critical risk skills', () => {
    for (const risk of ['high', 'critical'] as const) {
      const decision = policy.decide(user, 'skill:run', { id: 'finance/pay', tenant: 'acme', risk })
      expect(decision.allowed).toBe(true)
      expect(decision.obligations).toEqual(['require_approval'])
    }
  })

  it('lets only approvers (and admins) decide approvals, and denies what it does not name', () => {
    const resource = { id: 'finance/pay', tenant: 'acme', risk: 'high' as const }
    expect(policy.decide(user, 'approval:decide', resource).allowed).toBe(false)
    expect(
      policy.decide({ ...user, roles: ['approver'] }, 'approval:decide', resource).allowed,
    ).toBe(true)
    expect(policy.decide({ ...user, roles: ['admin'] }, 'approval:decide', resource).allowed).toBe(
      true,
    )
    expect(policy.decide(user, 'skill:publish', resource).allowed).toBe(false)
    expect(policy.decide(user, 'skill:run', { id: 'finance/x', tenant: 'other' }).allowed).toBe(
      false,
    )
  })

  it('lets only admins manage API keys', () => {
    const keys = { id: 'api-keys', tenant: 'acme' }
    expect(policy.decide(user, 'apikey:manage', keys).allowed).toBe(false)
    expect(policy.decide({ ...user, roles: ['approver'] }, 'apikey:manage', keys).allowed).toBe(
      false,
    )
    expect(policy.decide({ ...user, roles: ['admin'] }, 'apikey:manage', keys).allowed).toBe(true)
  })
})

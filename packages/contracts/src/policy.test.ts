import { describe, expect, it } from 'vitest'
import {
  actionsMatching,
  policyDecisionSchema,
  policyDocumentSchema,
  policyPrincipalSchema,
  policyResourceSchema,
} from './policy.js'
import { parseOrThrow } from './validate.js'

describe('policy contracts', () => {
  it('expands action patterns to known actions only', () => {
    expect(actionsMatching('skill:*')).toEqual(['skill:run', 'skill:publish', 'skill:install'])
    expect(actionsMatching('*')).toHaveLength(9)
    expect(actionsMatching('webhook:*')).toEqual(['webhook:manage'])
    expect(actionsMatching('apikey:*')).toEqual(['apikey:manage'])
    expect(actionsMatching('tool:call')).toEqual(['tool:call'])
    expect(actionsMatching('skil:*')).toEqual([])
    expect(actionsMatching('skill:fly')).toEqual([])
  })

  it('accepts a policy document and fills defaults', () => {
    const document = policyDocumentSchema.parse({
      version: 1,
      roles: { viewer: null, analyst: { inherits: ['viewer'] } },
      rules: [
        {
          id: 'analysts-run',
          effect: 'allow',
          actions: ['skill:run'],
          roles: ['analyst'],
          when: ['resource.risk in [low, medium]'],
          obligations: ['redact_output'],
        },
      ],
    })
    expect(document.roles).toEqual({ viewer: { inherits: [] }, analyst: { inherits: ['viewer'] } })
    expect(document.attributes).toEqual({ principal: [], resource: [], context: [] })
    expect(document.rateLimits).toEqual([])
  })

  it.each([
    [
      { version: 1, rules: [{ id: 'a', effect: 'allow', actions: ['skil:run'] }] },
      'rules.0.actions.0',
      'unknown action "skil:run"',
    ],
    [
      {
        version: 1,
        rules: [{ id: 'a', effect: 'deny', actions: ['*'], obligations: ['redact_output'] }],
      },
      'rules.0.obligations',
      'only allow rules carry obligations',
    ],
    [
      {
        version: 1,
        rules: [
          { id: 'a', effect: 'allow', actions: ['*'] },
          { id: 'a', effect: 'deny', actions: ['*'] },
        ],
      },
      'rules.1.id',
      '"a" is used twice',
    ],
    [
      { version: 1, rules: [{ id: 'A b', effect: 'allow', actions: ['*'] }] },
      'rules.0.id',
      'must be an id',
    ],
    [
      { version: 1, rateLimits: [{ id: 'r', per: 'ip', actions: ['*'], limit: 1, windowMs: 1 }] },
      'rateLimits.0.per',
      'Invalid option',
    ],
    [
      { version: 1, rules: [{ id: 'a', effect: 'allow', actions: ['*'], when: ['  '] }] },
      'rules.0.when.0',
      'must not be empty',
    ],
    [{ version: 2 }, 'version', 'must be 1'],
  ])('refuses %j at %s', (input, path, message) => {
    expect(() => parseOrThrow(policyDocumentSchema, input, { what: 'policy' })).toThrow(
      expect.objectContaining({
        details: {
          issues: [expect.objectContaining({ path, message: expect.stringContaining(message) })],
        },
      }),
    )
  })

  it('describes principals, resources and decisions', () => {
    expect(policyPrincipalSchema.parse({ id: 'ann', tenant: 'acme' })).toEqual({
      id: 'ann',
      tenant: 'acme',
      roles: [],
      attributes: {},
    })
    expect(() => policyResourceSchema.parse({ id: 'x', tenant: 'acme', risk: 'huge' })).toThrow()
    expect(() =>
      policyDecisionSchema.parse({
        allowed: true,
        reason: 'allowed-by-rule',
        action: 'skill:run',
        resource: 'finance/report',
        ruleIds: ['a'],
        obligations: ['approve'],
        explanation: 'Allowed by rule "a".',
      }),
    ).toThrow()
  })
})

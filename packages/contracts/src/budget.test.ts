import { describe, expect, it } from 'vitest'
import { budgetConfigSchema, DEFAULT_RESERVATION_TTL_MS } from './budget.js'
import { toValidationIssues } from './validate.js'

function issuesOf(input: unknown) {
  const result = budgetConfigSchema.safeParse(input)
  if (result.success) throw new Error('expected the budget configuration to be refused')
  return toValidationIssues(result.error, 'budget')
}

describe('budgetConfigSchema', () => {
  it('needs nothing: no limits, no price overrides, no degradations, USD, 15-minute reservations', () => {
    expect(budgetConfigSchema.parse({})).toEqual({
      currency: 'USD',
      reservationTtlMs: DEFAULT_RESERVATION_TTL_MS,
      prices: {},
      limits: [],
      degradations: [],
    })
    expect(budgetConfigSchema.prefault({}).parse(undefined)).toEqual(budgetConfigSchema.parse({}))
  })

  it('reads the limits a business user asks for: $50 a day per tenant, $5 per user, 20k tokens per skill run', () => {
    const config = budgetConfigSchema.parse({
      limits: [
        { id: 'tenant-daily', scope: 'tenant', window: 'day', usd: 50 },
        { scope: 'user', window: 'day', usd: 5 },
        { scope: ['user', 'skill'], window: 'month', usd: 20, mode: 'soft' },
        { scope: 'skill', skill: 'research/deep-dive', window: 'run', tokens: 20_000 },
      ],
    })
    expect(config.limits.map((limit) => [limit.scope, limit.window, limit.mode])).toEqual([
      ['tenant', 'day', 'hard'],
      ['user', 'day', 'hard'],
      [['user', 'skill'], 'month', 'soft'],
      ['skill', 'run', 'hard'],
    ])
    expect(config.limits[0]?.currency).toBe('USD')
  })

  it.each([
    [
      'a negative limit',
      { limits: [{ scope: 'user', window: 'day', usd: -5 }] },
      'budget.limits.0.usd',
      'must not be negative',
    ],
    [
      'a limit in euros',
      { limits: [{ scope: 'user', window: 'day', usd: 5, currency: 'EUR' }] },
      'budget.limits.0.currency',
      'only "USD" is supported',
    ],
    [
      'a price in another currency',
      { prices: { 'my-model': { input: 1, output: 2, currency: 'RUB' } } },
      'budget.prices.my-model.currency',
      'only "USD" is supported',
    ],
    [
      'a limit with neither usd nor tokens',
      { limits: [{ scope: 'tenant', window: 'day' }] },
      'budget.limits.0.usd',
      'needs "usd", "tokens" or both',
    ],
    [
      'fractions of a micro-dollar',
      { limits: [{ scope: 'tenant', window: 'day', usd: 0.0000001 }] },
      'budget.limits.0.usd',
      'at most 6 decimal places',
    ],
    [
      'fractional tokens',
      { limits: [{ scope: 'run', window: 'run', tokens: 10.5 }] },
      'budget.limits.0.tokens',
      'whole number of tokens',
    ],
    [
      'an unknown window',
      { limits: [{ scope: 'tenant', window: 'week', usd: 1 }] },
      'budget.limits.0.window',
      'run',
    ],
    [
      'a run-scoped limit over a day',
      { limits: [{ scope: 'run', window: 'day', usd: 1 }] },
      'budget.limits.0.window',
      'window must be "run"',
    ],
    [
      'a user narrowing on a tenant-scoped limit',
      { limits: [{ scope: 'tenant', window: 'day', usd: 1, user: 'u1' }] },
      'budget.limits.0.user',
      'scope must include "user"',
    ],
    [
      'an unknown key in a limit (a typo)',
      { limits: [{ scope: 'tenant', window: 'day', usd: 1, limt: 2 }] },
      'budget.limits.0',
      'limt',
    ],
    [
      'two limits with one id',
      {
        limits: [
          { id: 'daily', scope: 'tenant', window: 'day', usd: 1 },
          { id: 'daily', scope: 'user', window: 'day', usd: 1 },
        ],
      },
      'budget.limits.1.id',
      'already the id of limits.0',
    ],
    [
      'a degradation naming no limit',
      {
        limits: [{ id: 'daily', scope: 'tenant', window: 'day', usd: 1 }],
        degradations: [{ limit: 'dayly', atShare: 0.8, action: 'require-approval' }],
      },
      'budget.degradations.0.limit',
      'limit ids: daily',
    ],
    [
      'a degradation share above 1',
      { degradations: [{ atShare: 80, action: 'require-approval' }] },
      'budget.degradations.0.atShare',
      'at most 1',
    ],
    [
      'an unknown degradation action',
      { degradations: [{ atShare: 0.8, action: 'panic' }] },
      'budget.degradations.0.action',
      'downgrade-model',
    ],
    [
      'a reservation ttl below a second',
      { reservationTtlMs: 10 },
      'budget.reservationTtlMs',
      'at least 1000 ms',
    ],
  ])('refuses %s, naming %s', (_label, input, path, message) => {
    const issues = issuesOf(input)
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) })
  })
})

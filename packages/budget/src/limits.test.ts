import { budgetConfigSchema } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { applicableLimits, compileLimits, describeSubject, planCounters } from './limits.js'

const at = Date.UTC(2025, 5, 1, 12)

function compiled(limits: unknown[]) {
  return compileLimits(budgetConfigSchema.parse({ limits }).limits)
}

describe('limits', () => {
  it('gives every limit an id: its own, or one read from its fields', () => {
    const limits = compiled([
      { id: 'tenant-daily', scope: 'tenant', window: 'day', usd: 50 },
      { scope: 'user', window: 'day', usd: 5 },
      { scope: 'user', window: 'day', usd: 4, mode: 'soft' },
      { scope: ['skill', 'user'], skill: 'a/b', window: 'run', tokens: 20_000 },
    ])
    expect(limits.map((limit) => limit.id)).toEqual([
      'tenant-daily',
      'user:day',
      'user:day:soft',
      'user+skill:run:skill=a/b',
    ])
    expect(limits[3]?.scopes).toEqual(['user', 'skill'])
  })

  it('lets a narrowed limit replace the general one of its scope, window and mode', () => {
    const limits = compiled([
      { scope: 'user', window: 'day', usd: 5 },
      { scope: 'user', user: 'ceo', window: 'day', usd: 50 },
      { scope: 'user', window: 'day', usd: 4, mode: 'soft' },
      { scope: 'tenant', tenant: 'other', window: 'day', usd: 1 },
    ])
    const forCeo = applicableLimits(limits, { tenant: 'acme', user: 'ceo', runId: 'r' })
    expect(forCeo.map((limit) => limit.id)).toEqual(['user:day:user=ceo', 'user:day:soft'])
    const forOthers = applicableLimits(limits, { tenant: 'acme', user: 'u1', runId: 'r' })
    expect(forOthers.map((limit) => limit.id)).toEqual(['user:day', 'user:day:soft'])
  })

  it('skips limits the subject cannot fill: a skill scope without a skill', () => {
    const limits = compiled([{ scope: 'skill', window: 'day', usd: 1 }])
    expect(applicableLimits(limits, { tenant: 'acme', user: 'u1', runId: 'r' })).toEqual([])
  })

  it('shares one counter between limits on the same subject, window and unit', () => {
    const limits = compiled([
      { scope: 'user', window: 'day', usd: 5 },
      { scope: 'user', window: 'day', usd: 4, mode: 'soft', tokens: 100_000 },
      { scope: 'tenant', window: 'month', usd: 500 },
      { scope: 'run', window: 'run', tokens: 20_000 },
    ])
    const subject = { tenant: 'acme', user: 'u:1/x', runId: 'r-1' }
    const counters = planCounters(limits, subject, at, 900_000)
    expect(counters.map((c) => [c.key, c.hard.length, c.soft.length])).toEqual([
      ['budget:{acme}:u=u%3A1%2Fx:day:2025-06-01:usd', 1, 1],
      ['budget:{acme}:u=u%3A1%2Fx:day:2025-06-01:tokens', 0, 1],
      ['budget:{acme}:-:month:2025-06:usd', 1, 0],
      ['budget:{acme}:-:run:r-1:tokens', 1, 0],
    ])
  })

  it('names the subject of a counter in words', () => {
    expect(describeSubject({ tenant: 'acme', user: 'u1' })).toBe('user u1 in tenant acme')
    expect(describeSubject({ tenant: 'acme' })).toBe('tenant acme')
    expect(describeSubject({ tenant: 'acme', skill: 'a/b', user: 'u1', runId: 'r1' })).toBe(
      'skill a/b of user u1 in run r1 in tenant acme',
    )
  })
})

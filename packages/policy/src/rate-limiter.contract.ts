import { randomUUID } from 'node:crypto'
import { SkillOSError } from '@skillos/contracts'
import type { KeyValueStore } from '@skillos/store'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { compilePolicy } from './compile-policy.js'
import { RateLimitedError } from './errors.js'
import { createRateLimiter, type RateLimiter, type RateLimitRequest } from './rate-limiter.js'

const POLICY = `version: 1
rateLimits:
  - { id: runs-per-person, per: principal, actions: [skill:run], limit: 3, windowMs: 60000 }
  - { id: installs-per-tenant, per: tenant, actions: [skill:install], limit: 2, windowMs: 60000 }
  - { id: publishes-per-skill, per: skill, actions: [skill:publish], limit: 1, windowMs: 60000 }
  - id: search-calls
    per: tool
    actions: [tool:call]
    resources: [web.*]
    limit: 2
    windowMs: 60000
  - { id: audit-reads-fast, per: principal, actions: [audit:read], limit: 2, windowMs: 400 }
`
const TENANT_POLICY = `version: 1
tenant: acme
rateLimits:
  - { id: acme-budget-changes, per: tenant, actions: [budget:manage], limit: 1, windowMs: 60000 }
`

const policy = compilePolicy([
  { path: 'limits.yaml', text: POLICY },
  { path: 'acme.yaml', text: TENANT_POLICY },
])

const run = (principal: string, tenant = 'acme'): RateLimitRequest => ({
  tenant,
  principal,
  action: 'skill:run',
  skill: 'finance/report',
})

/**
 * The suite the rate limiter must pass on every key-value adapter. `open(prefix)` returns a fresh
 * store whose keys start with `prefix`; every store is cleared and closed after the suite.
 *
 * @example
 * ```ts
 * describeRateLimiterContract('memory', async (prefix) => createMemoryKeyValue({ prefix }))
 * ```
 */
export function describeRateLimiterContract(
  name: string,
  open: (prefix: string) => Promise<KeyValueStore>,
  options: { prefix?: string } = {},
): void {
  const base = options.prefix ?? `skillos-policy-contract:${randomUUID()}:`

  describe(`rate limiter contract: ${name}`, () => {
    const opened: KeyValueStore[] = []
    let sequence = 0
    let kv: KeyValueStore
    let limiter: RateLimiter

    beforeEach(async () => {
      sequence += 1
      kv = await open(`${base}${sequence}:`)
      opened.push(kv)
      limiter = createRateLimiter({ kv, policy })
    })

    afterAll(async () => {
      for (const store of opened) {
        await store.clear()
        await store.close()
      }
    })

    it('admits up to the limit per principal, then refuses with the time until retry', async () => {
      for (let i = 1; i <= 3; i++) {
        const result = await limiter.check(run('ann'))
        expect(result).toMatchObject({ allowed: true, retryAfterMs: 0 })
        expect(result.checked).toEqual([
          expect.objectContaining({ limitId: 'runs-per-person', count: i, remaining: 3 - i }),
        ])
      }
      const refused = await limiter.check(run('ann'))
      expect(refused.allowed).toBe(false)
      expect(refused.limitId).toBe('runs-per-person')
      expect(refused.retryAfterMs).toBeGreaterThan(0)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000)
      expect(refused.checked.at(-1)).toMatchObject({
        per: 'principal',
        subject: 'ann',
        allowed: false,
        limit: 3,
        remaining: 0,
      })
      expect((await limiter.check(run('bob'))).allowed).toBe(true)
      // The same principal id in another tenant is another principal.
      expect((await limiter.check(run('ann', 'globex'))).allowed).toBe(true)
    })

    it('counts a tenant limit across its principals, and each tenant apart', async () => {
      const install = (principal: string, tenant: string): RateLimitRequest => ({
        tenant,
        principal,
        action: 'skill:install',
        skill: 'finance/report',
      })
      expect((await limiter.check(install('ann', 'acme'))).allowed).toBe(true)
      expect((await limiter.check(install('bob', 'acme'))).allowed).toBe(true)
      expect(await limiter.check(install('cat', 'acme'))).toMatchObject({
        allowed: false,
        limitId: 'installs-per-tenant',
      })
      expect((await limiter.check(install('cat', 'globex'))).allowed).toBe(true)
    })

    it('counts a skill limit per skill, and ignores requests without a skill', async () => {
      const publish = (skill?: string): RateLimitRequest => ({
        tenant: 'acme',
        principal: 'ann',
        action: 'skill:publish',
        ...(skill ? { skill } : {}),
      })
      expect((await limiter.check(publish('finance/report'))).allowed).toBe(true)
      expect((await limiter.check(publish('finance/report'))).allowed).toBe(false)
      expect((await limiter.check(publish('finance/pay'))).allowed).toBe(true)
      expect(await limiter.check(publish())).toEqual({
        allowed: true,
        retryAfterMs: 0,
        checked: [],
      })
    })

    it('counts a tool limit only for the tools its patterns name', async () => {
      const call = (tool: string): RateLimitRequest => ({
        tenant: 'acme',
        principal: 'ann',
        action: 'tool:call',
        tool,
      })
      expect((await limiter.check(call('web.search'))).allowed).toBe(true)
      expect((await limiter.check(call('web.search'))).allowed).toBe(true)
      expect((await limiter.check(call('web.search'))).allowed).toBe(false)
      expect((await limiter.check(call('web.fetch'))).allowed).toBe(true)
      for (let i = 0; i < 5; i++)
        expect((await limiter.check(call('sheets.append'))).checked).toEqual([])
    })

    it('applies a tenant file’s limits only inside that tenant', async () => {
      const manage = (tenant: string): RateLimitRequest => ({
        tenant,
        principal: 'ann',
        action: 'budget:manage',
      })
      expect((await limiter.check(manage('acme'))).allowed).toBe(true)
      expect((await limiter.check(manage('acme'))).allowed).toBe(false)
      for (let i = 0; i < 3; i++) expect((await limiter.check(manage('globex'))).allowed).toBe(true)
    })

    it('counts a request of cost n as n hits', async () => {
      expect((await limiter.check({ ...run('ann'), cost: 2 })).checked[0]?.remaining).toBe(1)
      expect((await limiter.check({ ...run('ann'), cost: 2 })).allowed).toBe(false)
      expect((await limiter.check({ ...run('ann'), cost: 1 })).allowed).toBe(true)
    })

    it('throws RATE_LIMITED from enforce, naming the limit and the wait', async () => {
      for (let i = 0; i < 3; i++) await limiter.enforce(run('ann'))
      const error = await limiter.enforce(run('ann')).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(RateLimitedError)
      expect(SkillOSError.is(error, 'RATE_LIMITED')).toBe(true)
      const limited = error as RateLimitedError
      expect(limited.limitId).toBe('runs-per-person')
      expect(limited.retryAfterMs).toBeGreaterThan(0)
      expect(limited.message).toMatch(
        /^Rate limit "runs-per-person" reached: at most 3 per 1 min for principal "ann"; retry in [\d.]+ (ms|s|min)\.$/,
      )
      expect(limited.details).toMatchObject({
        limitId: 'runs-per-person',
        per: 'principal',
        limit: 3,
      })
    })

    it('admits again once the window has moved past the earlier hits', async () => {
      const read: RateLimitRequest = { tenant: 'acme', principal: 'ann', action: 'audit:read' }
      expect((await limiter.check(read)).allowed).toBe(true)
      expect((await limiter.check(read)).allowed).toBe(true)
      const refused = await limiter.check(read)
      expect(refused.allowed).toBe(false)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(400)
      await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs))
      const deadline = Date.now() + 5_000
      let again = await limiter.check(read)
      while (!again.allowed && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        again = await limiter.check(read)
      }
      expect(again.allowed).toBe(true)
    })

    it('refuses a malformed request, naming the field', async () => {
      await expect(
        limiter.check({ tenant: '', principal: 'ann', action: 'skill:run' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'tenant', message: 'must be a non-empty string' }] },
      })
      await expect(limiter.check({ ...run('ann'), cost: 0 })).rejects.toThrow(
        'cost: must be a positive integer',
      )
    })
  })
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryKeyValue } from '@skillos/store'
import { afterEach, describe, expect, it } from 'vitest'
import { compilePolicy } from './compile-policy.js'
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js'
import { describeRateLimiterContract } from './rate-limiter.contract.js'
import { createRateLimiter } from './rate-limiter.js'

describeRateLimiterContract('memory', async (prefix) => createMemoryKeyValue({ prefix }))

const limits = (limit: number) => `version: 1
rateLimits:
  - { id: runs, per: principal, actions: [skill:*], limit: ${limit}, windowMs: 1000 }
  - { id: tenant-runs, per: tenant, actions: [skill:run], limit: 100, windowMs: 1000 }
`

describe('createRateLimiter', () => {
  const dirs: string[] = []
  const engines: PolicyEngine[] = []
  afterEach(() => {
    for (const engine of engines.splice(0)) engine.close()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('keeps its counters under the key prefix, one key per tenant, limit and subject', async () => {
    const kv = createMemoryKeyValue({ prefix: 'test:' })
    const limiter = createRateLimiter({
      kv,
      policy: compilePolicy([{ path: 'l.yaml', text: limits(5) }]),
      keyPrefix: 'rl:',
    })
    await limiter.check({ tenant: 'acme', principal: 'ann', action: 'skill:run' })
    expect(await kv.ttl('rl:acme:runs:ann')).not.toBeNull()
    expect(await kv.ttl('rl:acme:tenant-runs:acme')).not.toBeNull()
    expect(await kv.ttl('ratelimit:acme:runs:ann')).toBeNull()
  })

  it('stops at the first limit that refuses and reports the limits it consulted', async () => {
    let now = 1_000_000
    const kv = createMemoryKeyValue({ prefix: 'test:', now: () => now })
    const limiter = createRateLimiter({
      kv,
      policy: compilePolicy([{ path: 'l.yaml', text: limits(1) }]),
    })
    const request = { tenant: 'acme', principal: 'ann', action: 'skill:run' }
    expect((await limiter.check(request)).checked.map((c) => c.limitId)).toEqual([
      'runs',
      'tenant-runs',
    ])
    now += 400
    const refused = await limiter.check(request)
    expect(refused).toMatchObject({ allowed: false, limitId: 'runs', retryAfterMs: 600 })
    expect(refused.checked.map((c) => c.limitId)).toEqual(['runs'])
    now += 600
    expect((await limiter.check(request)).allowed).toBe(true)
  })

  it('follows the limits of a policy engine across a reload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skillos-rate-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'limits.yaml'), limits(1))
    const engine = await createPolicyEngine({ paths: dir })
    engines.push(engine)
    const limiter = createRateLimiter({
      kv: createMemoryKeyValue({ prefix: 't:' }),
      policy: engine,
    })
    const request = { tenant: 'acme', principal: 'ann', action: 'skill:install' }
    expect((await limiter.check(request)).allowed).toBe(true)
    expect((await limiter.check(request)).allowed).toBe(false)
    writeFileSync(join(dir, 'limits.yaml'), limits(3))
    expect((await engine.reload()).ok).toBe(true)
    expect((await limiter.check(request)).allowed).toBe(true)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, createTestApi, type TestApi } from './test-support.js'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi({
    config: {
      api: {
        rateLimit: {
          tenant: { limit: 1000, windowMs: 60_000 },
          principal: { limit: 3, windowMs: 60_000 },
        },
        queue: { maxQueued: 2 },
      },
    },
  })
})
afterAll(async () => {
  await api?.close()
})

describe('limits under load', () => {
  it('answers 429 with Retry-After once a principal passes its rate limit; others are unaffected', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i += 1)
      statuses.push((await call(api.app, 'GET', '/v1/skills', { key: api.keys.ann })).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const limited = await call(api.app, 'GET', '/v1/skills', { key: api.keys.ann })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = (await limited.json()) as { code: string; details: { per: string } }
    expect(body.code).toBe('RATE_LIMITED')
    expect(body.details.per).toBe('principal')
    expect((await call(api.app, 'GET', '/v1/skills', { key: api.keys.bob })).status).toBe(200)
  })

  it('refuses async runs with 503 + Retry-After when the queue is full, and loses no accepted run', async () => {
    await api.queue.stop(1000)
    const accepted: string[] = []
    let refused: Response | undefined
    for (let i = 0; i < 4 && !refused; i += 1) {
      const response = await call(api.app, 'POST', '/v1/runs?async=true', {
        key: api.keys.carol,
        body: { input: `echo q${i}` },
      })
      if (response.status === 202)
        accepted.push(((await response.json()) as { runId: string }).runId)
      else refused = response
    }
    expect(accepted.length).toBe(2)
    expect(refused?.status).toBe(503)
    expect(refused?.headers.get('retry-after')).toBe('5')
    for (const id of accepted) expect((await api.os.getRun('acme', id))?.status).toBe('queued')
  })

  it('refuses new work with 503 while draining, but still answers health checks', async () => {
    api.drain()
    const refused = await call(api.app, 'GET', '/v1/skills', { key: api.keys.bob })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect((await call(api.app, 'GET', '/healthz')).status).toBe(200)
  })
})

import { createRoute, z } from '@hono/zod-openapi'
import type { SkillOS } from '@skillos/core'
import type { ApiApp } from '../app.js'
import { responses } from '../schemas.js'

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: { 200: responses.json(z.object({ status: z.literal('ok') }), 'Alive') },
})

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: the store and the key-value store answer',
  responses: {
    200: responses.json(
      z.object({ status: z.string(), checks: z.record(z.string(), z.string()) }),
      'Ready',
    ),
    503: responses.json(
      z.object({ status: z.string(), checks: z.record(z.string(), z.string()) }),
      'Not ready',
    ),
  },
})

export function registerHealthRoutes(app: ApiApp, deps: { os: SkillOS }): void {
  const { os } = deps
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
  app.openapi(readyz, async (c) => {
    const check = (p: Promise<void>) =>
      p.then(
        () => 'ok',
        () => 'unreachable',
      )
    const [database, kv] = await Promise.all([check(os.database.ping()), check(os.kv.ping())])
    const ready = database === 'ok' && kv === 'ok'
    return c.json(
      { status: ready ? 'ready' : 'not ready', checks: { database, kv } },
      ready ? 200 : 503,
    )
  })
  app.get('/metrics', async (c) => {
    const registry = os.metrics.registry
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType })
  })
}

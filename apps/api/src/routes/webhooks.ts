import { createRoute, z } from '@hono/zod-openapi'
import { runEventSchema } from '@skillos/contracts'
import type { Webhooks } from '@skillos/core'
import type { ApiApp } from '../app.js'
import type { Identity } from '../auth.js'
import { apiError } from '../problem.js'
import {
  DeliverySchema,
  IdParams,
  WebhookCreateSchema,
  WebhookSchema,
  commonErrors,
  responses,
} from '../schemas.js'
import { bearer, wire, type RouteDeps } from './deps.js'
import { authorize } from './policy.js'

/** Every run event type a subscription may name (or `*`). */
export const WEBHOOK_EVENT_TYPES: readonly string[] = runEventSchema.options.map(
  (option) => option.shape.type.value as string,
)

const WebhookId = IdParams('whk_m3x9k2a1b2c3d4e5f6a7b8')

const routes = {
  create: createRoute({
    method: 'post',
    path: '/v1/webhooks',
    tags: ['webhooks'],
    summary: 'Subscribe to run events; the signing secret is returned once',
    security: bearer,
    request: {
      body: { content: { 'application/json': { schema: WebhookCreateSchema } }, required: true },
    },
    responses: {
      201: responses.json(
        z.object({ webhook: WebhookSchema, secret: z.string() }),
        'Created; keep the secret (HMAC-SHA256 key), it is not shown again',
      ),
      ...commonErrors,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/webhooks',
    tags: ['webhooks'],
    summary: 'Subscriptions of your tenant',
    security: bearer,
    responses: {
      200: responses.json(z.object({ webhooks: z.array(WebhookSchema) }), 'Subscriptions'),
      ...commonErrors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/webhooks/{id}',
    tags: ['webhooks'],
    summary: 'One subscription',
    security: bearer,
    request: { params: WebhookId },
    responses: { 200: responses.json(WebhookSchema, 'The subscription'), ...commonErrors },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/v1/webhooks/{id}',
    tags: ['webhooks'],
    summary: 'Delete a subscription and its delivery log',
    security: bearer,
    request: { params: WebhookId },
    responses: { 204: { description: 'Deleted' }, ...commonErrors },
  }),
  enable: createRoute({
    method: 'post',
    path: '/v1/webhooks/{id}/enable',
    tags: ['webhooks'],
    summary: 'Re-enable a subscription disabled after repeated failures',
    security: bearer,
    request: { params: WebhookId },
    responses: { 200: responses.json(WebhookSchema, 'Active again'), ...commonErrors },
  }),
  deliveries: createRoute({
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    tags: ['webhooks'],
    summary: 'The delivery log, newest first',
    security: bearer,
    request: {
      params: WebhookId,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
    },
    responses: {
      200: responses.json(z.object({ deliveries: z.array(DeliverySchema) }), 'Deliveries'),
      ...commonErrors,
    },
  }),
}

type Webhook = z.infer<typeof WebhookSchema>

export function registerWebhookRoutes(
  app: ApiApp,
  deps: RouteDeps & { webhooks?: Webhooks },
): void {
  const { os } = deps
  const hooks = (): Webhooks => {
    if (!deps.webhooks) throw apiError('UNAVAILABLE', 'Webhooks are not enabled on this server')
    return deps.webhooks
  }
  const manage = (c: { get(key: 'identity'): Identity }) => {
    const identity = c.get('identity')
    authorize(os, identity, 'webhook:manage', 'webhooks', deps.now())
    return identity
  }

  app.openapi(routes.create, async (c) => {
    const identity = manage(c)
    const body = c.req.valid('json')
    const unknown = body.events.filter((e) => e !== '*' && !WEBHOOK_EVENT_TYPES.includes(e))
    if (unknown.length > 0)
      throw apiError('VALIDATION_FAILED', `events: unknown event type ${unknown.join(', ')}`, {
        issues: [
          {
            path: 'events',
            message: `unknown: ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')} or *`,
          },
        ],
      })
    const { subscription, secret } = await hooks().subscribe(identity.tenant, {
      url: body.url,
      events: body.events,
      createdBy: identity.principal.id,
    })
    c.header('location', `/v1/webhooks/${subscription.id}`)
    return c.json({ webhook: wire<Webhook>(subscription), secret }, 201)
  })

  app.openapi(routes.list, async (c) => {
    const identity = manage(c)
    return c.json({ webhooks: wire<Webhook[]>(await hooks().list(identity.tenant)) }, 200)
  })

  app.openapi(routes.get, async (c) => {
    const identity = manage(c)
    const found = await hooks().get(identity.tenant, c.req.valid('param').id)
    if (!found) throw apiError('NOT_FOUND', `Webhook ${c.req.valid('param').id} not found`)
    return c.json(wire<Webhook>(found), 200)
  })

  app.openapi(routes.remove, async (c) => {
    const identity = manage(c)
    if (!(await hooks().remove(identity.tenant, c.req.valid('param').id)))
      throw apiError('NOT_FOUND', `Webhook ${c.req.valid('param').id} not found`)
    return c.body(null, 204)
  })

  app.openapi(routes.enable, async (c) => {
    const identity = manage(c)
    const found = await hooks().enable(identity.tenant, c.req.valid('param').id)
    if (!found) throw apiError('NOT_FOUND', `Webhook ${c.req.valid('param').id} not found`)
    return c.json(wire<Webhook>(found), 200)
  })

  app.openapi(routes.deliveries, async (c) => {
    const identity = manage(c)
    const { id } = c.req.valid('param')
    if (!(await hooks().get(identity.tenant, id)))
      throw apiError('NOT_FOUND', `Webhook ${id} not found`)
    const deliveries = await hooks().deliveries(identity.tenant, id, c.req.valid('query').limit)
    return c.json({ deliveries: wire<z.infer<typeof DeliverySchema>[]>(deliveries) }, 200)
  })
}

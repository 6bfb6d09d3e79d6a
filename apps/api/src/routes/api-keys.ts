import { createRoute, z } from '@hono/zod-openapi'
import type { ApiKeys } from '@skillos/core'
import type { ApiApp } from '../app.js'
import type { Identity } from '../auth.js'
import { apiError } from '../problem.js'
import { ApiKeyCreateSchema, ApiKeySchema, IdParams, commonErrors, responses } from '../schemas.js'
import { bearer, wire, type RouteDeps } from './deps.js'
import { authorize } from './policy.js'

const ApiKeyId = IdParams('3f9c0a1b2c3d4e5f')

const routes = {
  create: createRoute({
    method: 'post',
    path: '/v1/api-keys',
    tags: ['api-keys'],
    summary: 'Mint an API key of your tenant; the key is returned once',
    security: bearer,
    request: {
      body: { content: { 'application/json': { schema: ApiKeyCreateSchema } }, required: true },
    },
    responses: {
      201: responses.json(
        z.object({ apiKey: ApiKeySchema, key: z.string() }),
        'Created; keep `key` (`sk_<id>_<secret>`), it is not shown again',
      ),
      ...commonErrors,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/api-keys',
    tags: ['api-keys'],
    summary: 'API keys of your tenant (never their secrets), revoked ones included',
    security: bearer,
    responses: {
      200: responses.json(z.object({ apiKeys: z.array(ApiKeySchema) }), 'API keys'),
      ...commonErrors,
    },
  }),
  revoke: createRoute({
    method: 'delete',
    path: '/v1/api-keys/{id}',
    tags: ['api-keys'],
    summary: 'Revoke an API key (refused at once here, within 30 s on other instances)',
    security: bearer,
    request: { params: ApiKeyId },
    responses: { 204: { description: 'Revoked' }, ...commonErrors },
  }),
}

type ApiKey = z.infer<typeof ApiKeySchema>

/** API key management (`apikey:manage`, admins under the default policy), scoped to the tenant. */
export function registerApiKeyRoutes(
  app: ApiApp,
  deps: RouteDeps & { apiKeys?: ApiKeys; onRevoked?: (keyId: string) => void },
): void {
  const { os } = deps
  const keys = (): ApiKeys => {
    if (!deps.apiKeys) throw apiError('UNAVAILABLE', 'API keys are not enabled on this server')
    return deps.apiKeys
  }
  const manage = (c: { get(key: 'identity'): Identity }) => {
    const identity = c.get('identity')
    authorize(os, identity, 'apikey:manage', 'api-keys', deps.now())
    return identity
  }

  app.openapi(routes.create, async (c) => {
    const identity = manage(c)
    const body = c.req.valid('json')
    const { key, info } = await keys().create(identity.tenant, {
      name: body.name,
      principalId: body.principalId ?? identity.principal.id,
      roles: [...new Set(body.roles)],
      ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
    })
    c.header('location', `/v1/api-keys/${info.id}`)
    c.header('cache-control', 'no-store')
    return c.json({ apiKey: wire<ApiKey>(info), key }, 201)
  })

  app.openapi(routes.list, async (c) => {
    const identity = manage(c)
    return c.json({ apiKeys: wire<ApiKey[]>(await keys().list(identity.tenant)) }, 200)
  })

  app.openapi(routes.revoke, async (c) => {
    const identity = manage(c)
    const { id } = c.req.valid('param')
    if (!(await keys().revoke(identity.tenant, id)))
      throw apiError('NOT_FOUND', `API key ${id} not found`)
    deps.onRevoked?.(id)
    return c.body(null, 204)
  })
}

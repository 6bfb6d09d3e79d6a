import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, createTestApi, type TestApi, json } from './test-support.js'

let api: TestApi

/** Tenant acme's things: a finished run, a run waiting for approval, a webhook, an API key. */
let ids: { run: string; waiting: string; approval: string; webhook: string; apiKey: string }

beforeAll(async () => {
  // The webhook below points at a local port.
  api = await createTestApi({ config: { api: { webhooks: { allowPrivateNetworks: true } } } })
  const run = await json(
    await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.carol,
      body: { input: 'echo secret' },
    }),
  )
  const waiting = await json(
    await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.ann,
      body: { skill: 'finance/pay-invoice', params: { invoice: 1 } },
    }),
  )
  const hook = await json(
    await call(api.app, 'POST', '/v1/webhooks', {
      key: api.keys.carol,
      body: { url: 'http://127.0.0.1:9/hook', events: ['run.completed'] },
    }),
  )
  const apiKey = await json(
    await call(api.app, 'POST', '/v1/api-keys', {
      key: api.keys.carol,
      body: { name: 'acme-ci', roles: ['analyst'] },
    }),
  )
  ids = {
    run: run.runId,
    waiting: waiting.runId,
    approval: waiting.approval.id,
    webhook: hook.webhook.id,
    apiKey: apiKey.apiKey.id,
  }
})
afterAll(async () => {
  await api?.close()
})

/** Every route of the OpenAPI document, with what tenant globex's admin does to acme's things. */
function cases(): Record<
  string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies in assertions
  { method: string; path: string; body?: unknown; expectList?: (body: any) => void }[]
> {
  return {
    'post /v1/runs': [],
    'get /v1/runs/{id}': [{ method: 'GET', path: `/v1/runs/${ids.run}` }],
    'get /v1/runs/{id}/events': [
      { method: 'GET', path: `/v1/runs/${ids.run}/events` },
      { method: 'GET', path: `/v1/runs/${ids.waiting}/events?after=0` },
    ],
    'post /v1/runs/{id}/cancel': [{ method: 'POST', path: `/v1/runs/${ids.waiting}/cancel` }],
    'post /v1/runs/{id}/answer': [
      { method: 'POST', path: `/v1/runs/${ids.waiting}/answer`, body: { answer: 'x' } },
    ],
    'get /v1/approvals': [
      {
        method: 'GET',
        path: '/v1/approvals',
        expectList: (body) => expect(body.approvals).toEqual([]),
      },
    ],
    'post /v1/approvals/{id}/approve': [
      { method: 'POST', path: `/v1/approvals/${ids.approval}/approve`, body: {} },
    ],
    'post /v1/approvals/{id}/reject': [
      { method: 'POST', path: `/v1/approvals/${ids.approval}/reject`, body: {} },
    ],
    'get /v1/skills': [],
    'get /v1/skills/search': [],
    'get /v1/skills/{namespace}/{name}': [],
    'post /v1/route': [],
    'get /v1/budgets': [],
    // The tenant comes from the credential: globex reads and replaces only its own limits.
    'get /v1/budgets/limits': [
      {
        method: 'GET',
        path: '/v1/budgets/limits',
        expectList: (body) => expect(body).toMatchObject({ tenant: 'globex', limits: [] }),
      },
    ],
    'put /v1/budgets/limits': [],
    'post /v1/webhooks': [],
    'get /v1/webhooks': [
      {
        method: 'GET',
        path: '/v1/webhooks',
        expectList: (body) => expect(body.webhooks).toEqual([]),
      },
    ],
    'get /v1/webhooks/{id}': [{ method: 'GET', path: `/v1/webhooks/${ids.webhook}` }],
    'delete /v1/webhooks/{id}': [{ method: 'DELETE', path: `/v1/webhooks/${ids.webhook}` }],
    'post /v1/webhooks/{id}/enable': [
      { method: 'POST', path: `/v1/webhooks/${ids.webhook}/enable` },
    ],
    'get /v1/webhooks/{id}/deliveries': [
      { method: 'GET', path: `/v1/webhooks/${ids.webhook}/deliveries` },
    ],
    // A key is minted in the caller's own tenant only; globex lists only its own keys.
    'post /v1/api-keys': [],
    'get /v1/api-keys': [
      {
        method: 'GET',
        path: '/v1/api-keys',
        expectList: (body) => {
          expect(body.apiKeys.map((k: { principalId: string }) => k.principalId)).toEqual(['gus'])
          expect(JSON.stringify(body)).not.toContain(ids.apiKey)
        },
      },
    ],
    'delete /v1/api-keys/{id}': [{ method: 'DELETE', path: `/v1/api-keys/${ids.apiKey}` }],
    'get /healthz': [],
    'get /readyz': [],
  }
}

describe('tenant isolation', () => {
  it('has a case for every route of the OpenAPI document', async () => {
    const doc = await json(await call(api.app, 'GET', '/openapi.json'))
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`),
    )
    expect(routes.sort()).toEqual(Object.keys(cases()).sort())
  })

  it("never lets a principal of tenant globex read or change tenant acme's things (404)", async () => {
    for (const [route, list] of Object.entries(cases())) {
      for (const c of list) {
        const response = await call(api.app, c.method, c.path, {
          key: api.keys.gus,
          ...(c.body !== undefined ? { body: c.body } : {}),
        })
        const body = await json(response)
        if (c.expectList) {
          expect(response.status, route).toBe(200)
          c.expectList(body)
        } else {
          expect(response.status, `${route} ${c.path}`).toBe(404)
          expect(body.code, route).toBe('NOT_FOUND')
          expect(JSON.stringify(body), route).not.toContain('secret')
        }
      }
    }
  })

  it("leaves acme's things unchanged after globex tried", async () => {
    const run = await json(
      await call(api.app, 'GET', `/v1/runs/${ids.waiting}`, { key: api.keys.ann }),
    )
    expect(run.status).toBe('awaiting_approval')
    const hook = await call(api.app, 'GET', `/v1/webhooks/${ids.webhook}`, { key: api.keys.carol })
    expect(hook.status).toBe(200)
    const pending = await json(await call(api.app, 'GET', '/v1/approvals', { key: api.keys.bob }))
    expect(pending.approvals.map((a: { id: string }) => a.id)).toContain(ids.approval)
    const keys = await json(await call(api.app, 'GET', '/v1/api-keys', { key: api.keys.carol }))
    const key = keys.apiKeys.find((k: { id: string }) => k.id === ids.apiKey)
    expect(key.name).toBe('acme-ci')
    expect(key.revokedAt).toBeUndefined()
  })

  it('does not find a run of acme through a same-named id in globex, even for an admin', async () => {
    const mine = await json(
      await call(api.app, 'POST', '/v1/runs', { key: api.keys.gus, body: { input: 'echo mine' } }),
    )
    expect(
      (await call(api.app, 'GET', `/v1/runs/${mine.runId}`, { key: api.keys.carol })).status,
    ).toBe(404)
    expect(
      (await call(api.app, 'GET', `/v1/runs/${mine.runId}`, { key: api.keys.gus })).status,
    ).toBe(200)
  })
})

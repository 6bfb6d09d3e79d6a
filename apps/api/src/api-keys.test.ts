import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, createTestApi, type TestApi, json } from './test-support.js'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(async () => {
  await api?.close()
})

describe('API keys over HTTP', () => {
  it('lets an admin mint a key shown once; the key works with the roles it was given', async () => {
    const created = await call(api.app, 'POST', '/v1/api-keys', {
      key: api.keys.carol,
      body: { name: 'ci-deploy', roles: ['approver'], principalId: 'ci-bot' },
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    const { apiKey, key } = await json(created)
    expect(key).toMatch(/^sk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/)
    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true)
    expect(apiKey).toMatchObject({
      id: apiKey.prefix.slice(3),
      name: 'ci-deploy',
      principalId: 'ci-bot',
      roles: ['approver'],
    })
    expect(created.headers.get('location')).toBe(`/v1/api-keys/${apiKey.id}`)
    // It authenticates as ci-bot of acme, an approver: it may list approvals.
    expect((await call(api.app, 'GET', '/v1/approvals', { key })).status).toBe(200)
    const verified = await api.apiKeys.verify(key)
    expect(verified).toMatchObject({ tenant: 'acme', principal: { id: 'ci-bot' } })

    // Listed without the secret (or its hash), ever again.
    const listed = await json(await call(api.app, 'GET', '/v1/api-keys', { key: api.keys.carol }))
    const shown = listed.apiKeys.find((k: { id: string }) => k.id === apiKey.id)
    expect(shown).toEqual(apiKey)
    expect(JSON.stringify(listed)).not.toContain(key.slice(apiKey.prefix.length + 1))
    expect(JSON.stringify(listed)).not.toMatch(/secret|hash/i)
  })

  it('acts as the caller when no principal is named, and honours an expiry', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString()
    const created = await json(
      await call(api.app, 'POST', '/v1/api-keys', {
        key: api.keys.carol,
        body: { name: 'short-lived', expiresAt },
      }),
    )
    expect(created.apiKey).toMatchObject({ principalId: 'carol', roles: [], expiresAt })
  })

  it('refuses principals without apikey:manage (403)', async () => {
    for (const key of [api.keys.ann, api.keys.bob]) {
      for (const [method, path, body] of [
        ['POST', '/v1/api-keys', { name: 'mine', roles: ['admin'] }],
        ['GET', '/v1/api-keys', undefined],
        ['DELETE', '/v1/api-keys/0123456789abcdef', undefined],
      ] as const) {
        const response = await call(api.app, method, path, {
          key,
          ...(body ? { body } : {}),
        })
        expect(response.status, `${method} ${path}`).toBe(403)
        expect((await json(response)).code).toBe('POLICY_DENIED')
      }
    }
  })

  it('names the field of a bad body', async () => {
    const cases: [unknown, string][] = [
      [{ roles: [] }, 'json.name'],
      [{ name: '   ' }, 'json.name'],
      [{ name: 'x', roles: [''] }, 'json.roles.0'],
      [{ name: 'x', expiresAt: 'tomorrow' }, 'json.expiresAt'],
      [{ name: 'x', tenant: 'globex' }, 'json'],
    ]
    for (const [body, path] of cases) {
      const response = await call(api.app, 'POST', '/v1/api-keys', { key: api.keys.carol, body })
      expect(response.status, JSON.stringify(body)).toBe(400)
      const problem = await json(response)
      expect(problem.code).toBe('VALIDATION_FAILED')
      expect(problem.issues[0].path, JSON.stringify(body)).toBe(path)
    }
    const past = await call(api.app, 'POST', '/v1/api-keys', {
      key: api.keys.carol,
      body: { name: 'late', expiresAt: '2020-01-01T00:00:00Z' },
    })
    expect(past.status).toBe(400)
    expect((await json(past)).issues[0].path).toBe('expiresAt')
  })

  it('revokes a key: refused at once on this instance, 404 for an unknown key', async () => {
    const { apiKey, key } = await json(
      await call(api.app, 'POST', '/v1/api-keys', {
        key: api.keys.carol,
        body: { name: 'to-revoke', roles: ['analyst'] },
      }),
    )
    // Used once, so the authenticator has it cached.
    expect((await call(api.app, 'GET', '/v1/skills', { key })).status).toBe(200)
    const revoked = await call(api.app, 'DELETE', `/v1/api-keys/${apiKey.id}`, {
      key: api.keys.carol,
    })
    expect(revoked.status).toBe(204)
    const refused = await call(api.app, 'GET', '/v1/skills', { key })
    expect(refused.status).toBe(401)
    const listed = await json(await call(api.app, 'GET', '/v1/api-keys', { key: api.keys.carol }))
    expect(listed.apiKeys.find((k: { id: string }) => k.id === apiKey.id).revokedAt).toEqual(
      expect.any(String),
    )
    const unknown = await call(api.app, 'DELETE', '/v1/api-keys/0123456789abcdef', {
      key: api.keys.carol,
    })
    expect(unknown.status).toBe(404)
    expect((await json(unknown)).code).toBe('NOT_FOUND')
  })
})

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SkillOSError, ValidationError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { computeIntegrity } from '../pack/integrity.js'
import { createRegistryClient, normaliseRegistryUrl } from './registry-client.js'

const TOKEN = 'skr_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

/** A fetch that records the request and answers with `respond`. */
function fakeFetch(respond: (url: URL, init: RequestInit) => Response) {
  const calls: { url: string; method: string; headers: Headers; body?: unknown }[] = []
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input.toString())
    calls.push({
      url: url.toString(),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: init.body,
    })
    return respond(url, init)
  }) as typeof globalThis.fetch
  return { fetch, calls }
}

const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ type: 'about:blank', status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  })

async function caught(promise: Promise<unknown>): Promise<SkillOSError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(SkillOSError.is(error), `expected a SkillOSError, got ${String(error)}`).toBe(true)
  return error as SkillOSError
}

describe('createRegistryClient errors', () => {
  it("turns problem+json into a SkillOSError with the server's code and detail", async () => {
    const { fetch } = fakeFetch(() =>
      problem(409, {
        title: 'conflict',
        code: 'CONFLICT',
        detail: 'acme/convert@1.0.0 was already published; versions are immutable',
      }),
    )
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    const error = await caught(
      client.publish({
        id: 'acme/convert',
        version: '1.0.0',
        tarball: new Uint8Array([1]),
        integrity: 'sha512-AA==',
      }),
    )
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toBe('acme/convert@1.0.0 was already published; versions are immutable')
    expect(error.details).toMatchObject({
      status: 409,
      method: 'PUT',
      url: 'http://r.test/acme/convert/-/1.0.0',
    })
    expect(JSON.stringify(error.details)).not.toContain(TOKEN)
  })

  it('keeps the issues of a VALIDATION_FAILED problem as a ValidationError', async () => {
    const { fetch } = fakeFetch(() =>
      problem(400, {
        title: 'validation failed',
        code: 'VALIDATION_FAILED',
        detail: 'Invalid token request',
        issues: [{ path: 'role', message: 'must be read, publish or admin' }],
      }),
    )
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    const error = await caught(client.createToken({ name: 'ci', role: 'publish' }))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([
      { path: 'role', message: 'must be read, publish or admin' },
    ])
  })

  it('maps a status without problem+json to a code, quoting the start of the body', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }))
    const error = await caught(createRegistryClient({ url: 'http://r.test', fetch }).whoami())
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.message).toBe(
      'The registry answered GET http://r.test/-/whoami with HTTP 502: <html>Bad gateway</html>',
    )
    const { fetch: notFound } = fakeFetch(() => new Response('nope', { status: 404 }))
    expect(
      (
        await caught(
          createRegistryClient({ url: 'http://r.test', fetch: notFound }).packument('a/b'),
        )
      ).code,
    ).toBe('NOT_FOUND')
  })

  it('names the URL when the registry cannot be reached', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise<void>((resolve) => server.close(() => resolve()))

    const client = createRegistryClient({ url: `http://127.0.0.1:${port}/reg/` })
    const error = await caught(client.packument('acme/convert'))
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toBe(
      `Cannot reach the registry at http://127.0.0.1:${port}/reg (ECONNREFUSED); check the URL (--registry, registry.url or SKILLOS_REGISTRY_URL) and that the registry is running`,
    )
    expect(error.details).toMatchObject({
      url: `http://127.0.0.1:${port}/reg`,
      service: 'registry',
    })
  })

  it('gives up with TIMEOUT when the registry does not answer in time', async () => {
    const server = createServer(() => undefined) // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const client = createRegistryClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 100 })
      const error = await caught(client.whoami())
      expect(error.code).toBe('TIMEOUT')
      expect(error.message).toContain(`The registry at http://127.0.0.1:${port} did not answer`)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('reports a body of the wrong shape as UPSTREAM_FAILED naming the field', async () => {
    const { fetch } = fakeFetch(() => Response.json({ user: 'alice' }))
    const error = await caught(createRegistryClient({ url: 'http://r.test', fetch }).whoami())
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.message).toContain('answered GET /-/whoami with an unexpected body (role:')
  })
})

describe('createRegistryClient requests', () => {
  it('sends the token to its own registry only, never to another origin', async () => {
    const bytes = new TextEncoder().encode('tarball')
    const { fetch, calls } = fakeFetch(() => new Response(bytes))
    const client = createRegistryClient({ url: 'http://r.test/base/', token: TOKEN, fetch })
    await client.downloadTarball('http://r.test/base/acme/convert/-/convert-1.0.0.tgz')
    await client.downloadTarball('http://cdn.test/acme/convert-1.0.0.tgz')
    await client.downloadTarball('http://r.test/elsewhere/convert-1.0.0.tgz')
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual([
      `Bearer ${TOKEN}`,
      null,
      null,
    ])
  })

  it('publishes the raw tarball with integrity and signature headers and the tag', async () => {
    const { fetch, calls } = fakeFetch(() =>
      Response.json(
        {
          id: 'acme/convert',
          version: '1.0.0',
          integrity: 'sha512-AA==',
          distTags: { latest: '0.9.0', beta: '1.0.0' },
        },
        { status: 201 },
      ),
    )
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    const result = await client.publish({
      id: 'acme/convert',
      version: '1.0.0',
      tarball: new Uint8Array([31, 139]),
      integrity: 'sha512-AA==',
      signature: { keyId: 'ed25519:0011223344556677', algorithm: 'ed25519', value: 'c2ln' },
      tag: 'beta',
    })
    expect(result.distTags).toEqual({ latest: '0.9.0', beta: '1.0.0' })
    const [call] = calls
    expect(call?.method).toBe('PUT')
    expect(call?.url).toBe('http://r.test/acme/convert/-/1.0.0?tag=beta')
    expect(call?.headers.get('content-type')).toBe('application/gzip')
    expect(call?.headers.get('skillos-integrity')).toBe('sha512-AA==')
    expect(call?.headers.get('skillos-signature')).toBe('ed25519:0011223344556677 c2ln')
    expect(call?.body).toEqual(new Uint8Array([31, 139]))
  })

  it('checks a download against its integrity and refuses one over the size limit', async () => {
    const bytes = new TextEncoder().encode('the real bytes')
    const { fetch } = fakeFetch(() => new Response(bytes))
    const client = createRegistryClient({ url: 'http://r.test', fetch })
    const url = 'http://r.test/acme/convert/-/convert-1.0.0.tgz'
    expect(await client.downloadTarball(url, { integrity: computeIntegrity(bytes) })).toEqual(bytes)
    const tampered = await caught(
      client.downloadTarball(url, { integrity: computeIntegrity(new Uint8Array([1])) }),
    )
    expect(tampered.code).toBe('INTEGRITY_FAILED')
    expect(tampered.message).toContain(`The tarball downloaded from ${url} is not the one expected`)
    const tooLarge = await caught(client.downloadTarball(url, { maxBytes: 4 }))
    expect(tooLarge.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('builds search queries and reads the results', async () => {
    const { fetch, calls } = fakeFetch(() =>
      Response.json({
        total: 1,
        results: [
          {
            id: 'acme/convert',
            version: '1.0.0',
            description: 'Convert currency',
            tags: ['finance'],
            quality: 0.8,
            score: 1.5,
            why: ['matched "currency" in the description'],
          },
        ],
      }),
    )
    const client = createRegistryClient({ url: 'http://r.test', fetch })
    const found = await client.search({ q: 'convert money', tag: 'finance', limit: 5 })
    expect(calls[0]?.url).toBe('http://r.test/-/search?q=convert+money&tag=finance&limit=5')
    expect(found.results[0]).toMatchObject({ id: 'acme/convert', why: [expect.any(String)] })
  })

  it('normalises registry URLs and refuses other schemes', () => {
    expect(normaliseRegistryUrl('http://r.test/base///')).toBe('http://r.test/base')
    expect(normaliseRegistryUrl('https://r.test')).toBe('https://r.test')
    expect(() => normaliseRegistryUrl('ftp://r.test')).toThrow('Invalid registry URL')
    expect(() => normaliseRegistryUrl('https://ann:hunter2@r.test')).toThrow(
      'Invalid registry URL "https://ann:***@r.test/"',
    )
  })
})

describe('createRegistryClient management', () => {
  /** A fetch answering by `METHOD path`, recording each request's body as parsed JSON. */
  function routes(table: Record<string, (body: unknown) => Response>) {
    return fakeFetch((url, init) => {
      const key = `${init.method ?? 'GET'} ${url.pathname}`
      const answer = table[key]
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined
      return answer ? answer(body) : problem(404, { code: 'NOT_FOUND', detail: `no ${key}` })
    })
  }
  const jsonBodies = (calls: { body?: unknown }[]) =>
    calls.map((call) => (typeof call.body === 'string' ? JSON.parse(call.body) : call.body))

  it('deprecates a range and reads back the versions changed; an empty message undeprecates', async () => {
    const { fetch, calls } = routes({
      'POST /acme/convert/-/deprecate': (body) =>
        Response.json({
          versions: (body as { message: string }).message ? ['1.0.0', '1.1.0'] : ['1.0.0'],
        }),
    })
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    expect(
      await client.deprecate('acme/convert', { range: '<2', message: 'use acme/convert-v2' }),
    ).toEqual({ versions: ['1.0.0', '1.1.0'] })
    expect(await client.deprecate('acme/convert', { range: '1.0.0', message: '' })).toEqual({
      versions: ['1.0.0'],
    })
    expect(calls.map((c) => [c.method, c.headers.get('content-type')])).toEqual([
      ['POST', 'application/json'],
      ['POST', 'application/json'],
    ])
    expect(jsonBodies(calls)).toEqual([
      { range: '<2', message: 'use acme/convert-v2' },
      { range: '1.0.0', message: '' },
    ])
  })

  it('sets and removes dist-tags, answering the tags after each change', async () => {
    const { fetch, calls } = routes({
      'PUT /acme/convert/-/dist-tags/beta': () => Response.json({ latest: '1.0.0', beta: '1.1.0' }),
      'DELETE /acme/convert/-/dist-tags/beta': () => Response.json({ latest: '1.0.0' }),
      'DELETE /acme/convert/-/dist-tags/latest': () =>
        problem(400, {
          code: 'VALIDATION_FAILED',
          detail: 'tag: latest cannot be removed; point it elsewhere',
          issues: [{ path: 'tag', message: 'latest cannot be removed; point it elsewhere' }],
        }),
    })
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    expect(await client.setDistTag('acme/convert', 'beta', '1.1.0')).toEqual({
      latest: '1.0.0',
      beta: '1.1.0',
    })
    expect(jsonBodies(calls)).toEqual([{ version: '1.1.0' }])
    expect(await client.removeDistTag('acme/convert', 'beta')).toEqual({ latest: '1.0.0' })
    const refused = await caught(client.removeDistTag('acme/convert', 'latest'))
    expect(refused).toBeInstanceOf(ValidationError)
    expect(refused.message).toBe('tag: latest cannot be removed; point it elsewhere')
  })

  it("unpublishes a version, and keeps the registry's refusal with the dependents it names", async () => {
    const { fetch, calls } = routes({
      'DELETE /acme/convert/-/1.0.0': () => new Response(null, { status: 204 }),
      'DELETE /acme/convert/-/0.9.0': () =>
        problem(409, {
          code: 'CONFLICT',
          detail:
            'acme/convert@0.9.0 was published more than 72 h ago and acme/report@2.0.0 depends on it; deprecate it instead',
          details: { dependents: ['acme/report@2.0.0'] },
        }),
    })
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    await expect(client.unpublish('acme/convert', '1.0.0')).resolves.toBeUndefined()
    expect(calls[0]).toMatchObject({ method: 'DELETE', url: 'http://r.test/acme/convert/-/1.0.0' })
    const refused = await caught(client.unpublish('acme/convert', '0.9.0'))
    expect(refused.code).toBe('CONFLICT')
    expect(refused.message).toContain('more than 72 h ago and acme/report@2.0.0 depends on it')
    expect(refused.details).toMatchObject({ status: 409, dependents: ['acme/report@2.0.0'] })
  })

  it('creates, lists and revokes tokens; the secret comes only from create', async () => {
    const info = {
      id: 'tok-1',
      name: 'ci',
      role: 'read',
      user: 'alice',
      createdAt: '2026-01-01T00:00:00.000Z',
    }
    const { fetch, calls } = routes({
      'POST /-/tokens': () => Response.json({ ...info, token: TOKEN }, { status: 201 }),
      'GET /-/tokens': () => Response.json([info]),
      'DELETE /-/tokens/tok-1': () => new Response(null, { status: 204 }),
    })
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    expect(await client.createToken({ name: 'ci', role: 'read' })).toEqual({
      ...info,
      token: TOKEN,
    })
    expect(await client.listTokens()).toEqual([info])
    await client.revokeToken('tok-1')
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST http://r.test/-/tokens',
      'GET http://r.test/-/tokens',
      'DELETE http://r.test/-/tokens/tok-1',
    ])
    expect(jsonBodies(calls)[0]).toEqual({ name: 'ci', role: 'read' })
  })

  it('adds and removes scope members, answering the members after each change', async () => {
    const scope = (members: { user: string; role: string }[]) => ({
      scope: 'acme',
      visibility: 'public',
      requireSignatures: false,
      trustedKeys: [],
      mirrored: false,
      members,
    })
    const { fetch, calls } = routes({
      'GET /-/scopes/acme': () => Response.json(scope([{ user: 'alice', role: 'owner' }])),
      'PUT /-/scopes/acme/members/bob': () =>
        Response.json(
          scope([
            { user: 'alice', role: 'owner' },
            { user: 'bob', role: 'publisher' },
          ]),
        ),
      'DELETE /-/scopes/acme/members/bob': () =>
        Response.json(scope([{ user: 'alice', role: 'owner' }])),
    })
    const client = createRegistryClient({ url: 'http://r.test', token: TOKEN, fetch })
    expect((await client.scope('acme')).members).toEqual([{ user: 'alice', role: 'owner' }])
    expect((await client.setMember('acme', 'bob', 'publisher')).members).toEqual([
      { user: 'alice', role: 'owner' },
      { user: 'bob', role: 'publisher' },
    ])
    expect(jsonBodies(calls)[1]).toEqual({ role: 'publisher' })
    expect((await client.removeMember('acme', 'bob')).members).toEqual([
      { user: 'alice', role: 'owner' },
    ])
  })
})

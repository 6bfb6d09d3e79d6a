import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolveConfig } from '@skillos/contracts'
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiApp, type ApiApp } from './app.js'
import { createAuthenticator } from './auth.js'
import { createTestApi, type TestApi } from './test-support.js'

const ISSUER = 'https://idp.example.com/'
const AUDIENCE = 'skillos-api'
let api: TestApi
let app: ApiApp
let privateKey: CryptoKey
let publicPem: string
let otherKey: CryptoKey

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

async function token(
  claims: Record<string, unknown> = {},
  options: {
    kid?: string
    key?: CryptoKey
    exp?: string | number
    nbf?: number
    iss?: string
    aud?: string
  } = {},
): Promise<string> {
  const jwt = new SignJWT({ tenant: 'acme', roles: ['analyst'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setSubject('ann')
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf)
  return jwt.sign(options.key ?? privateKey)
}

const status = async (bearer: string) =>
  (await app.request('/v1/skills', { headers: { authorization: `Bearer ${bearer}` } })).status

beforeAll(async () => {
  api = await createTestApi()
  const pair = await generateKeyPair('RS256', { extractable: true })
  privateKey = pair.privateKey
  publicPem = await exportSPKI(pair.publicKey)
  otherKey = (await generateKeyPair('RS256')).privateKey
  const config = resolveConfig({
    file: {
      path: '(test)',
      data: {
        api: {
          jwt: {
            issuer: ISSUER,
            audience: AUDIENCE,
            algorithms: ['RS256'],
            keys: [{ kid: 'k1', alg: 'RS256', key: publicPem }],
          },
        },
      },
    },
  })
  ;({ app } = await createApiApp({ os: api.os, config: config.api, apiKeys: api.apiKeys }))
})
afterAll(async () => {
  await api?.close()
})

describe('JWT authentication', () => {
  it('accepts a valid token and takes tenant, principal and roles from it', async () => {
    const response = await app.request('/v1/runs', {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'echo from a jwt' }),
    })
    expect(response.status).toBe(200)
    const run = (await response.json()) as { runId: string }
    expect((await api.os.getRun('acme', run.runId))?.status).toBe('succeeded')
    expect((await api.os.runs.get('acme', run.runId))?.principalId).toBe('ann')
  })
})

describe('JWT attack suite: every forgery is 401', () => {
  it('alg none', async () => {
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'ann', tenant: 'acme', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 })}.`
    expect(await status(forged)).toBe(401)
  })

  it('HS256 signed with the public key as the secret', async () => {
    const forged = await new SignJWT({ tenant: 'acme' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('ann')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(publicPem))
    expect(await status(forged)).toBe(401)
  })

  it('expired', async () => {
    expect(await status(await token({}, { exp: Math.floor(Date.now() / 1000) - 3600 }))).toBe(401)
  })

  it('not yet valid', async () => {
    expect(await status(await token({}, { nbf: Math.floor(Date.now() / 1000) + 3600 }))).toBe(401)
  })

  it('wrong issuer', async () => {
    expect(await status(await token({}, { iss: 'https://evil.example.com/' }))).toBe(401)
  })

  it('wrong audience', async () => {
    expect(await status(await token({}, { aud: 'another-api' }))).toBe(401)
  })

  it('unknown kid', async () => {
    expect(await status(await token({}, { kid: 'k2' }))).toBe(401)
  })

  it('signed by another key under the known kid', async () => {
    expect(await status(await token({}, { key: otherKey }))).toBe(401)
  })

  it('tampered payload (tenant switched, signature kept)', async () => {
    const [header, payload, signature] = (await token()).split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const tampered = `${header}.${b64({ ...claims, tenant: 'globex' })}.${signature}`
    expect(await status(tampered)).toBe(401)
  })

  it('oversized token', async () => {
    expect(await status(await token({ padding: 'x'.repeat(10_000) }))).toBe(401)
  })

  it('no tenant claim, or one that is not a tenant slug', async () => {
    expect(await status(await token({ tenant: undefined }))).toBe(401)
    expect(await status(await token({ tenant: '../acme' }))).toBe(401)
  })

  it('garbage and wrong schemes', async () => {
    for (const header of [
      'Bearer',
      'Bearer a.b.c',
      'Basic YWxhZGRpbjpvcGVu',
      'Bearer ' + 'x'.repeat(9000),
    ]) {
      const response = await app.request('/v1/skills', { headers: { authorization: header } })
      expect(response.status, header.slice(0, 20)).toBe(401)
      const body = (await response.json()) as { detail?: string }
      expect(body.detail ?? '').not.toContain('BEGIN PUBLIC KEY')
    }
  })
})

describe('JWKS URL', () => {
  let server: Server
  let fetches = 0
  let url: string

  beforeAll(async () => {
    const jwk = {
      ...(await exportJWK((await import('node:crypto')).createPublicKey(publicPem))),
      kid: 'k1',
      alg: 'RS256',
      use: 'sig',
    }
    server = createServer((_req, res) => {
      fetches += 1
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('verifies with keys fetched from the JWKS URL, and caches them', async () => {
    const auth = await createAuthenticator({
      jwt: resolveConfig({
        file: {
          path: '(test)',
          data: {
            api: {
              jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], jwksUrl: url },
            },
          },
        },
      }).api.jwt,
    })
    expect(auth.jwtEnabled).toBe(true)
    const identity = await auth.authenticate(`Bearer ${await token()}`)
    expect(identity).toEqual({
      tenant: 'acme',
      principal: { id: 'ann', roles: ['analyst'], attributes: {} },
      via: 'jwt',
    })
    await auth.authenticate(`Bearer ${await token({ roles: ['approver'] })}`)
    expect(fetches).toBe(1)
    await expect(
      auth.authenticate(`Bearer ${await token({}, { kid: 'k9' })}`),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })
})

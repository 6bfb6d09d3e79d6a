import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSigningKeys, keyIdOf, type PackedSkill } from '@skillos/registry'
import { registryEvents } from '@skillos/store'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistryApp, type RegistryApp, type RegistryAppOptions } from './app.js'
import { craftTarball, manifestEntry, packTestSkill } from './fixtures.test-data.js'

/** How a suite gets its stores: embedded (PGlite) or PostgreSQL + Redis. */
export interface RegistryBackend {
  name: string
  open(): Promise<{ options: RegistryAppOptions; cleanup(): Promise<void> }>
}

interface Problem {
  status: number
  code: string
  detail?: string
  issues?: { path: string; message: string }[]
}

/**
 * The registry's HTTP behaviour, run in-process (`app.request`) against each backend: the same
 * suite on PGlite and on PostgreSQL + Redis.
 */
export function describeRegistry(backend: RegistryBackend): void {
  describe(`registry over HTTP (${backend.name})`, () => {
    let registry: RegistryApp
    let cleanup: () => Promise<void>
    let blobDir: string
    let admin: string
    let alice: string
    let bob: string
    let aliceRead: string

    beforeAll(async () => {
      blobDir = await mkdtemp(join(tmpdir(), 'skillos-registry-blobs-'))
      const opened = await backend.open()
      cleanup = opened.cleanup
      registry = await createRegistryApp({
        ...opened.options,
        storagePath: blobDir,
        maxTarballBytes: 64 * 1024,
        logLevel: 'silent',
      })
      admin = (await registry.createToken({ user: 'admin', role: 'admin' })).token
      alice = (await registry.createToken({ user: 'alice', role: 'publish' })).token
      bob = (await registry.createToken({ user: 'bob', role: 'publish' })).token
      aliceRead = (await registry.createToken({ user: 'alice', role: 'read' })).token
    })

    afterAll(async () => {
      await registry?.close()
      await cleanup?.()
      await rm(blobDir, { recursive: true, force: true })
    })

    const auth = (token?: string): Record<string, string> =>
      token ? { authorization: `Bearer ${token}` } : {}

    function request(path: string, init: RequestInit & { token?: string } = {}) {
      const { token, headers, ...rest } = init
      return registry.app.request(path, {
        ...rest,
        headers: { ...auth(token), ...(headers as Record<string, string>) },
      })
    }

    async function json<T>(path: string, init: RequestInit & { token?: string } = {}) {
      const response = await request(path, init)
      return { response, body: (await response.json()) as T }
    }

    function publishRaw(
      id: string,
      version: string,
      tarball: Uint8Array,
      integrity: string,
      options: { token?: string; signature?: string; tag?: string } = {},
    ) {
      const [scope, name] = id.split('/')
      return request(`/${scope}/${name}/-/${version}${options.tag ? `?tag=${options.tag}` : ''}`, {
        method: 'PUT',
        token: options.token ?? alice,
        body: tarball as Uint8Array<ArrayBuffer>,
        headers: {
          'content-type': 'application/gzip',
          'skillos-integrity': integrity,
          ...(options.signature ? { 'skillos-signature': options.signature } : {}),
        },
      })
    }

    function publish(
      packed: PackedSkill,
      options: { token?: string; signature?: string; tag?: string } = {},
    ) {
      const manifest = packed.manifest!
      return publishRaw(manifest.id, manifest.version, packed.tarball, packed.integrity, options)
    }

    async function expectProblem(response: Response, status: number, code: string) {
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      const body = (await response.json()) as Problem
      expect({ status: response.status, code: body.code }).toEqual({ status, code })
      expect(body.status).toBe(status)
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/)
      return body
    }

    it('answers ping, health, readiness and serves its OpenAPI document and docs page', async () => {
      expect(await (await request('/-/ping')).json()).toEqual({ ok: true })
      expect((await request('/healthz')).status).toBe(200)
      expect(await (await request('/readyz')).json()).toEqual({ ok: true })
      const { body: document } = await json<{ openapi: string; paths: Record<string, object> }>(
        '/-/openapi.json',
      )
      expect(document.openapi).toBe('3.1.0')
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/{scope}/{name}/-/{version}',
          '/{scope}/{name}',
          '/-/search',
          '/-/tokens',
        ]),
      )
      expect(Object.keys(document.paths['/{scope}/{name}/-/{version}']!)).toEqual(
        expect.arrayContaining(['put', 'delete']),
      )
      const docs = await request('/-/docs')
      expect(docs.headers.get('content-type')).toMatch(/text\/html/)
      expect(await docs.text()).toContain('/{scope}/{name}/-/dist-tags/{tag}')
    })

    it('says who the caller is, and refuses missing or malformed tokens with 401', async () => {
      expect((await json('/-/whoami', { token: alice })).body).toEqual({
        user: 'alice',
        role: 'publish',
      })
      await expectProblem(await request('/-/whoami'), 401, 'UNAUTHENTICATED')
      await expectProblem(await request('/-/whoami', { token: 'skr_nope' }), 401, 'UNAUTHENTICATED')
      await expectProblem(
        await request('/-/whoami', { token: `skr_${'A'.repeat(43)}` }),
        401,
        'UNAUTHENTICATED',
      )
    })

    it('publishes, then serves the packument, the version and the tarball with integrity', async () => {
      const packed = await packTestSkill({
        id: 'acme/convert-currency',
        version: '1.0.0',
        description: 'Convert an amount of money between currencies at the current rate',
        tags: ['finance', 'currency'],
        examples: [
          'convert 100 EUR to USD',
          'how much is 50 dollars in yen',
          'exchange rate for GBP',
        ],
        author: 'Alice',
        files: { 'index.test.ts': 'it("works", () => {})\n' },
      })
      const response = await publish(packed)
      expect(response.status).toBe(201)
      expect(await response.json()).toEqual({
        id: 'acme/convert-currency',
        version: '1.0.0',
        integrity: packed.integrity,
        distTags: { latest: '1.0.0' },
      })

      const got = await request('/acme/convert-currency')
      expect(got.status).toBe(200)
      expect(got.headers.get('cache-control')).toBe('public, max-age=60')
      const etag = got.headers.get('etag')!
      expect(etag).toMatch(/^"[\w-]+"$/)
      const packument = (await got.json()) as {
        id: string
        distTags: Record<string, string>
        versions: Record<
          string,
          { integrity: string; tarball: string; publishedBy: string; size: number }
        >
        time: Record<string, string>
      }
      expect(packument.id).toBe('acme/convert-currency')
      expect(packument.distTags).toEqual({ latest: '1.0.0' })
      expect(packument.versions['1.0.0']).toMatchObject({
        integrity: packed.integrity,
        publishedBy: 'alice',
        size: packed.tarball.length,
        tarball: 'http://localhost/acme/convert-currency/-/convert-currency-1.0.0.tgz',
      })
      expect(Object.keys(packument.time)).toEqual(
        expect.arrayContaining(['created', 'modified', '1.0.0']),
      )

      const notModified = await request('/acme/convert-currency', {
        headers: { 'if-none-match': etag },
      })
      expect(notModified.status).toBe(304)
      expect(await notModified.text()).toBe('')

      const one = await json<{ version: string; integrity: string }>('/acme/convert-currency/1.0.0')
      expect(one.body).toMatchObject({ version: '1.0.0', integrity: packed.integrity })

      const tarball = await request('/acme/convert-currency/-/convert-currency-1.0.0.tgz')
      expect(tarball.status).toBe(200)
      expect(tarball.headers.get('content-type')).toBe('application/gzip')
      expect(tarball.headers.get('skillos-integrity')).toBe(packed.integrity)
      expect(tarball.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(Buffer.from(await tarball.arrayBuffer()).equals(Buffer.from(packed.tarball))).toBe(
        true,
      )
      const tarballEtag = tarball.headers.get('etag')!
      expect(
        (
          await request('/acme/convert-currency/-/convert-currency-1.0.0.tgz', {
            headers: { 'if-none-match': tarballEtag },
          })
        ).status,
      ).toBe(304)

      await expectProblem(await request('/acme/convert-currency/2.0.0'), 404, 'NOT_FOUND')
      await expectProblem(await request('/acme/missing'), 404, 'NOT_FOUND')
    })

    it('changes the packument ETag when the skill changes', async () => {
      const before = (await request('/acme/convert-currency')).headers.get('etag')
      expect(
        (await publish(await packTestSkill({ id: 'acme/convert-currency', version: '1.1.0' })))
          .status,
      ).toBe(201)
      const after = await request('/acme/convert-currency', {
        headers: { 'if-none-match': before! },
      })
      expect(after.status).toBe(200)
      expect(after.headers.get('etag')).not.toBe(before)
      expect(((await after.json()) as { distTags: object }).distTags).toEqual({ latest: '1.1.0' })
    })

    it('refuses to publish a version twice (409), also after it was unpublished', async () => {
      const packed = await packTestSkill({ id: 'acme/immutable', version: '1.0.0' })
      expect((await publish(packed)).status).toBe(201)
      const again = await expectProblem(await publish(packed), 409, 'CONFLICT')
      expect(again.detail).toMatch(/already published/)
      // Different bytes, same version: still taken.
      const other = await packTestSkill({
        id: 'acme/immutable',
        version: '1.0.0',
        description: 'Other bytes for the same version number',
      })
      await expectProblem(await publish(other), 409, 'CONFLICT')

      expect(
        (await request('/acme/immutable/-/1.0.0', { method: 'DELETE', token: alice })).status,
      ).toBe(204)
      await expectProblem(await request('/acme/immutable'), 404, 'NOT_FOUND')
      const afterUnpublish = await expectProblem(await publish(packed), 409, 'CONFLICT')
      expect(afterUnpublish.detail).toMatch(/never reused/)
    })

    it('refuses a tampered tarball (integrity mismatch) and stores nothing', async () => {
      const packed = await packTestSkill({ id: 'acme/tampered', version: '1.0.0' })
      const tampered = Uint8Array.from(packed.tarball)
      tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0xff
      const problem = await expectProblem(
        await publishRaw('acme/tampered', '1.0.0', tampered, packed.integrity),
        422,
        'INTEGRITY_FAILED',
      )
      expect(problem.detail).toMatch(/Integrity check failed/)
      await expectProblem(await request('/acme/tampered'), 404, 'NOT_FOUND')
      // Then the genuine bytes publish fine: the failed attempt left nothing behind.
      expect((await publish(packed)).status).toBe(201)
    })

    it('refuses a tarball whose manifest names another skill or version', async () => {
      const packed = await packTestSkill({ id: 'acme/right-name', version: '1.0.0' })
      const problem = await expectProblem(
        await publishRaw('acme/wrong-name', '1.0.0', packed.tarball, packed.integrity),
        400,
        'VALIDATION_FAILED',
      )
      expect(problem.issues?.[0]?.path).toBe('manifest.id')
      const version = await expectProblem(
        await publishRaw('acme/right-name', '2.0.0', packed.tarball, packed.integrity),
        400,
        'VALIDATION_FAILED',
      )
      expect(version.issues?.[0]?.path).toBe('manifest.version')
    })

    it('refuses path traversal and symlink archives', async () => {
      const traversal = craftTarball([
        manifestEntry('acme/crafted', '1.0.0'),
        { name: 'skill/../../etc/evil', content: 'x' },
      ])
      const first = await expectProblem(
        await publishRaw('acme/crafted', '1.0.0', traversal.tarball, traversal.integrity),
        400,
        'VALIDATION_FAILED',
      )
      expect(first.detail).toMatch(/\.\./)
      const link = craftTarball([
        manifestEntry('acme/crafted', '1.0.0'),
        { name: 'skill/passwd', type: '2', linkname: '/etc/passwd' },
      ])
      const second = await expectProblem(
        await publishRaw('acme/crafted', '1.0.0', link.tarball, link.integrity),
        400,
        'VALIDATION_FAILED',
      )
      expect(second.detail).toMatch(/link/i)
      const absolute = craftTarball([
        manifestEntry('acme/crafted', '1.0.0'),
        { name: '/skill/x', content: 'x' },
      ])
      await expectProblem(
        await publishRaw('acme/crafted', '1.0.0', absolute.tarball, absolute.integrity),
        400,
        'VALIDATION_FAILED',
      )
      await expectProblem(await request('/acme/crafted'), 404, 'NOT_FOUND')
    })

    it('refuses an oversize upload with 413', async () => {
      const big = new Uint8Array(65 * 1024)
      const response = await publishRaw('acme/big', '1.0.0', big, 'sha512-' + 'A'.repeat(86) + '==')
      const problem = await expectProblem(response, 413, 'PAYLOAD_TOO_LARGE')
      expect(problem.detail).toMatch(/65536/)
    })

    it('requires a valid signature by a trusted key in a scope that requires signatures', async () => {
      const trusted = generateSigningKeys()
      const stranger = generateSigningKeys()
      const publicKey = trusted.publicKey.export({ type: 'spki', format: 'pem' }).toString()
      const scope = await json<{ requireSignatures: boolean; trustedKeys: string[] }>(
        '/-/scopes/signed',
        {
          method: 'PUT',
          token: alice,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            requireSignatures: true,
            trustedKeys: [{ keyId: keyIdOf(publicKey), publicKey }],
          }),
        },
      )
      expect(scope.response.status).toBe(200)
      expect(scope.body).toMatchObject({ requireSignatures: true, trustedKeys: [trusted.keyId] })

      const unsigned = await packTestSkill({ id: 'signed/tool', version: '1.0.0' })
      const noSignature = await expectProblem(await publish(unsigned), 422, 'INTEGRITY_FAILED')
      expect(noSignature.detail).toMatch(/requires signed/)

      const byStranger = await packTestSkill(
        { id: 'signed/tool', version: '1.0.0' },
        stranger.privateKey,
      )
      const sig = byStranger.signature!
      const wrong = await expectProblem(
        await publish(byStranger, { signature: `${sig.keyId} ${sig.value}` }),
        422,
        'INTEGRITY_FAILED',
      )
      expect(wrong.detail).toMatch(/not trusted/)

      // A trusted key id with a signature over other bytes.
      const good = await packTestSkill({ id: 'signed/tool', version: '1.0.0' }, trusted.privateKey)
      const forged = await expectProblem(
        await publish(good, { signature: `${good.signature!.keyId} ${sig.value}` }),
        422,
        'INTEGRITY_FAILED',
      )
      expect(forged.detail).toMatch(/does not match/)

      const ok = await publish(good, {
        signature: `${good.signature!.keyId} ${good.signature!.value}`,
      })
      expect(ok.status).toBe(201)
      const version = await json<{ signature: { keyId: string } }>('/signed/tool/1.0.0')
      expect(version.body.signature.keyId).toBe(trusted.keyId)
    })

    it('hides a private scope from non-members: 404 everywhere and absent from search', async () => {
      const created = await request('/-/scopes/secret', {
        method: 'PUT',
        token: alice,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visibility: 'private' }),
      })
      expect(created.status).toBe(200)
      const packed = await packTestSkill({
        id: 'secret/payroll-export',
        version: '1.0.0',
        description: 'Export the payroll ledger to the accounting system',
        examples: ['export payroll'],
      })
      expect((await publish(packed)).status).toBe(201)

      for (const token of [undefined, bob]) {
        await expectProblem(await request('/secret/payroll-export', { token }), 404, 'NOT_FOUND')
        await expectProblem(
          await request('/secret/payroll-export/1.0.0', { token }),
          404,
          'NOT_FOUND',
        )
        await expectProblem(
          await request('/secret/payroll-export/-/payroll-export-1.0.0.tgz', { token }),
          404,
          'NOT_FOUND',
        )
        await expectProblem(await request('/-/scopes/secret', { token }), 404, 'NOT_FOUND')
        const search = await json<{ results: { id: string }[] }>('/-/search?q=payroll%20export', {
          token,
        })
        expect(search.body.results.map((r) => r.id)).not.toContain('secret/payroll-export')
      }
      // Bob cannot publish into it either, and learns nothing: 404.
      const intrusion = await packTestSkill({ id: 'secret/other', version: '1.0.0' })
      await expectProblem(await publish(intrusion, { token: bob }), 404, 'NOT_FOUND')

      // Alice (owner) sees it; a reader added by her does too.
      const mine = await request('/secret/payroll-export', { token: alice })
      expect(mine.status).toBe(200)
      expect(mine.headers.get('cache-control')).toBe('private, no-cache')
      const tarball = await request('/secret/payroll-export/-/payroll-export-1.0.0.tgz', {
        token: alice,
      })
      expect(tarball.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
      const member = await request('/-/scopes/secret/members/bob', {
        method: 'PUT',
        token: alice,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'reader' }),
      })
      expect(member.status).toBe(200)
      expect((await request('/secret/payroll-export', { token: bob })).status).toBe(200)
      const found = await json<{ results: { id: string }[] }>('/-/search?q=payroll%20export', {
        token: bob,
      })
      expect(found.body.results.map((r) => r.id)).toContain('secret/payroll-export')
      // A reader cannot publish.
      await expectProblem(await publish(intrusion, { token: bob }), 403, 'PERMISSION_DENIED')
    })

    it("lets an instance admin see private scopes and every user's tokens", async () => {
      expect((await request('/secret/payroll-export', { token: admin })).status).toBe(200)
      const found = await json<{ results: { id: string }[] }>('/-/search?q=payroll%20export', {
        token: admin,
      })
      expect(found.body.results.map((r) => r.id)).toContain('secret/payroll-export')
      const tokens = await json<{ user: string }[]>('/-/tokens?user=bob', { token: admin })
      expect(tokens.body.map((t) => t.user)).toEqual(['bob'])
      await expectProblem(
        await request('/-/tokens?user=bob', { token: alice }),
        403,
        'PERMISSION_DENIED',
      )
    })

    it('creates, lists and revokes tokens; a revoked token gets 401 at once', async () => {
      const created = await json<{ id: string; token: string; role: string; user: string }>(
        '/-/tokens',
        {
          method: 'POST',
          token: alice,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'ci', role: 'read' }),
        },
      )
      expect(created.response.status).toBe(201)
      expect(created.body).toMatchObject({ role: 'read', user: 'alice' })
      expect(created.body.token).toMatch(/^skr_[A-Za-z0-9_-]{43}$/)
      expect((await json('/-/whoami', { token: created.body.token })).body).toEqual({
        user: 'alice',
        role: 'read',
      })

      const listed = await json<{ id: string; token?: string }[]>('/-/tokens', { token: alice })
      expect(listed.body.map((t) => t.id)).toContain(created.body.id)
      expect(listed.body.every((t) => t.token === undefined)).toBe(true)
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token)

      // Only an admin may mint for others or above its own role.
      await expectProblem(
        await request('/-/tokens', {
          method: 'POST',
          token: alice,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', role: 'admin' }),
        }),
        403,
        'PERMISSION_DENIED',
      )
      await expectProblem(
        await request('/-/tokens', {
          method: 'POST',
          token: alice,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', role: 'read', user: 'bob' }),
        }),
        403,
        'PERMISSION_DENIED',
      )
      await expectProblem(
        await request(`/-/tokens/${created.body.id}`, { method: 'DELETE', token: bob }),
        404,
        'NOT_FOUND',
      )

      expect(
        (await request(`/-/tokens/${created.body.id}`, { method: 'DELETE', token: alice })).status,
      ).toBe(204)
      const revoked = await expectProblem(
        await request('/-/whoami', { token: created.body.token }),
        401,
        'UNAUTHENTICATED',
      )
      expect(revoked.detail).toMatch(/revoked/)
      // Also on public reads: a revoked token is never silently treated as anonymous.
      await expectProblem(
        await request('/acme/convert-currency', { token: created.body.token }),
        401,
        'UNAUTHENTICATED',
      )

      // Hash at rest: the secret appears nowhere in the database.
      const { registryTokens } = await import('@skillos/store')
      const rows = await registry.database.db.select().from(registryTokens)
      expect(JSON.stringify(rows)).not.toContain(created.body.token)
    })

    it('lets a read token read but not write', async () => {
      const packed = await packTestSkill({ id: 'acme/read-only', version: '1.0.0' })
      await expectProblem(await publish(packed, { token: aliceRead }), 403, 'PERMISSION_DENIED')
      expect((await request('/acme/convert-currency', { token: aliceRead })).status).toBe(200)
      await expectProblem(await publish(packed, { token: bob }), 403, 'PERMISSION_DENIED')
    })

    it('manages dist-tags; latest cannot be removed', async () => {
      const beta = await packTestSkill({ id: 'acme/tagged', version: '2.0.0-beta.1' })
      const stable = await packTestSkill({ id: 'acme/tagged', version: '1.0.0' })
      expect((await publish(stable)).status).toBe(201)
      const published = await json<{ distTags: Record<string, string> }>(
        '/acme/tagged/-/2.0.0-beta.1?tag=beta',
        {
          method: 'PUT',
          token: alice,
          body: beta.tarball as Uint8Array<ArrayBuffer>,
          headers: { 'content-type': 'application/gzip', 'skillos-integrity': beta.integrity },
        },
      )
      expect(published.body.distTags).toEqual({ latest: '1.0.0', beta: '2.0.0-beta.1' })

      const put = await json<Record<string, string>>('/acme/tagged/-/dist-tags/next', {
        method: 'PUT',
        token: alice,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: '2.0.0-beta.1' }),
      })
      expect(put.body).toEqual({ latest: '1.0.0', beta: '2.0.0-beta.1', next: '2.0.0-beta.1' })
      await expectProblem(
        await request('/acme/tagged/-/dist-tags/next', {
          method: 'PUT',
          token: alice,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ version: '9.9.9' }),
        }),
        404,
        'NOT_FOUND',
      )
      const removed = await json<Record<string, string>>('/acme/tagged/-/dist-tags/next', {
        method: 'DELETE',
        token: alice,
      })
      expect(removed.body).toEqual({ latest: '1.0.0', beta: '2.0.0-beta.1' })
      const latest = await expectProblem(
        await request('/acme/tagged/-/dist-tags/latest', { method: 'DELETE', token: alice }),
        400,
        'VALIDATION_FAILED',
      )
      expect(latest.issues?.[0]?.path).toBe('tag')
      await expectProblem(
        await request('/acme/tagged/-/dist-tags/beta', { method: 'DELETE', token: bob }),
        403,
        'PERMISSION_DENIED',
      )
      const packument = await json<{ distTags: Record<string, string> }>('/acme/tagged')
      expect(packument.body.distTags).toEqual({ latest: '1.0.0', beta: '2.0.0-beta.1' })
    })

    it('deprecates a range of versions and undeprecates them', async () => {
      const deprecated = await json<{ versions: string[] }>('/acme/convert-currency/-/deprecate', {
        method: 'POST',
        token: alice,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ range: '<1.1.0', message: 'use 1.1 instead' }),
      })
      expect(deprecated.body).toEqual({ versions: ['1.0.0'] })
      let packument = await json<{ versions: Record<string, { deprecated?: string }> }>(
        '/acme/convert-currency',
      )
      expect(packument.body.versions['1.0.0']?.deprecated).toBe('use 1.1 instead')
      expect(packument.body.versions['1.1.0']?.deprecated).toBeUndefined()

      const undeprecated = await json<{ versions: string[] }>(
        '/acme/convert-currency/-/deprecate',
        {
          method: 'POST',
          token: alice,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: '' }),
        },
      )
      expect(undeprecated.body.versions).toEqual(['1.0.0', '1.1.0'])
      packument = await json('/acme/convert-currency')
      expect(packument.body.versions['1.0.0']?.deprecated).toBeUndefined()
      await expectProblem(
        await request('/acme/convert-currency/-/deprecate', {
          method: 'POST',
          token: alice,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ range: 'not a range !!', message: 'x' }),
        }),
        400,
        'VALIDATION_FAILED',
      )
    })

    it('moves latest when the latest version is unpublished', async () => {
      for (const version of ['1.0.0', '1.1.0']) {
        expect((await publish(await packTestSkill({ id: 'acme/moving', version }))).status).toBe(
          201,
        )
      }
      expect(
        (await request('/acme/moving/-/1.1.0', { method: 'DELETE', token: alice })).status,
      ).toBe(204)
      const packument = await json<{ distTags: Record<string, string>; versions: object }>(
        '/acme/moving',
      )
      expect(packument.body.distTags).toEqual({ latest: '1.0.0' })
      expect(Object.keys(packument.body.versions)).toEqual(['1.0.0'])
      await expectProblem(await request('/acme/moving/-/moving-1.1.0.tgz'), 404, 'NOT_FOUND')
    })

    it('searches by text and meaning, with filters, pagination and reasons', async () => {
      const found = await json<{
        total: number
        results: {
          id: string
          version: string
          quality: number
          score: number
          why: string[]
          author?: string
        }[]
      }>('/-/search?q=convert%20money%20between%20currencies')
      expect(found.response.status).toBe(200)
      const first = found.body.results[0]!
      expect(first.id).toBe('acme/convert-currency')
      expect(first.version).toBe('1.1.0')
      expect(first.why.join(' ')).toMatch(/matched/)
      expect(first.why.join(' ')).toMatch(/quality/)

      const byTag = await json<{ results: { id: string }[] }>(
        '/-/search?q=convert&tag=nonexistent-tag',
      )
      expect(byTag.body.results).toEqual([])
      const byDomain = await json<{ results: { id: string }[] }>('/-/search?domain=signed')
      expect(byDomain.body.results.map((r) => r.id)).toEqual(['signed/tool'])
      const paged = await json<{ total: number; results: { id: string }[] }>(
        '/-/search?domain=acme&limit=2&offset=1',
      )
      expect(paged.body.results).toHaveLength(2)
      expect(paged.body.total).toBeGreaterThanOrEqual(4)
      const all = await json<{ results: { id: string }[] }>('/-/search?domain=acme&limit=100')
      expect(paged.body.results.map((r) => r.id)).toEqual(
        all.body.results.slice(1, 3).map((r) => r.id),
      )
      const minQuality = await json<{ results: { quality: number }[] }>(
        '/-/search?domain=acme&minQuality=0.5',
      )
      expect(minQuality.body.results.every((r) => r.quality >= 0.5)).toBe(true)
      await expectProblem(await request('/-/search?q=x&limit=1000'), 400, 'VALIDATION_FAILED')
    })

    it('records an event for every write', async () => {
      const events = await registry.database.db
        .select()
        .from(registryEvents)
        .where(eq(registryEvents.subject, 'acme/tagged'))
      expect(events.map((event) => event.type)).toEqual([
        'skill.published',
        'skill.published',
        'dist-tag.set',
        'dist-tag.removed',
      ])
      expect(events[0]).toMatchObject({
        actor: 'alice',
        data: expect.objectContaining({ version: '1.0.0' }),
      })
      expect(events.every((event) => event.tenantId === 'registry')).toBe(true)
    })

    it('sweeps blobs no live version references, and keeps the ones in use', async () => {
      const before = await countBlobs(blobDir)
      const { deleted } = await registry.service.sweepOrphanBlobs({ olderThanMs: 0 })
      // acme/immutable@1.0.0 and acme/moving@1.1.0 were unpublished: their blobs go.
      expect(deleted).toHaveLength(2)
      expect(await countBlobs(blobDir)).toBe(before - 2)
      expect((await request('/acme/convert-currency/-/convert-currency-1.0.0.tgz')).status).toBe(
        200,
      )
    })
  })
}

/** Blob files under `dir` (the registry's tenant folder and its fan-out folders). */
async function countBlobs(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.')).length
}

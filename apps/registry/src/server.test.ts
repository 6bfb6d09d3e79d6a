import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, request as httpRequest, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packTestSkill } from './fixtures.test-data.js'
import { startRegistry, type RunningRegistry } from './server.js'

// Behaviour that depends on a real socket: streaming uploads, and two registries talking.

const dirs: string[] = []
async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `skillos-registry-${label}-`))
  dirs.push(dir)
  return dir
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function put(
  registry: { url: string },
  token: string,
  packed: Awaited<ReturnType<typeof packTestSkill>>,
) {
  const { id, version } = packed.manifest!
  const [scope, name] = id.split('/')
  return fetch(`${registry.url}/${scope}/${name}/-/${version}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/gzip',
      'skillos-integrity': packed.integrity,
    },
    body: packed.tarball as Uint8Array<ArrayBuffer>,
  })
}

describe('registry on a real port', () => {
  let registry: RunningRegistry
  let admin: string

  beforeAll(async () => {
    registry = await startRegistry({
      databaseUrl: 'memory://',
      storagePath: await tempDir('blobs'),
      port: 0,
      maxTarballBytes: 64 * 1024,
      unpublishWindowHours: 0,
      logLevel: 'silent',
    })
    admin = (await registry.createToken({ user: 'admin', role: 'admin' })).token
  })
  afterAll(async () => {
    await registry?.close()
  })

  it('listens on a free port and answers', async () => {
    expect(registry.port).toBeGreaterThan(0)
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`)
    expect(await (await fetch(`${registry.url}/-/ping`)).json()).toEqual({ ok: true })
  })

  it('stops reading an oversize upload at the limit (413) instead of buffering it', async () => {
    let pulled = 0
    const chunk = new Uint8Array(16 * 1024)
    // An endless body without Content-Length: only a server that stops reading can answer.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.length
        controller.enqueue(chunk)
      },
    })
    const response = await fetch(`${registry.url}/acme/huge/-/1.0.0`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'application/gzip',
        'skillos-integrity': `sha512-${'A'.repeat(86)}==`,
      },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(((await response.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE')
    expect(pulled).toBeLessThan(8 * 1024 * 1024)
    await body.cancel().catch(() => undefined)
  })

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${registry.url}/acme/huge/-/1.0.0`,
        {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${admin}`,
            'content-type': 'application/gzip',
            'content-length': String(1024 * 1024 * 1024),
            'skillos-integrity': `sha512-${'A'.repeat(86)}==`,
          },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
          req.destroy()
        },
      )
      req.on('error', reject)
      req.write(Buffer.alloc(1024))
    })
    expect(status).toBe(413)
  })

  it('unpublishes outside the window only when nothing depends on the version', async () => {
    const base = await packTestSkill({ id: 'acme/base', version: '1.0.0' })
    const user = await packTestSkill({
      id: 'acme/user',
      version: '1.0.0',
      dependencies: { 'acme/base': '^1.0.0' },
    })
    expect((await put(registry, admin, base)).status).toBe(201)
    expect((await put(registry, admin, user)).status).toBe(201)
    const headers = { authorization: `Bearer ${admin}` }
    const refused = await fetch(`${registry.url}/acme/base/-/1.0.0`, { method: 'DELETE', headers })
    expect(refused.status).toBe(409)
    const problem = (await refused.json()) as { code: string; detail: string }
    expect(problem.code).toBe('CONFLICT')
    expect(problem.detail).toMatch(/acme\/user@1\.0\.0 depends on it/)
    // A window below an hour is named in minutes, not as "0 h".
    expect(problem.detail).toContain('was published more than 0 min ago')
    expect(
      (await fetch(`${registry.url}/acme/user/-/1.0.0`, { method: 'DELETE', headers })).status,
    ).toBe(204)
    expect(
      (await fetch(`${registry.url}/acme/base/-/1.0.0`, { method: 'DELETE', headers })).status,
    ).toBe(204)
  })
})

describe('mirroring an upstream registry', () => {
  let upstream: RunningRegistry
  let mirror: RunningRegistry
  let corrupting: Server
  let corruptUrl: string
  let admin: string

  beforeAll(async () => {
    upstream = await startRegistry({
      databaseUrl: 'memory://',
      storagePath: await tempDir('upstream'),
      port: 0,
      logLevel: 'silent',
    })
    admin = (await upstream.createToken({ user: 'admin', role: 'admin' })).token
    mirror = await startRegistry({
      databaseUrl: 'memory://',
      storagePath: await tempDir('mirror'),
      port: 0,
      upstreamUrl: upstream.url,
      logLevel: 'silent',
    })
    // A proxy in front of the upstream that flips one byte of every tarball it relays.
    corrupting = createServer((req, res) => {
      const forward = httpRequest(
        `${upstream.url}${req.url}`,
        {
          method: req.method,
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(([name]) => name !== 'host'),
          ) as Record<string, string>,
        },
        (answer) => {
          const chunks: Buffer[] = []
          answer.on('data', (chunk: Buffer) => chunks.push(chunk))
          answer.on('end', () => {
            let body = Buffer.concat(chunks)
            if (req.url?.endsWith('.tgz')) body[body.length - 5]! ^= 0xff
            else body = Buffer.from(body.toString('utf8').replaceAll(upstream.url, corruptUrl))
            res.writeHead(answer.statusCode ?? 502, {
              'content-type': answer.headers['content-type'] ?? 'application/octet-stream',
            })
            res.end(body)
          })
        },
      )
      req.pipe(forward)
    })
    await new Promise<void>((resolve) => corrupting.listen(0, '127.0.0.1', resolve))
    const address = corrupting.address() as { port: number }
    corruptUrl = `http://127.0.0.1:${address.port}`
  })
  afterAll(async () => {
    await mirror?.close()
    await new Promise((resolve) => corrupting?.close(resolve))
    await upstream?.close()
  })

  it('fetches a missing skill on demand, checks it, caches it and serves it under its own URL', async () => {
    const packed = await packTestSkill({ id: 'shared/lookup', version: '1.0.0' })
    expect((await put(upstream, admin, packed)).status).toBe(201)

    const packument = (await (await fetch(`${mirror.url}/shared/lookup`)).json()) as {
      distTags: Record<string, string>
      versions: Record<string, { integrity: string; tarball: string }>
    }
    expect(packument.distTags).toEqual({ latest: '1.0.0' })
    expect(packument.versions['1.0.0']).toEqual(
      expect.objectContaining({
        integrity: packed.integrity,
        tarball: `${mirror.url}/shared/lookup/-/lookup-1.0.0.tgz`,
      }),
    )
    const tarball = await fetch(packument.versions['1.0.0']!.tarball)
    expect(tarball.headers.get('skillos-integrity')).toBe(packed.integrity)
    expect(Buffer.from(await tarball.arrayBuffer()).equals(Buffer.from(packed.tarball))).toBe(true)

    // Mirrored scopes are read-only here.
    const { token } = await mirror.createToken({ user: 'admin', role: 'admin' })
    const refused = await put(
      mirror,
      token,
      await packTestSkill({ id: 'shared/lookup', version: '2.0.0' }),
    )
    expect(refused.status).toBe(403)
    // A skill the upstream does not have is a plain 404.
    expect((await fetch(`${mirror.url}/shared/nothing-here`)).status).toBe(404)
  })

  it('serves its copy while the upstream is down, asking it again only after the TTL', async () => {
    let requests = 0
    let down = false
    const flaky = createServer((req, res) => {
      requests++
      if (down) {
        res.writeHead(503).end()
        return
      }
      const forward = httpRequest(`${upstream.url}${req.url}`, { method: req.method }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      req.pipe(forward)
    })
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve))
    const flakyUrl = `http://127.0.0.1:${(flaky.address() as { port: number }).port}`
    const ttlMs = 400
    const copy = await startRegistry({
      databaseUrl: 'memory://',
      storagePath: await tempDir('flaky-mirror'),
      port: 0,
      upstreamUrl: flakyUrl,
      mirrorTtlMs: ttlMs,
      logLevel: 'silent',
    })
    try {
      const packed = await packTestSkill({ id: 'shared/steady', version: '1.0.0' })
      expect((await put(upstream, admin, packed)).status).toBe(201)
      expect((await fetch(`${copy.url}/shared/steady`)).status).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, ttlMs + 50))
      down = true
      const before = requests
      // Stale now: the first read asks the upstream, fails, and serves the copy…
      expect((await fetch(`${copy.url}/shared/steady`)).status).toBe(200)
      // …and the next reads do not ask again until the TTL has passed since that failure.
      expect((await fetch(`${copy.url}/shared/steady`)).status).toBe(200)
      expect((await fetch(`${copy.url}/shared/steady`)).status).toBe(200)
      expect(requests - before).toBe(1)
    } finally {
      await copy.close()
      await new Promise((resolve) => flaky.close(resolve))
    }
  })

  it('syncs chosen scopes: every skill of the scope is copied here', async () => {
    for (const id of ['tools/alpha', 'tools/beta']) {
      expect(
        (await put(upstream, admin, await packTestSkill({ id, version: '0.1.0' }))).status,
      ).toBe(201)
    }
    const report = await mirror.service.sync(['tools'])
    expect(report).toEqual([{ scope: 'tools', skills: ['tools/alpha', 'tools/beta'] }])
    const search = (await (await fetch(`${mirror.url}/-/search?domain=tools`)).json()) as {
      results: { id: string }[]
    }
    expect(search.results.map((r) => r.id).sort()).toEqual(['tools/alpha', 'tools/beta'])
  })

  it('refuses an upstream tarball that fails its integrity check and caches nothing', async () => {
    const packed = await packTestSkill({ id: 'bent/skill', version: '1.0.0' })
    expect((await put(upstream, admin, packed)).status).toBe(201)
    const bent = await startRegistry({
      databaseUrl: 'memory://',
      storagePath: await tempDir('bent'),
      port: 0,
      upstreamUrl: corruptUrl,
      logLevel: 'silent',
    })
    try {
      const response = await fetch(`${bent.url}/bent/skill`)
      expect(response.status).toBe(502)
      const problem = (await response.json()) as { code: string; detail: string }
      expect(problem.code).toBe('UPSTREAM_FAILED')
      expect(problem.detail).toMatch(/bent\/skill@1\.0\.0 failed its integrity check/)
      const { token } = await bent.createToken({ user: 'admin', role: 'admin' })
      const scope = await fetch(`${bent.url}/-/scopes/bent`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(scope.status).toBe(404)
    } finally {
      await bent.close()
    }
  })
})

describe('registry search with the configured embedder', () => {
  let embeddings: Server
  let embeddingsUrl: string
  const asked: string[] = []

  beforeAll(async () => {
    // An OpenAI-compatible /embeddings endpoint: a vector from the text's letters, every text noted.
    embeddings = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        const { input } = JSON.parse(body) as { input: string[] }
        asked.push(...input)
        const data = input.map((text, index) => ({
          index,
          embedding: Array.from(
            { length: 8 },
            (_, i) => [...text.toLowerCase()].filter((c) => c.charCodeAt(0) % 8 === i).length + 1,
          ),
        }))
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ data }))
      })
    })
    await new Promise<void>((resolve) => embeddings.listen(0, '127.0.0.1', resolve))
    embeddingsUrl = `http://127.0.0.1:${(embeddings.address() as { port: number }).port}/v1`
  })
  afterAll(async () => {
    await new Promise((resolve) => embeddings?.close(resolve))
  })

  it('embeds published skills and queries with the embedder the configuration names', async () => {
    const registry = await startRegistry({
      databaseUrl: 'memory://',
      storagePath: await tempDir('embedder-blobs'),
      port: 0,
      logLevel: 'silent',
      embedder: { provider: 'openai', baseUrl: embeddingsUrl, model: 'test-embed' },
    })
    try {
      const admin = (await registry.createToken({ user: 'admin', role: 'admin' })).token
      const packed = await packTestSkill({
        id: 'seafood/oyster-margin',
        version: '1.0.0',
        description: 'Work out the margin on an oyster shipment',
      })
      expect((await put(registry, admin, packed)).status).toBe(201)
      const response = await fetch(`${registry.url}/-/search?q=oyster+margin`)
      const found = (await response.json()) as { results: { id: string }[] }
      expect(found.results.map((r) => r.id)).toEqual(['seafood/oyster-margin'])
      expect(asked).toContain('oyster margin')
      expect(asked.some((text) => text.includes('margin on an oyster shipment'))).toBe(true)
    } finally {
      await registry.close()
    }
  })

  it('does not start when the configured embedder does not answer, naming its URL', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as { port: number }).port
    await new Promise((resolve) => closed.close(resolve))
    await expect(
      startRegistry({
        databaseUrl: 'memory://',
        storagePath: await tempDir('embedder-down'),
        port: 0,
        logLevel: 'silent',
        embedder: { provider: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm' },
      }),
    ).rejects.toThrow(`http://127.0.0.1:${port}/v1/embeddings`)
  })
})

import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { OpenAPIHono } from '@hono/zod-openapi'
import { SkillOSError, ValidationError, toHttpProblem, type Config } from '@skillos/contracts'
import { createEmbedderFromConfig, type Embedder } from '@skillos/core'
import {
  createDiskBlobStore,
  createRegistryService,
  createS3BlobStore,
  type BlobStore,
  type RegistryLogger,
  type RegistryPrincipal,
  type RegistryService,
  type ScopeRole,
  type SkillSignature,
} from '@skillos/registry'
import { openDatabase, openKeyValue, type Database, type KeyValueStore } from '@skillos/store'
import type { Context } from 'hono'
import { pino, type Logger } from 'pino'
import { renderDocsPage } from './docs-page.js'
import { problemFor } from './problem.js'
import * as routes from './routes.js'

/** Everything the registry app needs; every field has a working default. */
export interface RegistryAppOptions {
  /** `postgres://…`, `pglite://dir` or `memory://` (default `pglite://./.skillos/registry-db`). */
  databaseUrl?: string
  /** `redis://…`; absent: in-process key-value store. */
  redisUrl?: string
  /** Local-disk blob folder (default `./.skillos/registry-blobs`); ignored when `s3` is set. */
  storagePath?: string
  s3?: { url: string; region?: string; accessKeyId: string; secretAccessKey: string }
  tenant?: string
  /** Base of tarball links (default: the origin of each request). */
  publicUrl?: string
  upstreamUrl?: string
  upstreamToken?: string
  /** How long a mirrored skill is served before the upstream is asked again (default 5 min). */
  mirrorTtlMs?: number
  maxTarballBytes?: number
  unpublishWindowHours?: number
  writeRateLimit?: number
  logLevel?: string
  /** Key prefix in Redis (default `skillos:`); tests use a unique one. */
  keyPrefix?: string
  /** Test hook: wait this long inside the publish transaction, before commit. */
  testPublishPauseMs?: number
  /** Extra logger; default pino to stderr at `logLevel` (default `info`). */
  logger?: Logger
  /**
   * How search turns texts into vectors: an embedder, or the configuration's `embedder` section
   * (`registryOptionsFromConfig` passes it), built as the orchestrator builds its own. Default: the
   * built-in offline embedder. A configured endpoint that does not answer fails the start, naming
   * its URL.
   */
  embedder?: Embedder | Config['embedder']
}

/** Hono variables of a request: the caller resolved from its bearer token. */
export type RegistryEnv = { Variables: { principal: RegistryPrincipal | undefined } }

export interface RegistryApp {
  app: OpenAPIHono<RegistryEnv>
  service: RegistryService
  database: Database
  keyValue: KeyValueStore
  blobs: BlobStore
  /** Create a token directly (operator bootstrap, tests): `{ id, token, name, role, user, createdAt }`. */
  createToken(input: {
    user: string
    role: 'read' | 'publish' | 'admin'
    name?: string
  }): ReturnType<RegistryService['createToken']>
  close(): Promise<void>
}

type Env = RegistryEnv

/**
 * Open the stores and build the Hono app (no socket): `app.request('/-/ping')` works in-process.
 *
 * @example
 * ```ts
 * const registry = await createRegistryApp({ databaseUrl: 'memory://', storagePath: dir })
 * const { token } = await registry.createToken({ user: 'admin', role: 'admin' })
 * const response = await registry.app.request('/-/whoami', { headers: { authorization: `Bearer ${token}` } })
 * ```
 */
export async function createRegistryApp(options: RegistryAppOptions = {}): Promise<RegistryApp> {
  const logger =
    options.logger ??
    pino({ level: options.logLevel ?? 'info' }, pino.destination({ dest: 2, sync: false }))
  // Before anything is opened: an embedder endpoint that does not answer fails the start alone.
  const embedder =
    options.embedder === undefined || isEmbedder(options.embedder)
      ? options.embedder
      : await createEmbedderFromConfig({ embedder: options.embedder })
  const database = await openDatabase(options.databaseUrl ?? 'pglite://./.skillos/registry-db')
  let keyValue: KeyValueStore
  try {
    keyValue = await openKeyValue(options.redisUrl, { prefix: options.keyPrefix ?? 'skillos:' })
  } catch (error) {
    await database.close()
    throw error
  }
  // Blobs are kept per tenant: two registries sharing a folder or bucket never sweep each other's.
  const tenant = options.tenant ?? 'registry'
  const blobs = options.s3
    ? createS3BlobStore({ ...options.s3, prefix: `blobs/${tenant}/` })
    : createDiskBlobStore(join(options.storagePath ?? './.skillos/registry-blobs', tenant))
  const pauseMs = options.testPublishPauseMs ?? 0
  const serviceLogger: RegistryLogger = {
    info: (object, message) => logger.info(object, message),
    warn: (object, message) => logger.warn(object, message),
  }
  let service: RegistryService
  try {
    service = await createRegistryService({
      database,
      keyValue,
      blobs,
      tenant,
      ...(options.maxTarballBytes === undefined
        ? {}
        : { maxTarballBytes: options.maxTarballBytes }),
      ...(options.unpublishWindowHours === undefined
        ? {}
        : { unpublishWindowMs: options.unpublishWindowHours * 60 * 60 * 1000 }),
      ...(options.writeRateLimit === undefined ? {} : { writeRateLimit: options.writeRateLimit }),
      ...(options.mirrorTtlMs === undefined ? {} : { mirrorTtlMs: options.mirrorTtlMs }),
      ...(options.upstreamUrl
        ? {
            upstream: {
              url: options.upstreamUrl,
              ...(options.upstreamToken ? { token: options.upstreamToken } : {}),
            },
          }
        : {}),
      logger: serviceLogger,
      ...(embedder ? { embedder } : {}),
      ...(pauseMs > 0
        ? {
            beforePublishCommit: async (info) => {
              logger.warn(info, `test hook: publish paused ${pauseMs} ms before commit`)
              await new Promise((resolve) => setTimeout(resolve, pauseMs))
            },
          }
        : {}),
    })
  } catch (error) {
    await keyValue.close()
    await database.close()
    throw error
  }
  const maxTarballBytes = options.maxTarballBytes ?? 10 * 1024 * 1024
  const app = buildApp(service, { logger, maxTarballBytes, publicUrl: options.publicUrl })
  let closed = false
  return {
    app,
    service,
    database,
    keyValue,
    blobs,
    createToken: (input) => service.createToken('system', input),
    async close() {
      if (closed) return
      closed = true
      await service.close()
      await keyValue.close()
      await database.close()
    },
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) {
    throw new SkillOSError({
      code: 'UNAUTHENTICATED',
      message: 'Authorization must be "Bearer <token>"',
    })
  }
  return match[1]
}

function parseSignature(header: string | undefined): SkillSignature | undefined {
  if (header === undefined || header.trim() === '') return undefined
  const match = /^(\S+)\s+([A-Za-z0-9+/]+={0,2})$/.exec(header.trim())
  if (!match) {
    throw new ValidationError('Skillos-Signature: expected "<keyId> <base64 signature>"', [
      { path: 'headers.skillos-signature', message: 'expected "<keyId> <base64 signature>"' },
    ])
  }
  return { keyId: match[1]!, algorithm: 'ed25519', value: match[2]! }
}

/** Read a request body, refusing (413) as soon as it passes `limit` — never buffering more. */
async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = (size: string) =>
    new SkillOSError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `The tarball is ${size} bytes, over the limit of ${limit}`,
      details: { limit },
    })
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) throw tooLarge(declared)
  if (!request.body) return new Uint8Array()
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(`more than ${limit}`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total)
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)
}

function buildApp(
  service: RegistryService,
  settings: { logger: Logger; maxTarballBytes: number; publicUrl: string | undefined },
): OpenAPIHono<Env> {
  const { logger } = settings
  const app = new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((issue) => ({
          path: [result.target, ...issue.path.map(String)].join('.'),
          message: issue.message,
        }))
        throw new ValidationError(
          `Invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
          issues,
        )
      }
      return undefined
    },
  })
  const baseUrl = (c: Context) => settings.publicUrl ?? new URL(c.req.url).origin

  app.onError((error, c) => {
    const { status, body, headers } = toHttpProblem(error, new URL(c.req.url).pathname)
    if (status >= 500) logger.error({ err: error, path: c.req.path }, 'request failed')
    else logger.debug({ code: body.code, path: c.req.path }, body.detail ?? body.title)
    return c.body(JSON.stringify(body), status as 400, {
      ...headers,
      'content-type': 'application/problem+json',
    })
  })
  app.notFound((c) => {
    const body = problemFor(
      new SkillOSError({ code: 'NOT_FOUND', message: `No route ${c.req.method} ${c.req.path}` }),
      c.req.path,
    )
    return c.body(JSON.stringify(body), 404, { 'content-type': 'application/problem+json' })
  })

  // Every request: resolve the token (a bad or revoked one is 401 even on public reads).
  app.use('*', async (c, next) => {
    c.set('principal', await service.authenticate(bearerToken(c.req.header('authorization'))))
    await next()
  })

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A registry token (`skr_…`)',
  })

  app.openapi(routes.ping, (c) => c.json({ ok: true as const }, 200))
  app.openapi(routes.healthz, (c) => c.json({ ok: true as const }, 200))
  app.openapi(routes.readyz, async (c) => {
    await service.ready()
    return c.json({ ok: true as const }, 200)
  })
  app.openapi(routes.whoami, (c) => c.json(service.whoami(c.get('principal')), 200))

  app.openapi(routes.createToken, async (c) => {
    const body = c.req.valid('json')
    const created = await service.createToken(c.get('principal'), body)
    return c.json(created, 201)
  })
  app.openapi(routes.listTokens, async (c) => {
    const { user } = c.req.valid('query')
    return c.json(await service.listTokens(c.get('principal'), user ? { user } : {}), 200)
  })
  app.openapi(routes.revokeToken, async (c) => {
    await service.revokeToken(c.get('principal'), c.req.valid('param').id)
    return c.body(null, 204)
  })

  app.openapi(routes.putScope, async (c) => {
    const { scope } = c.req.valid('param')
    return c.json(await service.putScope(c.get('principal'), scope, c.req.valid('json')), 200)
  })
  app.openapi(routes.getScope, async (c) =>
    c.json(await service.getScope(c.get('principal'), c.req.valid('param').scope), 200),
  )
  app.openapi(routes.putMember, async (c) => {
    const { scope, user } = c.req.valid('param')
    const { role } = c.req.valid('json')
    return c.json(await service.setMember(c.get('principal'), scope, user, role as ScopeRole), 200)
  })
  app.openapi(routes.deleteMember, async (c) => {
    const { scope, user } = c.req.valid('param')
    return c.json(await service.removeMember(c.get('principal'), scope, user), 200)
  })

  app.openapi(routes.searchRoute, async (c) => {
    const query = c.req.valid('query')
    const result = await service.search(c.get('principal'), {
      ...(query.q === undefined ? {} : { q: query.q }),
      ...(query.tag === undefined ? {} : { tag: query.tag }),
      ...(query.domain === undefined ? {} : { domain: query.domain }),
      ...(query.author === undefined ? {} : { author: query.author }),
      ...(query.deprecated === undefined ? {} : { deprecated: query.deprecated === 'true' }),
      ...(query.minQuality === undefined ? {} : { minQuality: query.minQuality }),
      limit: query.limit,
      offset: query.offset,
    })
    return c.json(result, 200)
  })

  app.get('/-/openapi.json', (c) => c.json(openApiDocument()))
  app.get('/-/docs', (c) => c.html(renderDocsPage(openApiDocument())))

  app.openapi(routes.publish, async (c) => {
    const { scope, name, version } = c.req.valid('param')
    const { tag } = c.req.valid('query')
    const headers = c.req.valid('header')
    const principal = c.get('principal')
    if (!principal)
      throw new SkillOSError({ code: 'UNAUTHENTICATED', message: 'Publishing needs a token' })
    const tarball = await readBodyWithin(c.req.raw, settings.maxTarballBytes)
    const signature = parseSignature(headers['skillos-signature'])
    const result = await service.publish(principal, {
      id: `${scope}/${name}`,
      version,
      tarball,
      integrity: headers['skillos-integrity'],
      ...(signature ? { signature } : {}),
      ...(tag ? { tag } : {}),
    })
    return c.json(result, 201)
  })
  app.openapi(routes.unpublish, async (c) => {
    const { scope, name, version } = c.req.valid('param')
    await service.unpublish(c.get('principal'), `${scope}/${name}`, version)
    return c.body(null, 204)
  })
  app.openapi(routes.tarball, async (c) => {
    const { scope, name, file } = c.req.valid('param')
    const prefix = `${name}-`
    if (!file.startsWith(prefix) || !file.endsWith('.tgz'))
      throw new SkillOSError({
        code: 'NOT_FOUND',
        message: `No tarball ${file} for ${scope}/${name}`,
      })
    const version = file.slice(prefix.length, -'.tgz'.length)
    const result = await service.tarball(c.get('principal'), `${scope}/${name}`, version)
    const etag = `"${createHash('sha1').update(result.integrity).digest('base64url')}"`
    const headers = {
      etag,
      'cache-control': `${result.private ? 'private' : 'public'}, max-age=31536000, immutable`,
      'skillos-integrity': result.integrity,
      ...(result.private ? { vary: 'Authorization' } : {}),
    }
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
    return c.body(result.bytes as Uint8Array<ArrayBuffer>, 200, {
      ...headers,
      'content-type': 'application/gzip',
      'content-length': String(result.bytes.length),
    })
  })
  app.openapi(routes.putDistTag, async (c) => {
    const { scope, name, tag } = c.req.valid('param')
    const { version } = c.req.valid('json')
    return c.json(
      await service.setDistTag(c.get('principal'), `${scope}/${name}`, tag, version),
      200,
    )
  })
  app.openapi(routes.deleteDistTag, async (c) => {
    const { scope, name, tag } = c.req.valid('param')
    return c.json(await service.removeDistTag(c.get('principal'), `${scope}/${name}`, tag), 200)
  })
  app.openapi(routes.deprecate, async (c) => {
    const { scope, name } = c.req.valid('param')
    return c.json(
      await service.deprecate(c.get('principal'), `${scope}/${name}`, c.req.valid('json')),
      200,
    )
  })
  app.openapi(routes.packument, async (c) => {
    const { scope, name } = c.req.valid('param')
    const result = await service.packument(c.get('principal'), `${scope}/${name}`, baseUrl(c))
    const headers = {
      etag: result.etag,
      'cache-control': result.private ? 'private, no-cache' : 'public, max-age=60',
      ...(result.private ? { vary: 'Authorization' } : {}),
    }
    if (matchesEtag(c.req.header('if-none-match'), result.etag)) return c.body(null, 304, headers)
    return c.body(result.body, 200, { ...headers, 'content-type': 'application/json' })
  })
  app.openapi(routes.versionRoute, async (c) => {
    const { scope, name, version } = c.req.valid('param')
    return c.json(
      await service.version(c.get('principal'), `${scope}/${name}`, version, baseUrl(c)),
      200,
    )
  })

  let document: unknown
  function openApiDocument() {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'SkillOS registry',
        version: '1.0.0',
        description:
          'Publish, fetch, search and manage SkillOS skills. Errors are RFC 9457 problem+json with a SkillOS `code`.',
      },
    })
    return document as Record<string, unknown>
  }
  return app
}

function isEmbedder(value: Embedder | Config['embedder']): value is Embedder {
  return typeof (value as Partial<Embedder>).embed === 'function'
}

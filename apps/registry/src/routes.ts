import { createRoute, z } from '@hono/zod-openapi'

// The HTTP contract of the registry (see README "HTTP API"), as zod route definitions. The OpenAPI
// document at /-/openapi.json is generated from these.

const scope = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .openapi({ param: { name: 'scope', in: 'path' }, example: 'acme' })
const name = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .openapi({ param: { name: 'name', in: 'path' }, example: 'convert-currency' })
const version = z
  .string()
  .min(1)
  .openapi({ param: { name: 'version', in: 'path' }, example: '1.2.0' })
const tag = z
  .string()
  .min(1)
  .openapi({ param: { name: 'tag', in: 'path' }, example: 'beta' })
const user = z
  .string()
  .min(1)
  .openapi({ param: { name: 'user', in: 'path' }, example: 'alice' })

const tokenRole = z.enum(['read', 'publish', 'admin'])
const scopeRole = z.enum(['owner', 'publisher', 'reader'])

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Problem')

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
})
const errors = {
  400: problem('Invalid input: `issues` names each field'),
  401: problem('Missing, invalid or revoked token'),
  403: problem('The token may not do this'),
  404: problem('Not found (also: a private scope the caller is not a member of)'),
}

const SignatureSchema = z
  .object({ keyId: z.string(), algorithm: z.literal('ed25519'), value: z.string() })
  .openapi('Signature')

export const VersionSchema = z
  .object({
    version: z.string(),
    manifest: z.record(z.string(), z.unknown()),
    integrity: z.string(),
    signature: SignatureSchema.optional(),
    size: z.number().int(),
    publishedAt: z.string(),
    publishedBy: z.string(),
    deprecated: z.string().optional(),
    tarball: z.string().url(),
  })
  .openapi('Version')

export const PackumentSchema = z
  .object({
    id: z.string(),
    description: z.string(),
    distTags: z.record(z.string(), z.string()),
    versions: z.record(z.string(), VersionSchema),
    time: z.record(z.string(), z.string()),
  })
  .openapi('Packument')

const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: tokenRole,
    user: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .openapi('Token')

const ScopeSchema = z
  .object({
    scope: z.string(),
    visibility: z.enum(['public', 'private']),
    requireSignatures: z.boolean(),
    trustedKeys: z.array(z.string()),
    mirrored: z.boolean(),
    members: z.array(z.object({ user: z.string(), role: scopeRole })),
  })
  .openapi('Scope')

const DistTagsSchema = z.record(z.string(), z.string()).openapi('DistTags')

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})

const bearer = [{ bearer: [] }]

export const ping = createRoute({
  method: 'get',
  path: '/-/ping',
  summary: 'Is the registry up',
  responses: { 200: json(z.object({ ok: z.literal(true) }), 'Up') },
})

export const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness',
  responses: { 200: json(z.object({ ok: z.literal(true) }), 'Alive') },
})

export const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: database, key-value store and blob store answer',
  responses: {
    200: json(z.object({ ok: z.literal(true) }), 'Ready'),
    503: problem('A dependency is not reachable'),
  },
})

export const whoami = createRoute({
  method: 'get',
  path: '/-/whoami',
  summary: 'The caller',
  security: bearer,
  responses: {
    200: json(z.object({ user: z.string(), role: tokenRole }), 'The caller'),
    ...errors,
  },
})

export const createToken = createRoute({
  method: 'post',
  path: '/-/tokens',
  summary: 'Create a token (the secret is returned once)',
  security: bearer,
  request: {
    body: jsonBody(
      z.object({
        name: z.string().min(1).max(100),
        role: tokenRole,
        user: z.string().min(1).max(128).optional(),
      }),
    ),
  },
  responses: {
    201: json(TokenSchema.extend({ token: z.string() }), 'Created; `token` is shown only now'),
    ...errors,
  },
})

export const listTokens = createRoute({
  method: 'get',
  path: '/-/tokens',
  summary: "The caller's tokens (admin: all, or ?user=)",
  security: bearer,
  request: { query: z.object({ user: z.string().optional() }) },
  responses: { 200: json(z.array(TokenSchema), 'Tokens, without secrets'), ...errors },
})

export const revokeToken = createRoute({
  method: 'delete',
  path: '/-/tokens/{id}',
  summary: 'Revoke a token',
  security: bearer,
  request: { params: z.object({ id: z.string().min(1) }) },
  responses: { 204: { description: 'Revoked' }, ...errors },
})

export const putScope = createRoute({
  method: 'put',
  path: '/-/scopes/{scope}',
  summary: 'Create or update a scope',
  security: bearer,
  request: {
    params: z.object({ scope }),
    body: jsonBody(
      z.object({
        visibility: z.enum(['public', 'private']).optional(),
        requireSignatures: z.boolean().optional(),
        trustedKeys: z
          .array(z.object({ keyId: z.string(), publicKey: z.string() }))
          .max(100)
          .optional(),
      }),
    ),
  },
  responses: { 200: json(ScopeSchema, 'The scope'), ...errors },
})

export const getScope = createRoute({
  method: 'get',
  path: '/-/scopes/{scope}',
  summary: 'A scope, its members and trusted key ids',
  request: { params: z.object({ scope }) },
  responses: { 200: json(ScopeSchema, 'The scope'), ...errors },
})

export const putMember = createRoute({
  method: 'put',
  path: '/-/scopes/{scope}/members/{user}',
  summary: 'Add a member or change their role',
  security: bearer,
  request: {
    params: z.object({ scope, user }),
    body: jsonBody(z.object({ role: scopeRole })),
  },
  responses: { 200: json(ScopeSchema, 'The scope'), ...errors },
})

export const deleteMember = createRoute({
  method: 'delete',
  path: '/-/scopes/{scope}/members/{user}',
  summary: 'Remove a member',
  security: bearer,
  request: { params: z.object({ scope, user }) },
  responses: { 200: json(ScopeSchema, 'The scope'), ...errors },
})

export const searchRoute = createRoute({
  method: 'get',
  path: '/-/search',
  summary: 'Full-text + semantic search with filters',
  request: {
    query: z.object({
      q: z.string().max(1000).optional(),
      tag: z.string().optional(),
      domain: z.string().optional(),
      author: z.string().optional(),
      deprecated: z.enum(['true', 'false']).optional(),
      minQuality: z.coerce.number().min(0).max(1).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      offset: z.coerce.number().int().min(0).max(10_000).default(0),
    }),
  },
  responses: {
    200: json(
      z.object({
        total: z.number().int(),
        results: z.array(
          z.object({
            id: z.string(),
            version: z.string(),
            description: z.string(),
            tags: z.array(z.string()),
            author: z.string().optional(),
            deprecated: z.string().optional(),
            quality: z.number(),
            score: z.number(),
            why: z.array(z.string()),
          }),
        ),
      }),
      'Matches, best first',
    ),
    400: errors[400],
  },
})

export const publish = createRoute({
  method: 'put',
  path: '/{scope}/{name}/-/{version}',
  summary: 'Publish a version (body: the .tgz)',
  security: bearer,
  request: {
    params: z.object({ scope, name, version }),
    query: z.object({ tag: z.string().optional() }),
    headers: z.object({
      'skillos-integrity': z.string().openapi({ example: 'sha512-…' }),
      'skillos-signature': z
        .string()
        .optional()
        .openapi({ example: 'ed25519:3f0c5a1e9b7d2c44 q1w…==' }),
    }),
    body: {
      required: true,
      content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
  responses: {
    201: json(
      z.object({
        id: z.string(),
        version: z.string(),
        integrity: z.string(),
        distTags: DistTagsSchema,
      }),
      'Published',
    ),
    ...errors,
    409: problem('This version was published before (versions are never reused)'),
    413: problem('The tarball is over the size limit'),
    422: problem('Integrity or signature check failed'),
  },
})

export const unpublish = createRoute({
  method: 'delete',
  path: '/{scope}/{name}/-/{version}',
  summary: 'Unpublish a version (within the window, or when nothing depends on it)',
  security: bearer,
  request: { params: z.object({ scope, name, version }) },
  responses: {
    204: { description: 'Unpublished; the version number stays taken' },
    ...errors,
    409: problem('Outside the window and depended upon'),
  },
})

export const tarball = createRoute({
  method: 'get',
  path: '/{scope}/{name}/-/{file}',
  summary: 'Download a tarball (`<name>-<version>.tgz`)',
  request: {
    params: z.object({
      scope,
      name,
      file: z
        .string()
        .openapi({ param: { name: 'file', in: 'path' }, example: 'convert-currency-1.2.0.tgz' }),
    }),
  },
  responses: {
    200: {
      description: 'The tarball; `Skillos-Integrity` carries its sha512',
      content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    304: { description: 'Not modified' },
    404: errors[404],
  },
})

export const putDistTag = createRoute({
  method: 'put',
  path: '/{scope}/{name}/-/dist-tags/{tag}',
  summary: 'Point a dist-tag at a version',
  security: bearer,
  request: {
    params: z.object({ scope, name, tag }),
    body: jsonBody(z.object({ version: z.string() })),
  },
  responses: { 200: json(DistTagsSchema, 'The dist-tags'), ...errors },
})

export const deleteDistTag = createRoute({
  method: 'delete',
  path: '/{scope}/{name}/-/dist-tags/{tag}',
  summary: 'Remove a dist-tag (not latest)',
  security: bearer,
  request: { params: z.object({ scope, name, tag }) },
  responses: { 200: json(DistTagsSchema, 'The dist-tags'), ...errors },
})

export const deprecate = createRoute({
  method: 'post',
  path: '/{scope}/{name}/-/deprecate',
  summary: 'Deprecate versions in a range ("" undeprecates)',
  security: bearer,
  request: {
    params: z.object({ scope, name }),
    body: jsonBody(z.object({ range: z.string().optional(), message: z.string().max(1000) })),
  },
  responses: {
    200: json(z.object({ versions: z.array(z.string()) }), 'Versions changed'),
    ...errors,
  },
})

export const packument = createRoute({
  method: 'get',
  path: '/{scope}/{name}',
  summary: 'All versions, dist-tags and times of a skill',
  request: { params: z.object({ scope, name }) },
  responses: {
    200: json(PackumentSchema, 'The packument (ETag; 304 on If-None-Match)'),
    304: { description: 'Not modified' },
    404: errors[404],
  },
})

export const versionRoute = createRoute({
  method: 'get',
  path: '/{scope}/{name}/{version}',
  summary: "One version's metadata",
  request: { params: z.object({ scope, name, version }) },
  responses: { 200: json(VersionSchema, 'The version'), 404: errors[404] },
})

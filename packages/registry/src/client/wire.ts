import { z } from 'zod'

/**
 * The registry's response bodies as the client reads them (see docs of the registry HTTP API).
 * Objects are loose: a newer server may add fields, and the client keeps working.
 */

/** A signature as the registry reports it: `{ keyId, algorithm, value }`, or the header form `"<keyId> <value>"`. */
export const wireSignatureSchema = z
  .union([
    z.looseObject({
      keyId: z.string().min(1),
      algorithm: z.literal('ed25519').default('ed25519'),
      value: z.string().min(1),
    }),
    z.string().regex(/^\S+ \S+$/),
  ])
  .transform((signature) => {
    if (typeof signature !== 'string') {
      return { keyId: signature.keyId, algorithm: signature.algorithm, value: signature.value }
    }
    const [keyId = '', value = ''] = signature.split(' ')
    return { keyId, algorithm: 'ed25519' as const, value }
  })

/** A deprecation message (the server may send a string or `{ message }`); `""`/null mean none. */
const deprecatedSchema = z
  .union([z.string(), z.looseObject({ message: z.string() }), z.null()])
  .optional()
  .transform(
    (d) =>
      (d === null || d === undefined ? undefined : typeof d === 'string' ? d : d.message) ||
      undefined,
  )

/** One published version: an entry of a packument's `versions`, or `GET /:scope/:name/:version`. */
export const versionMetadataSchema = z.looseObject({
  version: z.string().min(1),
  manifest: z
    .looseObject({
      dependencies: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  integrity: z.string().min(1),
  signature: wireSignatureSchema.optional().nullable(),
  size: z.number().optional(),
  publishedAt: z.string().optional(),
  publishedBy: z.string().optional(),
  deprecated: deprecatedSchema,
  tarball: z.string().min(1),
})
export type VersionMetadata = z.output<typeof versionMetadataSchema>

/** `GET /:scope/:name`: every version of a skill, its dist-tags and times. */
export const packumentSchema = z.looseObject({
  id: z.string().min(1),
  description: z.string().optional(),
  distTags: z.record(z.string(), z.string()).default({}),
  versions: z.record(z.string(), versionMetadataSchema),
  time: z.record(z.string(), z.string()).optional(),
})
export type Packument = z.output<typeof packumentSchema>

export const whoamiSchema = z.looseObject({ user: z.string(), role: z.string() })
export type Whoami = z.output<typeof whoamiSchema>

export const tokenRoles = ['read', 'publish', 'admin'] as const
export type TokenRole = (typeof tokenRoles)[number]

/** A token as listed: never its secret. */
export const tokenInfoSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  user: z.string(),
  createdAt: z.string().optional(),
  lastUsedAt: z.string().optional().nullable(),
  revokedAt: z.string().optional().nullable(),
})
export type TokenInfo = z.output<typeof tokenInfoSchema>

/** `POST /-/tokens` → the only response that carries the secret. */
export const createdTokenSchema = tokenInfoSchema.extend({ token: z.string().min(1) })
export type CreatedToken = z.output<typeof createdTokenSchema>

export const tokenListSchema = z
  .union([z.array(tokenInfoSchema), z.looseObject({ tokens: z.array(tokenInfoSchema) })])
  .transform((list) => (Array.isArray(list) ? list : list.tokens))

export const publishResultSchema = z.looseObject({
  id: z.string(),
  version: z.string(),
  integrity: z.string(),
  distTags: z.record(z.string(), z.string()).default({}),
})
export type PublishResult = z.output<typeof publishResultSchema>

export const searchResultSchema = z.looseObject({
  id: z.string(),
  version: z.string(),
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  author: z.string().optional().nullable(),
  deprecated: deprecatedSchema,
  quality: z.number().optional(),
  score: z.number().optional(),
  why: z.array(z.string()).default([]),
})
export type SearchResult = z.output<typeof searchResultSchema>

export const searchResponseSchema = z.looseObject({
  total: z.number().int(),
  results: z.array(searchResultSchema),
})
export type SearchResponse = z.output<typeof searchResponseSchema>

/** A member of a scope and their role there (`reader` < `publisher` < `owner`). */
export const scopeMemberSchema = z.looseObject({ user: z.string(), role: z.string() })
export type ScopeMember = z.output<typeof scopeMemberSchema>

/** `GET /-/scopes/:scope` (and what `PUT` on a scope or its members answers). */
export const scopeSchema = z.looseObject({
  scope: z.string().optional(),
  visibility: z.enum(['public', 'private']).optional(),
  requireSignatures: z.boolean().optional(),
  trustedKeys: z.array(z.string()).default([]),
  mirrored: z.boolean().optional(),
  members: z.array(scopeMemberSchema).default([]),
})
export type ScopeInfo = z.output<typeof scopeSchema>

/** `PUT`/`DELETE /:scope/:name/-/dist-tags/:tag` → the dist-tags after the change. */
export const distTagsSchema = z.record(z.string(), z.string())

/** `POST /:scope/:name/-/deprecate` → the versions whose deprecation was set (or cleared). */
export const deprecateResultSchema = z.looseObject({ versions: z.array(z.string()) })
export type DeprecateResult = z.output<typeof deprecateResultSchema>

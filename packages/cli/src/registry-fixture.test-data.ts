import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeIntegrity, inspectTarball, parseRange } from '@skillos/registry'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { createCliFixture, type CliFixture } from './cli-fixture.test-data.js'

/**
 * A registry in memory, speaking the wire format through an injected `fetch`: publish stores the
 * tarball, reads serve it back. The CLI's unit tests drive commands against it; the real server is
 * exercised end to end in apps/registry/src/cli-e2e.integration.test.ts.
 */
export interface MemoryRegistry {
  url: string
  fetch: typeof fetch
  /** A valid publish token of alice (owner of every scope she publishes in); others are refused with 401. */
  token: string
  /** Replace the bytes served for a version (the metadata keeps the original integrity). */
  tamper(id: string, version: string, bytes: Uint8Array): void
  /** Make a version older, so the unpublish window (72 h) has passed for it. */
  age(id: string, version: string, hours: number): void
  requests: { method: string; path: string; authorization: string | null }[]
}

interface Version {
  version: string
  integrity: string
  signature?: { keyId: string; algorithm: 'ed25519'; value: string }
  tarball: Uint8Array
  description: string
  tags: string[]
  dependencies: Record<string, string>
  deprecated?: string
  publishedAt: number
}

interface Token {
  id: string
  name: string
  role: 'read' | 'publish' | 'admin'
  user: string
  createdAt: string
  revokedAt?: string
}

const HOUR = 60 * 60 * 1000
const ROLES = ['read', 'publish', 'admin']

export function createMemoryRegistry(url = 'http://registry.test'): MemoryRegistry {
  const token = 'skr_memoryregistrytoken0000000000000000000000'
  const skills = new Map<
    string,
    { versions: Map<string, Version>; distTags: Record<string, string> }
  >()
  const requests: MemoryRegistry['requests'] = []
  const tokens = new Map<string, Token>([
    [
      token,
      {
        id: 'tok-0',
        name: 'fixture',
        role: 'publish',
        user: 'alice',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ],
  ])
  const scopes = new Map<string, { user: string; role: string }[]>()
  const problem = (
    status: number,
    code: string,
    detail: string,
    extra: Record<string, unknown> = {},
  ) =>
    new Response(
      JSON.stringify({ type: 'about:blank', title: code, status, code, detail, ...extra }),
      { status, headers: { 'content-type': 'application/problem+json' } },
    )
  const invalid = (path: string, message: string) =>
    problem(400, 'VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] })
  const scopeBody = (scope: string) => ({
    scope,
    visibility: 'public',
    requireSignatures: false,
    trustedKeys: [],
    mirrored: false,
    members: [...(scopes.get(scope) ?? [])].sort((a, b) => a.user.localeCompare(b.user)),
  })
  const meta = (id: string, v: Version) => ({
    version: v.version,
    manifest: { id, version: v.version },
    integrity: v.integrity,
    ...(v.signature ? { signature: v.signature } : {}),
    size: v.tarball.length,
    publishedAt: new Date(v.publishedAt).toISOString(),
    publishedBy: 'alice',
    ...(v.deprecated ? { deprecated: v.deprecated } : {}),
    tarball: `${url}/${id}/-/${id.split('/')[1]}-${v.version}.tgz`,
  })

  const handle = async (request: Request): Promise<Response> => {
    const target = new URL(request.url)
    const path = target.pathname
    const authorization = request.headers.get('authorization')
    requests.push({ method: request.method, path, authorization })
    const caller = authorization ? tokens.get(authorization.replace(/^Bearer /, '')) : undefined
    if (authorization && (!caller || caller.revokedAt)) {
      return problem(401, 'UNAUTHENTICATED', 'Invalid or revoked token')
    }
    const authed = caller !== undefined
    const required = () => problem(401, 'UNAUTHENTICATED', 'A token is required')
    const readOnly = () =>
      problem(
        403,
        'PERMISSION_DENIED',
        `A read token cannot change the registry (user ${caller?.user})`,
      )
    const body = async () => (await request.json()) as Record<string, unknown>
    if (path === '/-/whoami') {
      return caller ? Response.json({ user: caller.user, role: caller.role }) : required()
    }
    if (path === '/-/tokens' && request.method === 'POST') {
      if (!caller) return required()
      const input = await body()
      const role = String(input.role)
      if (!ROLES.includes(role))
        return invalid('role', `"${role}" is not one of read, publish, admin`)
      if (ROLES.indexOf(role) > ROLES.indexOf(caller.role)) {
        return problem(
          403,
          'PERMISSION_DENIED',
          `A ${caller.role} token cannot create a ${role} token`,
        )
      }
      const secret = `skr_${randomBytes(32).toString('base64url')}`
      const created: Token = {
        id: `tok-${tokens.size}`,
        name: String(input.name),
        role: role as Token['role'],
        user: caller.user,
        createdAt: new Date().toISOString(),
      }
      tokens.set(secret, created)
      return Response.json({ ...created, token: secret }, { status: 201 })
    }
    if (path === '/-/tokens' && request.method === 'GET') {
      if (!caller) return required()
      return Response.json([...tokens.values()].filter((t) => t.user === caller.user))
    }
    const revoke = /^\/-\/tokens\/([^/]+)$/.exec(path)
    if (revoke && request.method === 'DELETE') {
      if (!caller) return required()
      const id = decodeURIComponent(revoke[1]!)
      const found = [...tokens.values()].find((t) => t.id === id && t.user === caller.user)
      if (!found) return problem(404, 'NOT_FOUND', `Token ${id} was not found`)
      found.revokedAt ??= new Date().toISOString()
      return new Response(null, { status: 204 })
    }
    const scopeRoute = /^\/-\/scopes\/([^/]+)(?:\/members\/([^/]+))?$/.exec(path)
    if (scopeRoute) {
      const scope = scopeRoute[1]!
      const members = scopes.get(scope)
      if (!members) return problem(404, 'NOT_FOUND', `Scope ${scope} was not found`)
      if (request.method === 'GET' && !scopeRoute[2]) return Response.json(scopeBody(scope))
      if (!caller) return required()
      if (caller.role === 'read') return readOnly()
      if (!members.some((m) => m.user === caller.user && m.role === 'owner')) {
        return problem(403, 'PERMISSION_DENIED', `${caller.user} is not an owner of scope ${scope}`)
      }
      const user = decodeURIComponent(scopeRoute[2] ?? '')
      const current = members.find((m) => m.user === user)
      const lastOwner = () =>
        current?.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1
      if (request.method === 'PUT') {
        const role = String((await body()).role)
        if (!['reader', 'publisher', 'owner'].includes(role)) {
          return invalid('role', `"${role}" is not one of reader, publisher, owner`)
        }
        if (role !== 'owner' && lastOwner()) {
          return problem(
            409,
            'CONFLICT',
            `${user} is the last owner of scope ${scope}; add another owner first`,
          )
        }
        if (current) current.role = role
        else members.push({ user, role })
        return Response.json(scopeBody(scope))
      }
      if (request.method === 'DELETE') {
        if (!current)
          return problem(404, 'NOT_FOUND', `Member ${user} of scope ${scope} was not found`)
        if (lastOwner()) {
          return problem(
            409,
            'CONFLICT',
            `${user} is the last owner of scope ${scope}; add another owner first`,
          )
        }
        members.splice(members.indexOf(current), 1)
        return Response.json(scopeBody(scope))
      }
    }
    const manage = /^\/([^/]+)\/([^/]+)\/-\/(deprecate|dist-tags\/([^/]+))$/.exec(path)
    if (manage) {
      const id = `${manage[1]}/${manage[2]}`
      const skill = skills.get(id)
      if (!caller) return required()
      if (caller.role === 'read') return readOnly()
      if (!skill) return problem(404, 'NOT_FOUND', `Skill ${id} was not found`)
      if (manage[3] === 'deprecate' && request.method === 'POST') {
        const input = await body()
        const message = String(input.message)
        const range = typeof input.range === 'string' ? input.range : '*'
        let parsed
        try {
          parsed = parseRange(range)
        } catch {
          return invalid('range', `"${range}" is not a semver range`)
        }
        const matched = [...skill.versions.values()].filter((v) => parsed.test(v.version))
        if (matched.length === 0) {
          return problem(404, 'NOT_FOUND', `A version of ${id} in range ${range} was not found`)
        }
        for (const v of matched) {
          if (message === '') delete v.deprecated
          else v.deprecated = message
        }
        return Response.json({ versions: matched.map((v) => v.version) })
      }
      const tag = decodeURIComponent(manage[4] ?? '')
      if (request.method === 'PUT') {
        const version = String((await body()).version)
        if (!skill.versions.has(version))
          return problem(404, 'NOT_FOUND', `${id}@${version} was not found`)
        skill.distTags[tag] = version
        return Response.json(skill.distTags)
      }
      if (request.method === 'DELETE') {
        if (tag === 'latest') return invalid('tag', 'latest cannot be removed; point it elsewhere')
        if (skill.distTags[tag] === undefined) {
          return problem(404, 'NOT_FOUND', `Dist-tag ${tag} of ${id} was not found`)
        }
        delete skill.distTags[tag]
        return Response.json(skill.distTags)
      }
    }
    if (path === '/-/search') {
      const q = (target.searchParams.get('q') ?? '').toLowerCase()
      const results = [...skills.entries()]
        .map(([id, skill]) => ({ id, v: skill.versions.get(skill.distTags.latest!)! }))
        .filter(({ id, v }) => q.split(/\s+/).some((w) => `${id} ${v.description}`.includes(w)))
        .map(({ id, v }) => ({
          id,
          version: v.version,
          description: v.description,
          tags: v.tags,
          quality: 0.5,
          score: 1,
          why: [`matched "${q}" in the description`],
        }))
      return Response.json({ total: results.length, results })
    }
    const publish = /^\/([^/]+)\/([^/]+)\/-\/(\d[^/]*)$/.exec(path)
    if (publish && request.method === 'DELETE') {
      if (!caller) return required()
      if (caller.role === 'read') return readOnly()
      const id = `${publish[1]}/${publish[2]}`
      const skill = skills.get(id)
      const v = skill?.versions.get(publish[3]!)
      if (!skill || !v) return problem(404, 'NOT_FOUND', `${id}@${publish[3]} was not found`)
      if (Date.now() - v.publishedAt > 72 * HOUR) {
        const dependents = [...skills.entries()].flatMap(([other, s]) =>
          [...s.versions.values()]
            .filter((d) => d.dependencies[id] && parseRange(d.dependencies[id]).test(v.version))
            .map((d) => `${other}@${d.version}`),
        )
        if (dependents.length > 0) {
          return problem(
            409,
            'CONFLICT',
            `${id}@${v.version} was published more than 72 h ago and ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on it; deprecate it instead`,
            { details: { dependents } },
          )
        }
      }
      skill.versions.delete(v.version)
      for (const [tag, version] of Object.entries(skill.distTags)) {
        if (version === v.version) delete skill.distTags[tag]
      }
      const highest = [...skill.versions.keys()].sort().at(-1)
      if (skill.distTags.latest === undefined && highest) skill.distTags.latest = highest
      return new Response(null, { status: 204 })
    }
    if (publish && request.method === 'PUT') {
      if (!authed) return required()
      if (caller.role === 'read') return readOnly()
      const id = `${publish[1]}/${publish[2]}`
      const bytes = new Uint8Array(await request.arrayBuffer())
      const integrity = request.headers.get('skillos-integrity') ?? ''
      if (computeIntegrity(bytes) !== integrity) {
        return problem(400, 'INTEGRITY_FAILED', 'The body does not match Skillos-Integrity')
      }
      const skill = skills.get(id) ?? {
        versions: new Map<string, Version>(),
        distTags: {} as Record<string, string>,
      }
      if (skill.versions.has(publish[3]!)) {
        return problem(
          409,
          'CONFLICT',
          `${id}@${publish[3]} was already published; versions are immutable`,
        )
      }
      const { manifest } = await inspectTarball(bytes)
      const header = request.headers.get('skillos-signature')
      const [keyId, value] = header ? header.split(' ') : []
      skill.versions.set(publish[3]!, {
        version: publish[3]!,
        integrity,
        ...(keyId && value ? { signature: { keyId, algorithm: 'ed25519' as const, value } } : {}),
        tarball: bytes,
        description: manifest?.description ?? '',
        tags: manifest?.tags ?? [],
        dependencies: manifest?.dependencies ?? {},
        publishedAt: Date.now(),
      })
      if (!scopes.has(publish[1]!)) scopes.set(publish[1]!, [{ user: caller.user, role: 'owner' }])
      const tag = target.searchParams.get('tag') ?? 'latest'
      skill.distTags[tag] = publish[3]!
      skills.set(id, skill)
      return Response.json(
        { id, version: publish[3], integrity, distTags: skill.distTags },
        { status: 201 },
      )
    }
    const tgz = /^\/([^/]+)\/([^/]+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path)
    if (tgz) {
      const v = skills.get(`${tgz[1]}/${tgz[2]}`)?.versions.get(tgz[3]!)
      return v
        ? new Response(v.tarball as Uint8Array<ArrayBuffer>, {
            headers: { 'content-type': 'application/gzip' },
          })
        : problem(404, 'NOT_FOUND', 'no such tarball')
    }
    const version = /^\/([^/]+)\/([^/]+)\/(\d[^/]*)$/.exec(path)
    if (version) {
      const id = `${version[1]}/${version[2]}`
      const v = skills.get(id)?.versions.get(version[3]!)
      return v
        ? Response.json(meta(id, v))
        : problem(404, 'NOT_FOUND', `${id}@${version[3]} not found`)
    }
    const packument = /^\/([^/-][^/]*)\/([^/]+)$/.exec(path)
    if (packument) {
      const id = `${packument[1]}/${packument[2]}`
      const skill = skills.get(id)
      if (!skill) return problem(404, 'NOT_FOUND', `Skill ${id} not found`)
      return Response.json({
        id,
        distTags: skill.distTags,
        versions: Object.fromEntries([...skill.versions].map(([k, v]) => [k, meta(id, v)])),
      })
    }
    return problem(404, 'NOT_FOUND', `no route ${request.method} ${path}`)
  }

  return {
    url,
    token,
    requests,
    fetch: ((input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init)
      if (!request.url.startsWith(url)) return Promise.reject(new TypeError('fetch failed'))
      return handle(request)
    }) as typeof fetch,
    tamper(id, version, bytes) {
      skills.get(id)!.versions.get(version)!.tarball = bytes
    },
    age(id, version, hours) {
      skills.get(id)!.versions.get(version)!.publishedAt -= hours * HOUR
    },
  }
}

export type ConfigHome = Awaited<ReturnType<typeof createConfigHome>>

/**
 * The hooks every registry command test file needs: one CLI fixture for the file (`prepare` may
 * write into it), and a fresh memory registry and config home for each test. `use` receives them
 * whenever they change, so a test file keeps plain variables:
 *
 * ```ts
 * let fixture: CliFixture, home: ConfigHome, registry: MemoryRegistry
 * useRegistryCli((state) => ({ fixture, home, registry } = state))
 * ```
 */
export function useRegistryCli(
  use: (state: { fixture: CliFixture; home: ConfigHome; registry: MemoryRegistry }) => void,
  prepare?: (fixture: CliFixture) => Promise<void>,
): void {
  const state = {} as { fixture: CliFixture; home: ConfigHome; registry: MemoryRegistry }
  beforeAll(async () => {
    state.fixture = await createCliFixture()
    await prepare?.(state.fixture)
    use(state)
  })
  afterAll(() => state.fixture?.cleanup())
  beforeEach(async () => {
    state.home = await createConfigHome()
    state.registry = createMemoryRegistry()
    use(state)
    return () => state.home.cleanup()
  })
}

/** A temporary XDG_CONFIG_HOME, so credentials never touch the real home folder. */
export async function createConfigHome(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'skillos-xdg-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** What a CLI call against the memory registry gets: its URL, a token (default: the publisher's) and its fetch. */
export function registryIo(
  home: { dir: string },
  registry: MemoryRegistry,
  token: string | undefined = registry.token,
) {
  return {
    env: {
      USER: 'ann',
      XDG_CONFIG_HOME: home.dir,
      SKILLOS_REGISTRY_URL: registry.url,
      ...(token ? { SKILLOS_REGISTRY_TOKEN: token } : {}),
    },
    fetch: registry.fetch,
  }
}

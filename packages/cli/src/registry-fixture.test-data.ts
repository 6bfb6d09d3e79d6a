import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeIntegrity, inspectTarball } from '@skillos/registry'

/**
 * A registry in memory, speaking the wire format through an injected `fetch`: publish stores the
 * tarball, reads serve it back. The CLI's unit tests drive commands against it; the real server is
 * exercised end to end in apps/registry/src/cli-e2e.integration.test.ts.
 */
export interface MemoryRegistry {
  url: string
  fetch: typeof fetch
  /** A valid publish token; any other is refused with 401. */
  token: string
  /** Replace the bytes served for a version (the metadata keeps the original integrity). */
  tamper(id: string, version: string, bytes: Uint8Array): void
  requests: { method: string; path: string; authorization: string | null }[]
}

interface Version {
  version: string
  integrity: string
  signature?: { keyId: string; algorithm: 'ed25519'; value: string }
  tarball: Uint8Array
  description: string
  tags: string[]
}

export function createMemoryRegistry(url = 'http://registry.test'): MemoryRegistry {
  const token = 'skr_memoryregistrytoken0000000000000000000000'
  const skills = new Map<
    string,
    { versions: Map<string, Version>; distTags: Record<string, string> }
  >()
  const requests: MemoryRegistry['requests'] = []
  const problem = (status: number, code: string, detail: string) =>
    new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, detail }), {
      status,
      headers: { 'content-type': 'application/problem+json' },
    })
  const meta = (id: string, v: Version) => ({
    version: v.version,
    manifest: { id, version: v.version },
    integrity: v.integrity,
    ...(v.signature ? { signature: v.signature } : {}),
    size: v.tarball.length,
    publishedAt: '2026-01-01T00:00:00.000Z',
    publishedBy: 'alice',
    tarball: `${url}/${id}/-/${id.split('/')[1]}-${v.version}.tgz`,
  })

  const handle = async (request: Request): Promise<Response> => {
    const target = new URL(request.url)
    const path = target.pathname
    const authorization = request.headers.get('authorization')
    requests.push({ method: request.method, path, authorization })
    const authed = authorization === `Bearer ${token}`
    if (authorization && !authed) return problem(401, 'UNAUTHENTICATED', 'Invalid or revoked token')
    if (path === '/-/whoami') {
      return authed
        ? Response.json({ user: 'alice', role: 'publish' })
        : problem(401, 'UNAUTHENTICATED', 'A token is required')
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
    if (publish && request.method === 'PUT') {
      if (!authed) return problem(401, 'UNAUTHENTICATED', 'A token is required')
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
      })
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
  }
}

/** A temporary XDG_CONFIG_HOME, so credentials never touch the real home folder. */
export async function createConfigHome(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'skillos-xdg-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

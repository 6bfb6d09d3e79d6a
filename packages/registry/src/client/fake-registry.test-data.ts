import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { packSkill } from '../pack/pack.js'
import type { SigningKeyInput, SkillSignature } from '../pack/signature.js'

/**
 * An in-memory registry speaking the wire format, as a `fetch` function: enough for the client's
 * unit tests (the real server is tested end to end in apps/registry).
 */
export interface FakeRegistry {
  url: string
  fetch: typeof fetch
  /** Pack `files` as skill `id@version` and publish it. */
  add(
    id: string,
    version: string,
    options?: {
      dependencies?: Record<string, string>
      signingKey?: SigningKeyInput
      tag?: string
      deprecated?: string
      body?: string
    },
  ): Promise<{ tarball: Uint8Array; integrity: string; signature?: SkillSignature }>
  /** Serve other bytes for a version's tarball (the metadata keeps the original integrity). */
  tamper(id: string, version: string, bytes: Uint8Array): void
  /** Replace the signature the metadata reports. */
  setSignature(id: string, version: string, signature: SkillSignature | undefined): void
  requests: { method: string; url: string; authorization?: string }[]
  cleanup(): Promise<void>
}

interface Stored {
  version: string
  integrity: string
  signature?: SkillSignature
  tarball: Uint8Array
  deprecated?: string
  dependencies: Record<string, string>
  publishedAt: string
}

export async function createFakeRegistry(url = 'http://registry.test'): Promise<FakeRegistry> {
  const work = await mkdtemp(join(tmpdir(), 'skillos-fake-registry-'))
  const skills = new Map<
    string,
    { versions: Map<string, Stored>; distTags: Record<string, string> }
  >()
  const requests: FakeRegistry['requests'] = []

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  const problem = (status: number, code: string, detail: string) =>
    new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, detail }), {
      status,
      headers: { 'content-type': 'application/problem+json' },
    })

  const metadata = (id: string, stored: Stored) => {
    const name = id.split('/')[1]
    return {
      version: stored.version,
      manifest: { id, version: stored.version, dependencies: stored.dependencies },
      integrity: stored.integrity,
      ...(stored.signature ? { signature: stored.signature } : {}),
      size: stored.tarball.length,
      publishedAt: stored.publishedAt,
      publishedBy: 'alice',
      ...(stored.deprecated ? { deprecated: stored.deprecated } : {}),
      tarball: `${url}/${id}/-/${name}-${stored.version}.tgz`,
    }
  }

  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const target = new URL(input instanceof Request ? input.url : input.toString())
    const method = init?.method ?? 'GET'
    const headers = new Headers(init?.headers)
    requests.push({
      method,
      url: target.toString(),
      ...(headers.get('authorization') ? { authorization: headers.get('authorization')! } : {}),
    })
    if (!target.toString().startsWith(url)) throw new TypeError('fetch failed')
    const path = target.pathname
    const tarballMatch = /^\/([^/]+)\/([^/]+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path)
    if (tarballMatch) {
      const stored = skills
        .get(`${tarballMatch[1]}/${tarballMatch[2]}`)
        ?.versions.get(tarballMatch[3]!)
      if (!stored) return problem(404, 'NOT_FOUND', 'no such tarball')
      return new Response(stored.tarball as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': 'application/gzip' },
      })
    }
    const versionMatch = /^\/([^/]+)\/([^/]+)\/([^/-][^/]*)$/.exec(path)
    if (versionMatch) {
      const id = `${versionMatch[1]}/${versionMatch[2]}`
      const stored = skills.get(id)?.versions.get(versionMatch[3]!)
      if (!stored) return problem(404, 'NOT_FOUND', `${id}@${versionMatch[3]} not found`)
      return json(metadata(id, stored))
    }
    const packumentMatch = /^\/([^/-][^/]*)\/([^/]+)$/.exec(path)
    if (packumentMatch) {
      const id = `${packumentMatch[1]}/${packumentMatch[2]}`
      const skill = skills.get(id)
      if (!skill) return problem(404, 'NOT_FOUND', `Skill ${id} not found`)
      return json({
        id,
        description: 'a test skill',
        distTags: skill.distTags,
        versions: Object.fromEntries(
          [...skill.versions.values()].map((stored) => [stored.version, metadata(id, stored)]),
        ),
        time: {},
      })
    }
    return problem(404, 'NOT_FOUND', `no route ${method} ${path}`)
  }) as typeof fetch

  return {
    url,
    fetch: fakeFetch,
    requests,
    async add(id, version, options = {}) {
      const dir = join(work, `${id.replace('/', '__')}-${version}`)
      await mkdir(dir, { recursive: true })
      await writeFile(
        join(dir, 'skill.yaml'),
        stringify({
          id,
          version,
          name: `Skill ${id}`,
          description: `The ${id} test skill`,
          ...(options.dependencies ? { dependencies: options.dependencies } : {}),
        }),
      )
      await writeFile(
        join(dir, 'index.ts'),
        `export default { handler: () => (${JSON.stringify({ id, version, body: options.body ?? '' })}) }\n`,
      )
      const packed = await packSkill(
        dir,
        options.signingKey === undefined ? {} : { signingKey: options.signingKey },
      )
      const skill = skills.get(id) ?? {
        versions: new Map<string, Stored>(),
        distTags: {} as Record<string, string>,
      }
      skills.set(id, skill)
      skill.versions.set(version, {
        version,
        integrity: packed.integrity,
        ...(packed.signature ? { signature: packed.signature } : {}),
        tarball: packed.tarball,
        ...(options.deprecated ? { deprecated: options.deprecated } : {}),
        dependencies: options.dependencies ?? {},
        publishedAt: new Date().toISOString(),
      })
      skill.distTags[options.tag ?? 'latest'] = version
      return {
        tarball: packed.tarball,
        integrity: packed.integrity,
        ...(packed.signature ? { signature: packed.signature } : {}),
      }
    },
    tamper(id, version, bytes) {
      skills.get(id)!.versions.get(version)!.tarball = bytes
    },
    setSignature(id, version, signature) {
      const stored = skills.get(id)!.versions.get(version)!
      if (signature) stored.signature = signature
      else delete stored.signature
    },
    cleanup: () => rm(work, { recursive: true, force: true }),
  }
}

/**
 * End to end: the real registry on a real port, the real `skillos` CLI (in-process, as its own tests
 * run it) publishing from one workspace and installing into others. Runs on the embedded default
 * (PGlite + local disk) always, and again on PostgreSQL + Redis when SKILLOS_TEST_DATABASE_URL and
 * SKILLOS_TEST_REDIS_URL are set (required under CI=true).
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { runCli } from '@skillos/cli'
import { generateSigningKeys, packSkill, readLockfile } from '@skillos/registry'
import { openKeyValue, registryVersions } from '@skillos/store'
import { createTestDatabase, uniqueTestPrefix } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRegistry, type RunningRegistry, type StartRegistryOptions } from './index.js'

interface Backend {
  name: string
  open(): Promise<{ options: StartRegistryOptions; cleanup(): Promise<void> }>
}

interface Workspace {
  dir: string
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>
  write(path: string, text: string): Promise<void>
  read(path: string): Promise<string>
}

const SKILL_ID = 'acme/convert-currency'
const HOUR = 60 * 60 * 1000

function manifest(
  version: string,
  options: { id?: string; dependencies?: Record<string, string> } = {},
): string {
  return [
    `id: ${options.id ?? SKILL_ID}`,
    `version: ${version}`,
    'name: Convert currency',
    'description: Convert an amount of money from one currency to another at a fixed rate',
    'tags: [finance, currency]',
    'examples:',
    '  - convert 100 EUR to USD',
    ...(options.dependencies
      ? [
          'dependencies:',
          ...Object.entries(options.dependencies).map(([id, range]) => `  ${id}: "${range}"`),
        ]
      : []),
    '',
  ].join('\n')
}
const HANDLER = `const RATES: Record<string, number> = { EUR: 1.1, USD: 1 }
export default {
  handler: ({ amount, from, to }: { amount: number; from: string; to: string }) => ({
    amount: (amount * (RATES[from] ?? 1)) / (RATES[to] ?? 1),
  }),
}
`

const temporaries: string[] = []
async function temporary(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  temporaries.push(dir)
  return dir
}

/** A workspace folder, its own XDG config home, and the CLI run in it. */
async function createWorkspace(config: Record<string, unknown>): Promise<Workspace> {
  const dir = await temporary('skillos-e2e-workspace-')
  const configHome = await temporary('skillos-e2e-xdg-')
  const write = async (path: string, text: string) => {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  await write('skillos.config.json', JSON.stringify(config, null, 2))
  await mkdir(join(dir, 'skills'), { recursive: true })
  return {
    dir,
    write,
    read: (path) => readFile(join(dir, path), 'utf8'),
    async cli(args) {
      const out: string[] = []
      const err: string[] = []
      const code = await runCli(args, {
        cwd: dir,
        env: { USER: 'e2e', XDG_CONFIG_HOME: configHome },
        stdout: (text) => out.push(text),
        stderr: (text) => err.push(text),
      })
      process.exitCode = undefined
      return { code, stdout: out.join('\n'), stderr: err.join('\n') }
    },
  }
}

/** Write `id@version` (default: SKILL_ID) into `workspace` and publish it with the CLI. */
async function publishVersion(
  workspace: Workspace,
  version: string,
  options: { id?: string; dependencies?: Record<string, string> } = {},
) {
  const id = options.id ?? SKILL_ID
  await workspace.write(`skills/${id}/skill.yaml`, manifest(version, options))
  await workspace.write(`skills/${id}/index.ts`, HANDLER)
  return workspace.cli(['publish', `skills/${id}`])
}

/** Every file under `dir`, relative path → bytes (base64), for byte-for-byte comparisons. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files[relative(dir, path)] = (await readFile(path)).toString('base64')
  }
  return files
}

/**
 * A registry front I control: forwards everything to the real one (rewriting its URL to mine in
 * JSON bodies, so tarball links come here too), but serves other bytes for one tarball.
 */
async function startTamperingProxy(
  upstream: string,
  tamper: { path: string; bytes: Uint8Array },
): Promise<{ url: string; close(): Promise<void> }> {
  let url = ''
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.url === tamper.path) {
        response.writeHead(200, { 'content-type': 'application/gzip' })
        response.end(Buffer.from(tamper.bytes))
        return
      }
      const forwarded = await fetch(`${upstream}${request.url}`, {
        method: request.method ?? 'GET',
        headers: request.headers.authorization
          ? { authorization: request.headers.authorization }
          : {},
      })
      const type = forwarded.headers.get('content-type') ?? ''
      const body = Buffer.from(await forwarded.arrayBuffer())
      response.writeHead(forwarded.status, { 'content-type': type })
      response.end(type.includes('json') ? body.toString('utf8').replaceAll(upstream, url) : body)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function describeCliFlow(backend: Backend): void {
  describe(`skillos publish / install against the registry (${backend.name})`, () => {
    let registry: RunningRegistry
    let cleanupBackend: () => Promise<void>
    let adminToken: string
    let publishToken: string
    let publishTokenId: string
    const publisherKeys = generateSigningKeys()
    const intruderKeys = generateSigningKeys()
    let publisher: Workspace
    let consumer: Workspace
    let publishedIntegrity: string
    let keysDir: string

    beforeAll(async () => {
      const opened = await backend.open()
      cleanupBackend = opened.cleanup
      const storagePath = await temporary('skillos-e2e-blobs-')
      registry = await startRegistry({ storagePath, ...opened.options, port: 0 })
      adminToken = (await registry.createToken({ user: 'admin', role: 'admin' })).token
      ;({ id: publishTokenId, token: publishToken } = await issueToken('alice', 'laptop'))

      keysDir = await temporary('skillos-e2e-keys-')
      await writeFile(
        join(keysDir, 'publisher.pem'),
        publisherKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      )
      await writeFile(
        join(keysDir, 'publisher.pub.pem'),
        publisherKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      )
      await writeFile(
        join(keysDir, 'intruder.pem'),
        intruderKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      )
      publisher = await createWorkspace({
        registry: { url: registry.url, signingKey: join(keysDir, 'publisher.pem') },
      })
      consumer = await trustingWorkspace()
      await publisher.write(`skills/${SKILL_ID}/index.ts`, HANDLER)
      await publisher.write(`skills/${SKILL_ID}/README.md`, '# Convert currency\n')
    }, 60_000)

    /** A publish token the admin creates for `user` over HTTP, as an operator would. */
    async function issueToken(user: string, name: string): Promise<{ id: string; token: string }> {
      const response = await fetch(`${registry.url}/-/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, role: 'publish', user }),
      })
      expect(response.status).toBe(201)
      return (await response.json()) as { id: string; token: string }
    }

    /** The registry's packument of `id`, read anonymously over HTTP (not through the CLI). */
    async function packument(id: string) {
      const response = await fetch(`${registry.url}/${id}`)
      expect(response.status).toBe(200)
      return (await response.json()) as {
        distTags: Record<string, string>
        versions: Record<string, { deprecated?: string }>
      }
    }

    /** The deprecation message of every version of `id` (undefined: not deprecated). */
    async function deprecations(id: string) {
      const { versions } = await packument(id)
      return Object.fromEntries(Object.entries(versions).map(([v, m]) => [v, m.deprecated]))
    }

    /** A new workspace, not logged in, that trusts only the publisher's key (like the consumer). */
    function trustingWorkspace(): Promise<Workspace> {
      return createWorkspace({
        registry: { url: registry.url, trustedKeys: [join(keysDir, 'publisher.pub.pem')] },
      })
    }

    afterAll(async () => {
      await registry?.close()
      await cleanupBackend?.()
      await Promise.all(
        temporaries.splice(0).map((dir) => rm(dir, { recursive: true, force: true })),
      )
    })

    it('logs in (checked with whoami) and publishes a signed skill, printing id@version and the integrity', async () => {
      const login = await publisher.cli([
        'login',
        '--registry',
        registry.url,
        '--token',
        publishToken,
      ])
      expect(login.code, login.stderr).toBe(0)
      expect(login.stdout).toContain(`Logged in to ${registry.url} as alice (publish)`)
      expect(login.stdout).not.toContain(publishToken)

      await publisher.write(`skills/${SKILL_ID}/skill.yaml`, manifest('1.0.0'))
      const first = await publisher.cli(['publish', `skills/${SKILL_ID}`])
      expect(first.code, first.stderr).toBe(0)
      await publisher.write(`skills/${SKILL_ID}/skill.yaml`, manifest('1.1.0'))
      const second = await publisher.cli(['publish', `skills/${SKILL_ID}`])
      expect(second.code, second.stderr).toBe(0)

      const packed = await packSkill(join(publisher.dir, 'skills', SKILL_ID))
      publishedIntegrity = packed.integrity
      expect(second.stdout.split('\n').slice(0, 3)).toEqual([
        `published ${SKILL_ID}@1.1.0 to ${registry.url} (latest)`,
        `  integrity ${packed.integrity}`,
        `  signed by ${publisherKeys.keyId}`,
      ])
    })

    it('refuses to publish the same version again (409)', async () => {
      const again = await publisher.cli(['publish', `skills/${SKILL_ID}`])
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/^skillos: CONFLICT: /)
    })

    it('finds the skill with search', async () => {
      const found = await consumer.cli(['search', 'convert money currency', '--json'])
      expect(found.code, found.stderr).toBe(0)
      const body = JSON.parse(found.stdout) as { results: { id: string; version: string }[] }
      expect(body.results.map((r) => `${r.id}@${r.version}`)).toContain(`${SKILL_ID}@1.1.0`)
    })

    it('installs into another workspace: same bytes as published, verified signature, lockfile written', async () => {
      const result = await consumer.cli(['install', `${SKILL_ID}@^1.0.0`])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout.split('\n')[0]).toBe(
        `+ ${SKILL_ID}@1.1.0  skills/${SKILL_ID}  signed by ${publisherKeys.keyId}`,
      )
      expect(await snapshot(join(consumer.dir, 'skills', SKILL_ID))).toEqual(
        await snapshot(join(publisher.dir, 'skills', SKILL_ID)),
      )
      const lock = await readLockfile(join(consumer.dir, 'skills-lock.yaml'))
      expect(lock.skills[SKILL_ID]).toEqual({
        version: '1.1.0',
        range: '^1.0.0',
        registry: registry.url,
        tarball: `${registry.url}/${SKILL_ID}/-/convert-currency-1.1.0.tgz`,
        integrity: publishedIntegrity,
        signature: { keyId: publisherKeys.keyId, value: expect.any(String) },
      })
    })

    it('re-installs from skills-lock.yaml with identical bytes', async () => {
      const before = await snapshot(join(consumer.dir, 'skills', SKILL_ID))
      const lockBefore = await consumer.read('skills-lock.yaml')
      await rm(join(consumer.dir, 'skills', 'acme'), { recursive: true })
      const result = await consumer.cli(['install'])
      expect(result.code, result.stderr).toBe(0)
      expect(await snapshot(join(consumer.dir, 'skills', SKILL_ID))).toEqual(before)
      expect(await consumer.read('skills-lock.yaml')).toBe(lockBefore)
    })

    it('fails on a tampered tarball with an integrity error and installs nothing', async () => {
      const v100 = await fetch(`${registry.url}/${SKILL_ID}/-/convert-currency-1.0.0.tgz`)
      const proxy = await startTamperingProxy(registry.url, {
        path: `/${SKILL_ID}/-/convert-currency-1.1.0.tgz`,
        bytes: new Uint8Array(await v100.arrayBuffer()),
      })
      try {
        // By id, through a registry front that serves other bytes.
        const fresh = await createWorkspace({})
        const byId = await fresh.cli(['install', SKILL_ID, '--registry', proxy.url])
        expect(byId.code).toBe(1)
        expect(byId.stderr).toMatch(
          /^skillos: INTEGRITY_FAILED: .*Integrity check failed: expected sha512-/,
        )
        expect(await readdir(join(fresh.dir, 'skills'))).toEqual([])
        expect(existsSync(join(fresh.dir, 'skills-lock.yaml'))).toBe(false)

        // From a lockfile whose tarball now comes back different.
        const locked = await createWorkspace({})
        await locked.write(
          'skills-lock.yaml',
          (await consumer.read('skills-lock.yaml')).replaceAll(registry.url, proxy.url),
        )
        const fromLock = await locked.cli(['install'])
        expect(fromLock.code).toBe(1)
        expect(fromLock.stderr).toContain('INTEGRITY_FAILED')
        expect(await readdir(join(locked.dir, 'skills'))).toEqual([])
      } finally {
        await proxy.close()
      }
    })

    it('refuses a version signed by a key it does not trust, and keeps the installed one', async () => {
      // 1.2.0 signed with another key (a leaked publish token, say): the registry accepts it, as
      // the scope does not require signatures; the consumer trusts only the publisher's key.
      const intruderPublisher = await createWorkspace({
        registry: {
          url: registry.url,
          token: publishToken,
          signingKey: join(keysDir, 'intruder.pem'),
        },
      })
      await intruderPublisher.write(`skills/${SKILL_ID}/skill.yaml`, manifest('1.2.0'))
      await intruderPublisher.write(`skills/${SKILL_ID}/index.ts`, `${HANDLER}// changed\n`)
      const published = await intruderPublisher.cli(['publish', `skills/${SKILL_ID}`])
      expect(published.code, published.stderr).toBe(0)
      expect(published.stdout).toContain(`signed by ${intruderKeys.keyId}`)

      const before = await snapshot(join(consumer.dir, 'skills', SKILL_ID))
      const lockBefore = await consumer.read('skills-lock.yaml')
      const update = await consumer.cli(['update'])
      expect(update.code).toBe(1)
      expect(update.stderr).toBe(
        `skillos: INTEGRITY_FAILED: ${SKILL_ID}@1.2.0: Signature was made by key "${intruderKeys.keyId}", which is not trusted (trusted: ${publisherKeys.keyId}); nothing was installed`,
      )
      expect(await snapshot(join(consumer.dir, 'skills', SKILL_ID))).toEqual(before)
      expect(await consumer.read('skills-lock.yaml')).toBe(lockBefore)
    })

    it('reports outdated skills against the registry', async () => {
      const result = await consumer.cli(['outdated', '--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual([
        {
          id: SKILL_ID,
          current: '1.1.0',
          wanted: '1.2.0',
          latest: '1.2.0',
          range: '^1.0.0',
          registry: registry.url,
        },
      ])
    })

    it('adds, lists and removes dist-tags; install resolves a tag to its version', async () => {
      const add = await publisher.cli(['dist-tag', 'add', `${SKILL_ID}@1.0.0`, 'stable'])
      expect(add.code, add.stderr).toBe(0)
      expect(add.stdout).toBe(`stable: ${SKILL_ID}@1.0.0 on ${registry.url}`)
      const ls = await consumer.cli(['dist-tag', 'ls', SKILL_ID])
      expect(ls.code, ls.stderr).toBe(0)
      expect(ls.stdout).toBe('latest: 1.2.0\nstable: 1.0.0')

      const fresh = await trustingWorkspace()
      const installed = await fresh.cli(['install', `${SKILL_ID}@stable`])
      expect(installed.code, installed.stderr).toBe(0)
      expect(installed.stdout.split('\n')[0]).toBe(
        `+ ${SKILL_ID}@1.0.0  skills/${SKILL_ID}  signed by ${publisherKeys.keyId}`,
      )
      expect(
        (await readLockfile(join(fresh.dir, 'skills-lock.yaml'))).skills[SKILL_ID],
      ).toMatchObject({ version: '1.0.0', range: 'stable' })

      const moved = await publisher.cli([
        'dist-tag',
        'add',
        `${SKILL_ID}@1.1.0`,
        'stable',
        '--json',
      ])
      expect(moved.code, moved.stderr).toBe(0)
      expect(JSON.parse(moved.stdout)).toEqual({
        id: SKILL_ID,
        registry: registry.url,
        distTags: { latest: '1.2.0', stable: '1.1.0' },
      })
      expect((await packument(SKILL_ID)).distTags).toEqual({ latest: '1.2.0', stable: '1.1.0' })

      const rm = await publisher.cli(['dist-tag', 'rm', SKILL_ID, 'stable'])
      expect(rm.code, rm.stderr).toBe(0)
      expect(rm.stdout).toBe(`removed dist-tag stable from ${SKILL_ID}; left: latest: 1.2.0`)
      expect((await packument(SKILL_ID)).distTags).toEqual({ latest: '1.2.0' })
      expect((await consumer.cli(['dist-tag', 'ls', SKILL_ID])).stdout).toBe('latest: 1.2.0')

      const again = await publisher.cli(['dist-tag', 'rm', SKILL_ID, 'stable'])
      expect(again.code).toBe(1)
      expect(again.stderr).toBe(`skillos: NOT_FOUND: Dist-tag stable of ${SKILL_ID} was not found`)
      const missing = await publisher.cli(['dist-tag', 'add', `${SKILL_ID}@9.9.9`, 'beta'])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toBe(`skillos: NOT_FOUND: ${SKILL_ID}@9.9.9 was not found`)
      expect((await packument(SKILL_ID)).distTags).toEqual({ latest: '1.2.0' })
    })

    it('deprecates a range (install warns) and a dist-tag, and --undo clears them', async () => {
      const result = await publisher.cli(['deprecate', `${SKILL_ID}@<1.1.0`, 'use 1.1.0 or later'])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toBe(
        `deprecated ${SKILL_ID}@1.0.0 on ${registry.url}\n  "use 1.1.0 or later"`,
      )
      expect(await deprecations(SKILL_ID)).toEqual({
        '1.0.0': 'use 1.1.0 or later',
        '1.1.0': undefined,
        '1.2.0': undefined,
      })
      const fresh = await trustingWorkspace()
      const installed = await fresh.cli(['install', `${SKILL_ID}@1.0.0`])
      expect(installed.code, installed.stderr).toBe(0)
      expect(installed.stdout.split('\n').slice(0, 2)).toEqual([
        `+ ${SKILL_ID}@1.0.0  skills/${SKILL_ID}  signed by ${publisherKeys.keyId}`,
        '    ! deprecated: use 1.1.0 or later',
      ])

      const byTag = await publisher.cli(['deprecate', `${SKILL_ID}@latest`, 'use 2.x', '--json'])
      expect(byTag.code, byTag.stderr).toBe(0)
      expect(JSON.parse(byTag.stdout)).toEqual({
        id: SKILL_ID,
        registry: registry.url,
        range: '1.2.0',
        message: 'use 2.x',
        versions: ['1.2.0'],
      })
      expect((await deprecations(SKILL_ID))['1.2.0']).toBe('use 2.x')

      const undo = await publisher.cli(['deprecate', SKILL_ID, '--undo'])
      expect(undo.code, undo.stderr).toBe(0)
      expect(undo.stdout).toBe(`undeprecated ${SKILL_ID}@1.0.0, 1.1.0, 1.2.0 on ${registry.url}`)
      expect(await deprecations(SKILL_ID)).toEqual({
        '1.0.0': undefined,
        '1.1.0': undefined,
        '1.2.0': undefined,
      })

      const anonymous = await consumer.cli(['deprecate', SKILL_ID, 'gone'])
      expect(anonymous.code).toBe(1)
      expect(anonymous.stderr).toBe(
        `skillos: UNAUTHENTICATED: Not logged in to ${registry.url}; run skillos login --registry ${registry.url} (or set SKILLOS_REGISTRY_TOKEN)`,
      )
    })

    it('creates a read-only token shown once, lists it, and revokes it so the registry answers 401', async () => {
      const created = await publisher.cli(['token', 'create', '--read-only', '--name', 'ci'])
      expect(created.code, created.stderr).toBe(0)
      const [head, secret = '', tail, ...rest] = created.stdout.split('\n')
      const id = /^created token (\S+) "ci" \(read\) for alice on /.exec(head ?? '')?.[1] ?? ''
      expect(head).toBe(`created token ${id} "ci" (read) for alice on ${registry.url}`)
      expect(id).not.toBe('')
      expect(secret).toMatch(/^skr_[A-Za-z0-9_-]{43}$/)
      expect(tail).toBe(
        `Store it now: it is not shown again. Revoke it with skillos token revoke ${id}`,
      )
      expect(rest).toEqual([])

      const ls = await publisher.cli(['token', 'ls'])
      expect(ls.code, ls.stderr).toBe(0)
      expect(ls.stdout.split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^${publishTokenId}  laptop  publish  alice  created \\d{4}-`),
        ),
        expect.stringMatching(new RegExp(`^${id}  ci  read  alice  created \\d{4}-`)),
      ])
      expect(ls.stdout).not.toContain(secret)

      // The new token reads but cannot write, nor make itself a publish token.
      const reader = await createWorkspace({ registry: { url: registry.url, token: secret } })
      const who = await reader.cli(['whoami'])
      expect(who.code, who.stderr).toBe(0)
      expect(who.stdout).toBe(`alice (read) on ${registry.url}`)
      const denied = await reader.cli(['deprecate', SKILL_ID, 'old'])
      expect(denied.code).toBe(1)
      expect(denied.stderr).toBe(
        'skillos: PERMISSION_DENIED: A read token cannot change the registry (user alice); ask an owner of the scope for access, or use a token with the publish role',
      )
      expect(Object.values(await deprecations(SKILL_ID)).filter(Boolean)).toEqual([])
      const escalate = await reader.cli(['token', 'create'])
      expect(escalate.code).toBe(1)
      expect(escalate.stderr).toBe(
        'skillos: PERMISSION_DENIED: A read token cannot create a publish token; pass --read-only, or log in with a publish token',
      )

      const revoked = await publisher.cli(['token', 'revoke', id])
      expect(revoked.code, revoked.stderr).toBe(0)
      expect(revoked.stdout).toBe(`revoked token ${id} on ${registry.url}`)
      const direct = await fetch(`${registry.url}/-/whoami`, {
        headers: { authorization: `Bearer ${secret}` },
      })
      expect(direct.status).toBe(401)
      expect(((await direct.json()) as { code: string }).code).toBe('UNAUTHENTICATED')
      const after = await reader.cli(['whoami'])
      expect(after.code).toBe(1)
      expect(after.stderr).toBe(
        `skillos: UNAUTHENTICATED: The token has been revoked; log in with skillos login --registry ${registry.url} (or set SKILLOS_REGISTRY_TOKEN)`,
      )
      const listed = await publisher.cli(['token', 'ls', '--json'])
      const tokens = JSON.parse(listed.stdout) as { id: string; revokedAt?: string }[]
      expect(tokens.map((token) => [token.id, token.revokedAt !== undefined])).toEqual([
        [publishTokenId, false],
        [id, true],
      ])
      expect((await publisher.cli(['whoami'])).stdout).toBe(`alice (publish) on ${registry.url}`)

      const unknown = await publisher.cli(['token', 'revoke', 'no-such-token'])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toBe('skillos: NOT_FOUND: Token no-such-token was not found')
    })

    it('adds a scope member who may then publish, and removes them so they no longer can', async () => {
      const bob = await createWorkspace({
        registry: { url: registry.url, token: (await issueToken('bob', 'bob-laptop')).token },
      })
      const OTHER = 'acme/format-amount'
      const outsider = await publishVersion(bob, '1.0.0', { id: OTHER })
      expect(outsider.code).toBe(1)
      expect(outsider.stderr).toBe(
        'skillos: PERMISSION_DENIED: bob is not a publisher of scope acme; ask an owner of the scope for access, or use a token with the publish role',
      )

      const members = await consumer.cli(['scope', 'members', 'acme'])
      expect(members.code, members.stderr).toBe(0)
      expect(members.stdout).toBe('scope acme (public)\n  alice  owner')

      const add = await publisher.cli(['scope', 'add-member', 'acme', 'bob', '--role', 'publisher'])
      expect(add.code, add.stderr).toBe(0)
      expect(add.stdout).toBe(
        [
          `bob is now publisher of scope acme on ${registry.url}`,
          'scope acme (public)',
          '  alice  owner',
          '  bob  publisher',
        ].join('\n'),
      )
      const listed = await consumer.cli(['scope', 'members', 'acme', '--json'])
      expect(JSON.parse(listed.stdout)).toMatchObject({
        scope: 'acme',
        visibility: 'public',
        members: [
          { user: 'alice', role: 'owner' },
          { user: 'bob', role: 'publisher' },
        ],
        registry: registry.url,
      })
      const member = await publishVersion(bob, '1.0.0', { id: OTHER })
      expect(member.code, member.stderr).toBe(0)
      expect(member.stdout.split('\n')[0]).toBe(
        `published ${OTHER}@1.0.0 to ${registry.url} (latest)`,
      )
      const promote = await bob.cli(['scope', 'add-member', 'acme', 'bob', '--role', 'owner'])
      expect(promote.code).toBe(1)
      expect(promote.stderr).toBe(
        'skillos: PERMISSION_DENIED: bob is not an owner of scope acme; ask an owner of the scope for access, or use a token with the publish role',
      )

      const rm = await publisher.cli(['scope', 'rm-member', 'acme', 'bob'])
      expect(rm.code, rm.stderr).toBe(0)
      expect(rm.stdout).toBe(
        `removed bob from scope acme on ${registry.url}\nscope acme (public)\n  alice  owner`,
      )
      const removed = await publishVersion(bob, '1.1.0', { id: OTHER })
      expect(removed.code).toBe(1)
      expect(removed.stderr).toBe(
        'skillos: PERMISSION_DENIED: bob is not a publisher of scope acme; ask an owner of the scope for access, or use a token with the publish role',
      )
      expect(Object.keys((await packument(OTHER)).versions)).toEqual(['1.0.0'])

      const last = await publisher.cli(['scope', 'rm-member', 'acme', 'alice'])
      expect(last.code).toBe(1)
      expect(last.stderr).toBe(
        'skillos: CONFLICT: alice is the last owner of scope acme; add another owner first',
      )
      expect((await consumer.cli(['scope', 'members', 'acme'])).stdout).toBe(
        'scope acme (public)\n  alice  owner',
      )
    })

    it('unpublishes only with --yes, keeps the number taken, and refuses an old depended-upon version', async () => {
      const REPORT = 'acme/currency-report'
      const dependent = await publishVersion(publisher, '1.0.0', {
        id: REPORT,
        dependencies: { [SKILL_ID]: '^1.0.0' },
      })
      expect(dependent.code, dependent.stderr).toBe(0)
      expect((await publishVersion(publisher, '1.3.0')).code).toBe(0)
      expect((await packument(SKILL_ID)).distTags).toEqual({ latest: '1.3.0' })

      const unasked = await publisher.cli(['unpublish', `${SKILL_ID}@1.3.0`])
      expect(unasked.code).toBe(2)
      expect(unasked.stderr).toBe(
        `skillos: unpublish removes ${SKILL_ID}@1.3.0 for everyone and cannot be undone; add --yes to confirm (stdin is not a terminal to ask on)`,
      )
      expect(Object.keys((await packument(SKILL_ID)).versions)).toContain('1.3.0')

      // Within the window a version may go even though acme/currency-report's range accepts it.
      const result = await publisher.cli(['unpublish', `${SKILL_ID}@1.3.0`, '--yes'])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toBe(
        `unpublished ${SKILL_ID}@1.3.0 from ${registry.url}; the version number stays taken`,
      )
      const after = await packument(SKILL_ID)
      expect(Object.keys(after.versions)).toEqual(['1.0.0', '1.1.0', '1.2.0'])
      expect(after.distTags).toEqual({ latest: '1.2.0' })
      expect((await fetch(`${registry.url}/${SKILL_ID}/-/convert-currency-1.3.0.tgz`)).status).toBe(
        404,
      )
      const reused = await publishVersion(publisher, '1.3.0')
      expect(reused.code).toBe(1)
      expect(reused.stderr).toMatch(/^skillos: CONFLICT: /)

      // Past the window (72 h by default), a version another skill depends on stays.
      await registry.database.db
        .update(registryVersions)
        .set({ publishedAt: new Date(Date.now() - 73 * HOUR) })
        .where(and(eq(registryVersions.packageId, SKILL_ID), eq(registryVersions.version, '1.0.0')))
      const refused = await publisher.cli(['unpublish', `${SKILL_ID}@1.0.0`, '--yes'])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toBe(
        `skillos: CONFLICT: ${SKILL_ID}@1.0.0 was published more than 72 h ago and ${REPORT}@1.0.0 depends on it; deprecate it instead: skillos deprecate ${SKILL_ID}@1.0.0 "<why, and what to use instead>"`,
      )
      expect(Object.keys((await packument(SKILL_ID)).versions)).toEqual(['1.0.0', '1.1.0', '1.2.0'])
    })
  })
}

describeCliFlow({
  name: 'embedded PGlite + local disk',
  async open() {
    const dir = await temporary('skillos-e2e-db-')
    return { options: { databaseUrl: `pglite://${dir}` }, cleanup: async () => undefined }
  },
})

const databaseUrl = integrationUrl('SKILLOS_TEST_DATABASE_URL')
const redisUrl = integrationUrl('SKILLOS_TEST_REDIS_URL')
if (databaseUrl && redisUrl) {
  describeCliFlow({
    name: 'PostgreSQL + Redis',
    async open() {
      const database = await createTestDatabase(databaseUrl)
      const keyPrefix = uniqueTestPrefix('registry-e2e')
      return {
        options: { databaseUrl: database.url, redisUrl, keyPrefix },
        async cleanup() {
          const kv = await openKeyValue(redisUrl, { prefix: keyPrefix })
          await kv.clear()
          await kv.close()
          await database.drop()
        },
      }
    },
  })
} else {
  describe.skip('skillos publish / install on PostgreSQL + Redis (SKILLOS_TEST_DATABASE_URL / SKILLOS_TEST_REDIS_URL unset)', () => {
    it('runs the CLI flow', () => undefined)
  })
}

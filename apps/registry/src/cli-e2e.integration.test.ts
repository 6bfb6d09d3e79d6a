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
import { createTestDatabase, uniqueTestPrefix } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
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

function manifest(version: string): string {
  return [
    `id: ${SKILL_ID}`,
    `version: ${version}`,
    'name: Convert currency',
    'description: Convert an amount of money from one currency to another at a fixed rate',
    'tags: [finance, currency]',
    'examples:',
    '  - convert 100 EUR to USD',
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
    let publishToken: string
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
      const admin = await registry.createToken({ user: 'admin', role: 'admin' })
      const response = await fetch(`${registry.url}/-/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'laptop', role: 'publish', user: 'alice' }),
      })
      expect(response.status).toBe(201)
      publishToken = ((await response.json()) as { token: string }).token

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
      consumer = await createWorkspace({
        registry: { url: registry.url, trustedKeys: [join(keysDir, 'publisher.pub.pem')] },
      })
      await publisher.write(`skills/${SKILL_ID}/index.ts`, HANDLER)
      await publisher.write(`skills/${SKILL_ID}/README.md`, '# Convert currency\n')
    }, 60_000)

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
          const { openKeyValue } = await import('@skillos/store')
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

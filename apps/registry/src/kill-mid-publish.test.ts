import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packTestSkill } from './fixtures.test-data.js'

// A real crash: the registry runs as a child process on an on-disk PGlite and a disk blob store,
// a publish is paused inside its transaction (SKILLOS_TEST_PUBLISH_PAUSE_MS), the process is
// killed with SIGKILL, and a restarted registry must show no trace of the half-done publish.

const APP_DIR = fileURLToPath(new URL('..', import.meta.url))
const SOURCE = join(APP_DIR, 'src', 'bin.ts')
// The bin is bundled from source (dependencies stay external) beside node_modules, so the test
// runs the code under test without a prior `pnpm build`.
const CACHE = join(APP_DIR, 'node_modules', '.cache', 'kill-mid-publish')
const BIN = join(CACHE, `bin-${process.pid}.mjs`)

let dir: string
let port: number
const children: ChildProcess[] = []

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port: chosen } = server.address() as { port: number }
      server.close(() => resolve(chosen))
    })
  })
}

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('SKILLOS_')) env[name] = value
  }
  return {
    ...env,
    SKILLOS_REGISTRY_SERVER_DATABASE_URL: `pglite://${join(dir, 'db')}`,
    SKILLOS_REGISTRY_SERVER_STORAGE_PATH: join(dir, 'blobs'),
    SKILLOS_HOST: '127.0.0.1',
    SKILLOS_PORT: String(port),
    SKILLOS_LOG_LEVEL: 'info',
    ...extra,
  }
}

function run(args: string[], extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: APP_DIR,
    env: environment(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return {
    child,
    output: () => output,
    exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
    async waitFor(text: string, timeoutMs = 60_000): Promise<void> {
      const started = Date.now()
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`process exited early:\n${output}`)
        if (Date.now() - started > timeoutMs)
          throw new Error(`timed out waiting for "${text}":\n${output}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skillos-registry-kill-'))
  port = await freePort()
  await mkdir(CACHE, { recursive: true })
  await build({
    entryPoints: [SOURCE],
    outfile: BIN,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  })
})

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  await rm(dir, { recursive: true, force: true })
  await rm(BIN, { force: true })
})

describe('a registry killed in the middle of a publish', () => {
  it('keeps no partial version, and the same publish succeeds after a restart', async () => {
    const bootstrap = run(['token', 'create', '--user', 'admin', '--role', 'admin'])
    expect(await bootstrap.exited).toBe(0)
    const token = /skr_[A-Za-z0-9_-]{43}/.exec(bootstrap.output())?.[0]
    expect(token).toBeDefined()

    const packed = await packTestSkill({ id: 'crash/skill', version: '1.0.0' })
    const url = `http://127.0.0.1:${port}`
    const publish = () =>
      fetch(`${url}/crash/skill/-/1.0.0`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/gzip',
          'skillos-integrity': packed.integrity,
        },
        body: packed.tarball as Uint8Array<ArrayBuffer>,
      })

    const first = run(['start'], { SKILLOS_TEST_PUBLISH_PAUSE_MS: '60000' })
    await first.waitFor('skillos-registry listening')
    const inFlight = publish().then(
      (response) => response.status,
      () => 'connection lost',
    )
    // The version, dist-tag and event rows are written; the transaction has not committed.
    await first.waitFor('publish paused')
    first.child.kill('SIGKILL')
    expect(await first.exited).toBe(null)
    expect(await inFlight).toBe('connection lost')

    const second = run(['start'])
    await second.waitFor('skillos-registry listening')
    const missing = await fetch(`${url}/crash/skill`)
    expect(missing.status).toBe(404)
    expect((await fetch(`${url}/crash/skill/1.0.0`)).status).toBe(404)
    const search = (await (await fetch(`${url}/-/search?domain=crash`)).json()) as { total: number }
    expect(search.total).toBe(0)

    const retried = await publish()
    expect(retried.status).toBe(201)
    const tarball = await fetch(`${url}/crash/skill/-/skill-1.0.0.tgz`)
    expect(tarball.headers.get('skillos-integrity')).toBe(packed.integrity)
    expect(Buffer.from(await tarball.arrayBuffer()).equals(Buffer.from(packed.tarball))).toBe(true)
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })
})

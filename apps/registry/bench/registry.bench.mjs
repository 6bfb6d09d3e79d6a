// Registry throughput next to Verdaccio 6.8.0, and search latency over 100k skills.
//
// Both registries run as their own processes on loopback, embedded storage (this registry: PGlite
// + disk blobs; Verdaccio: its file storage), one package published into each. The same load tool
// (autocannon, as a child process, run one after another so they never share the cores) hits the
// metadata document and the tarball of each. Search builds the registry's index in-process over
// 100k synthetic skills and times queries through the same code the /-/search route calls.
//
// Usage: pnpm --filter @skillos/app-registry bench   (needs `pnpm build` first; turbo does it)
// SKILLOS_BENCH_SECONDS (default 8) sets the duration of each load run.
import { spawn } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHash } from 'node:crypto'
import { createRegistrySearch, computeQuality, packSkill } from '@skillos/registry'

const APP = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(APP, 'node_modules', '.bin')
const SECONDS = Number(process.env.SKILLOS_BENCH_SECONDS ?? 8)
const CONNECTIONS = 32
const children = []

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function start(command, args, options) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
  children.push(child)
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  child.output = () => output
  return child
}

async function waitForHttp(url, child, timeoutMs = 60_000) {
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited\n${child.output()}`)
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (response.status < 500) return
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`${url} did not answer\n${child.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} exited ${code}\n${stderr}`)),
    )
  })
}

/** One autocannon run as a child process: requests/s (mean) and p99 latency (ms). */
async function load(url) {
  const json = await run(join(BIN, 'autocannon'), [
    '-c',
    String(CONNECTIONS),
    '-d',
    String(SECONDS),
    '-j',
    url,
  ])
  const result = JSON.parse(json)
  const ok = result['2xx']
  if (ok === 0 || result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers`)
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors }
}

async function skillFolder(dir) {
  await mkdir(dir, { recursive: true })
  await writeFile(
    join(dir, 'skill.yaml'),
    [
      'id: bench/convert-currency',
      'version: 1.0.0',
      'name: Convert currency',
      'description: Convert an amount of money between currencies at the current exchange rate',
      'tags: [finance, currency]',
      'examples: ["convert 100 EUR to USD", "how much is 50 dollars in yen", "exchange rate GBP"]',
      '',
    ].join('\n'),
  )
  await writeFile(
    join(dir, 'index.ts'),
    `export default { async handler() { return { ok: true } } }\n${'// padding\n'.repeat(400)}`,
  )
  return packSkill(dir)
}

async function startSkillos(work, packed) {
  const port = await freePort()
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SKILLOS_'))),
    SKILLOS_REGISTRY_SERVER_DATABASE_URL: `pglite://${join(work, 'skillos-db')}`,
    SKILLOS_REGISTRY_SERVER_STORAGE_PATH: join(work, 'skillos-blobs'),
    SKILLOS_HOST: '127.0.0.1',
    SKILLOS_PORT: String(port),
    SKILLOS_LOG_LEVEL: 'warn',
  }
  const token = (
    await run(
      process.execPath,
      ['dist/bin.js', 'token', 'create', '--user', 'bench', '--role', 'admin'],
      {
        cwd: APP,
        env,
      },
    )
  ).trim()
  const child = start(process.execPath, ['dist/bin.js', 'start'], { cwd: APP, env })
  const url = `http://127.0.0.1:${port}`
  await waitForHttp(`${url}/-/ping`, child)
  const response = await fetch(`${url}/bench/convert-currency/-/1.0.0`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/gzip',
      'skillos-integrity': packed.integrity,
    },
    body: packed.tarball,
  })
  if (response.status !== 201)
    throw new Error(`publish to SkillOS failed: ${await response.text()}`)
  return {
    child,
    metadata: `${url}/bench/convert-currency`,
    tarball: `${url}/bench/convert-currency/-/convert-currency-1.0.0.tgz`,
  }
}

async function startVerdaccio(work, packed) {
  const port = await freePort()
  const dir = join(work, 'verdaccio')
  await mkdir(dir, { recursive: true })
  const config = join(dir, 'config.yaml')
  await writeFile(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $all',
      'web:',
      '  enable: false',
      'max_body_size: 10mb',
      'log: { type: stdout, format: json, level: error }',
      '',
    ].join('\n'),
  )
  const child = start(
    join(BIN, 'verdaccio'),
    ['--config', config, '--listen', `127.0.0.1:${port}`],
    {
      cwd: dir,
    },
  )
  const url = `http://127.0.0.1:${port}`
  await waitForHttp(`${url}/-/ping`, child)
  const name = 'bench-convert-currency'
  const file = `${name}-1.0.0.tgz`
  const body = {
    _id: name,
    name,
    description: 'Convert an amount of money between currencies',
    'dist-tags': { latest: '1.0.0' },
    versions: {
      '1.0.0': {
        name,
        version: '1.0.0',
        description: 'Convert an amount of money between currencies',
        _id: `${name}@1.0.0`,
        dist: {
          shasum: createHash('sha1').update(packed.tarball).digest('hex'),
          integrity: packed.integrity,
          tarball: `${url}/${name}/-/${file}`,
        },
      },
    },
    _attachments: {
      [file]: {
        content_type: 'application/octet-stream',
        data: Buffer.from(packed.tarball).toString('base64'),
        length: packed.tarball.length,
      },
    },
  }
  const response = await fetch(`${url}/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (response.status !== 201)
    throw new Error(`publish to Verdaccio failed: ${response.status} ${await response.text()}`)
  return { child, metadata: `${url}/${name}`, tarball: `${url}/${name}/-/${file}` }
}

// ---------- search over 100k synthetic skills ----------

const WORDS = (
  'search find book flight hotel route trip price supplier oyster tender bid contract margin cost ' +
  'currency rate convert budget expense report summary document article news web invoice order ' +
  'shipment delivery customer product catalog inventory warehouse payment bank tax vat duty freight ' +
  'email calendar meeting schedule task project employee salary weather map city country ' +
  'translate summarize classify extract forecast reconcile approve notify sync export import'
).split(' ')

function synthetic(count, seed) {
  let state = seed
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const pick = (n) =>
    Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ')
  const now = new Date()
  return Array.from({ length: count }, (_, i) => {
    const scope = `org-${i % 500}`
    const description = pick(14)
    const examples = [pick(6), pick(6), pick(6)]
    return {
      id: `${scope}/skill-${i}`,
      scope,
      version: '1.0.0',
      name: `${pick(2)} ${i}`,
      description,
      tags: [WORDS[Math.floor(rand() * 40)]],
      examples,
      author: `author-${i % 97}`,
      quality: computeQuality({
        manifest: { description, examples },
        files: i % 3 === 0 ? ['skill/skill.yaml', 'skill/index.test.ts'] : ['skill/skill.yaml'],
        signed: i % 5 === 0,
        publishedAt: now,
        now,
      }),
      private: i % 50 === 0,
    }
  })
}

async function benchSearch() {
  const search = await createRegistrySearch()
  const started = performance.now()
  const skills = synthetic(100_000, 42)
  for (let i = 0; i < skills.length; i += 5_000) await search.upsert(skills.slice(i, i + 5_000))
  const buildS = (performance.now() - started) / 1000
  const queries = synthetic(1_200, 7).map((skill) => skill.examples[0])
  const anonymous = { all: false, scopes: new Set() }
  const member = { all: false, scopes: new Set(['org-0', 'org-50']) }
  const times = { plain: [], tag: [] }
  for (let i = 0; i < 200; i++) await search.query({ q: queries[i] }, anonymous)
  for (let i = 200; i < queries.length; i++) {
    const filters = i % 4 === 0 ? { tag: WORDS[i % 40] } : i % 4 === 1 ? { minQuality: 0.3 } : {}
    const kind = i % 4 === 0 ? 'tag' : 'plain'
    const t = performance.now()
    await search.query({ q: queries[i], limit: 20, ...filters }, i % 2 ? member : anonymous)
    times[kind].push(performance.now() - t)
  }
  const all = [...times.plain, ...times.tag]
  const at = (list, p) => {
    const sorted = [...list].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
  }
  await search.close()
  return {
    buildS,
    p50: at(all, 50),
    p95: at(all, 95),
    plainP95: at(times.plain, 95),
    tagP95: at(times.tag, 95),
    count: all.length,
  }
}

// ---------- main ----------

const work = await mkdtemp(join(tmpdir(), 'skillos-registry-bench-'))
const only = process.env.SKILLOS_BENCH_ONLY // 'http' or 'search'
try {
  if (only !== 'search') await benchHttp()
  if (only !== 'http') {
    const search = await benchSearch()
    console.log(
      `\nSearch over 100,000 synthetic skills (registry index, in-process; built in ${search.buildS.toFixed(1)} s): ${search.count} queries after 200 warm-up, half as a member of private scopes, a quarter with a tag filter`,
    )
    console.log(
      `  p50 ${search.p50.toFixed(2)} ms   p95 ${search.p95.toFixed(2)} ms (without a tag filter ${search.plainP95.toFixed(2)}, with one ${search.tagP95.toFixed(2)})   target p95 < 10 ms (issue 8)   ${search.p95 < 10 ? '✓' : '✗'}\n`,
    )
  }
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  await rm(work, { recursive: true, force: true })
}

async function benchHttp() {
  const packed = await skillFolder(join(work, 'skill')).then((dir) => dir)
  const skillos = await startSkillos(work, packed)
  const verdaccio = await startVerdaccio(work, packed)
  const rows = []
  for (const [what, key] of [
    ['metadata GET', 'metadata'],
    ['tarball GET', 'tarball'],
  ]) {
    // Warm both (JIT, caches), then measure one after the other.
    await load(skillos[key]).catch(() => undefined)
    const ours = await load(skillos[key])
    const theirs = await load(verdaccio[key])
    rows.push({ what, ours, theirs })
  }
  const pad = (text, width) => String(text).padEnd(width)
  console.log(
    `\nRegistry throughput on loopback: autocannon -c ${CONNECTIONS} -d ${SECONDS}s, each server in its own process, ${packed.tarball.length}-byte tarball\n`,
  )
  console.log(
    [
      pad('request', 14),
      pad('SkillOS req/s', 15),
      pad('p99', 8),
      pad('Verdaccio req/s', 17),
      pad('p99', 8),
      pad('ratio', 8),
      pad('target', 12),
      'meets',
    ].join(' '),
  )
  for (const { what, ours, theirs } of rows) {
    const ratio = ours.rps / theirs.rps
    console.log(
      [
        pad(what, 14),
        pad(Math.round(ours.rps).toLocaleString('en'), 15),
        pad(`${ours.p99} ms`, 8),
        pad(Math.round(theirs.rps).toLocaleString('en'), 17),
        pad(`${theirs.p99} ms`, 8),
        pad(`${ratio.toFixed(2)}×`, 8),
        pad('≥ 2× (issue 8)', 12),
        ratio >= 2 ? '✓' : '✗',
      ].join(' '),
    )
  }
  for (const child of children) child.kill('SIGTERM')
}

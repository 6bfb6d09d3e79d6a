// The hosted API under load: autocannon against `POST /v1/runs` (a trivial skill, sync, every
// governance step on: auth, rate limits, policy, budget, stored run and trace) and against a bare
// Hono hello route in the same run, each server in its own process. Prints req/s of both, the ratio
// and p50/p99 latencies beside the targets (≥ 50 % of bare Hono, p99 < 20 ms). Embedded
// (PGlite + in-process KV) always; PostgreSQL + Redis when both URLs are set:
//
//   SKILLOS_TEST_DATABASE_URL  postgres://postgres:postgres@127.0.0.1:5432/postgres
//   SKILLOS_TEST_REDIS_URL     redis://127.0.0.1:6379
//   SKILLOS_BENCH_SCALE        multiplies the duration of each load (default 1: 10 s each)
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { createBenchScale, describeMachine } from '@skillos/bench'
import { createTestDatabase } from '@skillos/store/testing'

const { value: scale } = createBenchScale(process.env.SKILLOS_BENCH_SCALE)
const DURATION_S = Math.max(3, Math.round(10 * scale))
const CONNECTIONS = 16
const RATIO_TARGET = 0.5
const P99_TARGET_MS = 20
const serveScript = fileURLToPath(new URL('./serve.mjs', import.meta.url))

/** Start a server process; resolves with its first stdout line (JSON) and a stop function. */
function startServer(args) {
  const child = spawn(process.execPath, [serveScript, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server ${args[0]} exited with ${code}`)))
    createInterface({ input: child.stdout }).once('line', (line) => {
      resolve({
        ...JSON.parse(line),
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit')
            child.once('exit', done)
            child.kill('SIGTERM')
          }),
      })
    })
  })
}

async function load(title, options) {
  // A short warm-up (JIT, pools, caches), then the measured run.
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 })
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_S })
  const bad = result.non2xx + result.errors + result.timeouts
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    bad,
  }
}

function print(name, bare, api) {
  const ratio = api.rps / bare.rps
  const rows = [
    ['route', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx/errors'],
    [
      bare.title,
      bare.rps.toFixed(0),
      bare.p50.toFixed(1),
      bare.p99.toFixed(1),
      bare.total,
      bare.bad,
    ],
    [api.title, api.rps.toFixed(0), api.p50.toFixed(1), api.p99.toFixed(1), api.total, api.bad],
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  console.log(`\n${name} — ${CONNECTIONS} connections, ${DURATION_S} s each`)
  for (const row of rows)
    console.log('  ' + row.map((c, i) => String(c).padEnd(widths[i])).join('  '))
  console.log(
    `  ratio POST /v1/runs ÷ bare Hono: ${(ratio * 100).toFixed(1)} % (target ≥ ${RATIO_TARGET * 100} %) ${ratio >= RATIO_TARGET ? '✓' : '✗'}`,
  )
  console.log(
    `  p99 POST /v1/runs: ${api.p99.toFixed(1)} ms (target < ${P99_TARGET_MS} ms) ${api.p99 < P99_TARGET_MS ? '✓' : '✗'}`,
  )
}

async function compare(name, serverArgs) {
  const bare = await startServer(['bare'])
  const bareResult = await load('POST /hello (bare Hono)', { url: bare.url, method: 'POST' })
  await bare.stop()
  const api = await startServer(['api', ...serverArgs])
  const apiResult = await load('POST /v1/runs (bench/echo)', {
    url: `${api.url}/v1/runs`,
    method: 'POST',
    headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ skill: 'bench/echo', params: { text: 'hello' } }),
  })
  await api.stop()
  if (apiResult.bad > 0) console.log(`  ! ${apiResult.bad} requests were not 2xx`)
  print(name, bareResult, apiResult)
}

console.log(describeMachine())
await compare('Embedded (PGlite in memory + in-process KV)', ['memory://'])
const databaseServer = process.env.SKILLOS_TEST_DATABASE_URL
const redisUrl = process.env.SKILLOS_TEST_REDIS_URL
if (databaseServer && redisUrl) {
  const testDb = await createTestDatabase(databaseServer)
  try {
    await compare('PostgreSQL + Redis', [testDb.url, redisUrl])
  } finally {
    await testDb.drop()
  }
} else {
  console.log(
    '\nPostgreSQL + Redis: skipped (set SKILLOS_TEST_DATABASE_URL and SKILLOS_TEST_REDIS_URL)',
  )
}

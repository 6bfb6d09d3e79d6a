// Benchmarks of the BUILT @skillos/budget (`pnpm bench` builds first): reserve+commit per second, the
// path every run takes, on the embedded default (PGlite memory:// + in-process counters) and, when
// the URLs are set, on PostgreSQL + Redis. Beside each, the two halves alone (the key-value port's
// leased reserve+settle, and the ledger's group-commit insert), so the numbers say where time goes.
//
//   SKILLOS_TEST_REDIS_URL     redis://127.0.0.1:6379
//   SKILLOS_TEST_DATABASE_URL  postgres://postgres:postgres@127.0.0.1:5432/postgres
//   SKILLOS_BENCH_SCALE        multiplies every iteration count (default 1: about a minute on 2 cores)
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { createBenchScale, describeMachine, measure, printTable } from '@skillos/bench'
import { budgetLedger, openDatabase, openKeyValue, tenants } from '@skillos/store'
import { createTestDatabase } from '@skillos/store/testing'
import { createBudget } from '../dist/index.js'

const redisUrl = process.env.SKILLOS_TEST_REDIS_URL || undefined
const databaseUrl = process.env.SKILLOS_TEST_DATABASE_URL || undefined
const {
  value: scale,
  scaled,
  describe: describeCounts,
} = createBenchScale(process.env.SKILLOS_BENCH_SCALE)

const TARGET = '≥ 40k/s'
const TARGET_PER_SECOND = 40_000
const TENANT = 'bench'
/** Three limits on every reservation (tenant, user, skill per day), far above what the bench spends. */
const LIMITS = [
  { id: 'tenant-daily', scope: 'tenant', window: 'day', usd: 1_000_000 },
  { id: 'user-daily', scope: 'user', window: 'day', usd: 100_000 },
  { id: 'skill-daily', scope: 'skill', window: 'day', usd: 100_000 },
]
const COUNTS = {
  memory: { iterations: 30_000, warmup: 2_000, concurrency: 256 },
  services: { iterations: 60_000, warmup: 5_000, concurrency: 1_024 },
  servicesLatency: { iterations: 2_000, warmup: 200, concurrency: 1 },
}

/** One run's budget round: hold an estimate against 3 limits, then commit the actual tokens. */
async function reserveCommit(budget, i) {
  const { reservation } = await budget.reserve({
    tenant: TENANT,
    user: `user-${i % 100}`,
    skill: `bench/skill-${i % 20}`,
    runId: `run-${i}`,
    model: 'gpt-4o-mini',
    inputTokens: 1_200,
    maxOutputTokens: 800,
  })
  const committed = await budget.commit(reservation.id, { inputTokens: 1_200, outputTokens: 300 })
  if (committed.status !== 'committed') throw new Error(`commit answered ${committed.status}`)
}

/** The key-value half alone: a leased reserve on the same 3 counters and its settle. */
async function leasedReserveSettle(kv, i) {
  const day = new Date().toISOString().slice(0, 10)
  const entries = [
    `budget:{${TENANT}}:-:day:${day}:usd`,
    `budget:{${TENANT}}:u=user-${i % 100}:day:${day}:usd`,
    `budget:{${TENANT}}:s=bench%2Fskill-${i % 20}:day:${day}:usd`,
  ].map((key) => ({ key, amount: 740, limit: Number.MAX_SAFE_INTEGER }))
  const lease = `{${TENANT}}:peer-${i}`
  const reserved = await kv.reserve(entries, { lease: { id: lease, ttlMs: 900_000, data: '{}' } })
  if (!reserved.ok) throw new Error('the peer reservation was refused')
  await kv.settleLease(
    lease,
    entries.map(({ key }) => ({ key, amount: 540 })),
    { outcome: 'committed' },
  )
}

/** The ledger half alone: the rows the commits write, through the same group commit (many in flight). */
function ledgerInsert(budget) {
  return (i) =>
    budget.charge({
      tenant: TENANT,
      user: `user-${i % 100}`,
      runId: `charge-${i}`,
      costUsd: 0.0005,
      tool: 'bench/tool',
    })
}

async function assertLedger(database, expected) {
  const count = await database.db.$count(budgetLedger)
  if (count < expected) throw new Error(`expected at least ${expected} ledger rows, found ${count}`)
}

function withTarget(row) {
  return { ...row, target: TARGET, meets: row.opsPerSec >= TARGET_PER_SECOND }
}

async function benchInProcess() {
  const database = await openDatabase('memory://')
  const kv = await openKeyValue('memory://', { prefix: 'skillos-bench:' })
  try {
    await database.db.insert(tenants).values({ id: TENANT, name: 'Bench' })
    const budget = createBudget({ database, kv, config: { limits: LIMITS } })
    const options = scaled(COUNTS.memory)
    const peer = await measure(
      'leased reserve+settle ×3 counters (port only, peer)',
      (i) => leasedReserveSettle(kv, i),
      options,
    )
    const full = await measure(
      'budget reserve+commit (3 limits, ledger row)',
      (i) => reserveCommit(budget, i),
      options,
    )
    await budget.close()
    await assertLedger(database, options.iterations + options.warmup)
    printTable(
      `Budget: in-process (PGlite memory:// + in-process counters) — ${describeCounts(COUNTS.memory)}`,
      [peer, { ...withTarget(full), peer: peer.name }],
    )
  } finally {
    await kv.close()
    await database.close()
  }
}

async function benchServices() {
  const testDatabase = await createTestDatabase(databaseUrl)
  const prefix = `skillos-bench:${randomBytes(6).toString('hex')}:`
  let database
  let kv
  try {
    database = await openDatabase(testDatabase.url, { poolSize: 4 })
    kv = await openKeyValue(redisUrl, { prefix })
    await database.db.insert(tenants).values({ id: TENANT, name: 'Bench' })
    const budget = createBudget({ database, kv, config: { limits: LIMITS } })
    const options = scaled(COUNTS.services)
    const kvOnly = await measure(
      'leased reserve+settle ×3 counters (Redis only, peer)',
      (i) => leasedReserveSettle(kv, i),
      options,
    )
    const ledgerOnly = await measure(
      'charge: reserve+commit of a paid call (same path)',
      ledgerInsert(budget),
      options,
    )
    const full = await measure(
      'budget reserve+commit (3 limits, ledger row)',
      (i) => reserveCommit(budget, i),
      options,
    )
    const latency = await measure(
      'budget reserve+commit, one at a time',
      (i) => reserveCommit(budget, 1e9 + i),
      scaled(COUNTS.servicesLatency),
    )
    await budget.close()
    await assertLedger(database, 2 * (options.iterations + options.warmup))
    printTable(
      `Budget: Redis + PostgreSQL — ${describeCounts(COUNTS.services)}; one Redis connection, 4 PostgreSQL connections`,
      [
        kvOnly,
        { ...ledgerOnly, peer: kvOnly.name },
        { ...withTarget(full), peer: kvOnly.name },
        latency,
      ],
    )
  } finally {
    try {
      await kv?.clear()
      await kv?.close()
      await database?.close()
    } finally {
      await testDatabase.drop()
    }
  }
}

const started = performance.now()
console.log(`@skillos/budget benchmarks — ${describeMachine()}, scale ${scale}`)
console.log(`target: budget reserve+commit ${TARGET} against real Redis (issue 3)`)
const skipped =
  redisUrl && databaseUrl
    ? []
    : ['Redis + PostgreSQL (set SKILLOS_TEST_REDIS_URL and SKILLOS_TEST_DATABASE_URL)']
console.log(`skipped: ${skipped.length === 0 ? 'none' : skipped.join('; ')}`)

await benchInProcess()
if (redisUrl && databaseUrl) await benchServices()

for (const line of skipped) console.log(`\nskipped: ${line}`)
console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`)

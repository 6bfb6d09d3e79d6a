// Benchmarks of the BUILT @skillos/store (`pnpm bench` builds first): the key-value port on the
// in-process adapter and on Redis, and the relational store on PGlite and on PostgreSQL, each beside
// a peer that does the same work without the port, so a ratio says what the port costs.
//
// Real services are used when their URLs are set (the same variables as the integration tests):
//   SKILLOS_TEST_REDIS_URL     redis://127.0.0.1:6379
//   SKILLOS_TEST_DATABASE_URL  postgres://postgres:postgres@127.0.0.1:5432/postgres
//   SKILLOS_BENCH_SCALE        multiplies every iteration count (default 1: about 20 s on an idle
//                              2-core box, still under a minute when it is busy)
import { randomBytes, randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { createBenchScale, describeMachine, measure, printTable } from '@skillos/bench'
import { sql as drizzleSql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import postgres from 'postgres'
import { openDatabase, openKeyValue, runEventBatches, runs, tenants } from '../dist/index.js'
import { createTestDatabase } from '../dist/testing.js'

const redisUrl = process.env.SKILLOS_TEST_REDIS_URL || undefined
const databaseUrl = process.env.SKILLOS_TEST_DATABASE_URL || undefined
const {
  value: scale,
  scaled,
  describe: describeCounts,
} = createBenchScale(process.env.SKILLOS_BENCH_SCALE)

/** PGlite takes seconds to start: always three opens, whatever the scale, so the median means something. */
const PGLITE_OPENS = 3

/** Iteration counts at scale 1: enough for a steady p99, few enough to stay under a minute on 2 cores. */
const COUNTS = {
  memory: { iterations: 100_000, warmup: 5_000 },
  redisThroughput: { iterations: 50_000, warmup: 2_000, concurrency: 50 },
  redisLatency: { iterations: 3_000, warmup: 200, concurrency: 1 },
  settleSerial: { iterations: 500, warmup: 50, concurrency: 1 },
  settleParallel: { iterations: 2_000, warmup: 100, concurrency: 10 },
}

const TENANT = 'bench'
// Far above anything a run reaches, so reservations and hits take the "admitted" path every time.
const NO_LIMIT = 1_000_000_000_000
const HIT_LIMIT = 100_000

// ─── Key-value port ──────────────────────────────────────────────────────────────────────────────

/** The four operations budgets, rate limits and locks are built on; each checks it took the intended path. */
const KEY_VALUE_OPERATIONS = [
  {
    name: 'increment',
    run: (store, i) => store.increment(`counter:${i % 100}`),
  },
  {
    name: 'reserve ×3',
    // A run's reservation: the tenant's, the principal's and the skill's budget, all or nothing.
    run: async (store, i) => {
      const result = await store.reserve(
        [
          { key: `budget:${TENANT}`, amount: 1_500, limit: NO_LIMIT },
          { key: `budget:principal:${i % 100}`, amount: 1_500, limit: NO_LIMIT },
          { key: `budget:skill:${i % 20}`, amount: 1_500, limit: NO_LIMIT },
        ],
        { ttlMs: 3_600_000 },
      )
      if (!result.ok) {
        throw new Error(`reserve refused ${result.key}: the bench expects every reservation to fit`)
      }
    },
  },
  {
    name: 'hit (sliding window)',
    run: async (store, i) => {
      const result = await store.hit(`rate:${i % 10_000}`, { limit: HIT_LIMIT, windowMs: 60_000 })
      if (!result.allowed) {
        throw new Error('hit refused: the bench expects every hit to be admitted')
      }
    },
  },
  {
    name: 'acquireLock+release',
    run: async (store, i) => {
      const lock = await store.acquireLock(`lock:${i}`, 30_000)
      if (lock === null) throw new Error(`lock:${i} was already held`)
      if (!(await lock.release())) throw new Error(`lock:${i} was not released`)
    },
  },
]

/** Measure every key-value operation on `store`; `peer` is a row the counters are compared with. */
async function measureKeyValue(store, peer, counts) {
  const options = scaled(counts)
  const rows = [peer]
  for (const operation of KEY_VALUE_OPERATIONS) {
    const row = await measure(operation.name, (i) => operation.run(store, i), options)
    rows.push(
      operation.name === 'increment' || operation.name === 'reserve ×3'
        ? { ...row, peer: peer.name }
        : row,
    )
  }
  return rows
}

async function benchMemoryKeyValue() {
  const store = await openKeyValue('memory://', { prefix: 'skillos-bench:' })
  try {
    const counters = new Map()
    const peer = await measure(
      'Map get+set (peer)',
      async (i) => {
        const key = `counter:${i % 100}`
        counters.set(key, (counters.get(key) ?? 0) + 1)
      },
      scaled(COUNTS.memory),
    )
    const rows = await measureKeyValue(store, peer, COUNTS.memory)
    printTable(`Key-value port: in-process (memory://) — ${describeCounts(COUNTS.memory)}`, rows)
  } finally {
    await store.close()
  }
}

async function benchRedisKeyValue(url) {
  const prefix = `skillos-bench:${randomBytes(6).toString('hex')}:`
  const store = await openKeyValue(url, { prefix })
  const raw = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 })
  // Failed commands reject on their own; without a listener ioredis would also print every error.
  raw.on('error', () => {})
  try {
    await raw.connect()
    const incrby = (counts) =>
      measure(
        'INCRBY (raw ioredis, peer)',
        (i) => raw.incrby(`${prefix}raw:${i % 100}`, 1),
        scaled(counts),
      )

    const throughput = await measureKeyValue(
      store,
      await incrby(COUNTS.redisThroughput),
      COUNTS.redisThroughput,
    )
    printTable(
      `Key-value port: Redis, throughput — ${describeCounts(COUNTS.redisThroughput)} (one pipelined connection)`,
      throughput.map((row) =>
        row.name === 'reserve ×3' ? { ...row, target: '≥ 40k/s (issue 3)' } : row,
      ),
    )

    const latency = await measureKeyValue(
      store,
      await incrby(COUNTS.redisLatency),
      COUNTS.redisLatency,
    )
    printTable(`Key-value port: Redis, latency — ${describeCounts(COUNTS.redisLatency)}`, latency)
  } finally {
    try {
      await store.clear()
    } finally {
      await store.close()
      raw.disconnect()
    }
  }
}

// ─── Relational store ────────────────────────────────────────────────────────────────────────────

const EVENT_TYPES = [
  'run.started',
  'skill.routed',
  'budget.reserved',
  'tool.called',
  'run.completed',
]

/** What a run writes when it settles: its row and its event stream. */
function settledRun(runId) {
  const now = new Date()
  return {
    run: {
      tenantId: TENANT,
      id: runId,
      status: 'succeeded',
      skillId: 'bench/echo',
      skillVersion: '1.0.0',
      mode: 'single',
      principalId: 'user-7',
      input: { text: 'hello' },
      output: { text: 'hello' },
      tokensIn: 120,
      tokensOut: 80,
      costMicros: 1_500,
      durationMs: 42,
      completedAt: now,
    },
    events: {
      tenantId: TENANT,
      runId,
      firstSeq: 0,
      lastSeq: EVENT_TYPES.length - 1,
      events: EVENT_TYPES.map((type, seq) => ({
        seq,
        type,
        at: now.toISOString(),
        data: { elapsedMs: seq * 10, note: `${type} of ${runId}` },
      })),
    },
  }
}

/** A run's event batch as the raw statements write it (snake_case columns, the events as JSON). */
function batchRow(sql, batch) {
  return {
    tenant_id: batch.tenantId,
    run_id: batch.runId,
    first_seq: batch.firstSeq,
    last_seq: batch.lastSeq,
    events: sql.json(batch.events),
  }
}

/** The settle transaction through the port: drizzle, BEGIN + 2 inserts + COMMIT. */
async function settleWithDrizzle(database) {
  const { run, events } = settledRun(randomUUID())
  await database.transaction(async (tx) => {
    await tx.insert(runs).values(run)
    await tx.insert(runEventBatches).values(events)
  })
}

/** The same rows as one statement (a data-modifying CTE): one round trip, atomic on its own. */
async function settleWithOneStatement(sql) {
  const { run, events } = settledRun(randomUUID())
  await sql`
    with run as (
      insert into runs (tenant_id, id, status, skill_id, skill_version, mode, principal_id, input, output,
                        tokens_in, tokens_out, cost_micros, duration_ms, completed_at)
      values (${run.tenantId}, ${run.id}, ${run.status}, ${run.skillId}, ${run.skillVersion}, ${run.mode},
              ${run.principalId}, ${sql.json(run.input)}, ${sql.json(run.output)}, ${run.tokensIn},
              ${run.tokensOut}, ${run.costMicros}, ${run.durationMs}, ${run.completedAt})
      returning id
    )
    insert into run_event_batches ${sql(batchRow(sql, events))}`
}

/** The same two inserts in a raw postgres.js transaction: drizzle's round trips without drizzle. */
async function settleWithRawTransaction(sql) {
  const { run, events } = settledRun(randomUUID())
  await sql.begin(async (tx) => {
    await tx`
      insert into runs (tenant_id, id, status, skill_id, skill_version, mode, principal_id, input, output,
                        tokens_in, tokens_out, cost_micros, duration_ms, completed_at)
      values (${run.tenantId}, ${run.id}, ${run.status}, ${run.skillId}, ${run.skillVersion}, ${run.mode},
              ${run.principalId}, ${tx.json(run.input)}, ${tx.json(run.output)}, ${run.tokensIn},
              ${run.tokensOut}, ${run.costMicros}, ${run.durationMs}, ${run.completedAt})`
    await tx`insert into run_event_batches ${tx(batchRow(tx, events))}`
  })
}

async function insertTenant(database) {
  await database.db.insert(tenants).values({ id: TENANT, name: 'Bench' })
}

/** Every settle wrote its run and its five events, or the numbers measured something else. */
async function assertSettled(database, expectedRuns) {
  const [runCount, [events]] = await Promise.all([
    database.db.$count(runs),
    database.db
      .select({
        n: drizzleSql`coalesce(sum(json_array_length(${runEventBatches.events})), 0)::int`,
      })
      .from(runEventBatches),
  ])
  if (runCount !== expectedRuns || events.n !== expectedRuns * EVENT_TYPES.length) {
    throw new Error(
      `expected ${expectedRuns} runs and ${expectedRuns * EVENT_TYPES.length} events, found ${runCount} and ${events.n}`,
    )
  }
}

/** Timed plus warm-up calls of `measure` with `counts`. */
function callsOf(counts) {
  const { iterations, warmup } = scaled(counts)
  return iterations + warmup
}

async function benchPglite(openRows) {
  const opened = []
  const opens = await measure(
    'PGlite memory:// open + migrate',
    async () => {
      opened.push(await openDatabase('memory://'))
    },
    { iterations: PGLITE_OPENS, warmup: 0 },
  )
  openRows.push(opens)
  // The last instance serves the transactions; PGlite is one connection, so concurrency 1 only.
  const database = opened.pop()
  await Promise.all(opened.map((other) => other.close()))
  try {
    await insertTenant(database)
    const serial = await measure(
      'drizzle transaction',
      () => settleWithDrizzle(database),
      scaled(COUNTS.settleSerial),
    )
    await assertSettled(database, callsOf(COUNTS.settleSerial))
    return serial
  } finally {
    await database.close()
  }
}

async function benchPostgres(serverUrl, openRows) {
  const testDatabase = await createTestDatabase(serverUrl)
  let database
  let sql
  try {
    const open = await measure(
      'PostgreSQL fresh database open + migrate',
      async () => {
        database = await openDatabase(testDatabase.url)
      },
      { iterations: 1, warmup: 0 },
    )
    openRows.push(open)
    sql = postgres(testDatabase.url, { max: 10, onnotice: () => {} })
    await insertTenant(database)

    const tables = []
    for (const counts of [COUNTS.settleSerial, COUNTS.settleParallel]) {
      const options = scaled(counts)
      const batch = await measure(
        'one statement, raw postgres.js (peer)',
        () => settleWithOneStatement(sql),
        options,
      )
      const rawTransaction = await measure(
        'BEGIN + 2 inserts + COMMIT, raw postgres.js',
        () => settleWithRawTransaction(sql),
        options,
      )
      const drizzle = await measure(
        'drizzle transaction',
        () => settleWithDrizzle(database),
        options,
      )
      tables.push({
        title: `Settle a run on PostgreSQL (1 runs row + 1 run_event_batches row of 5 events) — ${describeCounts(counts)}`,
        rows: [batch, { ...rawTransaction, peer: batch.name }, { ...drizzle, peer: batch.name }],
      })
    }
    await assertSettled(
      database,
      3 * (callsOf(COUNTS.settleSerial) + callsOf(COUNTS.settleParallel)),
    )
    return tables
  } finally {
    try {
      await sql?.end({ timeout: 5 })
      await database?.close()
    } finally {
      await testDatabase.drop()
    }
  }
}

// ─── Main ────────────────────────────────────────────────────────────────────────────────────────

const started = performance.now()
console.log(`@skillos/store benchmarks — ${describeMachine()}, scale ${scale}`)
console.log(
  'targets: none for the foundation issue; these numbers are the baseline later issues compare against',
)
const skipped = [
  ...(redisUrl ? [] : ['Key-value port on Redis (SKILLOS_TEST_REDIS_URL is unset)']),
  ...(databaseUrl ? [] : ['Relational store on PostgreSQL (SKILLOS_TEST_DATABASE_URL is unset)']),
]
console.log(`skipped: ${skipped.length === 0 ? 'none' : skipped.join('; ')}`)

await benchMemoryKeyValue()
if (redisUrl) await benchRedisKeyValue(redisUrl)

const openRows = []
const pgliteSettle = await benchPglite(openRows)
const postgresTables = databaseUrl ? await benchPostgres(databaseUrl, openRows) : []
printTable(
  'Relational store: open + migrate (one sample per open; median of the samples)',
  openRows,
)
printTable(
  `Settle a run on PGlite memory:// (1 runs row + 1 run_event_batches row of 5 events; one connection) — ${describeCounts(COUNTS.settleSerial)}`,
  [pgliteSettle],
)
for (const table of postgresTables) printTable(table.title, table.rows)

for (const line of skipped) console.log(`\nskipped: ${line}`)
console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`)

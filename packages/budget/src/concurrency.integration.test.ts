import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { budgetLedger, openDatabase, openKeyValue, tenants, type Database } from '@skillos/store'
import { createTestDatabase, type TestDatabase } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBudget } from './budget.js'
import type { WorkerMessage, WorkerTask } from './concurrency-worker.js'

const databaseUrl = integrationUrl('SKILLOS_TEST_DATABASE_URL')
const redisUrl = integrationUrl('SKILLOS_TEST_REDIS_URL')
const workerPath = fileURLToPath(new URL('./concurrency-worker.ts', import.meta.url))
const packageDir = fileURLToPath(new URL('..', import.meta.url))

/** Start a worker process (TypeScript through tsx) and wait until it has opened its connections. */
function startWorker(
  task: WorkerTask,
): Promise<{ child: ChildProcess; done: Promise<WorkerMessage> }> {
  const child = fork(workerPath, [], {
    cwd: packageDir,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const done = new Promise<WorkerMessage>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') resolve(message)
    })
    child.once('exit', (code) => reject(new Error(`worker ${task.worker} exited with ${code}`)))
  })
  done.catch(() => {})
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve({ child, done })
    })
    child.once('exit', (code) =>
      reject(new Error(`worker ${task.worker} exited with ${code} before it was ready`)),
    )
    child.send(task)
  })
}

describe.skipIf(!databaseUrl || !redisUrl)('Budget under concurrency from two processes', () => {
  let testDatabase: TestDatabase
  let database: Database
  const prefix = `skillos-test:budget-concurrency:${randomBytes(6).toString('hex')}:`

  beforeAll(async () => {
    testDatabase = await createTestDatabase(databaseUrl ?? '')
    database = await openDatabase(testDatabase.url)
  })

  afterAll(async () => {
    const kv = await openKeyValue(redisUrl ?? '', { prefix })
    await kv.clear()
    await kv.close()
    await database?.close()
    await testDatabase?.drop()
  })

  it('admits exactly what fits of 1,000 concurrent reservations from 2 processes, and never commits one unit more', async () => {
    const tenant = 'acme'
    await database.db.insert(tenants).values({ id: tenant, name: 'Acme' })
    // $7.805 holds 600 reservations of $0.013 (= $7.800); the 601st would make $7.813. One process
    // alone can take at most 500 of them, so both must win some: they really compete.
    const limits = [
      { id: 'tenant-daily', scope: 'tenant', window: 'day', usd: 7.805 },
      { id: 'user-daily', scope: 'user', window: 'day', usd: 100 },
    ]
    const base = {
      databaseUrl: testDatabase.url,
      redisUrl: redisUrl ?? '',
      prefix,
      tenant,
      count: 500,
      costUsd: 0.013,
      limits,
    }
    const workers = await Promise.all([0, 1].map((worker) => startWorker({ ...base, worker })))
    for (const { child } of workers) child.send('go')
    const results = await Promise.all(workers.map(({ done }) => done))

    const reports = results.flatMap((result) => (result.type === 'done' ? [result] : []))
    expect(reports.flatMap((report) => report.failures)).toEqual([])
    expect(reports.reduce((sum, report) => sum + report.admitted, 0)).toBe(600)
    expect(reports.reduce((sum, report) => sum + report.refused, 0)).toBe(400)
    expect(reports.map((report) => report.admitted).every((admitted) => admitted >= 100)).toBe(true)
    expect(reports.reduce((sum, report) => sum + report.committedUsd, 0)).toBeCloseTo(7.8, 9)

    const [ledger] = await database.db
      .select({
        rows: sql<string>`count(*)`,
        micros: sql<string>`coalesce(sum(${budgetLedger.costMicros}), 0)`,
      })
      .from(budgetLedger)
      .where(eq(budgetLedger.tenantId, tenant))
    expect(Number(ledger?.rows)).toBe(600)
    expect(Number(ledger?.micros)).toBe(7_800_000)
    expect(Number(ledger?.micros)).toBeLessThanOrEqual(7_805_000)

    const kv = await openKeyValue(redisUrl ?? '', { prefix })
    const budget = createBudget({ database, kv, config: { limits: limits as never } })
    const [tenantDaily] = await budget.report({ tenant })
    expect(tenantDaily).toMatchObject({
      limitId: 'tenant-daily',
      spent: 7.8,
      reserved: 0,
      remaining: 0.005,
    })
    await budget.close()
    await kv.close()
  }, 60_000)
})

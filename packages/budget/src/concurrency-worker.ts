// A worker process of concurrency.integration.test.ts: opens its own database pool, Redis client and
// budget, waits for "go", fires `count` reserve+commit pairs at once, and reports what happened.
import { SkillOSError } from '@skillos/contracts'
import { openDatabase, openKeyValue } from '@skillos/store'
import { createBudget } from './budget.js'

export interface WorkerTask {
  databaseUrl: string
  redisUrl: string
  prefix: string
  tenant: string
  worker: number
  count: number
  costUsd: number
  limits: unknown[]
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; admitted: number; refused: number; failures: string[]; committedUsd: number }

function send(message: WorkerMessage): void {
  process.send?.(message)
}

process.once('message', async (task: WorkerTask) => {
  const database = await openDatabase(task.databaseUrl, { migrate: false })
  const kv = await openKeyValue(task.redisUrl, { prefix: task.prefix })
  const budget = createBudget({ database, kv, config: { limits: task.limits as never } })
  // Warm up (tenant check, counters seeded from the ledger) so that after "go" only the
  // reservations themselves race.
  for (let user = 0; user < 10; user++)
    await budget.report({ tenant: task.tenant, user: `u${user}` })
  send({ type: 'ready' })
  await new Promise((resolve) => process.once('message', resolve))

  let admitted = 0
  let refused = 0
  let committedUsd = 0
  const failures: string[] = []
  await Promise.all(
    Array.from({ length: task.count }, async (_, i) => {
      try {
        const { reservation } = await budget.reserve({
          tenant: task.tenant,
          user: `u${i % 10}`,
          runId: `w${task.worker}-r${i}`,
          costUsd: task.costUsd,
        })
        admitted += 1
        const committed = await budget.commit(reservation.id, { costUsd: task.costUsd })
        committedUsd += committed.costUsd
      } catch (error) {
        if (SkillOSError.is(error, 'BUDGET_EXCEEDED')) refused += 1
        else failures.push(error instanceof Error ? error.message : String(error))
      }
    }),
  )
  await budget.close()
  await kv.close()
  await database.close()
  send({ type: 'done', admitted, refused, failures, committedUsd })
  process.disconnect?.()
})

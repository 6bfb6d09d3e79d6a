import { maskUrl } from '@skillos/contracts'
import type { Database } from '@skillos/store'
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { createRunQueueStore, newWorkerId, type RunQueueStore } from './run-queue-store.js'

/** Executes one queued run to its next stop (finished, or waiting for a person). */
export type ExecuteQueuedRun = (tenant: string, runId: string) => Promise<unknown>

export interface CreateRunQueueOptions {
  database: Database
  execute: ExecuteQueuedRun
  /** Runs executed at once by this process (default 4). */
  concurrency?: number
  /** How long a claim holds before another worker may take the run over (default 10 min). */
  leaseMs?: number
  /** How often the durable table is swept for runs nobody dispatched (default 1 s). */
  pollMs?: number
  /**
   * A Redis URL: dispatch through BullMQ so that every instance shares the work. Absent: an
   * in-process dispatcher over the same durable table (the embedded default).
   */
  redisUrl?: string
  /** BullMQ queue name (default `skillos-runs`); tests use their own. */
  queueName?: string
  /** Called when executing a run throws (the run stays in the table and is retried after its lease). */
  onError?: (error: unknown, run: { tenant: string; runId: string }) => void
  now?: () => number
}

/** The async run queue: durable rows in the store, dispatched in process or through BullMQ. */
export interface RunQueue {
  readonly kind: 'in-process' | 'bullmq'
  readonly store: RunQueueStore
  /** A run was accepted (its row is written): dispatch it. */
  notify(tenant: string, runId: string): Promise<void>
  /** Start executing (also picks up runs accepted before a restart). */
  start(): Promise<void>
  /** Runs executing in this process now. */
  active(): number
  /** Accepted runs not yet finished across every instance (refreshed by the sweep, and by `notify`). */
  depth(): number
  /** Stop taking runs, wait for the ones executing (up to `timeoutMs`), then close. */
  stop(timeoutMs?: number): Promise<void>
}

/**
 * Create the async run queue. The `run_queue` table is the source of truth: a run is accepted only
 * once its row is committed, executed by whoever claims the row (a lease, so two workers never run it
 * at once), and removed after. The dispatcher only says "look at this one": in process a local loop,
 * with Redis a BullMQ queue shared by every instance; a sweep publishes rows that nobody dispatched
 * (a crash between commit and publish, or Redis losing its data), so no accepted run is lost.
 *
 * @example
 * ```ts
 * const queue = createRunQueue({ database, execute: (tenant, runId) => os.execute(tenant, runId) })
 * await queue.start()
 * const accepted = await os.submit(request) // status `queued`
 * await queue.notify(request.tenant, accepted.runId)
 * ```
 */
export function createRunQueue(options: CreateRunQueueOptions): RunQueue {
  const store = createRunQueueStore(options.database)
  const concurrency = options.concurrency ?? 4
  const leaseMs = options.leaseMs ?? 600_000
  const pollMs = options.pollMs ?? 1000
  const now = options.now ?? Date.now
  const worker = newWorkerId()
  const inFlight = new Map<string, Promise<void>>()
  let depth = 0
  let stopped = false
  let started = false
  let timer: NodeJS.Timeout | undefined

  async function executeClaimed(tenant: string, runId: string): Promise<void> {
    const key = `${tenant}\0${runId}`
    const work = (async () => {
      try {
        await options.execute(tenant, runId)
        await store.complete(tenant, runId)
      } catch (error) {
        options.onError?.(error, { tenant, runId })
      }
    })()
    inFlight.set(key, work)
    try {
      await work
    } finally {
      inFlight.delete(key)
    }
  }

  async function refreshDepth(): Promise<void> {
    depth = await store.depth()
  }

  // In process: claim due rows while there is room.
  let draining = false
  let drainAgain = false
  async function drain(): Promise<void> {
    if (draining) {
      drainAgain = true
      return
    }
    draining = true
    try {
      do {
        drainAgain = false
        while (!stopped && inFlight.size < concurrency) {
          const due = await store.claimDue(
            worker,
            leaseMs,
            concurrency - inFlight.size,
            new Date(now()),
          )
          if (due.length === 0) break
          for (const run of due)
            void executeClaimed(run.tenant, run.runId).then(() => {
              void drain()
            })
        }
      } while (drainAgain && !stopped)
    } finally {
      draining = false
    }
  }

  if (!options.redisUrl) {
    return {
      kind: 'in-process',
      store,
      async notify() {
        depth += 1
        void drain().catch((error: unknown) => options.onError?.(error, { tenant: '', runId: '' }))
      },
      async start() {
        if (started) return
        started = true
        await refreshDepth()
        const tick = () => {
          if (stopped) return
          Promise.all([drain(), refreshDepth()])
            .catch((error: unknown) => options.onError?.(error, { tenant: '', runId: '' }))
            .finally(() => {
              if (!stopped) timer = setTimeout(tick, pollMs).unref()
            })
        }
        tick()
      },
      active: () => inFlight.size,
      depth: () => depth,
      async stop(timeoutMs = 30_000) {
        stopped = true
        clearTimeout(timer)
        await settle([...inFlight.values()], timeoutMs)
      },
    }
  }

  // BullMQ: a job per accepted run (id = tenant.runId, so a repeat publish is a no-op while it waits).
  const redisUrl = options.redisUrl
  const name = options.queueName ?? 'skillos-runs'
  const connect = () => {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false })
    client.on('error', () => undefined)
    return client
  }
  const queueConnection = connect()
  const queue = new Queue(name, { connection: queueConnection })
  let bullWorker: Worker | undefined
  let workerConnection: Redis | undefined
  const publish = (tenant: string, runId: string) =>
    queue.add(
      'run',
      { tenant, runId },
      { jobId: `${tenant}.${runId}`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
    )

  return {
    kind: 'bullmq',
    store,
    async notify(tenant, runId) {
      depth += 1
      try {
        await publish(tenant, runId)
      } catch (error) {
        // The row is committed: the sweep publishes it again once Redis answers.
        options.onError?.(
          new Error(`Could not publish run ${runId} to BullMQ at ${maskUrl(redisUrl)}`, {
            cause: error,
          }),
          { tenant, runId },
        )
      }
    },
    async start() {
      if (started) return
      started = true
      await queue.waitUntilReady().catch((cause: unknown) => {
        throw new Error(`BullMQ cannot reach Redis at ${maskUrl(redisUrl)}`, { cause })
      })
      bullWorker = new Worker(
        name,
        async (job) => {
          const { tenant, runId } = job.data as { tenant: string; runId: string }
          if (stopped) return
          if (!(await store.claim(tenant, runId, worker, leaseMs, new Date(now())))) return
          await executeClaimed(tenant, runId)
        },
        { connection: (workerConnection = connect()), concurrency, autorun: true },
      )
      bullWorker.on('error', (error) => options.onError?.(error, { tenant: '', runId: '' }))
      await refreshDepth()
      const tick = () => {
        if (stopped) return
        void (async () => {
          await refreshDepth()
          // Rows nobody holds a while after they were accepted: publish again (a no-op if queued).
          const stale = await store.stale(new Date(now() - 2 * pollMs), new Date(now()), 100)
          for (const run of stale) await publish(run.tenant, run.runId)
        })()
          .catch((error: unknown) => options.onError?.(error, { tenant: '', runId: '' }))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, pollMs).unref()
          })
      }
      tick()
    },
    active: () => inFlight.size,
    depth: () => depth,
    async stop(timeoutMs = 30_000) {
      stopped = true
      clearTimeout(timer)
      await settle([...inFlight.values()], timeoutMs)
      await bullWorker?.close(true).catch(() => undefined)
      await queue.close().catch(() => undefined)
      queueConnection.disconnect()
      workerConnection?.disconnect()
    },
  }
}

/** Wait for every promise, at most `timeoutMs`. */
async function settle(promises: Promise<unknown>[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.allSettled(promises),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    }),
  ])
  clearTimeout(timer)
}

/** How a group commit writes: a whole batch in one statement, or one operation on its own. */
export interface GroupCommitOptions<Op, Result> {
  /**
   * Write every operation of the batch in one atomic statement and answer each, in order. Throwing
   * means nothing of the batch was written.
   */
  writeBatch(ops: readonly Op[]): Promise<Result[]>
  /** Write one operation alone: a batch of one, and the fallback when a batch fails. */
  writeOne(op: Op): Promise<Result>
  /**
   * Operations with the same key never share a batch (a later one waits for the next), so a batch
   * never touches one row twice and each answer is unambiguous.
   */
  key(op: Op): string
  /**
   * Whether a failed batch may be retried one operation at a time: true for an error the database
   * raised for a statement (nothing was written); false for a lost connection, where the batch may
   * or may not have committed and every caller gets the error instead of a guess.
   */
  retryAlone(error: unknown): boolean
  /** Most operations in one batch; default 256. */
  maxBatch?: number
  /**
   * Most batches in flight at once; default 1. Beyond the first, a batch leaves only when it is
   * full, so batches stay large. More than one keeps a database that runs statements in the order
   * they are sent (the PGlite thread) busy while this thread is still producing: the next full
   * batch is already queued there when the previous one commits, instead of leaving only once this
   * thread has seen that answer. An operation whose key is in a batch in flight waits for it.
   */
  maxInFlight?: number
}

export interface GroupCommit<Op, Result> {
  /** Resolves only after the batch holding `op` has committed, so an answer is always durable. */
  write(op: Op): Promise<Result>
  /** Operations waiting for the next batch plus the batch in flight. */
  readonly pending: number
}

type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown }

interface Waiting<Op, Result> {
  op: Op
  key: string
  resolve: (result: Result) => void
  reject: (error: unknown) => void
}

/**
 * Group commit (as the budget's ledger writer does it, ADR 005): concurrent writes are collected
 * while the previous batch is in flight — or, for the first, until the current turn of the event
 * loop ends — and written in one statement, so throughput comes from concurrency while every answer
 * is durable. With `maxInFlight` above 1, further batches leave as soon as they are full. A batch
 * the database refuses is retried one operation at a time, so one bad write fails alone and its
 * neighbours are still written.
 */
export function createGroupCommit<Op, Result>(
  options: GroupCommitOptions<Op, Result>,
): GroupCommit<Op, Result> {
  const maxBatch = options.maxBatch ?? 256
  const maxInFlight = options.maxInFlight ?? 1
  let queue: Waiting<Op, Result>[] = []
  // The keys of each batch in flight, and how many operations they hold.
  const inFlight = new Set<Set<string>>()
  let inFlightOps = 0
  // A first batch waits for the end of the current turn (setImmediate) to collect that turn's writes.
  let collecting = false

  /**
   * The next batch: the oldest operations, at most one per key and none whose key is in flight.
   * With `onlyIfFull`, nothing is taken unless the batch would be full.
   */
  function takeBatch(onlyIfFull: boolean): { batch: Waiting<Op, Result>[]; keys: Set<string> } {
    const batch: Waiting<Op, Result>[] = []
    const later: Waiting<Op, Result>[] = []
    const keys = new Set<string>()
    for (const waiting of queue) {
      if (batch.length >= maxBatch || keys.has(waiting.key) || keyInFlight(waiting.key)) {
        later.push(waiting)
        continue
      }
      keys.add(waiting.key)
      batch.push(waiting)
    }
    if (onlyIfFull && batch.length < maxBatch) return { batch: [], keys: new Set() }
    queue = later
    return { batch, keys }
  }

  function keyInFlight(key: string): boolean {
    for (const keys of inFlight) if (keys.has(key)) return true
    return false
  }

  /** One operation written alone: its answer or its error, never a throw. */
  async function attempt(op: Op): Promise<Outcome<Result>> {
    try {
      return { ok: true, value: await options.writeOne(op) }
    } catch (error) {
      return { ok: false, error }
    }
  }

  /**
   * Write a batch and answer each of its callers. `written` runs first, once the database has
   * answered, so the next batch can leave before these callers resume.
   */
  async function writeBatch(batch: Waiting<Op, Result>[], written: () => void): Promise<void> {
    let outcomes: Outcome<Result>[]
    const [only] = batch
    if (only && batch.length === 1) {
      outcomes = [await attempt(only.op)]
    } else {
      try {
        const results = await options.writeBatch(batch.map((waiting) => waiting.op))
        outcomes = results.map((value) => ({ ok: true, value }))
      } catch (error) {
        if (options.retryAlone(error)) {
          outcomes = []
          for (const waiting of batch) outcomes.push(await attempt(waiting.op))
        } else {
          outcomes = batch.map(() => ({ ok: false, error }))
        }
      }
    }
    written()
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i]
      if (outcome?.ok) waiting.resolve(outcome.value)
      else
        waiting.reject(
          outcome ? outcome.error : new Error('the batch gave no answer for this write'),
        )
    })
  }

  /** Send batches while there is room: any batch when none is in flight, else only full ones. */
  function pump(): void {
    while (!collecting && queue.length > 0 && inFlight.size < maxInFlight) {
      const { batch, keys } = takeBatch(inFlight.size > 0)
      // Not full, or every queued key is in flight: a batch in flight answers, then pumps again.
      if (batch.length === 0) return
      inFlight.add(keys)
      inFlightOps += batch.length
      void writeBatch(batch, () => {
        inFlight.delete(keys)
        inFlightOps -= batch.length
        pump()
      })
    }
  }

  return {
    write(op) {
      return new Promise<Result>((resolve, reject) => {
        queue.push({ op, key: options.key(op), resolve, reject })
        if (inFlight.size > 0) {
          if (queue.length >= maxBatch) pump()
        } else if (!collecting) {
          // Let the current turn of the event loop add its writes before the first batch leaves.
          collecting = true
          setImmediate(() => {
            collecting = false
            pump()
          })
        }
      })
    },
    get pending() {
      return queue.length + inFlightOps
    },
  }
}

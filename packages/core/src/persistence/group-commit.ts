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
}

export interface GroupCommit<Op, Result> {
  /** Resolves only after the batch holding `op` has committed, so an answer is always durable. */
  write(op: Op): Promise<Result>
  /** Operations waiting for the next batch plus the batch in flight. */
  readonly pending: number
}

interface Waiting<Op, Result> {
  op: Op
  key: string
  resolve: (result: Result) => void
  reject: (error: unknown) => void
}

/**
 * Group commit (as the budget's ledger writer does it, ADR 005): concurrent writes are collected
 * while the previous batch is in flight — or, for the first, until the current turn of the event
 * loop ends — and written in one statement. One batch is in flight at a time, so throughput comes
 * from concurrency while every answer is durable. A batch the database refuses is retried one
 * operation at a time, so one bad write fails alone and its neighbours are still written.
 */
export function createGroupCommit<Op, Result>(
  options: GroupCommitOptions<Op, Result>,
): GroupCommit<Op, Result> {
  const maxBatch = options.maxBatch ?? 256
  let queue: Waiting<Op, Result>[] = []
  let inFlight = 0
  let flushing: Promise<void> | null = null

  /** The next batch: the oldest operations, at most one per key, at most `maxBatch`. */
  function takeBatch(): Waiting<Op, Result>[] {
    const batch: Waiting<Op, Result>[] = []
    const later: Waiting<Op, Result>[] = []
    const keys = new Set<string>()
    for (const waiting of queue) {
      if (batch.length >= maxBatch || keys.has(waiting.key)) {
        later.push(waiting)
        continue
      }
      keys.add(waiting.key)
      batch.push(waiting)
    }
    queue = later
    return batch
  }

  async function writeAlone(waiting: Waiting<Op, Result>): Promise<void> {
    try {
      waiting.resolve(await options.writeOne(waiting.op))
    } catch (error) {
      waiting.reject(error)
    }
  }

  async function writeBatch(batch: Waiting<Op, Result>[]): Promise<void> {
    const [only] = batch
    if (only && batch.length === 1) return writeAlone(only)
    let results: Result[]
    try {
      results = await options.writeBatch(batch.map((waiting) => waiting.op))
    } catch (error) {
      if (!options.retryAlone(error)) {
        for (const waiting of batch) waiting.reject(error)
        return
      }
      for (const waiting of batch) await writeAlone(waiting)
      return
    }
    batch.forEach((waiting, i) => waiting.resolve(results[i] as Result))
  }

  async function flushLoop(): Promise<void> {
    // Let the current turn of the event loop add its writes before the first batch leaves.
    await new Promise<void>((resolve) => setImmediate(resolve))
    while (queue.length > 0) {
      const batch = takeBatch()
      inFlight = batch.length
      await writeBatch(batch)
      inFlight = 0
    }
    flushing = null
  }

  return {
    write(op) {
      return new Promise<Result>((resolve, reject) => {
        queue.push({ op, key: options.key(op), resolve, reject })
        flushing ??= flushLoop()
      })
    },
    get pending() {
      return queue.length + inFlight
    },
  }
}

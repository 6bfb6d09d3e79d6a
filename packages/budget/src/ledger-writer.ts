import { budgetLedger, type Database } from '@skillos/store'
import { sql } from 'drizzle-orm'

/** One row of the durable ledger, as the budget writes it. */
export type LedgerRow = typeof budgetLedger.$inferInsert

export interface LedgerWriterOptions {
  /** Most rows in one INSERT; default 2000. */
  maxBatch?: number
}

export interface LedgerWriter {
  /** Resolves once the row is in a flushed batch (or was already there: same tenant and charge key). */
  append(row: LedgerRow): Promise<void>
  /** Resolves once every row appended so far is written. */
  drain(): Promise<void>
  /** Rows waiting for the next batch plus the batch in flight. */
  readonly pending: number
}

interface Waiting {
  row: LedgerRow
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * Group commit for the ledger: `append` queues a row and resolves when a multi-row
 * `INSERT … ON CONFLICT DO NOTHING` that holds it has been written. One batch is in flight at a time;
 * the next collects meanwhile, so throughput comes from concurrency while every resolved append is
 * durable. A batch that fails is retried row by row, so one bad row fails alone.
 */
export function createLedgerWriter(
  database: Database,
  options: LedgerWriterOptions = {},
): LedgerWriter {
  const maxBatch = options.maxBatch ?? 2_000
  let queue: Waiting[] = []
  let inFlight = 0
  let flushing: Promise<void> | null = null

  // One parameter for the whole batch (a JSON array the server unpacks) rather than 13 per row:
  // building thousands of bound parameters costs more client CPU than the insert itself.
  async function insert(rows: LedgerRow[]): Promise<void> {
    const payload = JSON.stringify(
      rows.map((row) => ({
        tenant_id: row.tenantId,
        id: row.id,
        run_id: row.runId ?? null,
        principal_id: row.principalId ?? null,
        skill_id: row.skillId ?? null,
        model: row.model ?? null,
        kind: row.kind,
        tokens_in: row.tokensIn ?? 0,
        tokens_out: row.tokensOut ?? 0,
        cost_micros: row.costMicros,
        charge_key: row.chargeKey ?? null,
        metadata: row.metadata ?? {},
        at: (row.at ?? new Date()).toISOString(),
      })),
    )
    await database.db.execute(sql`
      insert into ${budgetLedger} (tenant_id, id, run_id, principal_id, skill_id, model, kind,
        tokens_in, tokens_out, cost_micros, charge_key, metadata, at)
      select tenant_id, id, run_id, principal_id, skill_id, model, kind,
        tokens_in, tokens_out, cost_micros, charge_key, metadata, at
      from json_to_recordset(${payload}::json) as r(tenant_id text, id text, run_id text,
        principal_id text, skill_id text, model text, kind text, tokens_in integer, tokens_out integer,
        cost_micros bigint, charge_key text, metadata jsonb, at timestamptz)
      on conflict do nothing`)
  }

  async function writeBatch(batch: Waiting[]): Promise<void> {
    try {
      await insert(batch.map((waiting) => waiting.row))
      for (const waiting of batch) waiting.resolve()
    } catch (batchError) {
      if (batch.length === 1) {
        batch[0]?.reject(batchError)
        return
      }
      for (const waiting of batch) {
        try {
          await insert([waiting.row])
          waiting.resolve()
        } catch (error) {
          waiting.reject(error)
        }
      }
    }
  }

  async function flushLoop(): Promise<void> {
    // Let the current turn of the event loop append its rows before the first batch leaves.
    await new Promise<void>((resolve) => setImmediate(resolve))
    while (queue.length > 0) {
      const batch = queue.length > maxBatch ? queue.slice(0, maxBatch) : queue
      queue = queue.length > maxBatch ? queue.slice(maxBatch) : []
      inFlight = batch.length
      await writeBatch(batch)
      inFlight = 0
    }
    flushing = null
  }

  const writer: LedgerWriter = {
    append(row) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, resolve, reject })
        flushing ??= flushLoop()
      })
    },
    async drain() {
      while (flushing) await flushing
    },
    get pending() {
      return queue.length + inFlight
    },
  }
  return writer
}

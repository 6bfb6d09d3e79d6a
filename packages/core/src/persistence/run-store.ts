import {
  SkillOSError,
  terminalRunStatuses,
  ValidationError,
  type RiskLevel,
  type RunMode,
  type RunStatus,
  type SideEffectClass,
  type Usage,
} from '@skillos/contracts'
import {
  approvals,
  runEventBatches,
  runs,
  tenants,
  type approvalStatuses,
  type Database,
  type StoredRunEvent,
} from '@skillos/store'
import { and, asc, eq, gt, lte, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import { createGroupCommit } from './group-commit.js'

/** Where an approval stands: `pending` until someone decides or it passes `expiresAt`. */
export type ApprovalStatus = (typeof approvalStatuses)[number]

/** A run's failure as stored (the `RunResult.error` body). */
export interface RunError {
  code: string
  message: string
  details?: Record<string, unknown>
}

/** One entry of a run's stored trace; `seq` orders a run's events from 0. */
export interface StoredEvent {
  seq: number
  type: string
  at: Date
  data: Record<string, unknown>
}

/** An event to store: a `StoredEvent` whose `at` may also be ISO 8601 text, as a `RunEvent` carries it. */
export interface NewStoredEvent extends Omit<StoredEvent, 'at'> {
  at: Date | string
}

/** A run as stored. `version` is what the next `save` must pass as `expectedVersion`. */
export interface RunRecord {
  tenant: string
  id: string
  status: RunStatus
  skillId?: string
  skillVersion?: string
  mode?: RunMode
  principalId: string
  parentRunId?: string
  idempotencyKey?: string
  requestHash?: string
  input: unknown
  output?: unknown
  error?: RunError
  usage: Usage
  /** The orchestrator's resumable state; opaque to the store. */
  state?: unknown
  version: number
  createdAt: Date
  updatedAt: Date
  completedAt?: Date
}

/**
 * What `begin` found:
 * - `started`: a new run (status `running`, version 0) now holds the key;
 * - `replay`: the same request already finished (succeeded or a stored failure): return its result;
 * - `in_progress`: the same request is still running or waiting for a person;
 * - `conflict`: the key was used for a different request (another request hash).
 */
export type BeginResult =
  | { kind: 'started'; run: RunRecord }
  | { kind: 'replay'; run: RunRecord }
  | { kind: 'in_progress'; run: RunRecord }
  | { kind: 'conflict'; run: RunRecord }

/** The run `begin` creates. */
export interface BeginRun {
  id: string
  principalId: string
  input: unknown
  /**
   * Hash of the request payload: the same key with another hash is a `conflict`. Required with
   * `idempotencyKey`; a run without a key is never compared, so it may leave it out.
   */
  requestHash?: string
  idempotencyKey?: string
  /** How long the key holds the run (Stripe keeps keys 24 h); required with `idempotencyKey`. */
  idempotencyTtlMs: number
  skillId?: string
  mode?: RunMode
  parentRunId?: string
  /**
   * Write nothing yet: the run lives in this process until its first `save`, which inserts it with
   * its events in ONE statement — a run that ends at once costs one write instead of two. A crash
   * before that save leaves no trace of the run, as if it had not started (nobody got an answer).
   * Call `persist` before anything the run must not forget (a side effect), or to make a long run
   * visible. Ignored with an `idempotencyKey`: a key is claimed durably, at once.
   */
  deferred?: boolean
}

/** An approval to create, with its run (`createApproval`) or inside `save` (its run is implied). */
export interface NewApproval {
  id: string
  step?: string
  reason: string
  risk: RiskLevel
  sideEffects: SideEffectClass
  /** Roles any one of which may decide; checking the decider's roles is the caller's job. */
  approvers: string[]
  requestedBy: string
  /** Default: the store's clock. */
  requestedAt?: Date
  expiresAt: Date
}

/** A change to a run. Absent fields stay as they are; `null` clears `output`, `error` or `state`. */
export interface RunChange {
  /** The `version` the caller read; another writer since then makes `save` fail with `CONFLICT`. */
  expectedVersion: number
  status?: RunStatus
  skillId?: string
  skillVersion?: string
  mode?: RunMode
  output?: unknown
  error?: RunError | null
  usage?: Usage
  state?: unknown
  /** Stamp `completedAt`; defaults to true when `status` is terminal. */
  completed?: boolean
  /** Approvals to create in the same transaction (the run moves to `awaiting_approval`). */
  approvals?: NewApproval[]
}

/** An approval as stored. */
export interface ApprovalRecord {
  tenant: string
  id: string
  runId: string
  step?: string
  status: ApprovalStatus
  reason: string
  risk: RiskLevel
  sideEffects: SideEffectClass
  approvers: string[]
  requestedBy: string
  requestedAt: Date
  expiresAt: Date
  decidedBy?: string
  /** When it was approved, rejected or found expired. */
  decidedAt?: Date
  comment?: string
}

/** A person's answer to an approval. */
export interface ApprovalDecision {
  status: 'approved' | 'rejected'
  by: string
  comment?: string
  /** Default: the store's clock. */
  now?: Date
}

/** Filters of `listApprovals`. */
export interface ListApprovalsOptions {
  status?: ApprovalStatus
  runId?: string
  /** Default 100. */
  limit?: number
}

/** Paging of `events`: pass the last `seq` you have as `afterSeq`. */
export interface EventsOptions {
  /** Only events with a greater `seq` (the last one of the previous page). */
  afterSeq?: number
  /** At most this many; default: all. */
  limit?: number
}

/**
 * Durable, tenant-scoped persistence of runs: idempotency, resumable state, the event trace and
 * approvals. Every method takes the tenant; a row of another tenant behaves as if it did not exist.
 */
export interface RunStore {
  /**
   * Create the tenant row if it is missing (named after its id). Cached per store — one store per
   * process — so it costs one round trip per tenant; `begin` calls it itself.
   */
  ensureTenant(tenant: string): Promise<void>
  /**
   * Atomically claim an idempotency key: a new run (status `running`) or what holds the key already.
   * Same request hash + terminal → `replay` (stored failures too); same hash + not terminal →
   * `in_progress`; another hash → `conflict`. A key whose `idempotency_expires_at` has passed is
   * released and the request starts fresh. Without a key: always `started`. Creates the tenant row
   * when missing. A run id that exists already throws `CONFLICT`.
   */
  begin(tenant: string, run: BeginRun): Promise<BeginResult>
  /**
   * Write a deferred run (`begin` with `deferred: true`) as `running` now — before a side effect,
   * or once it has run long enough to be worth seeing. Resolves when it is written; a no-op for a
   * run that is written already (or unknown to this store).
   */
  persist(tenant: string, runId: string): Promise<void>
  /**
   * Resolves once every write acknowledged so far is committed (with `durability: 'buffered'`;
   * at once otherwise). Call it before closing the database. Reads call it themselves.
   */
  flush(): Promise<void>
  /**
   * Persist a state change, its new events and new approvals in one transaction, only if the run is
   * still at `change.expectedVersion` (then its version goes up by one). A stale version throws
   * `CONFLICT` and writes nothing; an unknown run throws `NOT_FOUND`; an event `seq` stored already
   * throws `CONFLICT` and writes nothing.
   */
  save(
    tenant: string,
    runId: string,
    change: RunChange,
    events?: readonly NewStoredEvent[],
  ): Promise<RunRecord>
  get(tenant: string, runId: string): Promise<RunRecord | undefined>
  /** The run's events in `seq` order; an unknown run has none. */
  events(tenant: string, runId: string, options?: EventsOptions): Promise<StoredEvent[]>
  /** Create a pending approval for a run of this tenant (`NOT_FOUND` when there is no such run). */
  createApproval(tenant: string, approval: NewApproval & { runId: string }): Promise<ApprovalRecord>
  /**
   * Approve or reject, atomically, only while the approval is pending and not expired. A pending one
   * past `expiresAt` becomes `expired` and the call throws `CONFLICT` (`details.status: 'expired'`);
   * one decided already throws `CONFLICT` naming its status; an unknown one throws `NOT_FOUND`.
   */
  decideApproval(
    tenant: string,
    approvalId: string,
    decision: ApprovalDecision,
  ): Promise<ApprovalRecord>
  getApproval(tenant: string, approvalId: string): Promise<ApprovalRecord | undefined>
  /** Approvals by `requestedAt`, oldest first. */
  listApprovals(tenant: string, options?: ListApprovalsOptions): Promise<ApprovalRecord[]>
  /**
   * Mark pending approvals whose `expiresAt` has passed as `expired` and return them, so the caller
   * can end their runs. `tenant` is required but may be `undefined`: that sweeps every tenant, the one
   * unscoped path of this store, meant for a single background job, never for a request.
   */
  expireApprovals(tenant: string | undefined, now?: Date): Promise<ApprovalRecord[]>
}

/** Options of `createRunStore`. */
export interface CreateRunStoreOptions {
  /** The clock for timestamps, idempotency expiry and approval expiry (default `new Date()`). */
  now?: () => Date
  /**
   * Most `begin`s (and, separately, `save`s) written in one statement by the group commit; default
   * 256. `1` writes every call on its own.
   */
  maxBatch?: number
  /**
   * When the save that ends a deferred run answers:
   * - `commit` (default): after its statement committed — an answer is durable;
   * - `buffered`: once it is queued for the next group commit. Reads of this store wait for what
   *   was queued before them, so a reader never misses an answered run, but a crash loses the
   *   runs of the last batch or so. Meant for an in-memory database, which a crash loses anyway.
   */
  durability?: 'commit' | 'buffered'
  /**
   * With `buffered`: most ended runs acknowledged but not yet committed (default 1,024). A save
   * that finds the backlog full waits until older writes commit, so a database slower than the
   * runs it stores holds the runs back instead of collecting an ever longer backlog in memory.
   */
  maxBufferedWrites?: number
  /** A buffered write that failed (its caller has its answer already); default: rethrown by `flush`. */
  onBufferedWriteError?: (error: unknown, run: { tenant: string; runId: string }) => void
}

type RunRow = typeof runs.$inferSelect
type RunInsert = typeof runs.$inferInsert
/** A `begin`'s row, waiting for the group commit. */
interface PendingBegin {
  tenant: string
  values: RunInsert
}
/** A `save` without approvals, waiting for the group commit. */
interface PendingSave {
  tenant: string
  runId: string
  change: RunChange
  now: Date
  events: readonly NewStoredEvent[]
}
/**
 * A deferred run that ended: its whole row and every event, inserted in one statement. Both are
 * taken as text when the run ends: later changes to the run are not stored. Their form is the one
 * `insertFinishedRuns` sends to this database.
 */
type PendingCreate = { tenant: string; runId: string } & (
  | {
      /** PGlite: the row as one text per column of `FINISHED_COLUMNS` (JSON for `jsonb` ones). */
      form: 'arrays'
      row: (string | null)[]
      /** Its events as one `run_event_batches` row (the events as JSON text), or none. */
      batch: { firstSeq: string; lastSeq: string; events: string } | undefined
    }
  | {
      /** PostgreSQL: the row as one JSON record, and its events row as another. */
      form: 'json'
      rowJson: string
      batchJson: string | undefined
    }
)
/** A deferred run not written yet; `written` once `persist` started writing it. */
interface DeferredRun {
  values: RunInsert
  written?: Promise<void>
}
type ApprovalRow = typeof approvals.$inferSelect
/** The database or a transaction on it (a transaction is a database handle too). */
type Executor = Database['db']

const UNIQUE_VIOLATION = '23505'
const FOREIGN_KEY_VIOLATION = '23503'
const CHECK_VIOLATION = '23514'
const MICROS_PER_USD = 1_000_000
const DEFAULT_APPROVAL_PAGE = 100
/** Attempts `begin` makes when the key holder vanishes between the insert and the read. */
const BEGIN_ATTEMPTS = 3

/**
 * A run store over SkillOS's relational database (PostgreSQL or PGlite).
 *
 * `save` is one statement when it only changes the run, and one transaction (an UPDATE, one
 * multi-row INSERT of events, one of approvals) when it also appends; `begin` is one
 * `INSERT … ON CONFLICT DO NOTHING` when the key is new. A crash leaves the old state or the new one.
 *
 * Group commit: `begin`s and approval-free `save`s that arrive while the previous batch is in flight
 * (or in the same turn of the event loop) are written together — the begins in one multi-row
 * `INSERT … ON CONFLICT DO NOTHING`, the saves in one `UPDATE … FROM` with each row's version check
 * plus one INSERT of all their events — and each call resolves only after its batch committed, so
 * an answer is always durable and a crash loses only calls that never got one. A stale version fails
 * only its own save; a batch the database refuses is retried call by call, so one bad write fails
 * alone (ADR 005's ledger writer, applied to runs).
 *
 * @example
 * ```ts
 * const database = await openDatabase('memory://')
 * const store = createRunStore(database)
 * const begun = await store.begin('acme', {
 *   id: 'run-1',
 *   principalId: 'u1',
 *   input: { text: 'convert 250 EUR to RUB' },
 *   requestHash: 'sha256:…',
 *   idempotencyKey: 'invoice-42',
 *   idempotencyTtlMs: 86_400_000,
 * })
 * if (begun.kind === 'started') {
 *   await store.save(
 *     'acme',
 *     'run-1',
 *     { expectedVersion: begun.run.version, status: 'succeeded', output: { amount: 24_750 } },
 *     [{ seq: 0, type: 'run.completed', at: new Date(), data: { status: 'succeeded' } }],
 *   )
 * }
 * ```
 */
export function createRunStore(database: Database, options: CreateRunStoreOptions = {}): RunStore {
  const clock = options.now ?? (() => new Date())
  const db = database.db
  const knownTenants = new Map<string, Promise<void>>()
  const maxBatch = options.maxBatch ?? 256
  const replan = createReplanSchedule(database)
  // PGlite reads `text[]` parameters sent in binary without a scan; postgres.js sends arrays as
  // escaped text, and PostgreSQL parses JSON quickly (ADR 018).
  const finishedForm: FinishedForm = database.kind === 'pglite' ? 'arrays' : 'json'
  const begins = createGroupCommit<PendingBegin, RunRow | undefined>({
    maxBatch,
    key: (op) => `${op.tenant}\0${op.values.id}`,
    writeBatch: async (ops) => {
      const rows = await insertRuns(db, ops)
      replan.inserted(rows.filter((row) => row !== undefined).length)
      return rows
    },
    writeOne: async (op) => {
      const row = await insertRun(op.tenant, op.values)
      if (row) replan.inserted(1)
      return row
    },
    retryAlone: (error) => pgCode(error) !== undefined,
  })
  const saves = createGroupCommit<PendingSave, RunRow | undefined>({
    maxBatch,
    key: (op) => `${op.tenant}\0${op.runId}`,
    writeBatch: (ops) => updateRuns(db, ops),
    writeOne: (op) => updateRun(op),
    retryAlone: (error) => pgCode(error) !== undefined,
  })

  // Deferred runs (`begin` with `deferred`) by tenant + id, until their first save or `persist`.
  const deferred = new Map<string, DeferredRun>()
  // The ended deferred runs: one statement inserts each run with its events.
  const creates = createGroupCommit<PendingCreate, boolean>({
    maxBatch,
    // Each run is created once (a key is never in two batches), and a full batch queued behind the
    // one in flight keeps the database busy while the runs' thread goes on producing.
    maxInFlight: 4,
    key: (op) => `${op.tenant}\0${op.runId}`,
    writeBatch: async (ops) => {
      const inserted = await insertFinishedRuns(db, ops, finishedForm)
      replan.inserted(inserted.filter(Boolean).length)
      return inserted
    },
    writeOne: async (op) => {
      let inserted: boolean
      try {
        ;[inserted = false] = await insertFinishedRuns(db, [op], finishedForm)
      } catch (error) {
        if (pgCode(error) !== FOREIGN_KEY_VIOLATION) throw error
        // The tenant was deleted since it was cached: create it again, once.
        knownTenants.delete(op.tenant)
        await ensureTenant(op.tenant)
        ;[inserted = false] = await insertFinishedRuns(db, [op], finishedForm)
      }
      if (inserted) replan.inserted(1)
      return inserted
    },
    retryAlone: (error) => pgCode(error) !== undefined,
  })
  const durability = options.durability ?? 'commit'
  const maxBufferedWrites = options.maxBufferedWrites ?? 1_024
  if (!Number.isInteger(maxBufferedWrites) || maxBufferedWrites < 1) {
    throw new ValidationError(
      `maxBufferedWrites: must be a whole number of runs, at least 1 (got ${maxBufferedWrites})`,
      [{ path: 'maxBufferedWrites', message: 'must be an integer ≥ 1' }],
    )
  }
  // Buffered writes not committed yet (`durability: 'buffered'`); reads wait for them.
  const buffered = new Set<Promise<void>>()
  // Saves waiting for room in a full backlog, woken one per write that commits (FIFO).
  const waitingForRoom: (() => void)[] = []
  const bufferedFailures: unknown[] = []

  /** Wait for the buffered writes acknowledged so far (they never reject: failures are reported). */
  async function settled(): Promise<void> {
    if (buffered.size > 0) await Promise.all(buffered)
  }

  async function flush(): Promise<void> {
    await settled()
    if (bufferedFailures.length === 0) return
    const failures = bufferedFailures.splice(0)
    throw failures.length === 1
      ? failures[0]
      : new AggregateError(failures, `${failures.length} buffered run writes failed`)
  }

  async function persist(tenant: string, runId: string): Promise<void> {
    requireTenant(tenant)
    const key = `${tenant}\0${runId}`
    const entry = deferred.get(key)
    if (!entry) return
    entry.written ??= begins
      .write({ tenant, values: entry.values })
      .then((row) => {
        if (!row) throw runExists(tenant, runId)
      })
      .finally(() => deferred.delete(key))
    return entry.written
  }

  /** Insert an ended deferred run with its events: now, or (buffered) with the next batch. */
  async function create(row: RunRow, events: readonly NewStoredEvent[]): Promise<RunRecord> {
    // The callbacks below live until the write commits: they keep the two ids, not the whole row
    // (its state, input and output would otherwise outlive the run by the backlog's length).
    const { tenantId, id: runId } = row
    const written = creates.write(createOp(row, events, finishedForm)).then((inserted) => {
      if (!inserted) throw runExists(tenantId, runId)
    })
    if (durability === 'commit') {
      await written
      return toRunRecord(row)
    }
    // A full backlog holds the caller until older writes commit: a bounded queue, never a longer one.
    // (Its failure is reported below; meanwhile it must not count as unhandled.)
    written.catch(() => undefined)
    while (buffered.size >= maxBufferedWrites)
      await new Promise<void>((resolve) => waitingForRoom.push(resolve))
    const tracked: Promise<void> = written
      .catch((error: unknown) => {
        if (options.onBufferedWriteError)
          options.onBufferedWriteError(error, { tenant: tenantId, runId })
        else bufferedFailures.push(error)
      })
      .finally(() => {
        buffered.delete(tracked)
        waitingForRoom.shift()?.()
      })
    buffered.add(tracked)
    return toRunRecord(row)
  }

  function ensureTenant(tenant: string): Promise<void> {
    requireTenant(tenant)
    let known = knownTenants.get(tenant)
    if (!known) {
      known = db
        .insert(tenants)
        .values({ id: tenant, name: tenant })
        .onConflictDoNothing()
        .then(
          () => undefined,
          (error: unknown) => {
            if (pgCode(error) !== CHECK_VIOLATION) throw error
            throw new ValidationError(
              `tenant: "${tenant}" is not a tenant slug (lowercase letters, digits, "-" or "_")`,
              [{ path: 'tenant', message: 'must be a tenant slug' }],
              { cause: error },
            )
          },
        )
      knownTenants.set(tenant, known)
      known.catch(() => knownTenants.delete(tenant))
    }
    return known
  }

  /** Insert a run; a tenant deleted since it was cached is created again, once. */
  async function insertRun(tenant: string, values: RunInsert): Promise<RunRow | undefined> {
    const insert = () => db.insert(runs).values(values).onConflictDoNothing().returning()
    try {
      return (await insert())[0]
    } catch (error) {
      if (pgCode(error) === FOREIGN_KEY_VIOLATION) {
        knownTenants.delete(tenant)
        await ensureTenant(tenant)
        return (await insert())[0]
      }
      if (pgCode(error) === UNIQUE_VIOLATION) throw runExists(tenant, values.id, error)
      throw error
    }
  }

  async function begin(tenant: string, run: BeginRun): Promise<BeginResult> {
    requireTenant(tenant)
    const key = run.idempotencyKey
    if (key !== undefined && !(Number.isFinite(run.idempotencyTtlMs) && run.idempotencyTtlMs > 0)) {
      throw new ValidationError('idempotencyTtlMs: must be a positive number of milliseconds', [
        { path: 'idempotencyTtlMs', message: 'must be a positive number of milliseconds' },
      ])
    }
    if (key !== undefined && (typeof run.requestHash !== 'string' || run.requestHash === '')) {
      throw new ValidationError(
        'requestHash: required with an idempotencyKey (a repeat is checked against it); nothing was written',
        [{ path: 'requestHash', message: 'required with idempotencyKey' }],
      )
    }
    await ensureTenant(tenant)
    const now = clock()
    const values: RunInsert = {
      tenantId: tenant,
      id: run.id,
      status: 'running',
      principalId: run.principalId,
      input: run.input ?? null,
      requestHash: run.requestHash ?? null,
      idempotencyKey: key ?? null,
      idempotencyExpiresAt:
        key === undefined ? null : new Date(now.getTime() + run.idempotencyTtlMs),
      skillId: run.skillId ?? null,
      mode: run.mode ?? null,
      parentRunId: run.parentRunId ?? null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    }
    if (key === undefined && run.deferred) {
      if (deferred.has(`${tenant}\0${run.id}`)) throw runExists(tenant, run.id)
      deferred.set(`${tenant}\0${run.id}`, { values })
      return { kind: 'started', run: toRunRecord(insertedRow(values, false)) }
    }
    if (key === undefined) {
      const row = await begins.write({ tenant, values })
      if (!row) throw runExists(tenant, run.id)
      return { kind: 'started', run: toRunRecord(row) }
    }

    for (let attempt = 0; attempt < BEGIN_ATTEMPTS; attempt += 1) {
      const inserted =
        attempt === 0 ? await begins.write({ tenant, values }) : await insertRun(tenant, values)
      if (inserted) return { kind: 'started', run: toRunRecord(inserted) }
      const [holder] = await db
        .select()
        .from(runs)
        .where(and(eq(runs.tenantId, tenant), eq(runs.idempotencyKey, key)))
        .limit(1)
      // Nothing holds the key: the insert collided on the run id, or the holder was just released.
      if (!holder) continue
      if (holder.idempotencyExpiresAt !== null && holder.idempotencyExpiresAt < now) {
        // Release only this holder's claim; a concurrent begin may release it too, or win the retry.
        await db
          .update(runs)
          .set({ idempotencyKey: null, idempotencyExpiresAt: null })
          .where(
            and(eq(runs.tenantId, tenant), eq(runs.id, holder.id), eq(runs.idempotencyKey, key)),
          )
        continue
      }
      const record = toRunRecord(holder)
      if (holder.requestHash !== run.requestHash) return { kind: 'conflict', run: record }
      return isTerminal(holder.status)
        ? { kind: 'replay', run: record }
        : { kind: 'in_progress', run: record }
    }
    throw runExists(tenant, run.id)
  }

  /** The UPDATE of one save, only if the run is still at the version the caller read. */
  function updateQuery(
    executor: Executor,
    tenant: string,
    runId: string,
    change: RunChange,
    now: Date,
    /** The first `seq` the save adds: the run must hold no event from there on. */
    firstSeq?: number,
  ) {
    return executor
      .update(runs)
      .set({ ...runChangeSet(change, now), version: sql`${runs.version} + 1` })
      .where(
        and(
          eq(runs.tenantId, tenant),
          eq(runs.id, runId),
          eq(runs.version, change.expectedVersion),
          firstSeq === undefined ? undefined : noEventFrom(runs.tenantId, runs.id, firstSeq),
        ),
      )
      .returning()
  }

  // A save on its own (a batch of one, or a batch's fallback) is ONE statement: the UPDATE and the
  // events' INSERT in data-modifying CTEs, the INSERT conditional on the UPDATE having matched. A
  // statement is atomic on its own, so this saves the BEGIN and COMMIT round trips of a transaction.
  async function updateRun({ tenant, runId, change, now, events }: PendingSave) {
    const batch = eventBatch(tenant, runId, events)
    if (!batch) return (await updateQuery(db, tenant, runId, change, now))[0]
    const updated = db
      .$with('updated')
      .as(updateQuery(db, tenant, runId, change, now, batch.firstSeq))
    const added = db.$with('added_events').as(
      db.insert(runEventBatches).select(sql`select ${tenant}, ${runId}, ${batch.firstSeq},
          ${batch.lastSeq}, ${JSON.stringify(batch.events)}::json
        where exists (select 1 from ${updated})`),
    )
    return (await db.with(updated, added).select().from(updated))[0]
  }

  async function save(
    tenant: string,
    runId: string,
    change: RunChange,
    given: readonly NewStoredEvent[] = [],
  ): Promise<RunRecord> {
    requireTenant(tenant)
    const events = inSeqOrder(given)
    const now = clock()
    const newApprovals = change.approvals ?? []
    const pending = deferred.get(`${tenant}\0${runId}`)
    let creating: RunRow | undefined
    if (pending?.written) await pending.written
    else if (pending) {
      // The first save of a deferred run inserts it, in one statement with its events.
      if (change.expectedVersion !== 0) {
        throw new SkillOSError({
          code: 'CONFLICT',
          message: `Run "${runId}" changed since it was read (version 0, expected ${change.expectedVersion}); nothing was written`,
          details: { tenant, runId, expectedVersion: change.expectedVersion, actualVersion: 0 },
        })
      }
      deferred.delete(`${tenant}\0${runId}`)
      // Approvals are rare: write the run first, then save as any other (one transaction).
      if (newApprovals.length > 0) {
        if (!(await begins.write({ tenant, values: pending.values })))
          throw runExists(tenant, runId)
      } else creating = finishedRow(pending.values, change, now)
    } else await settled()
    // Approvals are rare (a run asks for one at most a few times): a transaction of plain statements.
    const updateWithApprovals = (tx: Executor): Promise<RunRow | undefined> =>
      updateQuery(tx, tenant, runId, change, now, events[0]?.seq).then(async ([row]) => {
        if (!row) return undefined
        const batch = eventBatch(tenant, runId, events)
        if (batch) await tx.insert(runEventBatches).values(batch)
        await tx
          .insert(approvals)
          .values(newApprovals.map((approval) => approvalValues(tenant, runId, approval, now)))
        return row
      })

    let row: RunRow | undefined
    try {
      if (creating) return await create(creating, events)
      row =
        newApprovals.length === 0
          ? await saves.write({ tenant, runId, change, now, events })
          : await database.transaction((tx) => updateWithApprovals(tx))
    } catch (error) {
      if (pgCode(error) === UNIQUE_VIOLATION) {
        throw new SkillOSError({
          code: 'CONFLICT',
          message: `Saving run "${runId}" wrote nothing: an event seq or approval id it adds is stored already`,
          details: { tenant, runId },
          cause: error,
        })
      }
      throw error
    }
    if (!row) throw await staleOrMissing(db, tenant, runId, change.expectedVersion, events[0]?.seq)
    return toRunRecord(row)
  }

  async function get(tenant: string, runId: string): Promise<RunRecord | undefined> {
    requireTenant(tenant)
    await settled()
    const [row] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.tenantId, tenant), eq(runs.id, runId)))
      .limit(1)
    return row ? toRunRecord(row) : undefined
  }

  async function events(
    tenant: string,
    runId: string,
    options: EventsOptions = {},
  ): Promise<StoredEvent[]> {
    requireTenant(tenant)
    await settled()
    const { afterSeq = -1, limit = Number.POSITIVE_INFINITY } = options
    const batches = await db
      .select({ events: runEventBatches.events })
      .from(runEventBatches)
      .where(
        and(
          eq(runEventBatches.tenantId, tenant),
          eq(runEventBatches.runId, runId),
          gt(runEventBatches.lastSeq, afterSeq),
        ),
      )
      .orderBy(asc(runEventBatches.firstSeq))
    const found: StoredEvent[] = []
    for (const { events: batch } of batches) {
      for (const event of parsedJson<StoredRunEvent[]>(batch)) {
        if (event.seq <= afterSeq) continue
        if (found.length >= limit) return found
        found.push({ seq: event.seq, type: event.type, at: new Date(event.at), data: event.data })
      }
    }
    return found
  }

  async function createApproval(
    tenant: string,
    approval: NewApproval & { runId: string },
  ): Promise<ApprovalRecord> {
    requireTenant(tenant)
    await settled()
    try {
      const [row] = await db
        .insert(approvals)
        .values(approvalValues(tenant, approval.runId, approval, clock()))
        .returning()
      if (!row) throw new Error('INSERT … RETURNING returned no row')
      return toApprovalRecord(row)
    } catch (error) {
      if (pgCode(error) === FOREIGN_KEY_VIOLATION) throw notFound('Run', tenant, approval.runId)
      if (pgCode(error) === UNIQUE_VIOLATION) {
        throw new SkillOSError({
          code: 'CONFLICT',
          message: `Approval "${approval.id}" exists already in tenant "${tenant}"`,
          details: { tenant, approvalId: approval.id },
          cause: error,
        })
      }
      throw error
    }
  }

  async function decideApproval(
    tenant: string,
    approvalId: string,
    decision: ApprovalDecision,
  ): Promise<ApprovalRecord> {
    requireTenant(tenant)
    await settled()
    if (typeof decision.by !== 'string' || decision.by.length === 0) {
      throw new ValidationError('by: who decides is required', [
        { path: 'by', message: 'required' },
      ])
    }
    const now = decision.now ?? clock()
    const byId = and(eq(approvals.tenantId, tenant), eq(approvals.id, approvalId))
    const [decided] = await db
      .update(approvals)
      .set({
        status: decision.status,
        decidedBy: decision.by,
        decidedAt: now,
        comment: decision.comment ?? null,
      })
      .where(and(byId, eq(approvals.status, 'pending'), gt(approvals.expiresAt, now)))
      .returning()
    if (decided) return toApprovalRecord(decided)

    // Refused: find out why (only on this path, so a decision is one round trip).
    const [expired] = await db
      .update(approvals)
      .set({ status: 'expired', decidedAt: now })
      .where(and(byId, eq(approvals.status, 'pending'), lte(approvals.expiresAt, now)))
      .returning()
    const current =
      expired ??
      (await db
        .select()
        .from(approvals)
        .where(byId)
        .limit(1)
        .then((rows) => rows[0]))
    if (!current) throw notFound('Approval', tenant, approvalId)
    const expiredNote = current.status === 'expired' ? ` at ${current.expiresAt.toISOString()}` : ''
    throw new SkillOSError({
      code: 'CONFLICT',
      message: `Approval "${approvalId}" cannot be ${decision.status}: it ${current.status === 'pending' ? 'is still pending' : `was ${current.status}`}${expiredNote}`,
      details: {
        tenant,
        approvalId,
        status: current.status,
        expiresAt: current.expiresAt.toISOString(),
        ...(current.decidedBy ? { decidedBy: current.decidedBy } : {}),
      },
    })
  }

  async function getApproval(
    tenant: string,
    approvalId: string,
  ): Promise<ApprovalRecord | undefined> {
    requireTenant(tenant)
    await settled()
    const [row] = await db
      .select()
      .from(approvals)
      .where(and(eq(approvals.tenantId, tenant), eq(approvals.id, approvalId)))
      .limit(1)
    return row ? toApprovalRecord(row) : undefined
  }

  async function listApprovals(
    tenant: string,
    options: ListApprovalsOptions = {},
  ): Promise<ApprovalRecord[]> {
    requireTenant(tenant)
    await settled()
    const rows = await db
      .select()
      .from(approvals)
      .where(
        and(
          eq(approvals.tenantId, tenant),
          options.status === undefined ? undefined : eq(approvals.status, options.status),
          options.runId === undefined ? undefined : eq(approvals.runId, options.runId),
        ),
      )
      .orderBy(asc(approvals.requestedAt), asc(approvals.id))
      .limit(options.limit ?? DEFAULT_APPROVAL_PAGE)
    return rows.map(toApprovalRecord)
  }

  async function expireApprovals(
    tenant: string | undefined,
    now: Date = clock(),
  ): Promise<ApprovalRecord[]> {
    if (tenant !== undefined) requireTenant(tenant)
    await settled()
    const rows = await db
      .update(approvals)
      .set({ status: 'expired', decidedAt: now })
      .where(
        and(
          tenant === undefined ? undefined : eq(approvals.tenantId, tenant),
          eq(approvals.status, 'pending'),
          lte(approvals.expiresAt, now),
        ),
      )
      .returning()
    return rows.map(toApprovalRecord)
  }

  return {
    ensureTenant,
    begin,
    persist,
    flush,
    save,
    get,
    events,
    createApproval,
    decideApproval,
    getApproval,
    listApprovals,
    expireApprovals,
  }
}

/** The SET clause of a save: only what changes, plus `updated_at` (the caller bumps `version`). */
function runChangeSet(change: RunChange, now: Date): Partial<typeof runs.$inferInsert> {
  const set: Partial<typeof runs.$inferInsert> = { updatedAt: now }
  if (change.status !== undefined) set.status = change.status
  if (change.skillId !== undefined) set.skillId = change.skillId
  if (change.skillVersion !== undefined) set.skillVersion = change.skillVersion
  if (change.mode !== undefined) set.mode = change.mode
  if (change.output !== undefined) set.output = change.output
  if (change.error !== undefined) set.error = change.error
  if (change.state !== undefined) set.state = change.state
  if (change.usage !== undefined) {
    set.tokensIn = change.usage.tokens.input
    set.tokensOut = change.usage.tokens.output
    set.costMicros = Math.round(change.usage.costUsd * MICROS_PER_USD)
    set.durationMs = Math.round(change.usage.ms)
  }
  const completed = change.completed ?? (change.status !== undefined && isTerminal(change.status))
  if (completed) set.completedAt = now
  return set
}

/** The largest `runs` count after which the embedded database's cached plans are still reset. */
const LAST_REPLAN_AT = 1 << 20
/**
 * On PostgreSQL, autovacuum analyzes a growing table — but only once a minute at most, and a fresh
 * database's foreign-key checks plan a sequential scan of `runs` until then (measured: the store
 * alone at 32 concurrent runs, 429 runs/s on a fresh database). Up to this many inserted runs this
 * store analyzes the tables itself as they double; autovacuum takes over after that.
 */
const LAST_SERVER_ANALYZE_AT = 1 << 16

/**
 * PGlite runs no autovacuum, so nothing ever invalidates its cached plans, and the foreign-key
 * check of every `run_event_batches` row (`… from runs where tenant_id = $1 and id = $2 for key share`) keeps
 * the plan it got while `runs` was nearly empty: a sequential scan. Measured: 7 µs per event on
 * 25,000 runs with the index, 2.9 ms without it — each run slower than the one before. PostgreSQL's
 * autoanalyze invalidates the plan as the table grows; here, `discard plans` (≈ 0.3 ms, nothing
 * else is cached in an embedded session) does it each time the runs this store inserted double: a
 * run with ten events took 3.6 ms to insert after 2,000 runs on the stale plan, 0.95 ms after.
 */
function createReplanSchedule(database: Database) {
  const embedded = database.kind === 'pglite'
  let inserted = 0
  let next = 64
  return {
    inserted(count: number) {
      inserted += count
      if (inserted < next) return
      const last = embedded ? LAST_REPLAN_AT : LAST_SERVER_ANALYZE_AT
      next = inserted >= last ? Number.POSITIVE_INFINITY : inserted * 2
      void (async () => {
        // PGlite's one session forgets its plans; the next ones see the table as it is now. (An
        // ANALYZE there would stall the process: 150–350 ms for a table of 4k–32k runs' events.)
        if (embedded) return void (await database.db.execute(sql`discard plans`))
        // PostgreSQL invalidates every session's plans on a table an ANALYZE changed.
        await database.db.execute(sql`analyze ${runs}`)
        await database.db.execute(sql`analyze ${runEventBatches}`)
      })().catch(() => undefined)
    },
  }
}

/**
 * The begins of one batch in ONE statement: a multi-row `INSERT … ON CONFLICT DO NOTHING` from a
 * single JSON parameter (as the ledger writer does: one bound value instead of 14 per row, and no
 * query builder on the hot path). Only the keys come back: the rest of each row is what was sent.
 * A begin whose run id or idempotency key is taken answers `undefined`, as `insertRun` does.
 */
async function insertRuns(
  db: Executor,
  ops: readonly PendingBegin[],
): Promise<(RunRow | undefined)[]> {
  const payload = JSON.stringify(
    ops.map(({ values }) => ({
      tenant_id: values.tenantId,
      id: values.id,
      principal_id: values.principalId,
      input: values.input ?? null,
      request_hash: values.requestHash ?? null,
      idempotency_key: values.idempotencyKey ?? null,
      idempotency_expires_at: values.idempotencyExpiresAt?.toISOString() ?? null,
      skill_id: values.skillId ?? null,
      mode: values.mode ?? null,
      parent_run_id: values.parentRunId ?? null,
      created_at: (values.createdAt ?? new Date()).toISOString(),
    })),
  )
  const result = await db.execute(sql`
    insert into ${runs} (tenant_id, id, status, principal_id, input, request_hash, idempotency_key,
      idempotency_expires_at, skill_id, mode, parent_run_id, version, created_at, updated_at)
    select b.tenant_id, b.id, 'running', b.principal_id, b.input, b.request_hash, b.idempotency_key,
      b.idempotency_expires_at, b.skill_id, b.mode, b.parent_run_id, 0, b.created_at, b.created_at
    from json_to_recordset(${payload}::json) as b(tenant_id text, id text, principal_id text,
      input jsonb, request_hash text, idempotency_key text, idempotency_expires_at timestamptz,
      skill_id text, mode text, parent_run_id text, created_at timestamptz)
    on conflict do nothing
    returning tenant_id, id`)
  const inserted = new Set(
    rowsOf<{ tenant_id: string; id: string }>(result).map((row) => `${row.tenant_id}\0${row.id}`),
  )
  return ops.map(({ tenant, values }) =>
    inserted.has(`${tenant}\0${values.id}`) ? insertedRow(values) : undefined,
  )
}

/**
 * The row a begin inserted, without reading it back: the input as the database would return it, or
 * (`copyInput: false`, a deferred run not written yet) the caller's own object.
 */
function insertedRow(values: RunInsert, copyInput = true): RunRow {
  const createdAt = values.createdAt ?? new Date()
  return {
    tenantId: values.tenantId,
    id: values.id,
    status: 'running',
    skillId: values.skillId ?? null,
    skillVersion: null,
    mode: values.mode ?? null,
    principalId: values.principalId,
    idempotencyKey: values.idempotencyKey ?? null,
    requestHash: values.requestHash ?? null,
    input:
      values.input === undefined || values.input === null
        ? null
        : copyInput
          ? JSON.parse(JSON.stringify(values.input))
          : values.input,
    output: null,
    error: null,
    tokensIn: 0,
    tokensOut: 0,
    costMicros: 0,
    durationMs: null,
    createdAt,
    updatedAt: createdAt,
    completedAt: null,
    idempotencyExpiresAt: values.idempotencyExpiresAt ?? null,
    state: null,
    parentRunId: values.parentRunId ?? null,
    version: 0,
  }
}

/** A deferred run's row after its first save: the begin's values with the change applied. */
function finishedRow(values: RunInsert, change: RunChange, now: Date): RunRow {
  // The input is written as JSON when the run is queued for its insert (`createOp`), so it is
  // taken as it is at this save; the record answered holds the caller's object.
  const begun = insertedRow(values, false)
  const set = runChangeSet(change, now)
  // As the database will hand them back: JSON values, no `undefined` members.
  const json = <T>(value: T | null | undefined): T | null =>
    value === undefined || value === null ? null : (JSON.parse(JSON.stringify(value)) as T)
  return {
    ...begun,
    status: set.status ?? begun.status,
    skillId: set.skillId ?? begun.skillId,
    skillVersion: set.skillVersion ?? null,
    mode: set.mode ?? begun.mode,
    output: json(set.output),
    error: json(set.error),
    // Opaque to the store and not read back before the run is reopened from its stored row.
    state: set.state ?? null,
    tokensIn: set.tokensIn ?? 0,
    tokensOut: set.tokensOut ?? 0,
    costMicros: set.costMicros ?? 0,
    durationMs: set.durationMs ?? null,
    updatedAt: now,
    completedAt: set.completedAt ?? null,
    version: 1,
  }
}

/**
 * The columns `insertFinishedRuns` writes, each with its type: on PGlite each travels as a `text[]`
 * parameter and is cast to it, on PostgreSQL a JSON record's field is read as it (ADR 018).
 */
const FINISHED_COLUMNS = [
  ['tenant_id', 'text'],
  ['id', 'text'],
  ['status', 'text'],
  ['principal_id', 'text'],
  ['input', 'jsonb'],
  ['request_hash', 'text'],
  ['skill_id', 'text'],
  ['skill_version', 'text'],
  ['mode', 'text'],
  ['parent_run_id', 'text'],
  ['output', 'jsonb'],
  ['error', 'jsonb'],
  ['state', 'jsonb'],
  ['tokens_in', 'integer'],
  ['tokens_out', 'integer'],
  ['cost_micros', 'bigint'],
  ['duration_ms', 'integer'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['completed_at', 'timestamptz'],
] as const
const FINISHED_NAMES = sql.raw(FINISHED_COLUMNS.map(([name]) => name).join(', '))
const FINISHED_VALUES = sql.raw(
  FINISHED_COLUMNS.map(([name, type]) =>
    type === 'text' ? `r.${name}` : `r.${name}::${type}`,
  ).join(', '),
)

/** The record `json_to_recordset` reads a finished row as (PostgreSQL): JSON columns as `jsonb`. */
const FINISHED_RECORD = sql.raw(
  FINISHED_COLUMNS.map(([name, type]) => `${name} ${type === 'jsonb' ? 'jsonb' : 'text'}`).join(
    ', ',
  ),
)

/** A deferred run's row and events as the statement of `insertFinishedRuns` reads them. */
function createOp(
  row: RunRow,
  events: readonly NewStoredEvent[],
  form: FinishedForm,
): PendingCreate {
  if (form === 'json') {
    return {
      tenant: row.tenantId,
      runId: row.id,
      form,
      rowJson: JSON.stringify({
        tenant_id: row.tenantId,
        id: row.id,
        status: row.status,
        principal_id: row.principalId,
        input: row.input,
        request_hash: row.requestHash,
        skill_id: row.skillId,
        skill_version: row.skillVersion,
        mode: row.mode,
        parent_run_id: row.parentRunId,
        output: row.output,
        error: row.error,
        state: row.state,
        tokens_in: row.tokensIn,
        tokens_out: row.tokensOut,
        cost_micros: row.costMicros,
        duration_ms: row.durationMs,
        created_at: row.createdAt.toISOString(),
        updated_at: row.updatedAt.toISOString(),
        completed_at: row.completedAt?.toISOString() ?? null,
      }),
      batchJson: batchJson(row.tenantId, row.id, events),
    }
  }
  const json = (value: unknown) =>
    value === null || value === undefined ? null : JSON.stringify(value)
  const number = (value: number | null) => (value === null ? null : String(value))
  const batch = eventBatch(row.tenantId, row.id, events)
  return {
    tenant: row.tenantId,
    runId: row.id,
    form,
    // In FINISHED_COLUMNS order.
    row: [
      row.tenantId,
      row.id,
      row.status,
      row.principalId,
      json(row.input),
      row.requestHash,
      row.skillId,
      row.skillVersion,
      row.mode,
      row.parentRunId,
      json(row.output),
      json(row.error),
      json(row.state),
      number(row.tokensIn),
      number(row.tokensOut),
      number(row.costMicros),
      number(row.durationMs),
      row.createdAt.toISOString(),
      row.updatedAt.toISOString(),
      row.completedAt?.toISOString() ?? null,
    ],
    batch: batch && {
      firstSeq: String(batch.firstSeq),
      lastSeq: String(batch.lastSeq),
      events: JSON.stringify(batch.events),
    },
  }
}

/**
 * A save's events (in `seq` order) as one `run_event_batches` row; none for a save that adds none.
 * Every writer of events builds its row here.
 */
export function eventBatch(
  tenant: string,
  runId: string,
  events: readonly NewStoredEvent[],
): typeof runEventBatches.$inferInsert | undefined {
  const [first, last] = [events[0], events.at(-1)]
  if (!first || !last) return undefined
  return {
    tenantId: tenant,
    runId,
    firstSeq: first.seq,
    lastSeq: last.seq,
    events: events.map((event): StoredRunEvent => ({
      seq: event.seq,
      type: event.type,
      at: typeof event.at === 'string' ? event.at : event.at.toISOString(),
      data: event.data,
    })),
  }
}

/** `eventBatch` as the JSON object a batched statement's `json_to_recordset` reads. */
function batchJson(
  tenant: string,
  runId: string,
  events: readonly NewStoredEvent[],
): string | undefined {
  const batch = eventBatch(tenant, runId, events)
  return batch
    ? JSON.stringify({
        tenant_id: batch.tenantId,
        run_id: batch.runId,
        first_seq: batch.firstSeq,
        last_seq: batch.lastSeq,
        events: batch.events,
      })
    : undefined
}

/** How `insertFinishedRuns` sends its rows: `text[]` columns (PGlite) or JSON records (PostgreSQL). */
type FinishedForm = 'arrays' | 'json'

/**
 * Ended deferred runs in ONE statement: a multi-row `INSERT … ON CONFLICT DO NOTHING` of the rows
 * and one INSERT of the events of the rows that went in. A run whose id is taken answers `false`
 * and writes no event.
 *
 * On PGlite each column is one `text[]` parameter, unnested and cast, and the PGlite thread sends
 * it in binary format, each value as it is. A JSON parameter was checked, then parsed into records,
 * then its values parsed again for their columns, each pass one character at a time in
 * WebAssembly. On PostgreSQL the rows go as JSON records: postgres.js would send the arrays as
 * text, quoting and escaping every value in JavaScript (ADR 018).
 */
async function insertFinishedRuns(
  db: Executor,
  ops: readonly PendingCreate[],
  form: FinishedForm,
): Promise<boolean[]> {
  let rows: SQL
  let events: SQL
  if (form === 'arrays') {
    const written = ops.map((op) => (op.form === 'arrays' ? op : wrongForm(op.form, form)))
    const batched = written.filter((op) => op.batch !== undefined)
    const columns = FINISHED_COLUMNS.map(
      (_, index) => sql`${sql.param(written.map((op) => op.row[index] ?? null))}::text[]`,
    )
    const eventColumn = (
      pick: (
        op: (typeof written)[number],
        batch: NonNullable<(typeof written)[number]['batch']>,
      ) => string,
    ) => sql`${sql.param(batched.map((op) => pick(op, op.batch!)))}::text[]`
    rows = sql`unnest(${sql.join(columns, sql`, `)}) as r(${FINISHED_NAMES})`
    events = sql`unnest(${eventColumn((op) => op.tenant)}, ${eventColumn((op) => op.runId)},
      ${eventColumn((_, b) => b.firstSeq)}, ${eventColumn((_, b) => b.lastSeq)},
      ${eventColumn((_, b) => b.events)}) as e(tenant_id, run_id, first_seq, last_seq, events)`
  } else {
    const written = ops.map((op) => (op.form === 'json' ? op : wrongForm(op.form, form)))
    rows = sql`json_to_recordset(${jsonArray(written.map((op) => op.rowJson))}::json)
      as r(${FINISHED_RECORD})`
    events = batchesFromJson(jsonArray(written.map((op) => op.batchJson)))
  }
  const result = await db.execute(sql`
    with created as (
      insert into ${runs} (${FINISHED_NAMES}, version)
      select ${FINISHED_VALUES}, 1
      from ${rows}
      on conflict do nothing
      returning tenant_id, id
    ), added as (${eventsOfWritten(events, sql.raw('created'))})
    select tenant_id, id from created`)
  const inserted = new Set(
    rowsOf<{ tenant_id: string; id: string }>(result).map((row) => `${row.tenant_id}\0${row.id}`),
  )
  return ops.map((op) => inserted.has(`${op.tenant}\0${op.runId}`))
}

/**
 * The saves of one batch in ONE statement: an `UPDATE … FROM json_to_recordset(…)` that changes
 * each run only if it is still at the version its caller read (a stale row simply does not match,
 * failing that save alone), and one INSERT of the events of the runs that matched. Each change is
 * a JSON object holding only the columns it sets, so absent fields stay and `null` clears.
 */
async function updateRuns(
  db: Executor,
  ops: readonly PendingSave[],
): Promise<(RunRow | undefined)[]> {
  const changes = JSON.stringify(
    ops.map(({ tenant, runId, change, now, events: added }) => ({
      tenant_id: tenant,
      id: runId,
      expected: change.expectedVersion,
      first_seq: added[0]?.seq ?? null,
      s: changeColumns(change, now),
    })),
  )
  const events = jsonArray(ops.map((op) => batchJson(op.tenant, op.runId, op.events)))
  const result = await db.execute(sql`
    with c as (
      select * from json_to_recordset(${changes}::json)
        as c(tenant_id text, id text, expected integer, first_seq integer, s jsonb)
    ), saved as (
      update ${runs} r set
        status = case when c.s ? 'status' then c.s->>'status' else r.status end,
        skill_id = case when c.s ? 'skill_id' then c.s->>'skill_id' else r.skill_id end,
        skill_version = case when c.s ? 'skill_version' then c.s->>'skill_version' else r.skill_version end,
        mode = case when c.s ? 'mode' then c.s->>'mode' else r.mode end,
        output = case when c.s ? 'output' then nullif(c.s->'output', 'null'::jsonb) else r.output end,
        error = case when c.s ? 'error' then nullif(c.s->'error', 'null'::jsonb) else r.error end,
        state = case when c.s ? 'state' then nullif(c.s->'state', 'null'::jsonb) else r.state end,
        tokens_in = case when c.s ? 'tokens_in' then (c.s->>'tokens_in')::integer else r.tokens_in end,
        tokens_out = case when c.s ? 'tokens_out' then (c.s->>'tokens_out')::integer else r.tokens_out end,
        cost_micros = case when c.s ? 'cost_micros' then (c.s->>'cost_micros')::bigint else r.cost_micros end,
        duration_ms = case when c.s ? 'duration_ms' then (c.s->>'duration_ms')::integer else r.duration_ms end,
        completed_at = case when c.s ? 'completed_at' then (c.s->>'completed_at')::timestamptz else r.completed_at end,
        updated_at = (c.s->>'updated_at')::timestamptz,
        version = r.version + 1
      from c
      where r.tenant_id = c.tenant_id and r.id = c.id and r.version = c.expected
        and (c.first_seq is null or ${noEventFrom(sql.raw('c.tenant_id'), sql.raw('c.id'), sql.raw('c.first_seq'))})
      returning r.*
    ), added as (${eventsOfWritten(batchesFromJson(events), sql.raw('saved'))})
    select to_json(saved) as row from saved`)
  const saved = new Map<string, RunRow>()
  for (const { row } of rowsOf<{ row: unknown }>(result)) {
    const run = runRowFromJson(row)
    saved.set(`${run.tenantId}\0${run.id}`, run)
  }
  return ops.map(({ tenant, runId }) => saved.get(`${tenant}\0${runId}`))
}

/**
 * The INSERT of a statement's event batches (`e`: a row per run, from `batchesFromJson` or from
 * `text[]` columns, cast here) for the runs it wrote: those in its CTE `written`, so events never
 * land without their run's row or on a run that was refused.
 */
function eventsOfWritten(batches: SQL, written: SQL): SQL {
  return sql`insert into ${runEventBatches} (tenant_id, run_id, first_seq, last_seq, events)
      select e.tenant_id, e.run_id, e.first_seq::integer, e.last_seq::integer, e.events::json
      from ${batches}
      join ${written} on ${written}.tenant_id = e.tenant_id and ${written}.id = e.run_id`
}

/** Event batches from one JSON parameter, a record per run (see `batchJson`). */
function batchesFromJson(batches: string): SQL {
  return sql`json_to_recordset(${batches}::json)
        as e(tenant_id text, run_id text, first_seq integer, last_seq integer, events json)`
}

/** A pending insert taken in one form reached a statement of the other: a bug, said loudly. */
function wrongForm(taken: FinishedForm, expected: FinishedForm): never {
  throw new Error(`A finished run was taken as ${taken} for a statement that sends ${expected}`)
}

/** The run holds no event at `firstSeq` or later (a save adds events only after the last one). */
function noEventFrom(tenant: SQL | AnyColumn, runId: SQL | AnyColumn, firstSeq: SQL | number): SQL {
  return sql`not exists (select 1 from ${runEventBatches} b
    where b.tenant_id = ${tenant} and b.run_id = ${runId} and b.last_seq >= ${firstSeq})`
}

/**
 * JSON texts as one JSON array text, leaving out the missing ones. The brackets go onto the first
 * and last items before the ONE `join`, which writes a flat string: `[${…}]` around it would make
 * a rope, and posting a rope to the PGlite thread copies it into a flat string first, on this
 * thread — about 150 µs for a batch of 160 finished runs, against 20 µs to post the flat one.
 */
export function jsonArray(items: readonly (string | undefined)[]): string {
  const present = items.filter((item) => item !== undefined)
  if (present.length === 0) return '[]'
  if (present.length === 1) return `[${present[0]}]`
  present[0] = `[${present[0]}`
  present[present.length - 1] = `${present.at(-1)}]`
  return present.join(',')
}

/** A change as the batched UPDATE reads it: the columns it sets, by column name. */
function changeColumns(change: RunChange, now: Date): Record<string, unknown> {
  const set = runChangeSet(change, now)
  const columns: Record<string, unknown> = { updated_at: now.toISOString() }
  if (set.status !== undefined) columns.status = set.status
  if (set.skillId !== undefined) columns.skill_id = set.skillId
  if (set.skillVersion !== undefined) columns.skill_version = set.skillVersion
  if (set.mode !== undefined) columns.mode = set.mode
  if (set.output !== undefined) columns.output = set.output
  if (set.error !== undefined) columns.error = set.error
  if (set.state !== undefined) columns.state = set.state
  if (set.tokensIn !== undefined) columns.tokens_in = set.tokensIn
  if (set.tokensOut !== undefined) columns.tokens_out = set.tokensOut
  if (set.costMicros !== undefined) columns.cost_micros = set.costMicros
  if (set.durationMs !== undefined) columns.duration_ms = set.durationMs
  if (set.completedAt) columns.completed_at = set.completedAt.toISOString()
  return columns
}

/** A `runs` row read back as `to_json(row)` (snake_case keys, timestamps as ISO text). */
function runRowFromJson(value: unknown): RunRow {
  const row = parsedJson<Record<string, unknown>>(value)
  const text = (key: string) => (row[key] ?? null) as string | null
  const date = (key: string) => (row[key] == null ? null : new Date(row[key] as string))
  return {
    tenantId: row.tenant_id as string,
    id: row.id as string,
    status: row.status as RunStatus,
    skillId: text('skill_id'),
    skillVersion: text('skill_version'),
    mode: text('mode'),
    principalId: row.principal_id as string,
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    input: row.input ?? null,
    output: row.output ?? null,
    error: (row.error ?? null) as RunRow['error'],
    tokensIn: Number(row.tokens_in),
    tokensOut: Number(row.tokens_out),
    costMicros: Number(row.cost_micros),
    durationMs: row.duration_ms == null ? null : Number(row.duration_ms),
    createdAt: date('created_at') as Date,
    updatedAt: date('updated_at') as Date,
    completedAt: date('completed_at'),
    idempotencyExpiresAt: date('idempotency_expires_at'),
    state: row.state ?? null,
    parentRunId: text('parent_run_id'),
    version: Number(row.version),
  }
}

/** Rows of `db.execute`, whichever driver ran it (postgres.js: an array; PGlite: `{ rows }`). */
function rowsOf<Row>(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[]
}

/** Why an optimistic UPDATE matched nothing: the run moved on (`CONFLICT`) or is not there. */
async function staleOrMissing(
  executor: Executor,
  tenant: string,
  runId: string,
  expectedVersion: number,
  firstSeq: number | undefined,
): Promise<SkillOSError> {
  const [current] = await executor
    .select({
      version: runs.version,
      lastSeq: sql<number | null>`(select max(${runEventBatches.lastSeq}) from ${runEventBatches}
        where ${runEventBatches.tenantId} = ${runs.tenantId} and ${runEventBatches.runId} = ${runs.id})`,
    })
    .from(runs)
    .where(and(eq(runs.tenantId, tenant), eq(runs.id, runId)))
    .limit(1)
  if (!current) return notFound('Run', tenant, runId)
  if (
    current.version === expectedVersion &&
    firstSeq !== undefined &&
    current.lastSeq !== null &&
    Number(current.lastSeq) >= firstSeq
  ) {
    return eventSeqTaken(tenant, runId, firstSeq, Number(current.lastSeq))
  }
  return new SkillOSError({
    code: 'CONFLICT',
    message: `Run "${runId}" changed since it was read (version ${current.version}, expected ${expectedVersion}); nothing was written`,
    details: { tenant, runId, expectedVersion, actualVersion: current.version },
  })
}

/**
 * A save's events in `seq` order (sorted when they came otherwise). Each `seq` is a whole number
 * ≥ 0, once, and each `at` a valid Date or ISO 8601 text in UTC as `Date.toISOString` writes it
 * (the stored trace keeps it as given): else a `ValidationError` and nothing is written.
 */
function inSeqOrder<E extends NewStoredEvent>(events: readonly E[]): readonly E[] {
  for (const [i, event] of events.entries()) {
    if (!Number.isSafeInteger(event.seq) || event.seq < 0) {
      throw new ValidationError(
        `events[${i}].seq: must be a whole number ≥ 0, got ${event.seq}; nothing was written`,
        [{ path: `events.${i}.seq`, message: 'must be an integer ≥ 0' }],
      )
    }
    if (!validEventTime(event.at)) {
      throw new ValidationError(
        `events[${i}].at: must be a valid Date or ISO 8601 UTC text like 2026-11-21T09:30:00.000Z, got ${JSON.stringify(event.at)}; nothing was written`,
        [{ path: `events.${i}.at`, message: 'must be a valid Date or ISO 8601 UTC text' }],
      )
    }
  }
  const sorted = events.every((event, i) => i === 0 || (events[i - 1] as E).seq < event.seq)
    ? events
    : [...events].sort((a, b) => a.seq - b.seq)
  for (let i = 1; i < sorted.length; i++) {
    const seq = (sorted[i] as E).seq
    if (seq === (sorted[i - 1] as E).seq) {
      throw new ValidationError(`events: seq ${seq} is given twice; nothing was written`, [
        { path: 'events', message: `seq ${seq} twice` },
      ])
    }
  }
  return sorted
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
/** The last text found valid: a run's events mostly share a millisecond, so it repeats. */
let validTime = ''
function validEventTime(at: unknown): boolean {
  if (at instanceof Date) return !Number.isNaN(at.getTime())
  if (at === validTime) return true
  if (typeof at !== 'string' || !ISO_UTC.test(at) || Number.isNaN(Date.parse(at))) return false
  validTime = at
  return true
}

function eventSeqTaken(tenant: string, runId: string, firstSeq: number, lastSeq: number) {
  return new SkillOSError({
    code: 'CONFLICT',
    message: `Saving run "${runId}" wrote nothing: it adds events from seq ${firstSeq}, but the run holds events up to seq ${lastSeq}`,
    details: { tenant, runId, firstSeq, lastStoredSeq: lastSeq },
  })
}

/** A JSON value as the driver returned it: parsed already, or its text. */
function parsedJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

function approvalValues(
  tenant: string,
  runId: string,
  approval: NewApproval,
  now: Date,
): typeof approvals.$inferInsert {
  return {
    tenantId: tenant,
    id: approval.id,
    runId,
    step: approval.step ?? null,
    status: 'pending',
    reason: approval.reason,
    risk: approval.risk,
    sideEffects: approval.sideEffects,
    approvers: approval.approvers,
    requestedBy: approval.requestedBy,
    requestedAt: approval.requestedAt ?? now,
    expiresAt: approval.expiresAt,
  }
}

function toRunRecord(row: RunRow): RunRecord {
  const record: RunRecord = {
    tenant: row.tenantId,
    id: row.id,
    status: row.status,
    principalId: row.principalId,
    input: row.input ?? undefined,
    usage: {
      tokens: { input: row.tokensIn, output: row.tokensOut },
      costUsd: row.costMicros / MICROS_PER_USD,
      ms: row.durationMs ?? 0,
    },
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
  if (row.skillId !== null) record.skillId = row.skillId
  if (row.skillVersion !== null) record.skillVersion = row.skillVersion
  if (row.mode !== null) record.mode = row.mode as RunMode
  if (row.parentRunId !== null) record.parentRunId = row.parentRunId
  if (row.idempotencyKey !== null) record.idempotencyKey = row.idempotencyKey
  if (row.requestHash !== null) record.requestHash = row.requestHash
  if (row.output !== null) record.output = row.output
  if (row.error !== null) record.error = row.error
  if (row.state !== null) record.state = row.state
  if (row.completedAt !== null) record.completedAt = row.completedAt
  return record
}

function toApprovalRecord(row: ApprovalRow): ApprovalRecord {
  const record: ApprovalRecord = {
    tenant: row.tenantId,
    id: row.id,
    runId: row.runId,
    status: row.status,
    reason: row.reason,
    risk: row.risk,
    sideEffects: row.sideEffects,
    approvers: row.approvers,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    expiresAt: row.expiresAt,
  }
  if (row.step !== null) record.step = row.step
  if (row.decidedBy !== null) record.decidedBy = row.decidedBy
  if (row.decidedAt !== null) record.decidedAt = row.decidedAt
  if (row.comment !== null) record.comment = row.comment
  return record
}

function isTerminal(status: RunStatus): boolean {
  return terminalRunStatuses.includes(status)
}

/** Every method is tenant-scoped; a missing tenant is a programming error, not an empty result. */
function requireTenant(tenant: unknown): asserts tenant is string {
  if (typeof tenant !== 'string' || tenant.length === 0) {
    throw new ValidationError('tenant: required for every run store call', [
      { path: 'tenant', message: 'required' },
    ])
  }
}

function notFound(what: 'Run' | 'Approval', tenant: string, id: string): SkillOSError {
  return new SkillOSError({
    code: 'NOT_FOUND',
    message: `${what} "${id}" not found in tenant "${tenant}"`,
    details: { tenant, [what === 'Run' ? 'runId' : 'approvalId']: id },
  })
}

function runExists(tenant: string, runId: string, cause?: unknown): SkillOSError {
  return new SkillOSError({
    code: 'CONFLICT',
    message: `Run "${runId}" exists already in tenant "${tenant}"`,
    details: { tenant, runId },
    cause,
  })
}

/** SQLSTATE of a failed statement, whichever driver raised it (drizzle wraps it in `cause`). */
function pgCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

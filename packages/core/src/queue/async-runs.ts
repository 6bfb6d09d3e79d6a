import {
  SkillOSError,
  parseOrThrow,
  runRequestSchema,
  terminalRunStatuses,
  type Principal,
  type RunEventOf,
  type RunRequestInput,
  type RunResult,
} from '@skillos/contracts'
import type { KeyValueStore } from '@skillos/store'
import type { SkillLoader } from '@skillos/registry'
import type { RunRecord, RunStore } from '../persistence/index.js'
import { Cancellation } from '../run/cancellation.js'
import { newId, requestHash, resultOf, type EngineHooks, type RunHooks } from '../run/engine.js'
import { beginInput, initialState, stateOf } from '../run/state.js'
import { storedEventOf } from '../run/stream.js'
import { withClaimedRun } from './claimed-run-store.js'
import type { RunQueueStore } from './run-queue-store.js'

/** What `submit` answers: a new run (`queued`), or the run an idempotency key already holds. */
export interface SubmitResult {
  /** False when the idempotency key returned an earlier run (queued, running or finished). */
  accepted: boolean
  run: RunResult
}

/** What `cancel` did. */
export interface CancelResult {
  /** `cancelled`, or `requested` for a run executing now (its current step is stopped). */
  outcome: 'cancelled' | 'requested'
  run: RunResult
}

export interface AsyncRunDeps {
  loader: SkillLoader
  store: RunStore
  queue: RunQueueStore
  kv: KeyValueStore
  run: (request: RunRequestInput, hooks?: RunHooks) => Promise<RunResult>
  /** Hands an event to the system's listeners (webhooks, logs, metrics). */
  emit: (event: RunEventOf<'run.cancelled'>) => void
  idempotencyTtlMs: number
  /** How often a run executing here looks for a cancel made on another instance (default 1 s). */
  cancelPollMs?: number
  now: () => number
}

// Keyed by run id alone: the step hook does not see the tenant, run ids are unguessable, and the
// flag is only written after the run was found in the caller's tenant.
const cancelKey = (runId: string) => `run-cancel:${runId}`
const CANCEL_FLAG_TTL_MS = 24 * 60 * 60 * 1000

/** The error a cancelled run ends with; `details.by` names who cancelled it. */
const cancelledBy = (by: string) =>
  new SkillOSError({ code: 'CANCELLED', message: `Cancelled by ${by}`, details: { by } })

/**
 * Accepting runs now and executing them later, and cancelling them. A submitted run is stored as
 * `queued` with everything needed to execute it, in the same transaction as its queue row; its id is
 * the one the engine then runs under.
 */
export function createAsyncRuns(deps: AsyncRunDeps) {
  const { store } = deps
  const cancelPollMs = deps.cancelPollMs ?? 1000
  /** Runs executing in this process: a cancel made here stops their current step at once. */
  const executing = new Map<string, Cancellation>()
  /** One timer looks for cancels made elsewhere, while any run executes here. */
  let poll: NodeJS.Timeout | undefined

  /** Stops `cancellation` when the run's cancel flag is set (by this instance or another). */
  async function stopOnFlag(runId: string, cancellation: Cancellation): Promise<void> {
    const by = await deps.kv.get(cancelKey(runId))
    if (by !== null) cancellation.abort(cancelledBy(by))
  }

  function watch(runId: string, cancellation: Cancellation): void {
    executing.set(runId, cancellation)
    poll ??= setInterval(() => {
      for (const [runId, cancellation] of executing) {
        void stopOnFlag(runId, cancellation).catch(() => undefined)
      }
    }, cancelPollMs).unref()
  }

  function unwatch(runId: string, cancellation: Cancellation): void {
    if (executing.get(runId) === cancellation) executing.delete(runId)
    if (executing.size === 0 && poll) {
      clearInterval(poll)
      poll = undefined
    }
  }

  async function submit(input: RunRequestInput): Promise<SubmitResult> {
    const request = parseOrThrow(runRequestSchema, input, { what: 'run request' })
    if (request.skill) deps.loader.resolve(request.skill)
    const hash = request.idempotencyKey ? requestHash(request) : undefined
    const runId = newId('run', deps.now())
    const state = initialState(request)
    const begun = await store.begin(request.tenant, {
      id: runId,
      ...beginInput(request, state, hash, deps.idempotencyTtlMs),
    })
    if (begun.kind === 'conflict')
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `Idempotency key "${request.idempotencyKey}" was used for a different request (run ${begun.run.id})`,
        details: { runId: begun.run.id },
      })
    if (begun.kind !== 'started') {
      const events = await store.events(request.tenant, begun.run.id)
      return { accepted: false, run: resultOf(begun.run, events) }
    }
    await deps.queue.accept(request.tenant, runId, state, new Date(deps.now()))
    const queued = await store.get(request.tenant, runId)
    if (!queued) throw new SkillOSError({ code: 'INTERNAL', message: `Run ${runId} vanished` })
    return { accepted: true, run: resultOf(queued, []) }
  }

  /**
   * Execute a queued run (a worker calls this after claiming it). A run that is finished, cancelled or
   * waiting for a person is returned as it is. A run found `running` was being executed by a worker
   * that stopped without finishing (its claim expired): it runs again from the start.
   */
  async function execute(tenant: string, runId: string): Promise<RunResult | undefined> {
    const record = await store.get(tenant, runId)
    if (!record) return undefined
    if (record.status !== 'queued' && record.status !== 'running')
      return resultOf(record, await store.events(tenant, runId))
    const state = stateOf(record)
    if (!state)
      throw new SkillOSError({ code: 'CONFLICT', message: `Run ${runId} has no stored request` })
    const { request } = state
    return withClaimedRun({ tenant, runId, expectedVersion: record.version }, () =>
      deps.run({
        tenant,
        input: request.input,
        principal: request.principal,
        ...(request.params ? { params: request.params } : {}),
        ...(request.skill ? { skill: request.skill } : {}),
        ...(request.mode ? { mode: request.mode } : {}),
        dryRun: request.dryRun,
        context: request.context,
      }),
    )
  }

  /**
   * Cancel a run: a queued one at once; one waiting for input or an approval at once (its pending
   * approvals are rejected, so nobody can approve it afterwards); one executing now (also after an
   * answer or an approval resumed it) by stopping its current step — at once in this process,
   * within `cancelPollMs` in another. Each way the run ends `cancelled` and its trace ends with one
   * `run.cancelled` event, handed to the listeners (webhooks). Only the run's own principal, or one
   * holding `admin`, may cancel it.
   */
  async function cancel(
    tenant: string,
    runId: string,
    principal: Principal,
  ): Promise<CancelResult> {
    const record = await store.get(tenant, runId)
    if (!record) throw new SkillOSError({ code: 'NOT_FOUND', message: `Run ${runId} not found` })
    if (record.principalId !== principal.id && !principal.roles.includes('admin'))
      throw new SkillOSError({
        code: 'PERMISSION_DENIED',
        message: `Only ${record.principalId} (who started run ${runId}) or an admin may cancel it`,
      })
    if (terminalRunStatuses.includes(record.status))
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `Run ${runId} is ${record.status} already`,
        details: { status: record.status },
      })
    const now = new Date(deps.now())
    const current = async () =>
      resultOf((await store.get(tenant, runId))!, await store.events(tenant, runId))
    if (record.status === 'queued') {
      const event = cancelledEvent(record, principal.id, 0, now)
      if (await deps.queue.cancelQueued(tenant, runId, principal.id, now, storedEventOf(event))) {
        deps.emit(event)
        return { outcome: 'cancelled', run: await current() }
      }
      return cancel(tenant, runId, principal)
    }
    if (record.status === 'running') {
      // The flag reaches the instance executing it (before its next step, or its next poll); a run
      // executing here stops now.
      await deps.kv.set(cancelKey(runId), principal.id, { ttlMs: CANCEL_FLAG_TTL_MS })
      executing.get(runId)?.abort(cancelledBy(principal.id))
      return { outcome: 'requested', run: await current() }
    }
    // Waiting for a person: close the door first (reject its approvals), then end the run.
    for (const approval of await store.listApprovals(tenant, { runId, status: 'pending' })) {
      await store.decideApproval(tenant, approval.id, {
        status: 'rejected',
        by: principal.id,
        comment: 'run cancelled',
        now,
      })
    }
    const last = (await store.events(tenant, runId)).at(-1)
    const event = cancelledEvent(record, principal.id, last ? last.seq + 1 : 0, now)
    await store.save(
      tenant,
      runId,
      {
        expectedVersion: record.version,
        status: 'cancelled',
        error: {
          code: 'CANCELLED',
          message: `Cancelled by ${principal.id}`,
          details: { by: principal.id },
        },
        completed: true,
      },
      [storedEventOf(event)],
    )
    deps.emit(event)
    return { outcome: 'cancelled', run: await current() }
  }

  /**
   * Execute `work` (an engine `run`, `answer` or `decide`) so that a cancel stops it: the hooks it
   * gets refuse the next step once the run's cancel flag is set, and abort the step executing now
   * when the run is cancelled in this process, or when a poll finds the flag set by another one.
   */
  async function cancellably<T>(
    hooks: RunHooks | undefined,
    work: (hooks: EngineHooks) => Promise<T>,
  ): Promise<T> {
    const cancellation = new Cancellation()
    const unfollow = hooks?.signal ? cancellation.follow(hooks.signal) : undefined
    const runIds = new Set<string>()
    const watched: EngineHooks = {
      ...hooks,
      cancellation,
      get signal() {
        return cancellation.signal
      },
      async beforeStep(step) {
        if (!runIds.has(step.runId)) {
          runIds.add(step.runId)
          watch(step.runId, cancellation)
        }
        await stopOnFlag(step.runId, cancellation)
        if (cancellation.aborted) throw cancelledError(cancellation.reason)
        return hooks?.beforeStep?.(step)
      },
    }
    try {
      return await work(watched)
    } finally {
      unfollow?.()
      for (const runId of runIds) unwatch(runId, cancellation)
    }
  }

  return { submit, execute, cancel, cancellably }
}

function cancelledError(reason: unknown): SkillOSError {
  return SkillOSError.is(reason, 'CANCELLED')
    ? reason
    : new SkillOSError({ code: 'CANCELLED', message: 'The run was cancelled' })
}

/** `run.cancelled` for a run that was not executing (queued, or waiting for a person). */
function cancelledEvent(
  record: RunRecord,
  by: string,
  seq: number,
  now: Date,
): RunEventOf<'run.cancelled'> {
  const elapsedMs = Math.max(0, now.getTime() - record.createdAt.getTime())
  return {
    type: 'run.cancelled',
    runId: record.id,
    tenant: record.tenant,
    seq,
    at: now.toISOString(),
    elapsedMs,
    by,
    from: record.status,
    usage: { ...record.usage, ms: elapsedMs },
  }
}

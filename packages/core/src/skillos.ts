import { existsSync } from 'node:fs'
import type pino from 'pino'
import type { z } from 'zod'
import { resolve } from 'node:path'
import {
  SkillOSError,
  parseOrThrow,
  resolveConfig,
  type Config,
  type ConfigInput,
  principalSchema,
  type RiskLevel,
  type RunRequestInput,
  type RunResult,
} from '@skillos/contracts'
import type { RunEvent } from '@skillos/contracts'
import { createBudget, type Budget } from '@skillos/budget'
import { compilePolicy, createPolicyEngine, type PolicyEngine } from '@skillos/policy'
import { type RouteResult, type SkillIndex } from '@skillos/recommender'
import { createSkillLoader, type SkillLoader } from '@skillos/registry'
import { openDatabase, openKeyValue, type Database, type KeyValueStore } from '@skillos/store'
import { createModelProvider, type ModelProvider } from './model/index.js'
import { createSkillIndexFromConfig } from './skill-index-from-config.js'
import {
  createDefaultLogger,
  createRunLogger,
  createRunMetrics,
  type RunMetrics,
} from './observe/index.js'
import { createRunStore, createSkillStorage, type RunStore } from './persistence/index.js'
import { listDecidableApprovals, type PendingApproval } from './persistence/pending-approvals.js'
import { createAsyncRuns, type CancelResult, type SubmitResult } from './queue/async-runs.js'
import { createClaimableRunStore } from './queue/claimed-run-store.js'
import { createRunQueueStore } from './queue/run-queue-store.js'
import { resultOf } from './run/engine.js'
import { DEFAULT_POLICY_YAML } from './default-policy.js'
import { createEngine, type PolicyDecider, type RunHooks, type StepLog } from './run/engine.js'
import type { RunEventListener } from './run/stream.js'
import { createToolRuntime, type ToolImplementation, type ToolRuntime } from './tools/index.js'

/** Who acts: `{ id, roles?, attributes? }`. */
export type PrincipalInput = z.input<typeof principalSchema>

export interface SkillOSOptions {
  /** Skill roots (default: `config.skills.roots`, i.e. `./skills`). */
  skills?: string[]
  /** Per-skill settings (`ctx.config`), merged over `config.skills.settings`. */
  skillSettings?: Record<string, Record<string, unknown>>
  /** A URL (`pglite://…`, `postgres://…`, `memory://`) or an open database. Default: config (`pglite://./.skillos/db`). */
  database?: string | Database
  /** A Redis URL or an open key-value store. Default: config, else in-process. */
  redis?: string | KeyValueStore
  /** Everything else, as in `skillos.config.*` (merged over defaults; env is not read here). */
  config?: ConfigInput
  /** Tool implementations by name; a skill gets only the ones its manifest declares. */
  tools?: Record<string, ToolImplementation>
  /** A policy engine, or policy file paths; default: `config.policy.paths` if they exist, else the built-in default policy. */
  policy?: PolicyDecider | { paths: string[]; watch?: boolean }
  budget?: Budget
  /** Default: from `config.model`; none means `ctx.model` fails with MODEL_NOT_CONFIGURED. */
  model?: ModelProvider
  index?: SkillIndex
  /** Reload skills when their files change (default false). */
  watch?: boolean
  idempotencyTtlMs?: number
  /**
   * When a run's answer waits for its record: `commit` (after it committed; default) or `buffered`
   * (once queued for the next group commit — a crash loses the last batch). Default: `buffered` on
   * `memory://`, which a crash loses entirely anyway; `commit` on every durable database.
   */
  durability?: 'commit' | 'buffered'
  /**
   * A run without an idempotency key is written once, when it ends — or before its first side
   * effect, or after running this long (ms, default 250), so long runs can be seen while they work.
   */
  persistRunningAfterMs?: number
  approval?: { riskThreshold?: RiskLevel; expiresInMs?: number }
  /** Default timeout of one skill call when its manifest sets none (default 30 s). */
  timeoutMs?: number
  /** Handler `ctx.log` lines (default: the logger's, when one is set). */
  log?: StepLog
  /** Structured JSON logs of every run event: a pino logger, or `true` for one on stdout at `config.log.level`. */
  logger?: pino.Logger | boolean
  /** Prometheus metrics; default: a registry of its own (`os.metrics`). */
  metrics?: RunMetrics
  now?: () => number
}

/** The orchestrator: one object an app keeps for its lifetime. */
export interface SkillOS {
  /** Run a request: routed (or the given skill), governed, executed and traced. */
  run(request: RunRequestInput, hooks?: RunHooks): Promise<RunResult>
  /** Continue a `needs_input` run with the person's answer (text or the missing fields). */
  answer(request: {
    tenant: string
    runId: string
    principal: PrincipalInput
    answer: string | Record<string, unknown>
  }): Promise<RunResult>
  approve(request: {
    tenant: string
    approvalId: string
    principal: PrincipalInput
    comment?: string
  }): Promise<RunResult>
  reject(request: {
    tenant: string
    approvalId: string
    principal: PrincipalInput
    comment?: string
  }): Promise<RunResult>
  /** End runs whose approvals expired; returns how many. Call it on a timer (apps do). */
  expireApprovals(): Promise<number>
  getRun(tenant: string, runId: string): Promise<RunResult | undefined>
  /** Routing only: which skill a request would run, with the candidates. */
  route(query: string, options: { tenant: string }): Promise<RouteResult>
  /** Every event of every run, as it happens (logs, metrics, webhooks). */
  on(listener: RunEventListener): () => void
  /**
   * Accept a run to execute later (status `queued`, its id known now), durably: a worker calls
   * `execute` (see `createRunQueue`). The idempotency key works as for `run`.
   */
  submit(request: RunRequestInput): Promise<SubmitResult>
  /** Execute a queued run (a queue worker calls this after claiming it). */
  execute(tenant: string, runId: string): Promise<RunResult | undefined>
  /**
   * Cancel a run that has not finished: queued or waiting at once; executing (resumed ones too):
   * its current step is stopped — at once on this instance, within `cancelPollMs` on another. The
   * run ends `cancelled` with `run.cancelled` as its last event.
   */
  cancel(request: {
    tenant: string
    runId: string
    principal: PrincipalInput
  }): Promise<CancelResult>
  /** Pending approvals the principal may decide (policy, approver roles, not their own run). */
  pendingApprovals(request: {
    tenant: string
    principal: PrincipalInput
    limit?: number
  }): Promise<PendingApproval[]>
  /** A run's stored events after `afterSeq`; undefined when the tenant has no such run. */
  events(
    tenant: string,
    runId: string,
    options?: { afterSeq?: number; limit?: number },
  ): Promise<RunEvent[] | undefined>
  readonly database: Database
  readonly kv: KeyValueStore
  readonly policy: PolicyDecider
  readonly budget: Budget
  readonly loader: SkillLoader
  readonly index: SkillIndex
  readonly runs: RunStore
  /** Runs by status and skill, latencies, tool calls, spend, breaker states (prom-client). */
  readonly metrics: RunMetrics
  close(): Promise<void>
}

/**
 * Create the orchestrator. Zero-config works: no URLs → embedded PGlite in `./.skillos/db` and the
 * in-process key-value store; no policy files → the built-in default policy (anyone may run skills;
 * high-risk ones need an approval by an `approver`).
 *
 * @example
 * ```ts
 * import { createSkillOS } from '@skillos/core'
 * const os = await createSkillOS({ skills: ['./skills'], database: 'pglite://./.skillos/db' })
 * const result = await os.run({ input: 'convert 250 EUR to RUB', tenant: 'acme', principal: { id: 'u1', roles: ['analyst'] } })
 * result.status // 'succeeded' | 'needs_input' | 'awaiting_approval' | 'refused' | 'failed'
 * ```
 */
export async function createSkillOS(options: SkillOSOptions = {}): Promise<SkillOS> {
  const config: Config = resolveConfig({
    file: { path: '(createSkillOS options)', data: options.config ?? {} },
    env: {},
  })
  const closers: (() => Promise<void> | void)[] = []
  const close = async () => {
    for (const closer of closers.reverse()) await closer()
  }
  try {
    const database =
      typeof options.database === 'object'
        ? options.database
        : await openDatabase(options.database ?? config.database.url)
    if (typeof options.database !== 'object') closers.push(() => database.close())
    const kv =
      typeof options.redis === 'object'
        ? options.redis
        : await openKeyValue(options.redis ?? config.redis.url)
    if (typeof options.redis !== 'object') closers.push(() => kv.close())

    const index = options.index ?? (await createSkillIndexFromConfig(config))
    if (!options.index) closers.push(() => index.close())
    const loader = createSkillLoader({
      roots: options.skills ?? config.skills.roots,
      watch: options.watch ?? false,
      index,
    })
    closers.push(() => loader.close())
    const report = await loader.load()
    void report

    const policy = await resolvePolicy(options.policy, config)
    if ('close' in policy && typeof policy.close === 'function') {
      const engine = policy as PolicyEngine
      closers.push(() => engine.close())
    }
    const budget = options.budget ?? createBudget({ database, kv, config: config.budget })
    if (!options.budget) closers.push(() => budget.close())
    const tools: ToolRuntime = createToolRuntime({
      tools: options.tools ?? {},
      policy,
      kv,
      budget,
    })
    const model = options.model ?? createModelProvider(config.model)
    const listeners = new Set<RunEventListener>()
    const metrics = options.metrics ?? createRunMetrics()
    listeners.add(metrics.listener)
    const logger =
      options.logger === true
        ? createDefaultLogger(config.log.level)
        : options.logger === false
          ? undefined
          : options.logger
    // An in-memory database loses everything in a crash, so waiting for each run's commit buys
    // nothing there: its runs are acknowledged once queued (reads still see them).
    const durability = options.durability ?? (database.url === 'memory://' ? 'buffered' : 'commit')
    const runs = createRunStore(database, {
      durability,
      onBufferedWriteError: (error, run) =>
        logger?.error({ err: error, tenant: run.tenant, runId: run.runId }, 'run not stored'),
    })
    closers.push(() => runs.flush())
    const runLogger = logger ? createRunLogger(logger) : undefined
    if (runLogger) listeners.add(runLogger.listener)
    const log = options.log ?? runLogger?.stepLog
    const engine = createEngine({
      loader,
      index,
      policy,
      budget,
      tools,
      model,
      // Lets a queue worker start a run accepted earlier under the id it was given.
      store: createClaimableRunStore(runs),
      listeners,
      skillStorage: (tenant, skillId) => createSkillStorage(database, tenant, skillId),
      skillSettings: { ...config.skills.settings, ...options.skillSettings },
      ...(log ? { log } : {}),
      options: {
        idempotencyTtlMs: options.idempotencyTtlMs ?? 24 * 60 * 60 * 1000,
        approvalExpiresInMs: options.approval?.expiresInMs ?? 24 * 60 * 60 * 1000,
        approvalRiskThreshold: options.approval?.riskThreshold ?? 'high',
        defaultTimeoutMs: options.timeoutMs ?? 30_000,
        persistRunningAfterMs: options.persistRunningAfterMs ?? 250,
        now: options.now ?? Date.now,
      },
    })
    const now = options.now ?? Date.now
    const asyncRuns = createAsyncRuns({
      loader,
      store: runs,
      queue: createRunQueueStore(database),
      kv,
      run: (request, hooks) => asyncRuns.cancellably(hooks, (h) => engine.run(request, h)),
      emit(event) {
        for (const listener of listeners) {
          try {
            listener(event)
          } catch {
            // A broken listener must not break the cancel.
          }
        }
      },
      idempotencyTtlMs: options.idempotencyTtlMs ?? 24 * 60 * 60 * 1000,
      now,
    })
    return {
      run: (request, hooks) => asyncRuns.cancellably(hooks, (h) => engine.run(request, h)),
      submit: asyncRuns.submit,
      execute: asyncRuns.execute,
      cancel: (r) => asyncRuns.cancel(r.tenant, r.runId, principalOf(r.principal)),
      pendingApprovals: (r) =>
        listDecidableApprovals(runs, policy, r.tenant, principalOf(r.principal), {
          now: new Date(now()),
          ...(r.limit ? { limit: r.limit } : {}),
        }),
      async events(tenant, runId, query = {}) {
        const record = await runs.get(tenant, runId)
        if (!record) return undefined
        return resultOf(record, await runs.events(tenant, runId, query)).trace
      },
      database,
      kv,
      policy,
      budget,
      // A run resumed by an answer or an approval executes again: a cancel stops it as any other.
      answer: (r) =>
        asyncRuns.cancellably(undefined, (hooks) =>
          engine.answer(r.tenant, r.runId, principalOf(r.principal), r.answer, hooks),
        ),
      approve: (r) =>
        asyncRuns.cancellably(undefined, (hooks) =>
          engine.decide(
            r.tenant,
            r.approvalId,
            principalOf(r.principal),
            'approved',
            r.comment,
            hooks,
          ),
        ),
      reject: (r) =>
        engine.decide(r.tenant, r.approvalId, principalOf(r.principal), 'rejected', r.comment),
      expireApprovals: engine.expireApprovals,
      getRun: engine.get,
      route: (query, { tenant }) => index.route(query, { filters: { tenant } }),
      on(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      loader,
      index,
      runs,
      metrics,
      close,
    }
  } catch (error) {
    await close().catch(() => undefined)
    throw error
  }
}

function principalOf(input: PrincipalInput) {
  return parseOrThrow(principalSchema, input, { what: 'principal' })
}

async function resolvePolicy(
  given: SkillOSOptions['policy'],
  config: Config,
): Promise<PolicyDecider & { close?: () => void }> {
  if (given && 'decide' in given) return given
  if (given) return createPolicyEngine({ paths: given.paths, watch: given.watch ?? false })
  const paths = config.policy.paths
  const present = paths.filter((p) => existsSync(resolve(p)))
  if (present.length === 0) {
    return compilePolicy([{ path: '(built-in default policy)', text: DEFAULT_POLICY_YAML }])
  }
  if (present.length < paths.length) {
    const missing = paths.filter((p) => !present.includes(p))
    throw new SkillOSError({
      code: 'CONFIG_INVALID',
      message: `Policy paths not found: ${missing.join(', ')}`,
    })
  }
  return createPolicyEngine({ paths, watch: config.policy.reload })
}

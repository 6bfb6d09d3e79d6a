import { createHash, randomFillSync } from 'node:crypto'
import {
  SkillOSError,
  runRequestSchema,
  terminalRunStatuses,
  parseOrThrow,
  type Principal,
  type RiskLevel,
  type SideEffectClass,
  type SkillStorage,
  type RunEvent,
  type RunRequest,
  type RunRequestInput,
  type RunResult,
  type RunStatus,
  type Usage,
} from '@skillos/contracts'
import type { Budget } from '@skillos/budget'
import type { Policy } from '@skillos/policy'
import type { SkillIndex } from '@skillos/recommender'
import type { LoadedSkill, SkillLoader } from '@skillos/registry'
import { answerParameters, fillParameters, type FillOptions } from '../extract/index.js'
import { createMeteredModel, type ModelProvider } from '../model/index.js'
import type { RunRecord, RunStore } from '../persistence/index.js'
import type { ToolRuntime } from '../tools/index.js'
import { analyzeRequest, riskLevelOf, splitIntents } from './analyze.js'
import { dataDependencies, upstreamValues } from './bindings.js'
import type { EmitEvent } from './events.js'
import { fillMissingWithModel } from './model-fill.js'
import { routeRequest } from './route.js'
import { type Cancellation, followSignal } from './cancellation.js'
import {
  beginInput,
  emptyUsage,
  initialState,
  statusOfSteps,
  type ErrorBody,
  type RunState,
  type StepState,
  stateOf,
  storedState,
} from './state.js'
import { createRunStream, storedEventOf, type RunEventListener, type RunStream } from './stream.js'

/** What the policy step needs: a compiled policy or a hot-reloading engine. */
export type PolicyDecider = Pick<Policy, 'decide'> & Partial<Pick<Policy, 'rateLimitsFor'>>

/** Per-run hooks: the CLI's debug mode holds a run before each step. */
export interface RunHooks {
  /** Awaited before a step executes (after policy, budget and approval); `skip` skips it. */
  beforeStep?: (step: {
    runId: string
    step: string
    skill: { id: string; version: string }
    params: Record<string, unknown>
    mode: string
  }) => Promise<void | 'skip'> | void | 'skip'
  /**
   * Aborted when the run is cancelled: the step executing now stops at once (its `ctx.signal` is
   * aborted, the step fails `CANCELLED`) and the run ends `cancelled`.
   */
  signal?: AbortSignal
}

/**
 * The hooks a run gets inside SkillOS: `cancellation`, when given, is what stops it (the queue's
 * `cancellably` gives one, following the caller's `signal`); otherwise `signal` is followed.
 */
export interface EngineHooks extends RunHooks {
  cancellation?: Cancellation
}

export interface EngineOptions {
  idempotencyTtlMs: number
  approvalExpiresInMs: number
  /** Runs at or above this risk need an approval (skills may set their own threshold). */
  approvalRiskThreshold: RiskLevel
  defaultTimeoutMs: number
  /** A run not written yet (no idempotency key, no side effect so far) is stored as running after this long. */
  persistRunningAfterMs: number
  now: () => number
}

export interface EngineDeps {
  loader: SkillLoader
  index: SkillIndex
  policy: PolicyDecider
  budget: Budget
  tools: ToolRuntime
  model: ModelProvider | undefined
  store: RunStore
  listeners: Set<RunEventListener>
  /** `ctx.storage` of a skill for a tenant. */
  skillStorage: (tenant: string, skillId: string) => SkillStorage
  /** `ctx.config` of each skill, by id (`skills.settings` of the configuration). */
  skillSettings: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  log?: StepLog
  options: EngineOptions
}

const RISK_ORDER: RiskLevel[] = ['low', 'medium', 'high', 'critical']
const atLeast = (risk: RiskLevel, threshold: RiskLevel) =>
  RISK_ORDER.indexOf(risk) >= RISK_ORDER.indexOf(threshold)

/** A time-sortable, unguessable id: `run_<time36><random hex>`. */
export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${now.toString(36)}${randomHex8()}`
}

/**
 * 8 random bytes as hex, from a pool refilled 4 KB at a time: a run takes several ids, and one
 * `randomBytes` call each was 2 % of a run (as `crypto.randomUUID` does, the entropy is batched).
 */
const idEntropy = Buffer.alloc(4096)
let idEntropyUsed = idEntropy.length
function randomHex8(): string {
  if (idEntropyUsed + 8 > idEntropy.length) {
    randomFillSync(idEntropy)
    idEntropyUsed = 0
  }
  const hex = idEntropy.toString('hex', idEntropyUsed, idEntropyUsed + 8)
  idEntropyUsed += 8
  return hex
}

/** What makes two requests "the same payload" for idempotency. */
export function requestHash(request: {
  input: string
  params?: Record<string, unknown> | undefined
  skill?: string | undefined
  mode?: string | undefined
  dryRun: boolean
  principal: Principal
}): string {
  const canonical = JSON.stringify(
    sortKeys({
      input: request.input,
      params: request.params ?? null,
      skill: request.skill ?? null,
      mode: request.mode ?? null,
      dryRun: request.dryRun,
      principal: request.principal.id,
    }),
  )
  return createHash('sha256').update(canonical).digest('hex')
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    )
  return value
}

function errorBody(error: unknown): ErrorBody {
  if (SkillOSError.is(error))
    return {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: sanitizeDetails(error.details) } : {}),
    }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) }
}

/** Details go into stored traces: keep them JSON and small. */
function sanitizeDetails(details: Record<string, unknown>): Record<string, unknown> {
  try {
    const json = JSON.stringify(details)
    return json.length > 8_000 ? { truncated: true } : (JSON.parse(json) as Record<string, unknown>)
  } catch {
    return { unserializable: true }
  }
}

/**
 * The path of one run (../shared/ARCHITECTURE.md §1): idempotency → analyze → route (+ fill) → plan →
 * authorize → reserve → approve → execute → settle, each step emitting typed events. A run that
 * needs an answer or an approval is stored with its state and continues from there.
 */
export function createEngine(deps: EngineDeps) {
  const { store, options } = deps
  /** In-process runs by tenant + idempotency key: a concurrent repeat waits for the first. */
  const inFlight = new Map<string, Promise<RunResult>>()

  async function run(input: RunRequestInput, hooks: EngineHooks = {}): Promise<RunResult> {
    const request = parseOrThrow(runRequestSchema, input, { what: 'run request' })
    // An unknown skill or a bad range is the caller's error: refused before anything is stored.
    if (request.skill) deps.loader.resolve(request.skill)
    const key = request.idempotencyKey ? `${request.tenant}\0${request.idempotencyKey}` : undefined
    // Only a keyed run is ever compared with another: the others need no hash.
    if (!key) return begin(request, undefined, hooks)
    const hash = requestHash(request)
    // A repeat while the first is running in this process waits for it, then gets the stored answer.
    const waiting = inFlight.get(key)
    if (waiting) {
      await waiting.catch(() => undefined)
      return run(input, hooks)
    }
    const promise = begin(request, hash, hooks)
    inFlight.set(key, promise)
    void promise.finally(() => inFlight.delete(key)).catch(() => undefined)
    return promise
  }

  async function begin(
    request: RunRequest,
    hash: string | undefined,
    hooks: EngineHooks,
  ): Promise<RunResult> {
    await store.ensureTenant(request.tenant)
    const runId = newId('run', options.now())
    const state = initialState(request)
    const begun = await store.begin(request.tenant, {
      id: runId,
      ...beginInput(request, state, hash, options.idempotencyTtlMs),
      // Stored when it ends (one write), earlier only if it must be (see `persist`).
      deferred: true,
    })
    if (begun.kind === 'replay')
      return resultOf(begun.run, await store.events(request.tenant, begun.run.id))
    if (begun.kind === 'conflict')
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `Idempotency key "${request.idempotencyKey}" was used for a different request (run ${begun.run.id})`,
        details: { runId: begun.run.id },
      })
    if (begun.kind === 'in_progress')
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `A run with idempotency key "${request.idempotencyKey}" is still in progress (run ${begun.run.id}); retry later`,
        details: { runId: begun.run.id, status: begun.run.status, inProgress: true },
      })
    return startRun(begun.run, state, hooks)
  }

  async function startRun(
    record: RunRecord,
    state: RunState,
    hooks: EngineHooks,
  ): Promise<RunResult> {
    const stream = createRunStream({
      runId: record.id,
      tenant: record.tenant,
      listeners: deps.listeners,
      startedAt: options.now(),
      now: options.now,
    })
    const { request } = state
    stream.emit({
      type: 'run.started',
      principal: request.principal.id,
      ...(request.skill ? { skill: request.skill } : {}),
      ...(request.mode ? { mode: request.mode } : {}),
      dryRun: request.dryRun,
    })
    let version = record.version
    // A deferred run (nothing stored yet) that is still going after a while is stored as running,
    // so it can be seen (and cancelled) while it works.
    const visible = setTimeout(() => {
      store.persist(record.tenant, record.id).catch(() => undefined)
    }, options.persistRunningAfterMs)
    visible.unref()
    try {
      const planned = await plan(record.tenant, state, stream)
      if (!planned.ok) {
        return await finish(record, state, stream, version, {
          status: 'refused',
          error: planned.error,
          ...(planned.candidates ? { candidates: planned.candidates } : {}),
        })
      }
      const result = await drive(record, state, stream, version, hooks)
      return result
    } catch (error) {
      // An unexpected failure still ends the run and keeps its trace.
      version = (await store.get(record.tenant, record.id))?.version ?? version
      return finish(record, state, stream, version, { status: 'failed', error: errorBody(error) })
    } finally {
      clearTimeout(visible)
    }
  }

  /** Steps 2–4: analyze, route each ask, fill its parameters, choose the mode. */
  async function plan(
    tenant: string,
    state: RunState,
    stream: RunStream,
  ): Promise<
    | { ok: true }
    | {
        ok: false
        error: ErrorBody
        candidates?: { id: string; score: number; confidence?: number }[]
      }
  > {
    const { request } = state
    const split = request.skill
      ? { parts: [request.input], relation: 'single' as const }
      : splitIntents(request.input)
    const forced = request.mode
    // Route every part; a split counts only when each part routes to a different skill.
    let parts = split.parts
    let routes = await Promise.all(
      parts.map((part) =>
        routeRequest(part, {
          ...(request.skill ? { skill: request.skill } : {}),
          tenant,
          index: deps.index,
          loader: deps.loader,
          emit: parts.length > 1 ? () => undefined : stream.emit,
        }),
      ),
    )
    const usable =
      parts.length > 1 &&
      routes.every((r) => r.kind === 'routed') &&
      new Set(routes.map((r) => (r.kind === 'routed' ? r.routed.skill.id : ''))).size ===
        parts.length
    if (parts.length > 1 && !usable) {
      parts = [request.input]
      routes = [
        await routeRequest(request.input, {
          ...(request.skill ? { skill: request.skill } : {}),
          tenant,
          index: deps.index,
          loader: deps.loader,
          emit: stream.emit,
        }),
      ]
    } else if (parts.length > 1) {
      for (const r of routes)
        if (r.kind === 'routed')
          stream.emit({
            type: 'skill.routed',
            skill: r.routed.skill.id,
            version: r.routed.skill.version,
            confidence: r.routed.confidence,
            candidates: r.routed.candidates,
          })
    }
    const first = routes[0]
    if (!first || first.kind === 'no_match') {
      const candidates = first?.kind === 'no_match' ? first.candidates : []
      return {
        ok: false,
        error: {
          code: 'NO_MATCH',
          message: 'No skill matches this request well enough to run it',
          details: { candidates },
        },
        candidates,
      }
    }
    const skills = routes.flatMap((r) => (r.kind === 'routed' ? [r.routed] : []))
    const relation = parts.length > 1 ? split.relation : 'single'
    // Asks joined by "and" still form a pipeline when one needs what another returns.
    const flow =
      relation === 'independent' && (forced === undefined || forced === 'pipeline')
        ? dataDependencies(
            skills.map(({ skill }, i) => ({
              manifest: skill.manifest,
              missing: fillParameters(skill.manifest.input, parts[i] ?? request.input, {
                params: onlyDeclared(request.params ?? {}, skill),
                now: new Date(options.now()),
                ...extractOf(skill),
              }).missing.map((m) => m.field),
            })),
          )
        : []
    state.mode =
      forced ??
      (relation === 'sequence' || flow.length > 0
        ? 'pipeline'
        : relation === 'independent'
          ? 'parallel'
          : 'single')
    if (state.mode !== 'single' && skills.length === 1) state.mode = 'single'

    const analysis = analyzeRequest(
      request.input,
      skills.map(({ skill }) => ({
        id: skill.id,
        risk: skill.manifest.risk,
        sideEffects: skill.manifest.sideEffects,
        dependencies: Object.keys(skill.manifest.dependencies).length,
        requiredInputs: skill.manifest.input.required?.length ?? 0,
      })),
      split,
    )
    for (const d of flow)
      analysis.factors.push(
        `${skills[d.step]?.skill.id} takes ${d.needs.join(', ')} from ${skills[d.from]?.skill.id}`,
      )
    state.analysis = analysis
    stream.emit({ type: 'run.analyzed', ...analysis })

    const composite = skills.length === 1 ? skills[0] : undefined
    if (composite && composite.skill.kind === 'composite') {
      // A composite skill declared in YAML runs its steps as a pipeline, at the versions its
      // dependencies resolved to.
      const parent = composite.skill
      state.mode = 'pipeline'
      state.steps = (parent.manifest.steps ?? []).map((declared, i) => ({
        id: `s${i + 1}`,
        text: request.input,
        skill: {
          id: declared.skill,
          version:
            parent.dependencies[declared.skill] ??
            deps.loader.resolve(declared.skill).skill.version,
        },
        confidence: composite.confidence,
        dependsOn: i > 0 ? [`s${i}`] : [],
        status: 'planned',
        ...(declared.params ? { preset: declared.params } : {}),
        partOf: { id: parent.id, version: parent.version },
        usage: emptyUsage(),
      }))
    } else {
      state.steps = skills.map((routed, i) => ({
        id: `s${i + 1}`,
        text: parts[i] ?? request.input,
        skill: { id: routed.skill.id, version: routed.skill.version },
        confidence: routed.confidence,
        dependsOn:
          state.mode !== 'pipeline' || i === 0
            ? []
            : flow.length > 0
              ? flow.filter((d) => d.step === i).map((d) => `s${d.from + 1}`)
              : [`s${i}`],
        status: 'planned',
        usage: emptyUsage(),
      }))
    }
    stream.emit({
      type: 'run.planned',
      mode: state.mode,
      steps: state.steps.map((s) => ({ id: s.id, skill: s.skill.id, dependsOn: s.dependsOn })),
    })
    return { ok: true }
  }

  /** Steps 5–8 for every step that can go now; then settle. Parallel steps run together. */
  async function drive(
    record: RunRecord,
    state: RunState,
    stream: RunStream,
    version: number,
    hooks: EngineHooks = {},
  ): Promise<RunResult> {
    for (;;) {
      const ready = state.steps.filter(
        (step) =>
          (step.status === 'planned' || step.status === 'approved') &&
          step.dependsOn.every((d) => state.steps.find((s) => s.id === d)?.status === 'succeeded'),
      )
      if (ready.length === 0) break
      const batch = state.mode === 'parallel' ? ready : ready.slice(0, 1)
      await Promise.all(batch.map((step) => runStep(record, state, step, stream, hooks)))
      if (state.mode === 'pipeline' && batch.some((s) => s.status !== 'succeeded')) break
    }
    // A pipeline step after a failure never runs.
    for (const step of state.steps)
      if (step.status === 'planned' && statusOfSteps(state.steps) === 'failed')
        step.status = 'skipped'
    const status = statusOfSteps(state.steps)
    return finish(record, state, stream, version, { status })
  }

  /** One step: fill → authorize → reserve → approve? → execute → release. Sets `step.status`. */
  async function runStep(
    record: RunRecord,
    state: RunState,
    step: StepState,
    stream: RunStream,
    hooks: EngineHooks,
  ): Promise<void> {
    const { request } = state
    const skill =
      deps.loader.get(step.skill.id, step.skill.version) ?? deps.loader.resolve(step.skill.id).skill
    step.skill = { id: skill.id, version: skill.version }
    // Fill parameters (step 3's second half): caller's params win; a pipeline passes the previous output on.
    if (!step.params || (step.missing && step.missing.length > 0)) {
      const upstream = upstreamValues(skill.manifest, upstreamOutputs(state, step))
      // A composite's steps all read the whole request: there the previous output is the more
      // specific source and wins over the text; an ask of its own words is read first.
      const params = {
        ...(step.partOf ? upstream : {}),
        ...(step.preset ?? {}),
        ...(request.params ?? {}),
      }
      const given = onlyDeclared(params, skill)
      // Every declared field given (an explicit call with structured input): the text has nothing
      // left to fill, so it is not read.
      const fill = coversEveryField(given, skill)
        ? { values: given, missing: [] }
        : fillParameters(skill.manifest.input, step.text, {
            params: given,
            now: new Date(options.now()),
            ...(step.partOf ? {} : { upstream }),
            ...extractOf(skill),
          })
      step.params = fill.values
      step.missing = fill.missing
      if (fill.missing.length > 0 && deps.model) {
        const found = await fillMissingWithModel(
          createMeteredModel(deps.model, {
            budget: deps.budget,
            tenant: record.tenant,
            user: request.principal.id,
            skill: skill.id,
            runId: record.id,
            signal: new AbortController().signal,
            onUsage(used) {
              step.usage.inputTokens += used.inputTokens
              step.usage.outputTokens += used.outputTokens
              step.usage.costUsd += used.costUsd
            },
          }),
          step.text,
          skill.manifest.input,
          fill.missing.map((m) => m.field),
        ).catch(() => ({}))
        step.params = { ...step.params, ...found }
        step.missing = fill.missing.filter((m) => !(m.field in found))
      }
    }
    if (step.missing && step.missing.length > 0) {
      step.status = 'needs_input'
      stream.emit({ type: 'input.requested', missing: step.missing })
      return
    }

    // 5. Authorize.
    const principal = {
      id: request.principal.id,
      tenant: record.tenant,
      roles: [...request.principal.roles],
      attributes: request.principal.attributes,
    }
    const resource = {
      id: skill.id,
      tenant: record.tenant,
      risk: skill.manifest.risk,
      sideEffects: skill.manifest.sideEffects,
      tags: [...skill.manifest.tags],
    }
    const time =
      typeof request.context.time === 'string'
        ? request.context.time
        : new Date(options.now()).toISOString()
    const context = { ...request.context, time }
    const decision = deps.policy.decide(principal, 'skill:run', resource, context)
    stream.emit({
      type: 'policy.decided',
      action: 'skill:run',
      resource: skill.id,
      allowed: decision.allowed,
      ruleIds: [...(decision.ruleIds ?? [])],
      obligations: [...decision.obligations],
      explanation: decision.explanation,
    })
    if (!decision.allowed) {
      step.status = 'refused'
      step.error = { code: 'POLICY_DENIED', message: decision.explanation }
      return
    }

    // 7. Approval needed? (decided now, acted on after the budget check)
    // The step's own risk: in a parallel run, a payment branch must not make a rate lookup wait.
    const risk = riskLevelOf(
      state.steps.length === 1
        ? (state.analysis?.risk ?? 0)
        : analyzeRequest(step.text, [
            {
              id: skill.id,
              risk: skill.manifest.risk,
              sideEffects: skill.manifest.sideEffects,
              dependencies: 0,
            },
          ]).risk,
    )
    const rule: {
      mode: string
      approvers: string[]
      riskThreshold?: RiskLevel
      expiresInMs?: number
    } = skill.manifest.approval
    const threshold = rule.riskThreshold ?? options.approvalRiskThreshold
    const needsApproval =
      step.status !== 'approved' &&
      (rule.mode === 'always' ||
        (rule.mode === 'on-risk' &&
          (atLeast(skill.manifest.risk, threshold) || atLeast(risk, threshold))) ||
        decision.obligations.includes('require_approval'))

    // 6. Reserve: the skill's declared ceiling, refused before any work when it does not fit.
    let reservationId: string
    try {
      const reserved = await deps.budget.reserve({
        tenant: record.tenant,
        user: request.principal.id,
        skill: skill.id,
        runId: record.id,
        costUsd: skill.manifest.budget.maxCostUsd ?? 0,
        tokens: skill.manifest.budget.maxTokens ?? 0,
      })
      reservationId = reserved.reservation.id
      stream.emit({
        type: 'budget.reserved',
        reservationId,
        costUsd: reserved.reservation.costUsd,
        tokens: reserved.reservation.tokens,
        scopes: reserved.reservation.limits,
      })
      for (const warning of reserved.warnings)
        stream.emit({
          type: 'budget.warning',
          scope: warning.subject,
          spentUsd: warning.used,
          limitUsd: warning.limit,
          action: warning.action,
        })
    } catch (error) {
      if (SkillOSError.is(error, 'BUDGET_EXCEEDED')) {
        step.status = 'refused'
        step.error = errorBody(error)
        return
      }
      throw error
    }

    if (request.dryRun) {
      await releaseReservation(reservationId, 'dry run: nothing executed')
      step.status = 'succeeded'
      step.output = {
        dryRun: true,
        params: step.params,
        approvalRequired: needsApproval,
        estimateUsd: skill.manifest.budget.maxCostUsd ?? 0,
      }
      return
    }
    if (needsApproval) {
      // Nothing is held while a person decides; the budget is checked again on approval.
      await releaseReservation(reservationId, 'paused for approval')
      const approvalId = newId('apr', options.now())
      const expiresInMs = rule.expiresInMs ?? options.approvalExpiresInMs
      const expiresAt = new Date(options.now() + expiresInMs)
      step.status = 'awaiting_approval'
      step.approvalId = approvalId
      pendingApprovals.set(approvalId, {
        id: approvalId,
        runId: record.id,
        step: step.id,
        reason: decision.obligations.includes('require_approval')
          ? `policy obligation: ${decision.explanation}`
          : `${skill.id} has risk ${skill.manifest.risk} and side effects ${skill.manifest.sideEffects}`,
        risk: atLeast(skill.manifest.risk, risk) ? skill.manifest.risk : risk,
        sideEffects: skill.manifest.sideEffects,
        approvers: rule.approvers,
        requestedBy: request.principal.id,
        expiresAt,
      })
      stream.emit({
        type: 'approval.requested',
        approvalId,
        reason: pendingApprovals.get(approvalId)?.reason ?? '',
        risk: pendingApprovals.get(approvalId)?.risk ?? skill.manifest.risk,
        sideEffects: skill.manifest.sideEffects,
        expiresAt: expiresAt.toISOString(),
      })
      return
    }

    // 8. Execute (a debugger may hold the run here, or skip the step).
    try {
      const verdict = await hooks.beforeStep?.({
        runId: record.id,
        step: step.id,
        skill: { id: skill.id, version: skill.version },
        params: step.params ?? {},
        mode: state.mode,
      })
      if (verdict === 'skip') {
        step.status = 'skipped'
        return
      }
      // Write-ahead: a run about to change something outside this process is stored first, so a
      // crash from here on leaves it visible (a read-only run is stored once, when it ends).
      if (skill.manifest.sideEffects !== 'read') await store.persist(record.tenant, record.id)
      const cancel = hooks.cancellation ?? (hooks.signal ? followSignal(hooks.signal) : undefined)
      await execute(record, state, step, skill, stream, cancel)
      // Policy obligation `redact_output`: the skill ran, but its output is neither returned nor
      // stored; the caller sees which fields were withheld.
      if (decision.obligations.includes('redact_output') && step.status === 'succeeded')
        step.output = redactedOutput(step.output)
    } catch (error) {
      // Cancelled before this step began: it fails `CANCELLED`, and the run ends `cancelled`.
      if (!SkillOSError.is(error, 'CANCELLED')) throw error
      step.status = 'failed'
      step.error = errorBody(error)
    } finally {
      await releaseReservation(reservationId, 'settled: actual costs were charged as they happened')
    }

    async function releaseReservation(id: string, reason: string): Promise<void> {
      const released = await deps.budget.release(id).catch(() => undefined)
      stream.emit({
        type: 'budget.released',
        reservationId: id,
        releasedUsd: released?.releasedUsd ?? 0,
        reason,
      })
    }
  }

  async function execute(
    record: RunRecord,
    state: RunState,
    step: StepState,
    skill: LoadedSkill,
    stream: RunStream,
    cancel?: Cancellation,
  ): Promise<void> {
    const { request } = state
    const started = options.now()
    stream.emit({ type: 'step.started', step: step.id, skill: skill.id })
    // The step's signal exists once something reads it (most handlers never do); aborting before
    // that is remembered, so a signal read afterwards is aborted already, with the same reason.
    let controller: AbortController | undefined
    let stopped: { reason: unknown } | undefined
    const stepSignal = {
      get signal(): AbortSignal {
        if (!controller) {
          controller = new AbortController()
          if (stopped) controller.abort(stopped.reason)
        }
        return controller.signal
      },
    }
    const stop = (reason?: unknown) => {
      if (stopped) return
      stopped = { reason }
      controller?.abort(reason)
    }
    const timeoutMs = skill.manifest.budget.timeoutMs ?? options.defaultTimeoutMs
    const usage = step.usage
    const model = createMeteredModel(deps.model, {
      budget: deps.budget,
      tenant: record.tenant,
      user: request.principal.id,
      skill: skill.id,
      runId: record.id,
      get signal() {
        return stepSignal.signal
      },
      onUsage(used) {
        usage.inputTokens += used.inputTokens
        usage.outputTokens += used.outputTokens
        usage.costUsd += used.costUsd
      },
    })
    const emit: EmitEvent = (event) => {
      if (event.type === 'tool.called' && event.costUsd) usage.costUsd += event.costUsd
      stream.emit(event)
    }
    const tools = deps.tools.bind({
      runId: record.id,
      tenant: record.tenant,
      principal: request.principal,
      skill: { id: skill.id, version: skill.version },
      declared: skill.manifest.tools,
      get signal() {
        return stepSignal.signal
      },
      step: step.id,
      emit,
      context: request.context,
    })
    let timer: NodeJS.Timeout | undefined
    let stopListening: (() => void) | undefined
    try {
      const work = (async () => {
        if (skill.kind === 'instructions' || !skill.definition) {
          const response = await model.generate({
            system: skill.instructions ?? skill.manifest.description,
            prompt: `${step.text}\n\nParameters: ${JSON.stringify(step.params ?? {})}`,
          })
          return { text: response.text }
        }
        const definition = skill.definition
        const parsed = definition.input ? definition.input.safeParse(step.params ?? {}) : undefined
        if (parsed && !parsed.success)
          throw new SkillOSError({
            code: 'VALIDATION_FAILED',
            message: `Input for ${skill.id} does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
          })
        const output = await definition.handler(parsed ? parsed.data : (step.params ?? {}), {
          runId: record.id,
          tenant: record.tenant,
          principal: request.principal,
          skill: { id: skill.id, version: skill.version, risk: skill.manifest.risk },
          get signal() {
            return stepSignal.signal
          },
          tools,
          ...(deps.model ? { model } : {}),
          log: stepLogger(deps.log, record.id, step.id, skill.id),
          dependencies: skill.dependencies,
          config: deps.skillSettings[skill.id] ?? {},
          storage: deps.skillStorage(record.tenant, skill.id),
        })
        if (definition.output) {
          const checked = definition.output.safeParse(output)
          if (!checked.success)
            throw new SkillOSError({
              code: 'VALIDATION_FAILED',
              message: `${skill.id} returned output that does not match its schema: ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
            })
          return checked.data
        }
        return output
      })()
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          stop()
          reject(
            new SkillOSError({
              code: 'TIMEOUT',
              message: `${skill.id} did not finish within ${timeoutMs} ms`,
            }),
          )
        }, timeoutMs)
      })
      const cancelled = new Promise<never>((_, reject) => {
        stopListening = cancel?.onAbort(() => {
          stop()
          reject(cancelledError(cancel.reason))
        })
      })
      step.output = await Promise.race([work, timeout, cancelled])
      step.status = 'succeeded'
    } catch (error) {
      step.status = 'failed'
      step.error = errorBody(error)
    } finally {
      clearTimeout(timer)
      stopListening?.()
      // Whatever the handler left running stops now (a reason of our own: no DOMException per step).
      stop(STEP_ENDED)
      usage.ms = options.now() - started
      stream.emit({
        type: 'step.completed',
        step: step.id,
        skill: skill.id,
        ms: usage.ms,
        ok: step.status === 'succeeded',
      })
    }
  }

  /** Approvals created while a run is being driven, written with the run's next save. */
  const pendingApprovals = new Map<
    string,
    {
      id: string
      runId: string
      step: string
      reason: string
      risk: RiskLevel
      sideEffects: SideEffectClass
      approvers: string[]
      requestedBy: string
      expiresAt: Date
    }
  >()

  /** Step 9: persist the run, its new events and its approvals in one transaction. */
  async function finish(
    record: RunRecord,
    state: RunState,
    stream: RunStream,
    version: number,
    outcome: {
      status: RunStatus
      error?: ErrorBody
      candidates?: { id: string; score: number; confidence?: number }[]
    },
  ): Promise<RunResult> {
    const usage = totalUsage(state, options.now() - record.createdAt.getTime())
    // Stopped by a cancel: the run ends `cancelled`, with `run.cancelled` as its last event.
    const cancelled = cancellationOf(outcome, state)
    const status = cancelled ? 'cancelled' : outcome.status
    const terminal = terminalRunStatuses.includes(status)
    const error =
      cancelled ??
      outcome.error ??
      state.steps.find((s) => s.status === 'failed' || s.status === 'refused')?.error
    const output = outputOf(state)
    if (cancelled) {
      const by = cancelled.details?.by
      stream.emit({
        type: 'run.cancelled',
        ...(typeof by === 'string' ? { by } : {}),
        from: 'running',
        usage,
      })
    } else if (terminal)
      stream.emit({
        type: 'run.completed',
        status: outcome.status,
        usage,
        ...(error ? { error: toContractError(error) } : {}),
      })
    const approvals = state.steps
      .map((s) => (s.approvalId ? pendingApprovals.get(s.approvalId) : undefined))
      .filter((a) => a !== undefined)
    for (const approval of approvals) pendingApprovals.delete(approval.id)
    const saved = await store.save(
      record.tenant,
      record.id,
      {
        expectedVersion: version,
        status,
        ...(state.steps[0]
          ? {
              skillId: (state.steps[0].partOf ?? state.steps[0].skill).id,
              skillVersion: (state.steps[0].partOf ?? state.steps[0].skill).version,
            }
          : {}),
        mode: state.mode,
        ...(output !== undefined ? { output } : {}),
        ...(error ? { error } : {}),
        usage,
        state: storedState(state),
        completed: terminal,
        ...(approvals.length > 0 ? { approvals } : {}),
      },
      stream.pending().map(storedEventOf),
    )
    stream.markPersisted()
    return {
      ...resultOf(saved, stream.trace),
      // The value as the skill returned it (jsonb does not keep key order).
      ...(output !== undefined ? { output } : {}),
      ...(outcome.candidates ? { candidates: outcome.candidates } : {}),
    }
  }

  /** Load a stored run to continue it; the stream continues its numbering. */
  async function reopen(tenant: string, runId: string) {
    const record = await store.get(tenant, runId)
    if (!record) throw new SkillOSError({ code: 'NOT_FOUND', message: `Run ${runId} not found` })
    const state = stateOf(record)
    if (!state)
      throw new SkillOSError({ code: 'CONFLICT', message: `Run ${runId} cannot be continued` })
    const previous = (await store.events(tenant, runId)).map((e) => toRunEvent(record, e))
    const stream = createRunStream({
      runId,
      tenant,
      listeners: deps.listeners,
      previous,
      startedAt: record.createdAt.getTime(),
      now: options.now,
    })
    return { record, state, stream }
  }

  /**
   * Continue a `needs_input` run with a person's answer: text ("to Dubai, on Friday") or the missing
   * fields as an object. Only the run's own principal may answer.
   */
  async function answer(
    tenant: string,
    runId: string,
    principal: Principal,
    reply: string | Record<string, unknown>,
    hooks: EngineHooks = {},
  ): Promise<RunResult> {
    const { record, state, stream } = await reopen(tenant, runId)
    if (record.status !== 'needs_input')
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `Run ${runId} is ${record.status}, not waiting for input`,
        details: { status: record.status },
      })
    if (principal.id !== state.request.principal.id)
      throw new SkillOSError({ code: 'NOT_FOUND', message: `Run ${runId} not found` })
    for (const step of state.steps) {
      if (step.status !== 'needs_input') continue
      const skill =
        deps.loader.get(step.skill.id, step.skill.version) ??
        deps.loader.resolve(step.skill.id).skill
      const filled = answerParameters(
        skill.manifest.input,
        { values: step.params ?? {}, filled: {}, missing: step.missing ?? [], language: 'en' },
        reply,
      )
      step.params = filled.values
      step.missing = filled.missing
      step.status = filled.missing.length > 0 ? 'needs_input' : 'planned'
      if (filled.missing.length > 0)
        stream.emit({ type: 'input.requested', missing: filled.missing })
    }
    if (state.steps.some((s) => s.status === 'needs_input'))
      return finish(record, state, stream, record.version, { status: 'needs_input' })
    // Stored `running` while it executes again, so a cancel stops it (and a second answer conflicts).
    const resumed = await store.save(tenant, runId, {
      expectedVersion: record.version,
      status: 'running',
    })
    return drive(resumed, state, stream, resumed.version, hooks)
  }

  /**
   * Approve or reject a pending approval. The decider must be allowed `approval:decide` by policy,
   * hold one of the skill's approver roles when it names any, and not be the requester (four eyes).
   */
  async function decide(
    tenant: string,
    approvalId: string,
    principal: Principal,
    decision: 'approved' | 'rejected',
    comment?: string,
    hooks: EngineHooks = {},
  ): Promise<RunResult> {
    const approval = await store.getApproval(tenant, approvalId)
    if (!approval)
      throw new SkillOSError({ code: 'NOT_FOUND', message: `Approval ${approvalId} not found` })
    const { record, state, stream } = await reopen(tenant, approval.runId)
    const step = state.steps.find((s) => s.approvalId === approvalId)
    if (!step)
      throw new SkillOSError({ code: 'NOT_FOUND', message: `Approval ${approvalId} not found` })
    const allowed = deps.policy.decide(
      { id: principal.id, tenant, roles: [...principal.roles], attributes: principal.attributes },
      'approval:decide',
      {
        id: step.skill.id,
        tenant,
        risk: approval.risk as RiskLevel,
        sideEffects: approval.sideEffects as SideEffectClass,
      },
      { time: new Date(options.now()).toISOString() },
    )
    stream.emit({
      type: 'policy.decided',
      action: 'approval:decide',
      resource: step.skill.id,
      allowed: allowed.allowed,
      ruleIds: [...(allowed.ruleIds ?? [])],
      obligations: [...allowed.obligations],
      explanation: allowed.explanation,
    })
    const refuse = (message: string) =>
      new SkillOSError({ code: 'POLICY_DENIED', message, details: { approvalId } })
    if (!allowed.allowed) throw refuse(allowed.explanation)
    if (
      approval.approvers.length > 0 &&
      !approval.approvers.some((r) => principal.roles.includes(r))
    )
      throw refuse(`Only ${approval.approvers.join(' or ')} may decide approval ${approvalId}`)
    if (principal.id === approval.requestedBy)
      throw refuse(`${principal.id} requested this run and cannot approve it (four-eyes rule)`)
    try {
      await store.decideApproval(tenant, approvalId, {
        status: decision,
        by: principal.id,
        ...(comment ? { comment } : {}),
        now: new Date(options.now()),
      })
    } catch (error) {
      // Decided before, but the process stopped before the run moved on: the same decision
      // continues the run once; anything else is the conflict it says.
      const stored = SkillOSError.is(error, 'CONFLICT') ? error.details?.status : undefined
      if (stored !== decision || step.status !== 'awaiting_approval') throw error
    }
    stream.emit({
      type: 'approval.decided',
      approvalId,
      decision,
      by: principal.id,
      ...(comment ? { comment } : {}),
    })
    if (decision === 'approved') {
      step.status = 'approved'
      // Stored `running` while it executes again, so a cancel stops it rather than ending it under it.
      const resumed = await store.save(tenant, record.id, {
        expectedVersion: record.version,
        status: 'running',
      })
      return drive(resumed, state, stream, resumed.version, hooks)
    }
    step.status = 'refused'
    step.error = {
      code: 'APPROVAL_REQUIRED',
      message: `Rejected by ${principal.id}${comment ? `: ${comment}` : ''}`,
    }
    return drive(record, state, stream, record.version)
  }

  /** End the runs whose approvals expired (status `refused`, `APPROVAL_REQUIRED`). Returns how many. */
  async function expireApprovals(): Promise<number> {
    const expired = await store.expireApprovals(undefined, new Date(options.now()))
    for (const approval of expired) {
      const { record, state, stream } = await reopen(approval.tenant, approval.runId)
      const step = state.steps.find((s) => s.approvalId === approval.id)
      if (!step || step.status !== 'awaiting_approval') continue
      stream.emit({ type: 'approval.decided', approvalId: approval.id, decision: 'expired' })
      step.status = 'refused'
      step.error = {
        code: 'APPROVAL_REQUIRED',
        message: `Approval ${approval.id} expired before anyone decided`,
      }
      await drive(record, state, stream, record.version)
    }
    return expired.length
  }

  async function get(tenant: string, runId: string): Promise<RunResult | undefined> {
    const record = await store.get(tenant, runId)
    if (!record) return undefined
    return resultOf(record, await store.events(tenant, runId))
  }

  return { run, answer, decide, expireApprovals, get }
}

type ContractError = NonNullable<RunResult['error']>

/** The abort reason a step's `ctx.signal` carries once the step has ended. */
const STEP_ENDED = new SkillOSError({
  code: 'CANCELLED',
  message: 'The step has ended; its work is no longer needed',
})

/** The `CANCELLED` error of a failed run that a cancel stopped (the run's own, or a step's). */
function cancellationOf(
  outcome: { status: RunStatus; error?: ErrorBody },
  state: RunState,
): ErrorBody | undefined {
  if (outcome.status !== 'failed') return undefined
  return [outcome.error, ...state.steps.map((s) => s.error)].find((e) => e?.code === 'CANCELLED')
}

/** What a step stopped by a cancel fails with: the cancel's own error when it gave one. */
function cancelledError(reason: unknown): SkillOSError {
  return SkillOSError.is(reason, 'CANCELLED')
    ? reason
    : new SkillOSError({ code: 'CANCELLED', message: 'The run was cancelled' })
}

/** Error bodies carry contract codes (`errorBody` only produces those). */
function toContractError(error: ErrorBody): ContractError {
  return error as ContractError
}

function redactedOutput(output: unknown): { redacted: true; reason: string; fields: string[] } {
  const fields =
    output && typeof output === 'object' && !Array.isArray(output) ? Object.keys(output) : []
  return { redacted: true, reason: 'withheld by policy (redact_output)', fields }
}

/** Only what a step's skill declares, so a pipeline passes the needed fields and nothing else. */
function onlyDeclared(
  params: Record<string, unknown>,
  skill: LoadedSkill,
): Record<string, unknown> {
  const declared = skill.manifest.input.properties
  if (!declared) return params
  return Object.fromEntries(Object.entries(params).filter(([key]) => key in declared))
}

/** Whether `params` holds a value for every property the skill's input declares. */
function coversEveryField(params: Record<string, unknown>, skill: LoadedSkill): boolean {
  const declared = skill.manifest.input.properties
  if (!declared) return false
  for (const name of Object.keys(declared)) {
    if (params[name] === undefined) return false
  }
  return true
}

/** A skill's own extractor, as fill options. */
function extractOf(skill: LoadedSkill): Pick<FillOptions, 'extract'> {
  const extract = skill.definition?.extract as FillOptions['extract']
  return extract ? { extract } : {}
}

/** The outputs a step may take inputs from: its dependencies, then theirs, nearest first. */
function upstreamOutputs(state: RunState, step: StepState): unknown[] {
  const outputs: unknown[] = []
  const seen = new Set<string>()
  let frontier = [...step.dependsOn]
  while (frontier.length > 0) {
    const next: string[] = []
    for (const id of frontier) {
      if (seen.has(id)) continue
      seen.add(id)
      const earlier = state.steps.find((s) => s.id === id)
      if (earlier?.output !== undefined) outputs.push(earlier.output)
      next.push(...(earlier?.dependsOn ?? []))
    }
    frontier = next
  }
  return outputs
}

function outputOf(state: RunState): unknown {
  const done = state.steps.filter((s) => s.output !== undefined)
  if (done.length === 0) return undefined
  if (state.mode === 'single') return done[0]?.output
  // A composite skill answers with its last step; asks of the request each get their answer.
  if (state.mode === 'pipeline' && (state.steps.length === 1 || state.steps[0]?.partOf))
    return done.at(-1)?.output
  return Object.fromEntries(done.map((s) => [s.skill.id, s.output]))
}

function totalUsage(state: RunState, ms: number): Usage {
  const sum = state.steps.reduce(
    (acc, s) => ({
      input: acc.input + s.usage.inputTokens,
      output: acc.output + s.usage.outputTokens,
      cost: acc.cost + s.usage.costUsd,
    }),
    { input: 0, output: 0, cost: 0 },
  )
  return {
    tokens: { input: sum.input, output: sum.output },
    costUsd: Math.round(sum.cost * 1e6) / 1e6,
    ms: Math.max(0, ms),
  }
}

/** `ctx.log` of a handler: lines go to the system's logger through the listeners, never the trace. */
function stepLogger(log: StepLog | undefined, runId: string, step: string, skill: string) {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, data?: Record<string, unknown>) =>
      log?.(level, message, { runId, step, skill, ...data })
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }
}

/** Where handler log lines go (the system's logger). */
export type StepLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  data: Record<string, unknown>,
) => void

/** A stored run as the API returns it. */
export function resultOf(
  record: RunRecord,
  events: readonly RunEvent[] | readonly StoredEventLike[],
): RunResult {
  const state = record.state as RunState | undefined
  const trace = events.map((e) => toRunEvent(record, e))
  const missing =
    state?.steps.flatMap((s) => (s.status === 'needs_input' ? (s.missing ?? []) : [])) ?? []
  const approvalStep = state?.steps.find((s) => s.status === 'awaiting_approval' && s.approvalId)
  const approvalEvent = approvalStep
    ? trace.find((e) => e.type === 'approval.requested' && e.approvalId === approvalStep.approvalId)
    : undefined
  const first = state?.steps[0]
  return {
    runId: record.id,
    status: record.status,
    skill: record.skillId
      ? { id: record.skillId, version: record.skillVersion ?? first?.skill.version ?? '' }
      : null,
    ...(record.output !== undefined && record.output !== null ? { output: record.output } : {}),
    ...(record.error ? { error: record.error as RunResult['error'] & object } : {}),
    ...(missing.length > 0 ? { missing } : {}),
    ...(approvalEvent && approvalEvent.type === 'approval.requested'
      ? { approval: { id: approvalEvent.approvalId, expiresAt: approvalEvent.expiresAt } }
      : {}),
    usage: record.usage,
    trace,
  }
}

interface StoredEventLike {
  seq: number
  type: string
  at: Date
  data: Record<string, unknown>
}

function toRunEvent(record: RunRecord, event: RunEvent | StoredEventLike): RunEvent {
  if (typeof event.at === 'string') return event as RunEvent
  const stored = event as StoredEventLike
  return {
    ...stored.data,
    type: stored.type,
    runId: record.id,
    tenant: record.tenant,
    seq: stored.seq,
    at: stored.at.toISOString(),
  } as RunEvent
}

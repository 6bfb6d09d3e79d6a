import {
  formatIssues,
  SkillOSError,
  toValidationIssues,
  ValidationError,
  type PolicyContext,
  type Principal,
  type ToolDeclaration,
} from '@skillos/contracts'
import type { Budget } from '@skillos/budget'
import {
  createRateLimiter,
  RateLimitedError,
  type PolicyEngine,
  type RateLimiter,
} from '@skillos/policy'
import { createMemoryKeyValue, type KeyValueStore } from '@skillos/store'
import {
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  noJitterGenerator,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel'
import type { EmitEvent } from '../run/events.js'
import type { ToolImplementation } from './define-tool.js'
import {
  createToolCircuits,
  type CircuitBreakerOptions,
  type CircuitStateName,
  type ToolCircuits,
} from './tool-circuits.js'
import { errorBody, isTransientError, toolCancelledError, toToolError } from './tool-errors.js'

/** Limits that apply when a tool's declaration in `skill.yaml` does not set its own. */
export interface ToolRuntimeDefaults {
  /** Per attempt (default 10 000). */
  timeoutMs?: number
  /** Extra attempts after a retryable failure (default 2). */
  retries?: number
  /**
   * Exponential backoff between attempts: `initialMs` (default 100) doubling up to `maxMs` (default
   * 2 000). With `jitter` (default true) the waits are decorrelated-jittered around that curve.
   */
  backoff?: { initialMs?: number; maxMs?: number; jitter?: boolean }
  breaker?: CircuitBreakerOptions
}

/** What a tool runtime asks of a policy: a `PolicyEngine` or a compiled `Policy` fits. */
export interface ToolPolicy {
  decide(
    principal: { id: string; tenant: string; roles: string[]; attributes: Record<string, unknown> },
    action: 'tool:call',
    resource: { id: string; tenant: string; kind: 'tool'; attributes: Record<string, unknown> },
    context?: PolicyContext,
  ): {
    allowed: boolean
    explanation: string
    obligations?: readonly string[]
    ruleIds?: readonly string[]
  }
  /** When present, its `tool:call` rate limits are enforced too. */
  rateLimitsFor?: PolicyEngine['rateLimitsFor']
}

export interface ToolRuntimeOptions {
  /** Every tool implementation, by the name skills declare it under (`web.search`). */
  tools: Record<string, ToolImplementation>
  /**
   * Decides `tool:call` (resource = the tool name) before every call, denying by default; its rate
   * limits for `tool:call` apply too. Absent: every declared tool may be called.
   */
  policy?: ToolPolicy
  /** Counts the rate limits tools declare (sliding window). Absent: counted in this process. */
  kv?: Pick<KeyValueStore, 'hit'>
  /** Charged each successful call's `costUsd`. Absent: costs are reported in events only. */
  budget?: Pick<Budget, 'charge'>
  defaults?: ToolRuntimeDefaults
  /** Clock for the `ms` of events (default `performance.now`). */
  now?: () => number
}

/** One run's view of the tools: what its skill declared, who asks, and where events go. */
export interface BoundToolsRequest {
  runId: string
  tenant: string
  principal: Principal
  skill: { id: string; version: string }
  /** The skill's `tools` from its manifest; only these are bound. */
  declared: ToolDeclaration[]
  /** The run's signal: aborting it stops the tool calls with `CANCELLED`. */
  signal: AbortSignal
  /** The plan step calling, for events. */
  step?: string
  emit: EmitEvent
  /** Policy context for `tool:call` decisions (ip, time, channel, …). */
  context?: PolicyContext
}

export type BoundTools = Readonly<Record<string, (input: unknown) => Promise<unknown>>>

export interface ToolRuntime {
  /** The declared tools of one run, each wrapped; throws `NOT_FOUND` naming undeclared-but-missing ones. */
  bind(request: BoundToolsRequest): BoundTools
  /** The state of a tool's circuit (shared by all runs); `closed` for a tool not called yet. */
  breakerState(tool: string): CircuitStateName
  /** The names of the registered tools, sorted. */
  readonly names: string[]
}

interface ResolvedSettings {
  timeoutMs: number
  retries: number
  backoffInitialMs: number
  backoffMaxMs: number
  jitter: boolean
}

function costOf(tool: ToolImplementation, name: string, input: unknown, output: unknown) {
  const cost = typeof tool.costUsd === 'function' ? tool.costUsd(input, output) : tool.costUsd
  if (cost !== undefined && !(Number.isFinite(cost) && cost >= 0)) {
    throw new SkillOSError({
      code: 'INTERNAL',
      message: `Tool "${name}" reported a cost of ${String(cost)}; costUsd must be a non-negative number of US dollars`,
      details: { tool: name },
    })
  }
  return cost
}

/**
 * The tool runtime: binds the tools a skill declared to one run, and wraps each call with, in order,
 * the `tool:call` policy, rate limits, input validation, a circuit breaker per tool (shared by every
 * run), retries with exponential backoff for retryable failures, a timeout per attempt, and budget
 * metering. Every attempt is reported as `tool.called` or `tool.failed`, every circuit transition as
 * `circuit.changed` to the run whose call caused it.
 *
 * @example
 * ```ts
 * const runtime = createToolRuntime({
 *   tools: { 'maps.geocode': geocode },
 *   policy: engine,
 *   kv: await openKeyValue(config.redis.url),
 *   budget,
 *   defaults: { timeoutMs: 5_000, retries: 2, breaker: { failureThreshold: 5, halfOpenAfterMs: 30_000 } },
 * })
 * const tools = runtime.bind({
 *   runId, tenant: 'acme', principal: { id: 'ann', roles: ['analyst'], attributes: {} },
 *   skill: { id: 'travel/plan-trip', version: '1.0.0' },
 *   declared: manifest.tools, signal: run.signal, emit,
 * })
 * const place = await tools['maps.geocode']!({ address: 'Nevsky 28, St Petersburg' })
 * ```
 */
export function createToolRuntime(options: ToolRuntimeOptions): ToolRuntime {
  const defaults = options.defaults ?? {}
  const now = options.now ?? (() => performance.now())
  const circuits: ToolCircuits = createToolCircuits(defaults.breaker)
  let fallbackKv: Pick<KeyValueStore, 'hit'> | undefined
  let policyLimiter: RateLimiter | undefined
  const names = Object.keys(options.tools).sort()

  // Rate limits are counted in process when no store is given, as everywhere else in SkillOS.
  const kv = (): Pick<KeyValueStore, 'hit'> =>
    options.kv ?? (fallbackKv ??= createMemoryKeyValue({ prefix: 'tools:' }))

  function settingsFor(declaration: ToolDeclaration): ResolvedSettings {
    return {
      timeoutMs: declaration.timeoutMs ?? defaults.timeoutMs ?? 10_000,
      retries: declaration.retries ?? defaults.retries ?? 2,
      backoffInitialMs: defaults.backoff?.initialMs ?? 100,
      backoffMaxMs: defaults.backoff?.maxMs ?? 2_000,
      jitter: defaults.backoff?.jitter ?? true,
    }
  }

  function authorize(name: string, request: BoundToolsRequest): void {
    if (!options.policy) return
    const decision = options.policy.decide(
      {
        id: request.principal.id,
        tenant: request.tenant,
        roles: request.principal.roles,
        attributes: request.principal.attributes,
      },
      'tool:call',
      { id: name, tenant: request.tenant, kind: 'tool', attributes: { skill: request.skill.id } },
      request.context,
    )
    if (decision.allowed) return
    const ruleIds = [...(decision.ruleIds ?? [])]
    request.emit({
      type: 'policy.decided',
      action: 'tool:call',
      resource: name,
      allowed: false,
      ruleIds,
      obligations: [],
      explanation: decision.explanation,
    })
    throw new SkillOSError({
      code: 'POLICY_DENIED',
      message: decision.explanation,
      details: { action: 'tool:call', resource: name, ruleIds },
    })
  }

  async function enforceRateLimits(
    name: string,
    declaration: ToolDeclaration,
    request: BoundToolsRequest,
  ): Promise<void> {
    const rateLimitsFor = options.policy?.rateLimitsFor?.bind(options.policy)
    if (rateLimitsFor) {
      policyLimiter ??= createRateLimiter({ kv: kv(), policy: { rateLimitsFor } })
      await policyLimiter.enforce({
        tenant: request.tenant,
        principal: request.principal.id,
        action: 'tool:call',
        // Only the tool: a limit's `resources` then match tool names, as `decide` does for tool:call.
        tool: name,
      })
    }
    const declared = declaration.rateLimit
    if (!declared) return
    // Per tenant and skill: the declaration is the skill's, and tenants never share a counter.
    const hit = await kv().hit(`tool-rate:${request.tenant}:${request.skill.id}:${name}`, {
      limit: declared.limit,
      windowMs: declared.windowMs,
    })
    if (!hit.allowed) {
      throw new RateLimitedError({
        limitId: `${request.skill.id}#${name}`,
        per: 'tool',
        subject: name,
        limit: declared.limit,
        windowMs: declared.windowMs,
        retryAfterMs: hit.retryAfterMs,
      })
    }
  }

  function validateInput(name: string, tool: ToolImplementation, input: unknown): unknown {
    if (!tool.input) return input
    const result = tool.input.safeParse(input)
    if (result.success) return result.data
    const issues = toValidationIssues(result.error, 'input')
    throw new ValidationError(`Invalid input for tool "${name}": ${formatIssues(issues)}`, issues, {
      details: { tool: name },
    })
  }

  function untilCancelled<T>(work: Promise<T>, signal: AbortSignal, name: string): Promise<T> {
    // The backoff wait between attempts does not watch the run's signal: stop waiting for it here.
    let onAbort: (() => void) | undefined
    const cancelled = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(toolCancelledError(name))
      signal.addEventListener('abort', onAbort, { once: true })
    })
    return Promise.race([work, cancelled]).finally(() => {
      if (onAbort) signal.removeEventListener('abort', onAbort)
    })
  }

  async function callTool(
    name: string,
    tool: ToolImplementation,
    declaration: ToolDeclaration,
    request: BoundToolsRequest,
    rawInput: unknown,
  ): Promise<unknown> {
    const { emit, signal } = request
    const where = request.step === undefined ? { tool: name } : { tool: name, step: request.step }
    if (signal.aborted) throw toolCancelledError(name)
    authorize(name, request)

    const refused = (error: unknown, attempt: number, ms: number) => {
      emit({
        type: 'tool.failed',
        ...where,
        attempt,
        ms,
        error: errorBody(error),
        willRetry: false,
      })
      return error
    }
    let input: unknown
    try {
      await enforceRateLimits(name, declaration, request)
      input = validateInput(name, tool, rawInput)
    } catch (error) {
      throw refused(error, 1, 0)
    }

    const settings = settingsFor(declaration)
    const isRetryable = tool.retryable ?? ((error: unknown) => isTransientError(error))
    const retrying = new WeakSet<Error>()
    const attemptTimeout = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive)
    const curve = { initialDelay: settings.backoffInitialMs, maxDelay: settings.backoffMaxMs }
    const retries = retry(
      handleWhen((error) => retrying.has(error)),
      {
        maxAttempts: settings.retries,
        backoff: settings.jitter
          ? new ExponentialBackoff({ ...curve, generator: decorrelatedJitterGenerator })
          : new ExponentialBackoff({ ...curve, generator: noJitterGenerator }),
      },
    )
    // The breaker sees a call once, after its retries: N failed calls open it, not N attempts.
    const guarded = wrap(circuits.breakerFor(name), retries)

    let attempt = 0
    let attemptStarted = now()
    const elapsed = () => Math.max(0, now() - attemptStarted)
    const runAttempt = async (): Promise<unknown> => {
      attempt += 1
      if (signal.aborted) throw toolCancelledError(name)
      attemptStarted = now()
      try {
        return await attemptTimeout.execute(
          (context) =>
            tool.handler(input, {
              signal: context.signal,
              tenant: request.tenant,
              runId: request.runId,
              principal: request.principal.id,
            }),
          signal,
        )
      } catch (raw) {
        const error = toToolError(raw, {
          tool: name,
          timeoutMs: settings.timeoutMs,
          cancelled: signal.aborted,
        })
        // A cancelled run has ended: it gets no more events.
        if (error.code === 'CANCELLED') throw error
        const willRetry =
          attempt <= settings.retries && isRetryable(error.code === 'TIMEOUT' ? error : raw)
        if (willRetry) retrying.add(error)
        emit({
          type: 'tool.failed',
          ...where,
          attempt,
          ms: elapsed(),
          error: errorBody(error),
          willRetry,
        })
        throw error
      }
    }

    let output: unknown
    try {
      const observer = (tool: string, state: CircuitStateName) =>
        emit({ type: 'circuit.changed', tool, state })
      const work = circuits.observe(observer, () => guarded.execute(runAttempt, signal))
      output = await untilCancelled(work, signal, name)
    } catch (error) {
      if (!isBrokenCircuitError(error)) throw error
      const open = new SkillOSError({
        code: 'CIRCUIT_OPEN',
        message: `Tool "${name}" is failing and its circuit is open: calls fail fast until a probe call is let through (${circuits.halfOpenAfterMs} ms after opening)`,
        details: { tool: name, halfOpenAfterMs: circuits.halfOpenAfterMs },
      })
      throw refused(open, 1, 0)
    }

    const ms = elapsed()
    let costUsd: number | undefined
    try {
      costUsd = costOf(tool, name, input, output)
      if (costUsd !== undefined && costUsd > 0 && options.budget) {
        await options.budget.charge({
          tenant: request.tenant,
          user: request.principal.id,
          skill: request.skill.id,
          runId: request.runId,
          costUsd,
          tool: name,
        })
      }
    } catch (error) {
      throw refused(error, attempt, ms)
    }
    emit({
      type: 'tool.called',
      ...where,
      attempt,
      ms,
      ...(costUsd === undefined ? {} : { costUsd }),
    })
    return output
  }

  return {
    names,
    breakerState: (tool) => circuits.state(tool),
    bind(request) {
      const missing = request.declared
        .map((declaration) => declaration.name)
        .filter((name) => !Object.hasOwn(options.tools, name))
      if (missing.length > 0) {
        const list = missing.map((name) => `"${name}"`).join(', ')
        throw new SkillOSError({
          code: 'NOT_FOUND',
          message: `Skill ${request.skill.id}@${request.skill.version} declares ${missing.length === 1 ? 'tool' : 'tools'} ${list} with no implementation; registered tools: ${names.join(', ') || '(none)'}. Register ${missing.length === 1 ? 'it' : 'them'} in createToolRuntime({ tools }).`,
          details: { skill: request.skill.id, missing, registered: names },
        })
      }
      // Only declared names exist on the object: an undeclared tool cannot be reached through it.
      const bound: Record<string, (input: unknown) => Promise<unknown>> = Object.create(null)
      for (const declaration of request.declared) {
        const name = declaration.name
        const tool = options.tools[name]
        if (!tool) continue
        bound[name] = (input) => callTool(name, tool, declaration, request, input)
      }
      return Object.freeze(bound)
    },
  }
}

import type { RunEvent, RunEventOf } from '@skillos/contracts'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { RunEventListener } from '../run/stream.js'

/** Seconds, from 1 ms to 60 s. */
const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]

/** `skillos_circuit_state`: closed 0, half-open 0.5, open 1. */
const CIRCUIT_STATE_VALUE = { closed: 0, 'half-open': 0.5, open: 1 } as const

/** The skill label of a run that never routed (no match, refused before routing). */
const NO_SKILL = 'none'

/** Errors raised before the tool itself ran: the call was refused, not attempted. */
const REFUSED_CODES: ReadonlySet<string> = new Set([
  'CIRCUIT_OPEN',
  'RATE_LIMITED',
  'VALIDATION_FAILED',
  'POLICY_DENIED',
  'PERMISSION_DENIED',
])

export interface RunMetricsOptions {
  /** Where the metrics are registered; a new `Registry` by default (never the global one). */
  registry?: Registry
  /** Prefix of every metric name. Default `'skillos_'`. */
  prefix?: string
  /**
   * Add a `tenant` label to `runs_total` and `budget_spend_usd_total`. Off by default: every tenant
   * multiplies those series by the number of skills × statuses.
   */
  tenantLabel?: boolean
  /** Runs whose skill is remembered between `skill.routed` and `run.completed`. Default 10 000. */
  maxTrackedRuns?: number
}

export interface RunMetrics {
  /** Subscribe with `os.on(listener)`. */
  listener: RunEventListener
  registry: Registry
  /** The registry in the Prometheus text format (serve it at `/metrics` with `registry.contentType`). */
  metrics(): Promise<string>
}

type ToolEvent = RunEventOf<'tool.called'> | RunEventOf<'tool.failed'>

/** `ok`; a failed attempt that will be retried; a final failure; a call refused before it ran. */
function toolOutcome(event: ToolEvent): 'ok' | 'retry' | 'error' | 'refused' {
  if (event.type === 'tool.called') return 'ok'
  if (event.willRetry) return 'retry'
  return REFUSED_CODES.has(event.error.code) ? 'refused' : 'error'
}

/**
 * Prometheus metrics of runs, fed by the event stream:
 *
 * | metric | type | labels |
 * | --- | --- | --- |
 * | `skillos_runs_total` | counter | `status`, `skill` (`none` if never routed), `tenant`¹ |
 * | `skillos_run_duration_seconds` | histogram | `status` |
 * | `skillos_step_duration_seconds` | histogram | `skill`, `ok` |
 * | `skillos_tool_calls_total` | counter | `tool`, `outcome` (`ok`, `retry`, `error`, `refused`) |
 * | `skillos_tool_duration_seconds` | histogram | `tool` (attempts that ran; refusals excluded) |
 * | `skillos_budget_spend_usd_total` | counter | `skill`, `tenant`¹ |
 * | `skillos_circuit_state` | gauge | `tool` (0 closed, 0.5 half-open, 1 open) |
 * | `skillos_approvals_total` | counter | `decision` |
 * | `skillos_policy_denials_total` | counter | `action` |
 * | `skillos_no_match_total` | counter | — |
 *
 * ¹ only with `tenantLabel: true`.
 *
 * Runs are counted once, at `run.completed` or `run.cancelled` (emitted only for terminal
 * statuses, so a run paused for input or approval counts when it ends). Its duration is `usage.ms`: wall time since the run
 * was created, waits for people included. Spend comes only from `run.completed`'s `usage.costUsd`,
 * which already includes every `tool.called` `costUsd` and model call of the run; adding those too
 * would count them twice. A run's skill is the first one routed (or, for a resumed run whose
 * routing happened in another process, the first step's), kept per run id until `run.completed`
 * and in at most `maxTrackedRuns` entries, oldest dropped first.
 *
 * @example
 * ```ts
 * const metrics = createRunMetrics({ tenantLabel: false })
 * os.on(metrics.listener)
 * app.get('/metrics', async (c) =>
 *   c.text(await metrics.metrics(), 200, { 'content-type': metrics.registry.contentType }),
 * )
 * // skillos_runs_total{status="succeeded",skill="finance/convert-currency"} 42
 * ```
 */
export function createRunMetrics(options: RunMetricsOptions = {}): RunMetrics {
  const registry = options.registry ?? new Registry()
  const prefix = options.prefix ?? 'skillos_'
  const withTenant = options.tenantLabel ?? false
  const maxTrackedRuns = Math.max(1, options.maxTrackedRuns ?? 10_000)
  const registers = [registry]
  const runLabels = withTenant ? (['tenant'] as const) : []

  const runs = new Counter({
    name: `${prefix}runs_total`,
    help: 'Runs that reached a terminal status, by status and skill.',
    labelNames: ['status', 'skill', ...runLabels],
    registers,
  })
  const runDuration = new Histogram({
    name: `${prefix}run_duration_seconds`,
    help: 'Wall time of a run from creation to its terminal status, waits for input and approval included.',
    labelNames: ['status'],
    buckets: DURATION_BUCKETS,
    registers,
  })
  const stepDuration = new Histogram({
    name: `${prefix}step_duration_seconds`,
    help: 'Time one step of a run took, by skill and whether it succeeded.',
    labelNames: ['skill', 'ok'],
    buckets: DURATION_BUCKETS,
    registers,
  })
  const toolCalls = new Counter({
    name: `${prefix}tool_calls_total`,
    help: 'Tool call attempts by outcome: ok, retry (failed, will be retried), error (failed for good), refused (never ran: circuit open, rate limit, invalid input, policy).',
    labelNames: ['tool', 'outcome'],
    registers,
  })
  const toolDuration = new Histogram({
    name: `${prefix}tool_duration_seconds`,
    help: 'Time of each tool call attempt that ran, successful or not.',
    labelNames: ['tool'],
    buckets: DURATION_BUCKETS,
    registers,
  })
  const spend = new Counter({
    name: `${prefix}budget_spend_usd_total`,
    help: 'Money spent by finished runs (models and tools), in US dollars.',
    labelNames: ['skill', ...runLabels],
    registers,
  })
  const circuitState = new Gauge({
    name: `${prefix}circuit_state`,
    help: 'Circuit breaker state of a tool: 0 closed, 0.5 half-open, 1 open.',
    labelNames: ['tool'],
    registers,
  })
  const approvals = new Counter({
    name: `${prefix}approvals_total`,
    help: 'Approval decisions: approved, rejected, expired.',
    labelNames: ['decision'],
    registers,
  })
  const policyDenials = new Counter({
    name: `${prefix}policy_denials_total`,
    help: 'Policy decisions that denied an action.',
    labelNames: ['action'],
    registers,
  })
  const noMatch = new Counter({
    name: `${prefix}no_match_total`,
    help: 'Requests no skill matched well enough to run.',
    registers,
  })

  const skillOfRun = new Map<string, string>()
  const rememberSkill = (runId: string, skill: string) => {
    if (skillOfRun.has(runId)) return
    if (skillOfRun.size >= maxTrackedRuns) {
      const oldest = skillOfRun.keys().next()
      if (!oldest.done) skillOfRun.delete(oldest.value)
    }
    skillOfRun.set(runId, skill)
  }

  const onToolEvent = (event: ToolEvent) => {
    const outcome = toolOutcome(event)
    toolCalls.inc({ tool: event.tool, outcome })
    if (outcome !== 'refused') toolDuration.observe({ tool: event.tool }, event.ms / 1000)
  }

  const onRunEnded = (
    event: RunEventOf<'run.completed'> | RunEventOf<'run.cancelled'>,
    status: string,
  ) => {
    const skill = skillOfRun.get(event.runId) ?? NO_SKILL
    skillOfRun.delete(event.runId)
    const tenant = withTenant ? { tenant: event.tenant } : {}
    runs.inc({ status, skill, ...tenant })
    runDuration.observe({ status }, event.usage.ms / 1000)
    spend.inc({ skill, ...tenant }, event.usage.costUsd)
  }

  const listener: RunEventListener = (event: RunEvent) => {
    switch (event.type) {
      case 'skill.routed':
        rememberSkill(event.runId, event.skill)
        break
      case 'step.started':
        rememberSkill(event.runId, event.skill)
        break
      case 'skill.no_match':
        noMatch.inc()
        break
      case 'step.completed':
        stepDuration.observe({ skill: event.skill, ok: String(event.ok) }, event.ms / 1000)
        break
      case 'tool.called':
      case 'tool.failed':
        onToolEvent(event)
        break
      case 'circuit.changed':
        circuitState.set({ tool: event.tool }, CIRCUIT_STATE_VALUE[event.state])
        break
      case 'approval.decided':
        approvals.inc({ decision: event.decision })
        break
      case 'policy.decided':
        if (!event.allowed) policyDenials.inc({ action: event.action })
        break
      case 'run.completed':
        onRunEnded(event, event.status)
        break
      case 'run.cancelled':
        onRunEnded(event, 'cancelled')
        break
      default:
        break
    }
  }

  return { listener, registry, metrics: () => registry.metrics() }
}

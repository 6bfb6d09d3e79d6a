import type { Principal, RunMode, RunRequest, RunStatus } from '@skillos/contracts'
import type { Analysis } from './analyze.js'

export interface ErrorBody {
  code: string
  message: string
  details?: Record<string, unknown>
}

export type StepStatus =
  | 'planned'
  | 'needs_input'
  | 'awaiting_approval'
  | 'approved'
  | 'succeeded'
  | 'failed'
  | 'refused'
  | 'skipped'

/** One skill call of a run's plan. */
export interface StepState {
  id: string
  /** The part of the request this step answers. */
  text: string
  skill: { id: string; version: string }
  confidence?: number
  /** Steps whose output this one needs (pipeline). */
  dependsOn: string[]
  status: StepStatus
  /** Fixed values a composite skill gives this step. */
  preset?: Record<string, unknown>
  /** The composite skill this step belongs to. */
  partOf?: { id: string; version: string }
  /** Parameters as filled (caller's, extracted, answered, passed from the previous step). */
  params?: Record<string, unknown>
  missing?: { field: string; question: string }[]
  approvalId?: string
  output?: unknown
  error?: ErrorBody
  usage: { costUsd: number; inputTokens: number; outputTokens: number; ms: number }
}

/**
 * Everything needed to continue a run later (an answer, an approval): stored with the run — its
 * `request` in the run's `input` column, the rest in `state` (see `storedState` and `stateOf`).
 */
export interface RunState {
  v: 1
  request: {
    input: string
    params?: Record<string, unknown>
    skill?: string
    mode?: RunMode
    dryRun: boolean
    context: Record<string, unknown>
    principal: Principal
  }
  mode: RunMode
  analysis?: Analysis
  steps: StepState[]
}

/** The run's status from its steps: a failure wins, then a refusal, then what waits for a person. */
export function statusOfSteps(steps: readonly StepState[]): RunStatus {
  if (steps.some((s) => s.status === 'failed')) return 'failed'
  if (steps.some((s) => s.status === 'refused')) return 'refused'
  if (steps.some((s) => s.status === 'needs_input')) return 'needs_input'
  if (steps.some((s) => s.status === 'awaiting_approval')) return 'awaiting_approval'
  if (steps.every((s) => s.status === 'succeeded' || s.status === 'skipped')) return 'succeeded'
  return 'running'
}

export const emptyUsage = () => ({ costUsd: 0, inputTokens: 0, outputTokens: 0, ms: 0 })

/** A new run's state: the request as it will be continued later, nothing planned yet. */
export function initialState(request: RunRequest): RunState {
  return {
    v: 1,
    request: {
      input: request.input,
      ...(request.params ? { params: request.params } : {}),
      ...(request.skill ? { skill: request.skill } : {}),
      ...(request.mode ? { mode: request.mode } : {}),
      dryRun: request.dryRun,
      context: request.context,
      principal: request.principal,
    },
    mode: request.mode ?? 'single',
    steps: [],
  }
}

/** What `store.begin` needs to record a new run of this request. */
export function beginInput(
  request: RunRequest,
  state: RunState,
  /** What the idempotency key is checked against; only a keyed request needs one. */
  hash: string | undefined,
  idempotencyTtlMs: number,
) {
  return {
    principalId: request.principal.id,
    input: state.request,
    ...(hash ? { requestHash: hash } : {}),
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    idempotencyTtlMs,
    ...(request.mode ? { mode: request.mode } : {}),
  }
}

/** The run's state as its `state` column keeps it: without the request, which `input` holds. */
export function storedState(state: RunState): Omit<RunState, 'request'> {
  return {
    v: state.v,
    mode: state.mode,
    ...(state.analysis ? { analysis: state.analysis } : {}),
    steps: state.steps,
  }
}

/**
 * A stored run's state to continue it: its `state` column with the request from `input` (runs
 * stored by earlier versions keep the request in `state` too); undefined when there is none to continue.
 */
export function stateOf(record: { state?: unknown; input?: unknown }): RunState | undefined {
  const stored = record.state as (Omit<RunState, 'request'> & { request?: unknown }) | undefined
  if (!stored || typeof stored !== 'object' || stored.v !== 1) return undefined
  const request = stored.request ?? record.input
  if (!request || typeof request !== 'object') return undefined
  return { ...stored, request: request as RunState['request'] }
}

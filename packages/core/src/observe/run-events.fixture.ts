import { runEventSchema, type RunEvent } from '@skillos/contracts'
import type { RunEventInput } from '../run/events.js'

const STARTED_AT = Date.parse('2025-06-02T09:00:00.000Z')

/**
 * A run's events as its stream would emit them (numbered, stamped 10 ms apart), each checked
 * against the contract so the tests cannot drift from what the orchestrator sends.
 */
export function runEvents(
  runId: string,
  inputs: readonly RunEventInput[],
  options: { tenant?: string; firstSeq?: number } = {},
): RunEvent[] {
  const firstSeq = options.firstSeq ?? 0
  return inputs.map((input, i) => {
    const elapsedMs = (firstSeq + i) * 10
    return runEventSchema.parse({
      ...input,
      runId,
      tenant: options.tenant ?? 'acme',
      seq: firstSeq + i,
      at: new Date(STARTED_AT + elapsedMs).toISOString(),
      elapsedMs,
    })
  })
}

export const CONVERT = 'finance/convert-currency'

/** A run that converts currency: one retried tool call, then success. Spend: $0.0042. */
export const succeededRun: readonly RunEventInput[] = [
  { type: 'run.started', principal: 'ann', dryRun: false },
  {
    type: 'skill.routed',
    skill: CONVERT,
    version: '1.2.0',
    confidence: 0.91,
    candidates: [{ id: CONVERT, score: 0.91, confidence: 0.91 }],
  },
  { type: 'run.analyzed', complexity: 0.2, risk: 0.1, factors: ['single-intent'] },
  { type: 'run.planned', mode: 'single', steps: [{ id: 's1', skill: CONVERT, dependsOn: [] }] },
  {
    type: 'policy.decided',
    action: 'skill:run',
    resource: CONVERT,
    allowed: true,
    ruleIds: ['analysts-run-finance'],
    obligations: [],
    explanation: 'allowed by analysts-run-finance',
  },
  {
    type: 'budget.reserved',
    reservationId: 'res_1',
    costUsd: 0.01,
    tokens: 2000,
    scopes: ['tenant:acme'],
  },
  { type: 'step.started', step: 's1', skill: CONVERT },
  {
    type: 'tool.failed',
    step: 's1',
    tool: 'fx.rates',
    attempt: 1,
    ms: 120,
    error: { code: 'UPSTREAM_FAILED', message: 'fx.rates answered 503' },
    willRetry: true,
  },
  { type: 'tool.called', step: 's1', tool: 'fx.rates', attempt: 2, ms: 80, costUsd: 0.002 },
  { type: 'step.completed', step: 's1', skill: CONVERT, ms: 650, ok: true },
  {
    type: 'budget.committed',
    reservationId: 'res_1',
    costUsd: 0.0042,
    tokens: 402,
    releasedUsd: 0.0058,
  },
  {
    type: 'run.completed',
    status: 'succeeded',
    usage: { tokens: { input: 310, output: 92 }, costUsd: 0.0042, ms: 840 },
  },
]

/** A request nothing matches: refused before routing. */
export const noMatchRun: readonly RunEventInput[] = [
  { type: 'run.started', principal: 'ann', dryRun: false },
  { type: 'skill.no_match', candidates: [{ id: 'travel/plan-trip', score: 0.12 }] },
  {
    type: 'run.completed',
    status: 'refused',
    usage: { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 15 },
    error: { code: 'NO_MATCH', message: 'No skill matches this request well enough to run it' },
  },
]

import type { RunEvent } from '@skillos/contracts'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import type { RunEventInput } from '../run/events.js'
import { createRunMetrics, type RunMetricsOptions } from './metrics.js'
import { CONVERT, noMatchRun, runEvents, succeededRun } from './run-events.fixture.js'

/** The value of one series in the text format, e.g. `skillos_runs_total{status="failed",skill="x"}`. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** The sum of every series of one metric: what a query without label filters would see. */
function totalOf(text: string, metric: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)
}

function feed(options: RunMetricsOptions = {}) {
  const metrics = createRunMetrics(options)
  return {
    ...metrics,
    run(runId: string, inputs: readonly RunEventInput[], tenant?: string) {
      for (const event of runEvents(runId, inputs, tenant ? { tenant } : {}))
        metrics.listener(event)
    },
    send(events: RunEvent[]) {
      for (const event of events) metrics.listener(event)
    },
  }
}

const completed = (
  status: 'succeeded' | 'failed' | 'refused' | 'cancelled',
  costUsd = 0,
): RunEventInput => ({
  type: 'run.completed',
  status,
  usage: { tokens: { input: 10, output: 5 }, costUsd, ms: 200 },
})

const routed = (skill: string): RunEventInput => ({
  type: 'skill.routed',
  skill,
  version: '1.0.0',
  confidence: 0.8,
  candidates: [],
})

describe('createRunMetrics', () => {
  it('counts a finished run by status and skill and records its duration', async () => {
    const m = feed()
    m.run('run_1', succeededRun)
    const text = await m.metrics()

    expect(valueOf(text, `skillos_runs_total{status="succeeded",skill="${CONVERT}"}`)).toBe(1)
    expect(valueOf(text, 'skillos_run_duration_seconds_count{status="succeeded"}')).toBe(1)
    expect(valueOf(text, 'skillos_run_duration_seconds_sum{status="succeeded"}')).toBe(0.84)
    expect(valueOf(text, 'skillos_run_duration_seconds_bucket{le="0.5",status="succeeded"}')).toBe(
      0,
    )
    expect(valueOf(text, 'skillos_run_duration_seconds_bucket{le="1",status="succeeded"}')).toBe(1)
  })

  it('uses buckets from 1 ms to 60 s', async () => {
    const m = feed()
    m.run('run_1', succeededRun)
    const text = await m.metrics()
    const bounds = text
      .split('\n')
      .filter((l) => l.startsWith('skillos_run_duration_seconds_bucket{'))
      .map((l) => /le="([^"]+)"/.exec(l)?.[1])

    expect(bounds[0]).toBe('0.001')
    expect(bounds.at(-2)).toBe('60')
    expect(bounds.at(-1)).toBe('+Inf')
  })

  it('records steps by skill and outcome, tool attempts by outcome and their latency', async () => {
    const m = feed()
    m.run('run_1', succeededRun)
    const text = await m.metrics()

    expect(valueOf(text, `skillos_step_duration_seconds_sum{skill="${CONVERT}",ok="true"}`)).toBe(
      0.65,
    )
    expect(valueOf(text, 'skillos_tool_calls_total{tool="fx.rates",outcome="retry"}')).toBe(1)
    expect(valueOf(text, 'skillos_tool_calls_total{tool="fx.rates",outcome="ok"}')).toBe(1)
    expect(valueOf(text, 'skillos_tool_duration_seconds_count{tool="fx.rates"}')).toBe(2)
    expect(valueOf(text, 'skillos_tool_duration_seconds_sum{tool="fx.rates"}')).toBe(0.2)
  })

  it("counts a run's spend once, from run.completed, not again from its tool calls", async () => {
    const m = feed()
    // The tool call inside costs $0.002; the run's usage ($0.0042) already includes it.
    m.run('run_1', succeededRun)
    m.run('run_2', succeededRun)
    const text = await m.metrics()

    expect(valueOf(text, `skillos_budget_spend_usd_total{skill="${CONVERT}"}`)).toBeCloseTo(
      0.0084,
      10,
    )
    expect(totalOf(text, 'skillos_budget_spend_usd_total')).toBeCloseTo(0.0084, 10)
  })

  it('counts a request nothing matched, under the skill "none"', async () => {
    const m = feed()
    m.run('run_3', noMatchRun)
    const text = await m.metrics()

    expect(valueOf(text, 'skillos_no_match_total')).toBe(1)
    expect(valueOf(text, 'skillos_runs_total{status="refused",skill="none"}')).toBe(1)
  })

  it('follows the breaker of each tool: 1 open, 0.5 half-open, 0 closed', async () => {
    const m = feed()
    const states: (number | undefined)[] = []
    const [opened, probing, closed] = runEvents('run_5', [
      { type: 'circuit.changed', tool: 'fx.rates', state: 'open' },
      { type: 'circuit.changed', tool: 'fx.rates', state: 'half-open' },
      { type: 'circuit.changed', tool: 'fx.rates', state: 'closed' },
    ])
    for (const event of [opened, probing, closed]) {
      m.listener(event as RunEvent)
      states.push(valueOf(await m.metrics(), 'skillos_circuit_state{tool="fx.rates"}'))
    }
    m.run('run_6', [{ type: 'circuit.changed', tool: 'mail.send', state: 'open' }])
    const text = await m.metrics()

    expect(states).toEqual([1, 0.5, 0])
    expect(valueOf(text, 'skillos_circuit_state{tool="mail.send"}')).toBe(1)
  })

  it('counts calls refused before they ran apart, without a latency sample', async () => {
    const m = feed()
    m.run('run_7', [
      {
        type: 'tool.failed',
        tool: 'fx.rates',
        attempt: 1,
        ms: 900,
        error: { code: 'TIMEOUT', message: 'fx.rates took longer than 900 ms' },
        willRetry: false,
      },
      {
        type: 'tool.failed',
        tool: 'fx.rates',
        attempt: 1,
        ms: 0,
        error: { code: 'CIRCUIT_OPEN', message: 'Tool "fx.rates" is failing' },
        willRetry: false,
      },
    ])
    const text = await m.metrics()

    expect(valueOf(text, 'skillos_tool_calls_total{tool="fx.rates",outcome="error"}')).toBe(1)
    expect(valueOf(text, 'skillos_tool_calls_total{tool="fx.rates",outcome="refused"}')).toBe(1)
    expect(valueOf(text, 'skillos_tool_duration_seconds_count{tool="fx.rates"}')).toBe(1)
  })

  it('counts approval decisions and policy denials, not policy allowances', async () => {
    const m = feed()
    const decided = (allowed: boolean, action: string): RunEventInput => ({
      type: 'policy.decided',
      action,
      resource: CONVERT,
      allowed,
      ruleIds: [],
      obligations: [],
      explanation: allowed ? 'allowed' : 'denied',
    })
    m.run('run_8', [
      decided(true, 'skill:run'),
      decided(false, 'tool:call'),
      decided(false, 'tool:call'),
      { type: 'approval.decided', approvalId: 'ap_1', decision: 'approved', by: 'bob' },
      { type: 'approval.decided', approvalId: 'ap_2', decision: 'expired' },
    ])
    const text = await m.metrics()

    expect(valueOf(text, 'skillos_policy_denials_total{action="tool:call"}')).toBe(2)
    expect(valueOf(text, 'skillos_policy_denials_total{action="skill:run"}')).toBeUndefined()
    expect(valueOf(text, 'skillos_approvals_total{decision="approved"}')).toBe(1)
    expect(valueOf(text, 'skillos_approvals_total{decision="expired"}')).toBe(1)
  })

  it('leaves the tenant out of labels unless asked', async () => {
    const without = feed()
    without.run('run_1', succeededRun, 'acme')
    const withTenant = feed({ tenantLabel: true })
    withTenant.run('run_1', succeededRun, 'acme')
    withTenant.run('run_2', succeededRun, 'globex')
    const text = await withTenant.metrics()

    expect(await without.metrics()).not.toContain('tenant=')
    expect(
      valueOf(text, `skillos_runs_total{status="succeeded",skill="${CONVERT}",tenant="globex"}`),
    ).toBe(1)
    expect(valueOf(text, `skillos_budget_spend_usd_total{skill="${CONVERT}",tenant="acme"}`)).toBe(
      0.0042,
    )
  })

  it('labels a run with its first routed skill, even when several steps follow', async () => {
    const m = feed()
    m.run('run_9', [
      routed('travel/plan-trip'),
      routed('finance/convert-currency'),
      { type: 'step.started', step: 's2', skill: 'finance/convert-currency' },
      completed('succeeded'),
    ])

    expect(
      valueOf(await m.metrics(), 'skillos_runs_total{status="succeeded",skill="travel/plan-trip"}'),
    ).toBe(1)
  })

  it('labels a run resumed without its routing events with the skill of its first step', async () => {
    const m = feed()
    m.send(
      runEvents(
        'run_10',
        [
          { type: 'approval.decided', approvalId: 'ap_3', decision: 'approved', by: 'bob' },
          { type: 'step.started', step: 's1', skill: 'mail/send-invoice' },
          completed('succeeded', 0.01),
        ],
        { firstSeq: 14 },
      ),
    )
    const text = await m.metrics()

    expect(valueOf(text, 'skillos_runs_total{status="succeeded",skill="mail/send-invoice"}')).toBe(
      1,
    )
    expect(valueOf(text, 'skillos_budget_spend_usd_total{skill="mail/send-invoice"}')).toBe(0.01)
  })

  it('forgets a run once it completes', async () => {
    const m = feed()
    m.run('run_11', [routed(CONVERT), completed('succeeded')])
    // A second completion of the same id (never sent by the engine) finds no skill left.
    m.run('run_11', [completed('cancelled')])

    expect(valueOf(await m.metrics(), 'skillos_runs_total{status="cancelled",skill="none"}')).toBe(
      1,
    )
  })

  it('counts a cancelled run once, from run.cancelled, with what it spent', async () => {
    const m = feed()
    m.run('run_12', [
      routed(CONVERT),
      {
        type: 'run.cancelled',
        by: 'ann',
        from: 'running',
        usage: { tokens: { input: 3, output: 1 }, costUsd: 0.02, ms: 1500 },
      },
    ])
    const text = await m.metrics()

    expect(valueOf(text, `skillos_runs_total{status="cancelled",skill="${CONVERT}"}`)).toBe(1)
    expect(totalOf(text, 'skillos_runs_total')).toBe(1)
    expect(valueOf(text, 'skillos_run_duration_seconds_count{status="cancelled"}')).toBe(1)
    expect(valueOf(text, `skillos_budget_spend_usd_total{skill="${CONVERT}"}`)).toBe(0.02)
  })

  it('remembers at most maxTrackedRuns skills, dropping the oldest', async () => {
    const m = feed({ maxTrackedRuns: 2 })
    m.run('a', [routed('skill/one')])
    m.run('b', [routed('skill/two')])
    m.run('c', [routed('skill/three')])
    m.run('a', [completed('failed')])
    m.run('c', [completed('succeeded')])
    const text = await m.metrics()

    expect(valueOf(text, 'skillos_runs_total{status="failed",skill="none"}')).toBe(1)
    expect(valueOf(text, 'skillos_runs_total{status="succeeded",skill="skill/three"}')).toBe(1)
  })

  it('registers in the given registry under the given prefix', async () => {
    const registry = new Registry()
    const m = createRunMetrics({ registry, prefix: 'acme_' })
    for (const event of runEvents('run_1', succeededRun)) m.listener(event)

    expect(m.registry).toBe(registry)
    expect(
      valueOf(await registry.metrics(), `acme_runs_total{status="succeeded",skill="${CONVERT}"}`),
    ).toBe(1)
    expect(await m.metrics()).not.toContain('skillos_')
  })

  it('refuses to register the same metrics twice in one registry', () => {
    const registry = new Registry()
    createRunMetrics({ registry })

    expect(() => createRunMetrics({ registry })).toThrow(/skillos_runs_total/)
  })
})

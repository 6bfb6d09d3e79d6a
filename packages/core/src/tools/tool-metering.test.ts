import type { Budget } from '@skillos/budget'
import { runEventSchema, SkillOSError } from '@skillos/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestBudget } from '../budget.test-data.js'
import type { RunEventInput } from '../run/events.js'
import { defineTool } from './define-tool.js'
import { createToolRuntime } from './tool-runtime.js'

let budget: Budget
let closeBudget: () => Promise<void>

beforeAll(async () => {
  ;({ budget, close: closeBudget } = await openTestBudget({
    limits: [{ id: 'run-cap', scope: 'run', window: 'run', usd: 0.025 }],
  }))
})

afterAll(async () => {
  await closeBudget()
})

function bind(runId: string) {
  const inputs: RunEventInput[] = []
  const runtime = createToolRuntime({
    budget,
    tools: {
      'maps.geocode': defineTool({ costUsd: 0.01, handler: () => ({ lat: 59.93, lon: 30.33 }) }),
      'sms.send': defineTool({
        // Priced by what it did: a tenth of a cent per 160-character part.
        costUsd: (_input: { text: string }, output: { parts: number }) => output.parts * 0.001,
        handler: (input: { text: string }) => ({ parts: Math.ceil(input.text.length / 160) }),
      }),
      'web.search': defineTool({ handler: () => [] }),
    },
  })
  const tools = runtime.bind({
    runId,
    tenant: 'acme',
    principal: { id: 'ann', roles: [], attributes: {} },
    skill: { id: 'travel/plan-trip', version: '1.0.0' },
    declared: ['maps.geocode', 'sms.send', 'web.search'].map((name) => ({
      name,
      permissions: [],
    })),
    signal: new AbortController().signal,
    step: 'route',
    emit: (event) => inputs.push(event),
  })
  const events = () =>
    inputs.map((event, seq) =>
      runEventSchema.parse({ ...event, runId, tenant: 'acme', seq, at: new Date().toISOString() }),
    )
  return { tools, events }
}

describe('tool costs', () => {
  it('charges each paid call to the run budget and reports the cost', async () => {
    const { tools, events } = bind('run-paid')
    await tools['maps.geocode']!({ address: 'Nevsky 28' })
    await tools['sms.send']!({ text: 'x'.repeat(400) })
    await tools['web.search']!({ q: 'museums' })
    await budget.flush()

    const spend = await budget.spend({ tenant: 'acme', runId: 'run-paid', groupBy: ['kind'] })
    expect(spend).toHaveLength(1)
    expect(spend[0]).toMatchObject({ kind: 'tool', costUsd: 0.013 })
    expect(events()).toMatchObject([
      { type: 'tool.called', tool: 'maps.geocode', step: 'route', attempt: 1, costUsd: 0.01 },
      { type: 'tool.called', tool: 'sms.send', attempt: 1, costUsd: 0.003 },
      { type: 'tool.called', tool: 'web.search', attempt: 1 },
    ])
    expect(events()[2]).not.toHaveProperty('costUsd')
  })

  it('fails a call with BUDGET_EXCEEDED when its cost would cross a hard limit', async () => {
    const { tools, events } = bind('run-capped')
    await tools['maps.geocode']!({})
    await tools['maps.geocode']!({})
    let caught: unknown
    await tools['maps.geocode']!({}).catch((error: unknown) => (caught = error))
    expect(SkillOSError.is(caught, 'BUDGET_EXCEEDED')).toBe(true)
    expect((caught as SkillOSError).details).toMatchObject({
      limitId: 'run-cap',
      runId: 'run-capped',
    })
    expect(events().map((event) => event.type)).toEqual([
      'tool.called',
      'tool.called',
      'tool.failed',
    ])
    expect(events()[2]).toMatchObject({ error: { code: 'BUDGET_EXCEEDED' }, willRetry: false })
  })
})
